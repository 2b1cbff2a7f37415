"""The chart's phone and e-mail standings read in one query say what reading each channel says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentPurpose

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+1 (312) 555-0199", "Dana.Diaz@Example.org"


def _each_channel(clinic, addresses):
    return {channel: ledger.consent_standings(clinic=clinic, channel=channel, address=address,
                                              purposes=ledger.DEFAULT_PURPOSES)
            for channel, address in addresses.items() if address}


def test_both_channels_in_one_query_stand_as_each_read_alone(clinic_a, clinic_b, django_assert_num_queries):
    start = timezone.now() - timedelta(days=3)
    grant = {"clinic": clinic_a, "source": "portal"}
    ledger.consent_grant(channel=Channel.SMS, address=PHONE, purpose=ConsentPurpose.APPOINTMENT_REMINDERS,
                         at=start, **grant)
    ledger.consent_grant(channel=Channel.EMAIL, address=EMAIL, purpose=ConsentPurpose.QUESTIONNAIRES, at=start, **grant)
    ledger.consent_withdraw(channel=Channel.EMAIL, address=EMAIL, purpose=ConsentPurpose.CARE_MESSAGES,
                            at=start, **grant)
    # Another clinic's agreement is not this clinic's; the same digits by e-mail are another address.
    ledger.consent_grant(clinic=clinic_b, channel=Channel.SMS, address=PHONE, source="portal",
                         purpose=ConsentPurpose.CARE_MESSAGES, at=start)
    # A STOP texted to the shared number stops everything on that channel, everywhere.
    ledger.consent_withdraw(clinic=None, channel=Channel.SMS, address=PHONE, purpose=ConsentPurpose.ALL,
                            source="sms", at=start + timedelta(days=1))
    addresses = {Channel.SMS: PHONE, Channel.EMAIL: EMAIL}
    with django_assert_num_queries(1):
        together = ledger.consent_standings_by_channel(clinic=clinic_a, addresses=addresses,
                                                        purposes=ledger.DEFAULT_PURPOSES)
    assert together == _each_channel(clinic_a, addresses)
    sms, email = together[Channel.SMS], together[Channel.EMAIL]
    assert all(not s.allowed and s.stopped_at for s in sms.values())
    assert email[ConsentPurpose.QUESTIONNAIRES].allowed and not email[ConsentPurpose.CARE_MESSAGES].allowed
    assert not email[ConsentPurpose.APPOINTMENT_REMINDERS].recorded
    assert ledger.consent_standings_by_channel(clinic=clinic_b, addresses=addresses,
                                               purposes=ledger.DEFAULT_PURPOSES) == _each_channel(clinic_b, addresses)


def test_a_channel_without_an_address_is_left_out_and_none_costs_no_query(clinic_a, django_assert_num_queries):
    standings = ledger.consent_standings_by_channel(clinic=clinic_a, addresses={Channel.SMS: PHONE, Channel.EMAIL: ""},
                                                    purposes=ledger.DEFAULT_PURPOSES)
    assert list(standings) == [Channel.SMS]
    assert not any(s.recorded for s in standings[Channel.SMS].values())
    with django_assert_num_queries(0):
        assert ledger.consent_standings_by_channel(clinic=clinic_a, addresses={Channel.SMS: "", Channel.EMAIL: ""},
                                                   purposes=ledger.DEFAULT_PURPOSES) == {}
