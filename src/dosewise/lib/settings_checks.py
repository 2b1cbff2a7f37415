"""Checks of configuration values that production refuses (used by the settings at start-up)."""

from __future__ import annotations

from urllib.parse import urlsplit

# A production key must be long and random: Django's own check (security.W009) asks for 50
# characters and at least 5 distinct ones; a random key of 50 has about 35.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10
# Strings from examples, demos and tutorials that show up in copied configuration.
KNOWN_EXAMPLE_MARKERS = ("change-me", "changeme", "change_me", "insecure", "secret-key", "secret_key",
                         "secretkey", "example", "dosewise", "password", "your-key", "replace-me")


def secret_key_weakness(key: str) -> str | None:
    """Return why `key` is unsafe as a production SECRET_KEY, or None when it is acceptable."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; use at least {SECRET_KEY_MIN_LENGTH} random ones"
    distinct = len(set(key))
    if distinct < SECRET_KEY_MIN_DISTINCT:
        return f"it repeats {distinct} distinct characters; use random characters"
    lowered = key.lower()
    marker = next((m for m in KNOWN_EXAMPLE_MARKERS if m in lowered), None)
    if marker:
        return f"it contains {marker!r}, a default or example value"
    return None


def site_url_problem(url: str, *, production: bool) -> str | None:
    """Return why `url` cannot be the site URL links are built from, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "give the scheme and host name, e.g. https://dosewise.clinic.example"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "give the scheme and host name only, without a path, query or fragment"
    if production and parts.scheme != "https":
        return "production links must use https"
    return None
