"""The consent wording is data: the clinic admin writes new versions, the old ones stay, and each
agreement keeps the version the person saw."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.notifications.models import ConsentDisclosure, ContactConsentEvent

pytestmark = pytest.mark.django_db
SMS_V2 = ("Riverside texts: reminders and questionnaires, up to 4 a month. Msg & data rates may apply. Reply STOP "
          "to stop, HELP for help. Agreeing is not a condition of care.")


def test_a_new_version_is_shown_on_the_form_and_recorded_with_new_agreements(as_user, admin_a, submit, clinic_a):
    submit(sms_consent="on")
    client = as_user(admin_a)
    response = client.post(reverse("outreach:disclosures"), {"channel": "sms", "program_name": "Riverside texts",
                                                             "text": SMS_V2})
    assert response.status_code == 302
    versions = list(ConsentDisclosure.objects.filter(clinic=clinic_a, channel="sms").order_by("version"))
    assert [v.version for v in versions] == [1, 2] and versions[1].created_by == admin_a
    assert versions[0].text != SMS_V2  # the first wording is kept as it was
    page = client.get(reverse("outreach:consultation_request")).content.decode()
    assert "Riverside texts: reminders and questionnaires" in page and "wording version 2" in page
    submit(sms_consent="on", ip="198.51.100.20", phone="312 555 0177", email="other@example.org")
    shown = {e.consent.address: e.disclosure.version for e in ContactConsentEvent.objects.filter(
        consent__channel="sms").select_related("consent", "disclosure")}
    assert shown == {"+13125550188": 1, "+13125550177": 2}
    page = client.get(reverse("outreach:disclosures")).content.decode()
    assert "Older versions (1)" in page


def test_wording_without_stop_help_rates_or_the_condition_of_care_is_refused(as_user, admin_a, clinic_a):
    response = as_user(admin_a).post(reverse("outreach:disclosures"), {
        "channel": "sms", "program_name": "Riverside texts", "text": "We will text you sometimes."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "must say how to stop (STOP), help (HELP), Msg &amp; data rates may apply" in page
    assert "We will text you sometimes." in page
    assert ConsentDisclosure.objects.filter(clinic=clinic_a, channel="sms").count() == 1
