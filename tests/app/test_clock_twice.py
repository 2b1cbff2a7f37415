"""Two clocks at once do the work of one: every periodic job is safe to run twice at the same time
(notifications/clock.py), as when `dosewise clock` runs on two machines or beside cron.

A demo clinic with every questionnaire schedule and appointment reminder due is copied (data
directory and database). On the first, one process runs the clock's jobs once; on the second, two
processes run them at the same moment. The second must end with exactly what the first has:
the same messages queued for each purpose, the same questionnaire links, each reminder sent
once, and an audit trail that verifies. The outbox's own sweep and web push are
left to the worker tests (they would try to reach a mail server and push services).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.app.scratch_database import scratch_database, scratch_env

ROOT = Path(__file__).resolve().parents[2]
JOBS = ("audit_seal", "care_tasks_escalate", "questionnaires_send_due", "imports_reclaim", "send_lab_reminders",
        "appointment_reminders", "portal_dose_reminders", "message_attachments_orphans",
        "outbox_attachments_purge")

SETUP = """
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from dosewise.assessments.models import MeasurementSchedule
from dosewise.clinics.clock import clinic_today
from dosewise.demo import demo_load
from dosewise.scheduling.models import AppointmentReminder

demo_load(patients=8)
now = timezone.now()
for schedule in MeasurementSchedule.objects.select_related("clinic"):
    MeasurementSchedule.objects.filter(pk=schedule.pk).update(next_due=clinic_today(schedule.clinic),
                                                             last_sent_at=None)
AppointmentReminder.objects.filter(status="pending", appointment__starts_at__gt=now).update(
    due_at=now - timedelta(minutes=1))
"""
# One clock tick of the chosen jobs, started when the go file appears (so that two start together).
CLOCK = """
import sys, time
from pathlib import Path
import django
django.setup()
from dosewise.notifications.clock import clock_jobs, clock_tick

go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.01)
names = set(sys.argv[2].split(","))
print(clock_tick({}, jobs=tuple(job for job in clock_jobs() if job.name in names)))
"""
CENSUS = """
import json
import django
django.setup()
from collections import Counter
from dosewise.assessments.models import QuestionnaireLink
from dosewise.audit.services import audit_seal, audit_verify_chain
from dosewise.notifications.models import OutboundMessage
from dosewise.scheduling.models import AppointmentReminder

audit_seal(full=True)
report = audit_verify_chain()
print(json.dumps({
    "messages": dict(Counter(OutboundMessage.objects.values_list("purpose", flat=True))),
    "links": dict(Counter(QuestionnaireLink.objects.values_list("patient_id", "questionnaire").order_by()
                          .values_list("questionnaire", flat=True))),
    "reminders": dict(Counter(AppointmentReminder.objects.values_list("status", flat=True))),
    "audit_intact": report.first_break is None and report.unsealed == 0,
}))
"""


def _run(env, *args, timeout=600) -> str:
    done = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _prepare(env) -> None:
    _run(env, "-m", "dosewise.cli", "manage", "migrate", "--no-input", "-v", "0")
    _run(env, "-m", "dosewise.cli", "manage", "createcachetable")
    _run(env, "-c", SETUP)


def _clocks(env, go: Path, count: int) -> list[str]:
    clocks = [subprocess.Popen([sys.executable, "-c", CLOCK, str(go), ",".join(JOBS)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(count)]
    time.sleep(3)  # let every process import Django and wait at the line
    go.touch()
    outputs = [clock.communicate(timeout=600)[0] for clock in clocks]
    assert all(clock.returncode == 0 for clock in clocks), outputs
    return outputs


def test_two_clocks_at_once_do_exactly_the_work_of_one(tmp_path, db):
    from django.db import connection

    # The suite's own kind of database (the PostgreSQL suite races real concurrent connections).
    kind = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    once_dir, twice_dir = tmp_path / "once", tmp_path / "twice"
    once_dir.mkdir()
    twice_dir.mkdir()
    with scratch_database(kind, once_dir) as (once_url, _):
        once = scratch_env(once_dir, once_url)
        _prepare(once)
        with scratch_database(kind, twice_dir, copy_of=(once_url, once_dir)) as (twice_url, _):
            twice = scratch_env(twice_dir, twice_url)
            _test_clocks(once, once_dir, twice, twice_dir)


def _test_clocks(once, once_dir, twice, twice_dir) -> None:
    _clocks(once, once_dir / "go", 1)
    _clocks(twice, twice_dir / "go", 2)
    expected = json.loads(_run(once, "-c", CENSUS))
    found = json.loads(_run(twice, "-c", CENSUS))
    # The run had work to do: appointment reminders sent and e-mailed, lab reminders queued.
    assert expected["reminders"].get("sent", 0) > 0
    assert expected["messages"].get("monitoring.lab_reminder", 0) > 0
    assert found == expected
    assert found["audit_intact"] is True
