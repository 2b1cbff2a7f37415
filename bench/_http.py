"""What the benchmarks over HTTP share: a populated clinic, signed-in sessions, gunicorn on loopback,
and a fixed number of client threads requesting one page (bench_pages_http.py, bench_load.py)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def population_prepare(patients: int, years: int):
    """Load the demo clinic's staff and `patients` synthetic patients with `years` of history.

    Return (clinic, counts, seconds taken). Call after bench_django_setup().
    """
    from dosewise.clinics.models import Clinic
    from dosewise.demo import database_analyze, demo_load
    from dosewise.web.population import population_load

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    started = time.perf_counter()
    counts = population_load(clinic, patients=patients, years=years)
    database_analyze()
    return clinic, counts, time.perf_counter() - started


def session_key(user) -> str:
    """Return the key of a new session for `user`, signed in and past the two-factor check."""
    from django.test import Client

    from dosewise.accounts.middleware import MFA_OK_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_OK_KEY] = True
    session.save()
    return session.session_key


def session_cookie(user) -> str:
    """Return a `Cookie` header value for a new session of `user` (see session_key)."""
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session_key(user)}"


@contextmanager
def gunicorn_running(port: int, workers: int):
    """Run the application under gunicorn on 127.0.0.1:`port` until the block ends.

    Close Django's database connection first: the workers fork from a fresh interpreter and
    open their own, and a connection left open here would hold locks on SQLite.
    """
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dosewise.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with status {server.returncode} before answering") from None
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer /healthz on port {port} within 30 s")
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def hammer(port: int, path: str, cookie: str, *, concurrency: int, seconds: float
           ) -> tuple[int, int, list[float]]:
    """Request `path` from `concurrency` threads for `seconds`; return (ok, errors, sorted latencies in ms)."""
    stop = time.perf_counter() + seconds
    results: list[tuple[int, int, list[float]]] = []
    lock = threading.Lock()

    def run() -> None:
        ok = errors = 0
        latencies: list[float] = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
                response = conn.getresponse()
                response.read()
                conn.close()
                good = response.status == 200
            except OSError:
                good = False
            latencies.append((time.perf_counter() - started) * 1000)
            ok, errors = ok + good, errors + (not good)
        with lock:
            results.append((ok, errors, latencies))

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (sum(r[0] for r in results), sum(r[1] for r in results),
            sorted(latency for r in results for latency in r[2]))


def percentile(latencies: list[float], share: float) -> float:
    """Return the `share` (0.99 for p99) percentile of sorted latencies, NaN for none."""
    if not latencies:
        return float("nan")
    return latencies[max(0, int(len(latencies) * share) - 1)]
