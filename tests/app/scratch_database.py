"""A database of its own for tests that start other processes (workers, clocks), which cannot see
the test database's rows: an SQLite file in a temporary data directory, or a scratch database on
the suite's PostgreSQL server when the suite runs there."""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection


def scratch_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASK_BACKEND", "DOSEWISE_ENV"}}
    env.update(DOSEWISE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _template_name(url: str | None) -> str | None:
    return url.rsplit("/", 1)[1] if url else None


@contextmanager
def scratch_postgresql(copy_of: str | None = None):
    """Yield (DATABASE_URL, connection factory) of a new database on the suite's server (a copy of
    the scratch database at `copy_of` when given); drop it after."""
    import psycopg

    settings = connection.settings_dict
    name = f"dosewise_scratch_{secrets.token_hex(4)}"
    server = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
              "user": settings["USER"], "password": settings["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        template = _template_name(copy_of)
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = f"postgres://{settings['USER']}{password}@{server['host']}:{server['port']}/{name}"
    try:
        yield url, lambda: psycopg.connect(dbname=name, **server)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(kind: str, tmp_path: Path, copy_of: tuple[str | None, Path] | None = None):
    """Yield (DATABASE_URL or None for SQLite, connection factory) of a database of its own in
    `tmp_path` (the data directory): SQLite, or PostgreSQL when the suite runs there (skipped
    otherwise). `copy_of` (a URL and data directory yielded before) starts it as a copy of that one,
    whose processes must have ended."""
    if kind == "sqlite":
        if copy_of is not None:
            shutil.copytree(copy_of[1], tmp_path, dirs_exist_ok=True)
        yield None, lambda: sqlite3.connect(tmp_path / "dosewise.sqlite3")
        return
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: the PostgreSQL run is made by the PostgreSQL suite")
    if copy_of is not None:
        shutil.copytree(copy_of[1], tmp_path, dirs_exist_ok=True)  # the keys and files beside the database
    with scratch_postgresql(copy_of[0] if copy_of else None) as found:
        yield found
