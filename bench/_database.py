"""The database a benchmark runs on: a fresh PostgreSQL database or a throwaway SQLite one."""

from __future__ import annotations

import os
import tempfile


def bench_database_setup() -> str:
    """Prepare the database named by DATABASE_URL (dropped and recreated) or a new SQLite file.

    Return the vendor name. Call before Django is set up: the settings read the environment.
    """
    os.environ.setdefault("DOSEWISE_DATA_DIR", tempfile.mkdtemp(prefix="dosewise-bench-"))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return "postgresql"
    os.environ.pop("DATABASE_URL", None)
    return "sqlite"
