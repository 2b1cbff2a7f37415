"""Sign-in limits behind a shared address: failures lock an account, never the clinic, and the
client's address is the one the trusted proxy saw, not one the client wrote."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from tests.conftest import PASSWORD, totp_code

from dosewise.audit.models import AuditEvent
from dosewise.lib.client_address import address_clean, client_ip

# Documentation addresses (RFC 5737): the proxy, an attacker and a colleague somewhere else.
PROXY = "192.0.2.10"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.20"
WRONG = "wrong-password-x"


def _fail_unknown(client, count: int, **headers) -> list:
    return [client.post(reverse("account_login"), {"login": f"nobody{n}@northside.test", "password": WRONG},
                        **headers) for n in range(count)]


def _sign_in_fully(client, user, **headers):
    first = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, **headers)
    assert (first.status_code, first.get("Location")) == (302, reverse("mfa_authenticate")), first.content[:300]
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)}, **headers)
    assert (done.status_code, done["Location"]) == (302, reverse("web:home"))
    return done


def test_25_failed_sign_ins_for_unknown_accounts_do_not_lock_out_a_colleague_at_the_same_address(prescriber_a):
    # Everyone in the clinic reaches the server from one address (a NAT or a proxy without
    # TRUSTED_PROXY_COUNT): the old per-address limit of 20 locked every account out for 15 minutes.
    answers = _fail_unknown(Client(), 25, REMOTE_ADDR=PROXY)
    assert all(a.status_code == 200 and b"are not correct" in a.content for a in answers)
    _sign_in_fully(Client(), prescriber_a, REMOTE_ADDR=PROXY)
    assert AuditEvent.objects.filter(action="auth.login", actor=prescriber_a, ip=PROXY).exists()


def test_the_address_limit_refuses_more_unknown_accounts_like_a_wrong_password_and_audits_it(prescriber_a):
    answers = _fail_unknown(Client(), 25, REMOTE_ADDR=PROXY)
    # Attempts 21 to 25 never reached the password check: audited as refused by the address limit,
    # answered exactly like a wrong password so that nothing tells which addresses have accounts.
    limited = AuditEvent.objects.filter(action="auth.login_rate_limited")
    assert limited.count() == 5
    assert {(e.outcome, e.ip, e.detail["limit"], e.detail["unknown_account"]) for e in limited} == {
        ("denied", PROXY, "address", True)}
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 20
    assert answers[24].content.count(b"are not correct") == answers[0].content.count(b"are not correct")
    # A real account from the same address: a wrong password is an ordinary failure, not a refusal.
    wrong = Client().post(reverse("account_login"), {"login": prescriber_a.email, "password": WRONG},
                          REMOTE_ADDR=PROXY)
    assert wrong.status_code == 200 and b"are not correct" in wrong.content
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=prescriber_a).count() == 1


def test_an_account_with_five_failures_is_locked_even_with_the_right_password_and_it_is_audited(
        prescriber_a, colleague_a):
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": prescriber_a.email, "password": WRONG}, REMOTE_ADDR=PROXY)
    refused = client.post(reverse("account_login"), {"login": prescriber_a.email, "password": PASSWORD},
                          REMOTE_ADDR=PROXY)
    assert refused.status_code == 200 and b"Too many failed login attempts" in refused.content
    event = AuditEvent.objects.get(action="auth.login_rate_limited")
    assert (event.actor, event.outcome, event.detail) == (prescriber_a, "denied", {"limit": "account"})
    # Only that account: a colleague behind the same address signs in.
    _sign_in_fully(Client(), colleague_a, REMOTE_ADDR=PROXY)


def test_behind_a_trusted_proxy_each_client_has_its_own_address_and_cannot_forge_it(settings, prescriber_a):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    # The attacker writes addresses of their own to the left of the one the proxy appends.
    for n in range(25):
        attacker.post(reverse("account_login"), {"login": f"nobody{n}@northside.test", "password": WRONG},
                      REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, {ATTACKER}")
    assert set(AuditEvent.objects.filter(action__startswith="auth.login").values_list("ip", flat=True)) == {ATTACKER}
    assert AuditEvent.objects.filter(action="auth.login_rate_limited", ip=ATTACKER).count() == 5
    # A colleague elsewhere, through the same proxy, has a clean slate for unknown accounts too.
    colleague = Client()
    mistyped = colleague.post(reverse("account_login"), {"login": "alcie@northside.test", "password": PASSWORD},
                              REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert mistyped.status_code == 200
    assert AuditEvent.objects.get(action="auth.login_failed", ip=COLLEAGUE).detail == {"unknown_account": True}
    _sign_in_fully(colleague, prescriber_a, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=COLLEAGUE)


@pytest.mark.parametrize(("count", "forwarded", "remote", "expected"), [
    # No trusted proxy: the header is anyone's to write and is ignored.
    (0, "203.0.113.9", "192.0.2.10", "192.0.2.10"),
    # One proxy: the entry it appended, whatever the client put before it.
    (1, "203.0.113.9", "192.0.2.10", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "192.0.2.10", "203.0.113.9"),
    (1, "6.6.6.6,203.0.113.9 ", "192.0.2.10", "203.0.113.9"),
    # Two proxies (a load balancer, then nginx): second from the right.
    (2, "6.6.6.6, 203.0.113.9, 192.0.2.77", "192.0.2.10", "203.0.113.9"),
    # Fewer entries than proxies: nothing in the header can be trusted, so the connection's address.
    (2, "203.0.113.9", "192.0.2.10", "192.0.2.10"),
    (1, "", "192.0.2.10", "192.0.2.10"),
    # A malformed trusted entry falls back to the connection; ports and brackets are removed.
    (1, "not-an-address", "192.0.2.10", "192.0.2.10"),
    (1, "203.0.113.9:4711", "192.0.2.10", "203.0.113.9"),
    (1, "[2001:db8::1]:443", "192.0.2.10", "2001:db8::1"),
    (1, "2001:DB8::1", "192.0.2.10", "2001:db8::1"),
])
def test_the_client_address_is_the_entry_the_outermost_trusted_proxy_added(settings, count, forwarded, remote,
                                                                           expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_an_unparseable_address_is_none():
    assert address_clean("") is None and address_clean("localhost") is None
    assert address_clean(" 127.0.0.1 ") == "127.0.0.1"
