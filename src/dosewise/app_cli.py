"""Application sub-commands of `dosewise`: serve, demo, worker, manage, audit.

These set up Django; the clinical sub-commands do not, so they stay fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dosewise.config.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> None:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dosewise manage", *argv])


def cmd_manage(args) -> int:
    _manage(args.args)
    return 0


def cmd_demo(args) -> int:
    _django_setup()
    from dosewise.demo import demo_load, demo_logins_text

    result = demo_load(patients=args.patients, seed=args.seed)
    print(result.summary)
    print(demo_logins_text())
    return 0


def cmd_worker(args) -> int:
    """Run the task worker, first queueing again the imports of a worker that died (expired leases)."""
    _django_setup()
    from dosewise.monitoring.imports import import_jobs_reclaim

    counts = import_jobs_reclaim()
    if any(counts.values()):
        print(f"imports of a stopped worker: {counts['requeued']} queued again, {counts['failed']} given up",
              flush=True)
    _manage(["db_worker", "--interval", str(args.interval)])
    return 0


def cmd_clock(args) -> int:
    """Run the periodic jobs (escalation, scheduled questionnaires, outbox retries, lab reminders)."""
    _django_setup()
    from dosewise.notifications.clock import clock_run_forever

    try:
        clock_run_forever(args.tick)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_audit(args) -> int:
    """Seal what is waiting, then check every chain and the signed checkpoints (exit 1 on any break)."""
    _django_setup()
    from dosewise.audit.services import audit_seal, audit_verify_chain

    if not getattr(args, "no_seal", False):
        audit_seal(full=True)
    report = audit_verify_chain()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.ok:
        print(f"audit trail intact: {report.events_checked} events in {report.chains_checked} chains")
        if report.checkpoints_checked:
            print(f"checked against {report.checkpoints_checked} signed checkpoint records (table and file); "
                  f"{report.events_after_checkpoint} events are newer than the last checkpoint of their chain "
                  f"({report.unsealed} not sealed yet)")
        else:
            print(f"no signed checkpoints yet: nothing anchors the chains outside the database "
                  f"({report.unsealed} events not sealed yet)")
        return 0
    for brk in report.breaks:
        where = f" (row id {brk.event_id})" if brk.event_id else ""
        print(f"audit trail BROKEN in chain {brk.chain} at event {brk.seq}{where}: {brk.reason}", file=sys.stderr)
    return 1


def cmd_audit_checkpoint(args) -> int:
    """Seal, then sign and keep a checkpoint of every chain head that moved (what the clock does)."""
    _django_setup()
    from dosewise.audit.checkpoints import AuditKeyMissing, audit_checkpoint

    try:
        result = audit_checkpoint()
    except AuditKeyMissing as exc:
        print(f"dosewise audit checkpoint: {exc}", file=sys.stderr)
        return 1
    print(f"{result.written} checkpoints written" + (f" (chains {', '.join(map(str, result.chains))})"
                                                    if result.chains else " (no chain moved)"))
    return 0


def cmd_backup(args) -> int:
    """Write a verified backup of the database (see dosewise/backup.py)."""
    _django_setup()
    from dosewise.backup import BackupError, backup_create, backup_manifest

    try:
        folder = backup_create(Path(args.dir))
        manifest = backup_manifest(folder)
    except BackupError as exc:
        print(f"dosewise backup: {exc}", file=sys.stderr)
        return 1
    rows = sum(manifest["tables"].values())
    print(f"backup written and verified: {folder} ({len(manifest['tables'])} tables, {rows} rows, "
          f"{len(manifest['audit_chain_heads'])} audit chains)")
    return 0


def cmd_restore(args) -> int:
    """Replace the database with a backup, then verify row counts and the audit trail."""
    _django_setup()
    from dosewise.backup import BackupError, backup_manifest, backup_restore

    try:
        manifest = backup_manifest(Path(args.folder))
    except BackupError as exc:
        print(f"dosewise restore: {exc}", file=sys.stderr)
        return 1
    if not args.yes:
        print(f"This replaces every record in the configured database with the backup of {manifest['created_at']} "
              f"({sum(manifest['tables'].values())} rows). Stop the web server, worker and clock first, then run "
              "again with --yes.", file=sys.stderr)
        return 2
    try:
        report = backup_restore(Path(args.folder))
    except BackupError as exc:
        print(f"dosewise restore: {exc}", file=sys.stderr)
        return 1
    if not report.ok:
        print("restored, but the verification FAILED:", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"restored and verified: {report.tables} tables, {report.rows} rows as in the backup; audit trail intact "
          f"({report.audit_events} events)")
    return 0


class Supervisor:
    """Keep the server's processes running: a worker or clock that dies is logged and started
    again (after a pause that grows while it keeps dying), and the web server goes on serving;
    if the web server itself stops, everything stops and the exit status says so."""

    def __init__(self, commands: dict[str, list[str]], *, essential: str = "web", env: dict | None = None,
                 first_delay: float = 1.0, max_delay: float = 30.0, log=None):
        self.commands, self.essential, self.env = commands, essential, env
        self.first_delay, self.max_delay = first_delay, max_delay
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.children: dict[str, subprocess.Popen] = {}
        self.restarts: dict[str, int] = dict.fromkeys(commands, 0)
        self._delay: dict[str, float] = dict.fromkeys(commands, first_delay)
        self._due: dict[str, float] = {}
        self._started: dict[str, float] = {}

    def start(self) -> None:
        for name in self.commands:
            self._spawn(name)

    def _spawn(self, name: str) -> None:
        self.children[name] = subprocess.Popen(self.commands[name], env=self.env)
        self._started[name] = time.monotonic()

    def check(self) -> bool:
        """Restart what died; return False once the essential process has stopped."""
        now = time.monotonic()
        for name, child in list(self.children.items()):
            if name in self._due:
                if now >= self._due[name]:
                    del self._due[name]
                    self._spawn(name)
                    self.restarts[name] += 1
                    self.log(f"dosewise: {name} started again (restart {self.restarts[name]})")
                continue
            code = child.poll()
            if code is None:
                if now - self._started[name] > 60:
                    self._delay[name] = self.first_delay  # it has run for a while: a fresh pause next time
                continue
            if name == self.essential:
                self.log(f"dosewise: the {name} server stopped (exit status {code})")
                return False
            delay = self._delay[name]
            self.log(f"dosewise: the {name} stopped (exit status {code}); starting it again in {delay:g} s")
            self._due[name] = now + delay
            self._delay[name] = min(delay * 2, self.max_delay)
        return True

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def cmd_serve(args) -> int:
    """Start the web server, the background worker and the clock; Ctrl-C stops them all."""
    port = int(args.port or os.environ.get("PORT", "8000"))
    if args.setup:
        _manage(["migrate", "--no-input", "-v", "0"])
        _manage(["createcachetable"])
        from dosewise.demo import demo_load, demo_logins_text

        print(demo_load().summary)
        print(demo_logins_text())
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    python = sys.executable
    supervisor = Supervisor({
        "web": [python, "-m", "gunicorn", "dosewise.config.wsgi:application", "--bind", f"{args.host}:{port}",
                "--workers", str(args.workers), "--threads", "4", "--access-logfile", "-", "--graceful-timeout", "5"],
        "worker": [python, "-m", "dosewise.cli", "worker"],
        "clock": [python, "-m", "dosewise.cli", "clock"],
    }, env=env)
    supervisor.start()
    print(f"\nDosewise is running at http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{port}/"
          "  (Ctrl-C stops it)\n", flush=True)

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    stopped_by_user = False
    try:
        while supervisor.check():
            time.sleep(0.5)
    except KeyboardInterrupt:
        stopped_by_user = True
    finally:
        supervisor.stop()
    if not stopped_by_user:
        print("dosewise: the web server stopped unexpectedly; see the messages above", file=sys.stderr)
        return 1
    return 0


def cmd_outbox_worker(args) -> int:
    """Deliver the outbox in batches until stopped (several may run at once on one database)."""
    _django_setup()
    from dosewise.notifications.services import outbox_drain

    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    try:
        counts = outbox_drain(batch=args.batch, stop_when_empty=args.once, idle_seconds=args.idle,
                              should_stop=lambda: bool(stopping))
    except KeyboardInterrupt:
        return 0
    if args.once:
        print(" ".join(f"{status}={n}" for status, n in sorted(counts.items())) or "nothing to send", flush=True)
    return 0


def add_parsers(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="run the web server, the background worker and the clock")
    serve.add_argument("--port", type=int, default=None, help="port (default $PORT or 8000)")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    serve.add_argument("--setup", action="store_true", help="migrate and load the demo clinic first")
    serve.set_defaults(func=cmd_serve)

    demo = subparsers.add_parser("demo", help="load the demo clinic (idempotent) and print the logins")
    demo.add_argument("--patients", type=int, default=50)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=cmd_demo)

    outbox = subparsers.add_parser("outbox-worker", help="deliver the outbox in batches (run as many as needed)")
    outbox.add_argument("--batch", type=int, default=50, help="messages claimed at a time (default 50)")
    outbox.add_argument("--idle", type=float, default=1.0, help="seconds to wait when nothing is due (default 1)")
    outbox.add_argument("--once", action="store_true", help="stop when nothing is due, and print the counts")
    outbox.set_defaults(func=cmd_outbox_worker)

    worker = subparsers.add_parser("worker", help="run the background task worker")
    worker.add_argument("--interval", type=float, default=1.0)
    worker.set_defaults(func=cmd_worker)
    clock = subparsers.add_parser("clock", help="run the periodic jobs: escalation, scheduled questionnaires, "
                                                "outbox retries, lab reminders")
    clock.add_argument("--tick", type=int, default=60, help="seconds between checks (default 60)")
    clock.set_defaults(func=cmd_clock)

    manage = subparsers.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    backup = subparsers.add_parser("backup", help="write a verified backup of the database")
    backup.add_argument("--dir", default=os.environ.get("DOSEWISE_BACKUP_DIR", "backups"),
                        help="directory for the backup folder (default $DOSEWISE_BACKUP_DIR or ./backups)")
    backup.set_defaults(func=cmd_backup)
    restore = subparsers.add_parser("restore", help="replace the database with a backup and verify it")
    restore.add_argument("folder", help="a folder written by dosewise backup")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    restore.set_defaults(func=cmd_restore)

    audit = subparsers.add_parser("audit", help="audit-trail tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="seal waiting events, check the hash chains against the signed "
                                                 "checkpoints; report each chain's first broken link")
    verify.add_argument("--no-seal", action="store_true", help="do not seal waiting events first (read only)")
    verify.set_defaults(func=cmd_audit)
    checkpoint = audit_sub.add_parser("checkpoint", help="seal waiting events and sign every chain head now")
    checkpoint.set_defaults(func=cmd_audit_checkpoint)
