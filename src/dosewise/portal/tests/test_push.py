"""Reminders and alerts by web push, delivered to a push service on loopback that checks VAPID."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from dosewise.audit.models import AuditEvent
from dosewise.notifications.signals import patient_message_posted
from dosewise.patients.selectors import access_patient
from dosewise.portal import push, services
from dosewise.portal.models import PortalAccount, PushKind, PushMessage, PushSubscription
from dosewise.portal.tests.push_stub import PushServiceStub, VapidRefused, b64url, verify_vapid


@pytest.fixture
def stub():
    service = PushServiceStub().start()
    yield service
    service.stop()


@pytest.fixture
def pat_client(pat, as_user, patient_user):
    return as_user(patient_user)


def subscribe(client, stub, name="phone"):
    endpoint, browser = stub.subscribe(name)
    answer = client.post(reverse("portal:push_subscribe"), json.dumps(
        {"endpoint": endpoint, "p256dh": browser.p256dh, "auth": browser.auth, "device": "Pat's phone"}),
        content_type="application/json")
    assert answer.status_code == 200, answer.content
    return endpoint, browser


def at_clinic_time(pat, hour: int, minute: int = 0, days: int = 0) -> datetime:
    zone = ZoneInfo(pat.patient.clinic.timezone)
    return datetime.combine(pat.today + timedelta(days=days), time(hour, minute), tzinfo=zone)


def test_a_dose_reminder_arrives_signed_encrypted_and_without_health_details(pat, pat_client, stub, dana):
    subscribe(pat_client, stub)
    services.reminders_save(actor=pat.account.user, portal=pat, dose_reminder_time=time(8, 30), message_alerts=False)
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 8, 31)) == 1
    assert services.push_deliver() == 1
    assert stub.refused == [] and len(stub.received) == 1
    got = stub.received[0]
    assert got.vapid_key == push.application_server_key() and got.claims["aud"] == stub.origin
    assert got.payload == {"title": "Reminder", "body": "You have a reminder from your clinic.",
                           "url": reverse("portal:dose_log")}
    text = json.dumps(got.payload).lower()
    assert not any(word in text for word in ("sertraline", "lamotrigine", "dana", dana.clinic.name.lower()))
    assert PushMessage.objects.get().sent_at is not None


def test_the_reminder_comes_once_a_day_from_its_time_on(pat, pat_client, stub):
    subscribe(pat_client, stub)
    services.reminders_save(actor=pat.account.user, portal=pat, dose_reminder_time=time(20, 0), message_alerts=False)
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 19, 59)) == 0
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 20, 0)) == 1
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 22, 0)) == 0
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 20, 5, days=1)) == 1
    assert PushMessage.objects.filter(kind=PushKind.DOSE_REMINDER).count() == 2


def test_no_reminder_without_a_device_or_without_the_choice(pat, pat_client, stub):
    services.reminders_save(actor=pat.account.user, portal=pat, dose_reminder_time=time(8, 0), message_alerts=False)
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 9)) == 0  # no device yet
    subscribe(pat_client, stub)
    services.reminders_save(actor=pat.account.user, portal=pat, dose_reminder_time=None, message_alerts=False)
    assert services.dose_reminders_queue(now=at_clinic_time(pat, 9)) == 0
    assert not PushMessage.objects.exists()


def test_a_message_alert_goes_only_when_the_patient_asked_for_it(pat, pat_client, stub, dana):
    subscribe(pat_client, stub)
    patient_message_posted.send(sender=None, patient=dana)
    assert not PushMessage.objects.exists()
    services.reminders_save(actor=pat.account.user, portal=pat, dose_reminder_time=None, message_alerts=True)
    patient_message_posted.send(sender=None, patient=dana)
    assert services.push_deliver() == 1
    assert stub.received[0].payload["body"] == "You have a new message from your clinic."


def test_a_device_the_push_service_forgot_is_ended(pat, pat_client, stub):
    endpoint, _ = subscribe(pat_client, stub)
    stub.answers["/push/phone"] = 410
    services.push_enqueue(user=pat.account.user, kind=PushKind.TEST)
    assert services.push_deliver() == 0
    subscription = PushSubscription.objects.get(endpoint=endpoint)
    assert subscription.ended_at is not None and PushMessage.objects.get().given_up_at is not None
    services.push_enqueue(user=pat.account.user, kind=PushKind.TEST)
    assert PushMessage.objects.count() == 1  # nothing more is queued for an ended device


def test_a_failing_push_service_is_retried_by_the_next_run(pat, pat_client, stub):
    subscribe(pat_client, stub)
    stub.answers["/push/phone"] = 500
    services.push_enqueue(user=pat.account.user, kind=PushKind.TEST)
    assert services.push_deliver() == 0
    message = PushMessage.objects.get()
    assert message.attempts == 1 and message.given_up_at is None and "500" in message.last_error
    del stub.answers["/push/phone"]
    assert services.push_deliver() == 1 and len(stub.received) == 1


def test_the_stub_refuses_a_token_signed_by_another_key_or_for_another_service(pat, pat_client, stub):
    from py_vapid import Vapid

    other = Vapid()
    other.generate_keys()
    headers = other.sign({"sub": "mailto:x@example.org", "aud": stub.origin})
    token = headers["Authorization"].split("t=")[1].split(",")[0]
    with pytest.raises(VapidRefused, match="bad signature"):
        verify_vapid(f"vapid t={token}, k={push.application_server_key()}", stub.origin)
    good = push.vapid().sign({"sub": "mailto:x@example.org", "aud": "https://push.example.com"})
    with pytest.raises(VapidRefused, match="audience"):
        verify_vapid(good["Authorization"], stub.origin)


def test_a_broken_subscription_is_refused_with_a_reason(pat_client, pat):
    answer = pat_client.post(reverse("portal:push_subscribe"), json.dumps(
        {"endpoint": "ftp://example.org/x", "p256dh": "abc", "auth": b64url(b"0" * 16)}),
        content_type="application/json")
    assert answer.status_code == 400 and "push address" in answer.json()["error"]
    assert not PushSubscription.objects.exists()


def test_the_patient_turns_a_device_off_from_the_list(pat, pat_client, stub):
    subscribe(pat_client, stub)
    subscription = PushSubscription.objects.get()
    page = pat_client.get(reverse("portal:settings")).content.decode()
    assert "Pat&#x27;s phone" in page or "Pat's phone" in page
    pat_client.post(reverse("portal:push_unsubscribe"), {"device": subscription.pk})
    assert PushSubscription.objects.get().ended_at is not None
    assert AuditEvent.objects.filter(action="portal.push.unsubscribe").exists()


def test_revoking_portal_access_ends_its_devices(pat, pat_client, stub, dana, prescriber_a):
    subscribe(pat_client, stub)
    services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "consent.record"),
                           reason="Patient moved away")
    assert PushSubscription.objects.get().ended_reason == "portal access revoked"


def test_a_reminder_without_a_time_is_refused_next_to_the_field(pat, pat_client):
    page = pat_client.post(reverse("portal:settings"), {"dose_reminder": "on", "message_alerts": "on"})
    html = page.content.decode()
    assert page.status_code == 400 and "Choose the time of your daily reminder." in html
    assert 'id="id_dose_reminder_time_error"' in html and 'checked' in html
    assert PortalAccount.objects.get(pk=pat.account.pk).dose_reminder_time is None
    pat_client.post(reverse("portal:settings"), {"dose_reminder": "on", "dose_reminder_time": "07:45"})
    assert PortalAccount.objects.get(pk=pat.account.pk).dose_reminder_time == time(7, 45)


# ---------------------------------------------------------------------------------------
# Installable: manifest, icons, service worker, offline page


def test_the_manifest_meets_the_install_requirements(client, db):
    answer = client.get(reverse("portal:manifest"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["name"] and manifest["short_name"] and manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == reverse("portal:home")
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]
            sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes and any(i["purpose"] == "maskable" for i in manifest["icons"])


def test_the_service_worker_caches_only_the_offline_page_and_its_assets(client, db):
    answer = client.get(reverse("portal:service_worker"))
    script = answer.content.decode()
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == reverse("portal:home")
    assert f'const OFFLINE_URL = "{reverse("portal:offline")}"' in script
    assert script.count("cache.put") == 0 and "addAll(SHELL)" in script


def test_the_offline_page_is_served_to_anyone_and_holds_no_health_information(client, db):
    answer = client.get(reverse("portal:offline"))
    html = answer.content.decode()
    assert answer.status_code == 200 and "You are offline" in html and "not kept on this device" in html


def test_every_portal_page_links_the_manifest_and_the_worker_script(pat_client):
    html = pat_client.get(reverse("portal:home")).content.decode()
    assert f'rel="manifest" href="{reverse("portal:manifest")}"' in html
    assert f'data-sw-url="{reverse("portal:service_worker")}"' in html and "portal.js" in html
