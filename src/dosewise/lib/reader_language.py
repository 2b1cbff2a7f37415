"""The language a patient-facing page is read in, for the portal and the apps whose patient pages
live in its layout (messages, appointments): the reader's saved choice, else the language cookie,
else the browser's, among settings.LANGUAGES (docs/decisions/0054)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation


def reader_language(request, saved: str = "") -> str:
    known = {code for code, _name in settings.LANGUAGES}
    if saved in known:
        return saved
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in known:
        return cookie
    for code in translation.trans_real.parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code[0].split("-")[0].lower()
        if base in known:
            return base
    return "en"


def respond_in(request, language: str, make: Callable[[], HttpResponse]) -> HttpResponse:
    """Build the response with `language` active (templates, forms, messages) and say so in a header."""
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = make()
    response.headers.setdefault("Content-Language", language)
    return response
