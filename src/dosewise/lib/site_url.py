"""Links in messages, built on DOSEWISE_SITE_URL (settings.SITE_URL), never on the Host header
of the request that caused them: a forged Host would otherwise put an attacker's address
in front of a password-setting key."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def site_link(path: str) -> str:
    """Return the absolute address of `path` (which starts with /) on the configured site."""
    return settings.SITE_URL.rstrip("/") + path


def password_set_link(user) -> str:
    """Return the one-time link that lets `user` set a password (an invitation or a reset)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    return site_link(reverse("account_reset_password_from_key",
                             kwargs={"uidb36": user_pk_to_url_str(user),
                                     "key": default_token_generator.make_token(user)}))


@dataclass(frozen=True)
class ConfiguredSite:
    """What allauth's e-mail templates read as `current_site`, from the configured site URL."""

    domain: str
    name: str


def configured_site() -> ConfiguredSite:
    host = urlsplit(settings.SITE_URL).netloc
    return ConfiguredSite(domain=host, name=host)
