"""The clock runs each periodic job at its interval, and one failing job never stops the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dosewise.lib.contributions import PeriodicJob
from dosewise.notifications import clock
from dosewise.notifications.models import Channel, MessageStatus, OutboundMessage


def test_each_job_runs_at_its_own_interval_and_a_failure_does_not_stop_the_rest():
    calls = []

    def broken():
        raise RuntimeError("database away")

    jobs = (PeriodicJob("often", timedelta(minutes=1), lambda: calls.append("often")),
            PeriodicJob("broken", timedelta(minutes=1), broken),
            PeriodicJob("daily", timedelta(days=1), lambda: calls.append("daily")))
    last: dict = {}
    start = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert clock.clock_tick(last, start, jobs) == ["often", "daily"]
    assert clock.clock_tick(last, start + timedelta(seconds=30), jobs) == []
    assert clock.clock_tick(last, start + timedelta(minutes=1), jobs) == ["often"]
    assert clock.clock_tick(last, start + timedelta(days=1), jobs) == ["often", "daily"]
    assert calls == ["often", "daily", "often", "often", "daily"]


@pytest.mark.django_db
def test_the_real_jobs_run_and_the_outbox_sweep_retries_a_failed_text(settings, tmp_path, daytime):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path)
    message = OutboundMessage.objects.create(channel=Channel.SMS, to="+15550100158", body="hello",
                                             purpose="test", status=MessageStatus.FAILED, attempts=1)
    assert clock.clock_tick({}) == [job.name for job in clock.clock_jobs()]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(list(tmp_path.iterdir())) == 1


@pytest.mark.django_db
def test_a_faxed_document_leaves_the_outbox_30_days_after_it_was_sent_but_the_record_stays():
    from django.utils import timezone

    from dosewise.notifications.services import outbox_attachments_purge

    now = timezone.now()
    old, recent, waiting = (OutboundMessage.objects.create(
        channel=Channel.EMAIL, to="5550100@fax.example.net", body="fax", purpose="prescription.fax",
        attachment_name="prescription-1.pdf", attachment_type="application/pdf", attachment=b"%PDF-1.4",
        status=status, sent_at=sent) for status, sent in ((MessageStatus.SENT, now - timedelta(days=31)),
                                                          (MessageStatus.SENT, now - timedelta(days=2)),
                                                          (MessageStatus.FAILED, None)))
    assert outbox_attachments_purge(now) == 1
    for message in (old, recent, waiting):
        message.refresh_from_db()
    assert (bytes(old.attachment), old.attachment_name, old.status) == (b"", "", MessageStatus.SENT)
    assert bytes(recent.attachment) == b"%PDF-1.4" and bytes(waiting.attachment) == b"%PDF-1.4"
