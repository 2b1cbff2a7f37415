"""Read settings from the environment, with `NAME_FILE` variants for secrets.

Container platforms hand secrets over as files; `envsecret("SECRET_KEY")` reads
`SECRET_KEY_FILE` when it is set, so the value never appears in the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    """Return the variable `name`, or the contents of the file named by `name_FILE`."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc.strerror}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    """Return a boolean variable; refuse a value that is neither true nor false."""
    raw = envstr(name, "1" if default else "0").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false")


def envint(name: str, default: int) -> int:
    """Return an integer variable; refuse a value that is not one."""
    raw = envstr(name, str(default)).strip()
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def envlist(name: str, default: str = "") -> list[str]:
    """Return a comma-separated variable as a list without empty items."""
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]
