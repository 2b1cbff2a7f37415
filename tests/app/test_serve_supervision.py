"""`dosewise serve` keeps its children running: a worker that dies is logged and started again
while the web server goes on; only the web server's own exit stops everything."""

from __future__ import annotations

import sys
import time

from dosewise.app_cli import Supervisor

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]
DIE = [sys.executable, "-c", "import sys; sys.exit(3)"]


def _run_until(supervisor: Supervisor, condition, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = supervisor.check()
        if condition() or not alive:
            return alive
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_dying_worker_is_restarted_and_logged_and_the_web_server_keeps_running():
    lines = []
    supervisor = Supervisor({"web": SLEEP, "worker": DIE, "clock": SLEEP}, first_delay=0.1, max_delay=0.4,
                            log=lines.append)
    supervisor.start()
    try:
        web = supervisor.children["web"]
        assert _run_until(supervisor, lambda: supervisor.restarts["worker"] >= 3) is True
        assert web.poll() is None and supervisor.children["web"] is web
        assert supervisor.restarts["clock"] == 0
        assert "dosewise: the worker stopped (exit status 3); starting it again in 0.1 s" in lines
        assert "dosewise: the worker stopped (exit status 3); starting it again in 0.4 s" in lines  # doubled, capped
        assert "dosewise: worker started again (restart 1)" in lines
    finally:
        supervisor.stop()


def test_when_the_web_server_stops_everything_stops():
    lines = []
    supervisor = Supervisor({"web": DIE, "worker": SLEEP}, first_delay=0.1, log=lines.append)
    supervisor.start()
    try:
        assert _run_until(supervisor, lambda: False) is False
        assert lines[-1] == "dosewise: the web server stopped (exit status 3)"
    finally:
        supervisor.stop()
    assert supervisor.children["worker"].poll() is not None
