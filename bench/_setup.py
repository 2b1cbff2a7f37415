"""What every benchmark does first: a fresh database, Django on it, a signed-in client."""

from __future__ import annotations

import os
import tempfile


def bench_database_setup() -> str:
    """Prepare the database named by DATABASE_URL (dropped and recreated) or a new SQLite file.

    Return the vendor name. Call before Django is set up: the settings read the environment.
    """
    # Always a fresh directory: the Makefile exports DOSEWISE_DATA_DIR=var for `make run`, and
    # a benchmark must neither measure nor fill the development database there.
    os.environ["DOSEWISE_DATA_DIR"] = tempfile.mkdtemp(prefix="dosewise-bench-")
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


def bench_django_setup() -> None:
    """Set Django up on the prepared database, migrated, with the test client allowed."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "dosewise.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def bench_signed_in_client(user):
    """Return a test client signed in as `user`, past the two-factor enrolment check."""
    from django.test import Client

    from dosewise.accounts.middleware import MFA_OK_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_OK_KEY] = True
    session.save()
    return client
