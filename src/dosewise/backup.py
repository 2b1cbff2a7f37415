"""Backups that are checked when made and checked again when restored.

`dosewise backup` writes a folder `dosewise-backup-<UTC time>/` holding the database copy
and `manifest.json`: the row count of every table and the head of every audit chain, taken
from the same snapshot as the copy, and the copy's SHA-256.

- SQLite: SQLite's online backup API copies a consistent snapshot while the app runs; the
  copy is then opened, checked with `PRAGMA integrity_check` and its tables counted.
- PostgreSQL: `pg_dump --format=custom` inside an exported snapshot, so that the counts in
  the manifest describe exactly what the dump holds; the archive is read back with
  `pg_restore --list`.

`dosewise restore FOLDER` checks the checksum, replaces the database with the copy (the
SQLite backup API again, or `pg_restore --clean --single-transaction`), then verifies it:
every table's row count against the manifest, the audit chain heads against the manifest
and the whole audit trail with `audit_verify_chain`. Any difference is reported and the
command fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import connection, transaction

from dosewise import __version__

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"


class BackupError(Exception):
    """A backup could not be made, read or restored; the message says why and what to do."""


@dataclass
class RestoreReport:
    backup: Path
    tables: int = 0
    rows: int = 0
    audit_events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _user_tables(cursor) -> list[str]:
    """Return the database's own tables (not SQLite's bookkeeping tables such as sqlite_stat1)."""
    return [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]


def _table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from introspection)
        counts[table] = cursor.fetchone()[0]
    return counts


def _chain_heads(cursor) -> list[list]:
    from dosewise.audit.models import AuditChainHead

    table = AuditChainHead._meta.db_table
    cursor.execute(f"SELECT chain, last_seq, last_hash FROM {_quote(table)} ORDER BY chain")  # noqa: S608
    return [list(row) for row in cursor.fetchall()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Return the connection options of pg_dump/pg_restore and an environment with the password."""
    params = connection.settings_dict
    options = [f"--dbname={params['NAME']}"]
    if params.get("HOST"):
        options.append(f"--host={params['HOST']}")
    if params.get("PORT"):
        options.append(f"--port={params['PORT']}")
    if params.get("USER"):
        options.append(f"--username={params['USER']}")
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return options, env


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools "
                          f"(e.g. apt-get install postgresql-client) to {what}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} could not {what}: {result.stderr.strip()[-500:]}")
    return result


def backup_create(directory: Path, *, now: datetime | None = None) -> Path:
    """Write a verified backup of the database into a new folder inside `directory`; return the folder."""
    now = now or datetime.now(UTC)
    target = Path(directory) / f"dosewise-backup-{now:%Y%m%d-%H%M%S}"
    if target.exists():
        raise BackupError(f"{target} already exists; wait a second or choose another directory")
    target.mkdir(parents=True)
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor == "sqlite":
        copy = target / SQLITE_FILE
        destination = sqlite3.connect(copy)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        counts, heads = _sqlite_verify_copy(copy)
    elif vendor == "postgresql":
        copy = target / POSTGRES_FILE
        counts, heads = _pg_dump(copy)
    else:
        raise BackupError(f"backups of a {vendor} database are not supported; use SQLite or PostgreSQL")
    manifest = {
        "format": 1, "vendor": vendor, "dosewise_version": __version__, "created_at": now.isoformat(),
        "file": copy.name, "sha256": _sha256(copy), "tables": counts, "audit_chain_heads": heads,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    copy.chmod(0o600)
    return target


def _sqlite_verify_copy(copy: Path) -> tuple[dict[str, int], list[list]]:
    """Check the copy's integrity and return its row counts and audit chain heads, read from the copy."""
    check = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {verdict}")
        tables = [row[0] for row in check.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: check.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608
        heads = [list(row) for row in check.execute(
            "SELECT chain, last_seq, last_hash FROM audit_auditchainhead ORDER BY chain")]
    finally:
        check.close()
    return counts, heads


def _pg_dump(copy: Path) -> tuple[dict[str, int], list[list]]:
    """Dump the database inside one exported snapshot and count the same snapshot."""
    options, env = _pg_environment()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _table_counts(cursor, _user_tables(cursor))
        heads = _chain_heads(cursor)
        # The snapshot lives as long as this transaction: pg_dump must finish inside it.
        _run(["pg_dump", *options, "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={copy}"],
             env, "dump the database")
    listing = _run(["pg_restore", "--list", str(copy)], env, "read the dump back")
    missing = [t for t in counts if f" TABLE DATA public {t} " not in listing.stdout]
    if missing:
        raise BackupError(f"the dump has no data for {', '.join(missing[:5])}")
    return counts, heads


def backup_manifest(folder: Path) -> dict:
    """Return a backup's manifest after checking that its database copy is intact."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a Dosewise backup: it has no {MANIFEST}") from None
    except json.JSONDecodeError:
        raise BackupError(f"{folder / MANIFEST} is damaged (not JSON)") from None
    copy = folder / manifest.get("file", "")
    if not copy.is_file():
        raise BackupError(f"the database copy {copy} is missing")
    if _sha256(copy) != manifest.get("sha256"):
        raise BackupError(f"{copy} does not match the checksum in its manifest: it was changed or damaged")
    return manifest


def backup_restore(folder: Path) -> RestoreReport:
    """Replace the database with the backup in `folder`, then verify the result against its manifest."""
    from dosewise.audit.services import audit_verify_chain

    folder = Path(folder)
    manifest = backup_manifest(folder)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"this is a {manifest['vendor']} backup; the configured database is {vendor}")
    copy = folder / manifest["file"]
    connection.ensure_connection()
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        options, env = _pg_environment()
        connection.close()
        _run(["pg_restore", *options, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(copy)],
             env, "restore the dump")
    report = RestoreReport(backup=folder)
    with connection.cursor() as cursor:
        counts = _table_counts(cursor, _user_tables(cursor))
        heads = _chain_heads(cursor)
    expected = manifest["tables"]
    report.tables, report.rows = len(counts), sum(counts.values())
    for table in sorted(set(expected) | set(counts)):
        if counts.get(table) != expected.get(table):
            report.problems.append(f"table {table}: {counts.get(table, 'missing')} rows, the backup had "
                                   f"{expected.get(table, 'no such table')}")
    if heads != manifest["audit_chain_heads"]:
        report.problems.append("the audit chain heads differ from the backup's")
    verified = audit_verify_chain()
    report.audit_events = verified.events_checked
    if not verified.ok:
        brk = verified.first_break
        report.problems.append(f"audit trail broken in chain {brk.chain} at event {brk.seq}: {brk.reason}")
    return report
