"""The load test's users work: a few seconds of bench/locustfile.py against a live server, no failure.

The server is Django's live server in this process (on the test database), taking one request at a
time: with the in-memory SQLite database of the tests, concurrent requests would share one
connection. The users do each task once first (BENCH_LOAD_EVERY_TASK_FIRST), then the weighted mix.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler

BENCH = Path(__file__).resolve().parents[2] / "bench"
ENDPOINTS = {
    ("GET", "chart overview"), ("GET", "chart tab"), ("GET", "Today"), ("GET", "worklist"), ("GET", "caseload"),
    ("GET", "order form"), ("POST", "safety check"), ("GET", "questionnaire form (clinic)"),
    ("POST", "questionnaire answers (clinic)"), ("GET", "portal home"), ("GET", "portal medicines"),
    ("GET", "dose log"), ("POST", "dose log entry"), ("GET", "portal questionnaire"),
    ("POST", "portal questionnaire answers"), ("GET", "/healthz"),
}


class _OneRequestAtATime(WSGIServer):
    """Django's development server without a thread per request (it then answers `Connection: close`)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


class _LiveServer(LiveServerThread):
    server_class = _OneRequestAtATime


@pytest.fixture
def bench_load():
    sys.path.insert(0, str(BENCH))
    try:
        import bench_load

        yield bench_load
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def live_url(audit_rows_cleared):
    shared = {alias: conn for alias, conn in ((a, connections[a]) for a in connections)
              if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    server = _LiveServer("127.0.0.1", _StaticFilesHandler, connections_override=shared)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


def test_clinicians_and_portal_users_reach_every_endpoint_and_nothing_fails(bench_load, live_url, tmp_path):
    from _http import population_prepare

    from dosewise.assessments.models import QuestionnaireResponse
    from dosewise.audit.models import AuditEvent
    from dosewise.portal.models import DoseLog

    clinic, _counts, _seconds = population_prepare(40, 1)
    accounts = bench_load.accounts_create(clinic, clinicians=2, portal_users=3, path=tmp_path / "accounts.json")
    assert len(accounts["clinicians"]) == 2 and len(accounts["portal"]) == 3

    result = bench_load.locust_run(live_url, tmp_path / "accounts.json", tmp_path / "locust", users=6, seconds=6,
                                   spawn_rate=10, reset_stats=False,
                                   env={"BENCH_LOAD_EVERY_TASK_FIRST": "1", "BENCH_LOAD_CLINICIAN_WAIT": "0,0.2",
                                        "BENCH_LOAD_PORTAL_WAIT": "0,0.2"})
    endpoints, total, failures = bench_load.stats_read(tmp_path / "locust")

    assert failures == [], result.stderr[-2000:]
    assert int(total["Failure Count"]) == 0
    hit = {(row["Type"], row["Name"]) for row in endpoints if int(row["Request Count"]) > 0}
    assert hit == ENDPOINTS
    # The posts wrote: dose log entries, at least one questionnaire from each portal user, PHQ-9s in clinic.
    assert DoseLog.objects.filter(patient__portal_accounts__user__email__endswith="@load.dosewise.test").exists()
    links = [link for user in accounts["portal"] for link in user["links"].values()]
    assert QuestionnaireResponse.objects.filter(link__in=links).values("patient").distinct().count() == 3
    assert QuestionnaireResponse.objects.filter(source="clinic", patient__care_team__member__email__startswith="clinician"
                                                ).exists()
    assert AuditEvent.objects.filter(action="medication.safety_check").count() >= 4


def test_the_load_test_refuses_a_host_that_is_not_loopback(bench_load, tmp_path):
    (tmp_path / "accounts.json").write_text('{"session_cookie": "sessionid", "clinicians": [], "portal": []}')
    result = bench_load.locust_run("http://192.0.2.1:9", tmp_path / "accounts.json", tmp_path / "locust", users=1,
                                   seconds=2, spawn_rate=1)
    assert result.returncode != 0
    assert "the load test runs against loopback only, not 'http://192.0.2.1:9'" in result.stdout + result.stderr
    _endpoints, total, _failures = bench_load.stats_read(tmp_path / "locust")
    assert total is None or int(total["Request Count"]) == 0
