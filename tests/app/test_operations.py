"""Running Dosewise: the health check, production settings, secrets from files, security headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from dosewise.lib.env import envbool, envint, envlist, envstr

GOOD_KEY = "k3Yq9vTz0Lw8Rr2mXc5Bn7Hd4Fg6Js1Ap0Oi9Uy8Te7Wq6Er5xQ"
ROOT = Path(__file__).resolve().parents[2]


# The health check

def test_healthz_answers_ok_with_the_version(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "version": settings.VERSION}


def test_healthz_answers_503_when_the_database_is_unreachable(db, client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "version": settings.VERSION}


def test_healthz_takes_get_only(db, client):
    assert client.post("/healthz").status_code == 405


# Production settings refuse unsafe values

_SETTINGS_VARIABLES = {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "DOSEWISE_SITE_URL",
                       "SITE_URL", "TRUSTED_PROXY_COUNT", "LOGIN_FAILED_RATE_LIMIT"}


def _import_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    clean.update(DOSEWISE_ENV="production", DOSEWISE_DATA_DIR=str(tmp_path))
    clean.update({k: v for k, v in env.items() if v is not None})
    for name in [k for k, v in env.items() if v is None]:
        clean.pop(name, None)
    return subprocess.run([sys.executable, "-c", "import dosewise.config.settings"], env=clean, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


SAFE = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "dosewise.clinic.example",
        "DOSEWISE_SITE_URL": "https://dosewise.clinic.example"}


def test_production_starts_with_safe_settings(tmp_path):
    result = _import_settings(tmp_path, **SAFE)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("env, message", [
    ({"DEBUG": "true"}, "DEBUG must be off in production"),
    ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
    ({"SECRET_KEY": None}, "SECRET_KEY (or SECRET_KEY_FILE) must be set in production"),
    ({"SECRET_KEY": "django-insecure-" + GOOD_KEY}, "contains 'insecure', a default or example value"),
    ({"SECRET_KEY": "change-me-" + GOOD_KEY}, "contains 'change-me', a default or example value"),
    ({"SECRET_KEY": "short-but-random-9f8e7d"}, "it has 23 characters; use at least 50"),
    ({"SECRET_KEY": "ab" * 40}, "it repeats 2 distinct characters"),
    ({"SECRET_KEY": "x" * 64}, "it repeats 1 distinct characters"),
    ({"SECRET_KEY": "dosewise-demo-" + GOOD_KEY}, "contains 'dosewise'"),
    ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must name the host names"),
    ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must name the host names"),
    ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS=* accepts any Host header in production"),
    ({"ALLOWED_HOSTS": "dosewise.clinic.example,*"}, "ALLOWED_HOSTS=* accepts any Host header"),
    ({"DOSEWISE_SITE_URL": None}, "DOSEWISE_SITE_URL must be set in production"),
    ({"DOSEWISE_SITE_URL": "http://dosewise.clinic.example"}, "production links must use https"),
    ({"DOSEWISE_SITE_URL": "dosewise.clinic.example"}, "give the scheme and host name"),
    ({"DOSEWISE_SITE_URL": "https://dosewise.clinic.example/portal?x=1"}, "without a path, query or fragment"),
    ({"DOSEWISE_ENV": "Production"}, "DOSEWISE_ENV='Production' is not one of development, test, production"),
    ({"DOSEWISE_ENV": "prod"}, "DOSEWISE_ENV='prod' is not one of development, test, production"),
    ({"DOSEWISE_ENV": "production "}, "DOSEWISE_ENV='production ' is not one of"),
    ({"LOGIN_FAILED_RATE_LIMIT": "20/15m/ip,5/15m/key"}, "only per-account limits (N/period/key) are allowed"),
    ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 must be 0 (no proxy) to 10"),
    ({"SECRET_KEY": None, "SECRET_KEY_FILE": "/nonexistent/secret"}, "SECRET_KEY_FILE=/nonexistent/secret cannot be read"),
])
def test_production_refuses_unsafe_settings(tmp_path, env, message):
    result = _import_settings(tmp_path, **{**SAFE, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize("name", ["development", "test"])
def test_the_other_documented_environments_start_without_production_settings(tmp_path, name):
    result = _import_settings(tmp_path, DOSEWISE_ENV=name)
    assert result.returncode == 0, result.stderr


def test_an_old_installation_with_site_url_keeps_working(tmp_path):
    result = _import_settings(tmp_path, **{**SAFE, "DOSEWISE_SITE_URL": None, "SITE_URL": "https://old.example"})
    assert result.returncode == 0, result.stderr


def test_production_reads_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key.txt"
    key_file.write_text(GOOD_KEY + "\n", encoding="utf-8")
    result = _import_settings(tmp_path, **{**SAFE, "SECRET_KEY": None, "SECRET_KEY_FILE": str(key_file)})
    assert result.returncode == 0, result.stderr


# Environment helpers

def test_envstr_reads_the_variable_or_its_default(monkeypatch):
    monkeypatch.setenv("DW_TEST_NAME", "value")
    monkeypatch.delenv("DW_TEST_NAME_FILE", raising=False)
    assert envstr("DW_TEST_NAME") == "value"
    assert envstr("DW_TEST_MISSING", "fallback") == "fallback"


def test_envstr_prefers_the_file_and_strips_it(monkeypatch, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("  s3cret-from-file\n", encoding="utf-8")
    monkeypatch.setenv("DW_TEST_PASSWORD", "from-environment")
    monkeypatch.setenv("DW_TEST_PASSWORD_FILE", str(secret))
    assert envstr("DW_TEST_PASSWORD") == "s3cret-from-file"


def test_envstr_refuses_an_unreadable_file(monkeypatch, tmp_path):
    monkeypatch.setenv("DW_TEST_PASSWORD_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="DW_TEST_PASSWORD_FILE=.*cannot be read"):
        envstr("DW_TEST_PASSWORD")


@pytest.mark.parametrize("raw, expected", [("1", True), ("TRUE", True), (" yes ", True), ("on", True),
                                           ("0", False), ("false", False), ("No", False), ("off", False),
                                           ("", False)])
def test_envbool_understands_true_and_false(monkeypatch, raw, expected):
    monkeypatch.setenv("DW_TEST_FLAG", raw)
    assert envbool("DW_TEST_FLAG", not expected) is expected


def test_envbool_and_envint_refuse_nonsense_and_use_defaults(monkeypatch):
    monkeypatch.delenv("DW_TEST_FLAG", raising=False)
    monkeypatch.delenv("DW_TEST_NUMBER", raising=False)
    assert envbool("DW_TEST_FLAG", True) is True and envint("DW_TEST_NUMBER", 15) == 15
    monkeypatch.setenv("DW_TEST_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        envbool("DW_TEST_FLAG", False)
    monkeypatch.setenv("DW_TEST_NUMBER", "fifteen")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        envint("DW_TEST_NUMBER", 1)
    monkeypatch.setenv("DW_TEST_NUMBER", " 42 ")
    assert envint("DW_TEST_NUMBER", 1) == 42


def test_envint_reads_a_file(monkeypatch, tmp_path):
    number = tmp_path / "n"
    number.write_text("7\n", encoding="utf-8")
    monkeypatch.setenv("DW_TEST_NUMBER_FILE", str(number))
    assert envint("DW_TEST_NUMBER", 1) == 7


def test_envlist_splits_on_commas_and_drops_empty_items(monkeypatch):
    monkeypatch.setenv("DW_TEST_HOSTS", " a.example , ,b.example,")
    assert envlist("DW_TEST_HOSTS") == ["a.example", "b.example"]
    assert envlist("DW_TEST_UNSET_LIST", "x,y") == ["x", "y"]


# Security headers and third-party origins

_ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _third_party_urls(html: str) -> list[str]:
    return [url for url in re.findall(r'(?:src|href|action)="([^"]+)"', html)
            if re.match(r"^(https?:)?//", url)]


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/api/docs", "/api/openapi.json", "/nowhere/"])
def test_every_response_carries_a_strict_csp(db, client, path):
    policy = _csp(client.get(path))
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert {source for sources in policy.values() for source in sources} <= _ALLOWED_SOURCES


def test_staff_pages_carry_the_csp_and_load_nothing_from_elsewhere(dana, prescriber_a, admin_a, as_user):
    alice, ada = as_user(prescriber_a), as_user(admin_a)
    pages = [alice.get(reverse("web:home")), alice.get(reverse("web:patient_chart", args=[dana.pk])),
             alice.get(reverse("patients:patient_search"), {"q": "dana"}), ada.get(reverse("audit:audit_report")),
             Client().get(reverse("account_login")), alice.get("/api/docs")]
    for page in pages:
        assert page.status_code == 200
        assert {s for sources in _csp(page).values() for s in sources} <= _ALLOWED_SOURCES
        html = page.content.decode()
        assert _third_party_urls(html) == [], page.request["PATH_INFO"]
        assert "cdn." not in html
    assert page["X-Frame-Options"] == "DENY" and page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(dana, prescriber_a, as_user):
    html = as_user(prescriber_a).get(reverse("web:patient_chart", args=[dana.pk])).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)


def test_a_post_without_the_csrf_token_is_refused(dana, prescriber_a):
    from tests.conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), prescriber_a)
    response = client.post(reverse("patients:allergy_add", args=[dana.pk]),
                           {"substance": "latex", "category": "allergy", "severity": "mild"})
    assert response.status_code == 403
    assert not dana.allergies.filter(substance="latex").exists()


def test_a_message_becomes_one_sentence_without_doubled_punctuation():
    from dosewise.lib.text import sentence

    assert sentence("unknown drug 'x'; did you mean: y?") == "Unknown drug 'x'; did you mean: y?"
    assert sentence("enter a dose") == "Enter a dose."
    assert sentence("Stop.") == "Stop."
    assert sentence("") == ""


def test_pages_are_rendered_on_the_clinic_clock(prescriber_a, rf):
    from datetime import UTC, datetime

    from django.template import Context, Template

    from dosewise.web.context_processors import clinic_timezone

    request = rf.get("/")
    request.user = prescriber_a
    prescriber_a.clinic.timezone = "America/Chicago"
    page = Template("{% load tz %}{% timezone zone %}{{ at|date:'Y-m-d H:i' }}{% endtimezone %}")
    at = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)
    assert page.render(Context({"zone": clinic_timezone(request), "at": at})) == "2026-11-25 18:30"
    prescriber_a.clinic.timezone = "Not/AZone"
    assert clinic_timezone(request) is None
    request.user = type("Anonymous", (), {})()
    assert clinic_timezone(request) is None
    # Without a clinic the installation's zone (TIME_ZONE) applies.
    prescriber_a.clinic.timezone = "Europe/Berlin"
    request.user = prescriber_a
    assert page.render(Context({"zone": clinic_timezone(request), "at": at})) == "2026-11-26 01:30"


@pytest.mark.parametrize(("ucum", "shown"), [
    ("mL/min/{1.73_m2}", "mL/min/1.73 m²"), ("10*3/uL", "×10³/µL"), ("m[IU]/L", "mIU/L"), ("mm[Hg]", "mmHg"),
    ("ug/mL", "µg/mL"), ("/uL", "/µL"), ("mmol/L", "mmol/L"), ("kg/m2", "kg/m²"), ("", ""),
])
def test_ucum_units_are_shown_as_a_lab_report_prints_them(ucum, shown):
    from django.template import Context, Template

    from dosewise.lib.units import ucum_display

    assert ucum_display(ucum) == shown
    assert Template("{{ unit|ucum }}").render(Context({"unit": ucum})) == shown
