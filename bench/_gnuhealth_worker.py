"""Time one-line prescriptions in GNU Health; run by bench_gnuhealth.py with the GNU Health virtualenv's python.

Only Tryton's own Python API is used (Pool, Transaction, the models' own methods), the way
the Tryton client's requests reach the server minus the network: pick the patient (the
order's on_change), pick the medicament (the line's on_change), tick the verification box,
save. Saving runs GNU Health's create and validate: prescription number from the sequence,
required fields, domains, the prescriber check and the warning checks. "Confirm" is the
order's `create_prescription` button, which a prescriber presses next (state to done).

Speaks one JSON object a line on stdout: first the versions and SQLite settings, then one
answer per command read from stdin: "time 20" (wall-clock and CPU ms of 20 prescriptions),
"time 20 confirm", "trace", "trace confirm" (the SQL of one), "quit".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from datetime import date

from _sql_census import sql_census


def _fixtures(pool) -> dict:
    """Create (once) what a prescription needs: a doctor user and prescriber, a patient, a medicament."""
    from trytond.transaction import Transaction

    Party = pool.get("party.party")
    Professional = pool.get("gnuhealth.healthprofessional")
    Patient = pool.get("gnuhealth.patient")
    Template = pool.get("product.template")
    Product = pool.get("product.product")
    Medicament = pool.get("gnuhealth.medicament")
    ModelData = pool.get("ir.model.data")
    User = pool.get("res.user")

    if not Patient.search([("party.name", "=", "Bench")], limit=1):
        # A prescriber signs in as an ordinary doctor, not as admin, so access rights apply.
        doctor, = User.create([{"name": "Bench Prescriber", "login": "bench_doctor",
                                "groups": [("add", [ModelData.get_id("health", "group_health_doctor")])]}])
        # The client sends a new record's defaults with it; GNU Health's Party.create reads this one.
        party_defaults = {"fed_country": Party.default_fed_country()}
        prescriber_party, = Party.create([{**party_defaults,
            "name": "Prescriber", "lastname": "Bench", "is_person": True, "is_healthprof": True,
            "gender": "f", "internal_user": doctor.id}])
        Professional.create([{"party": prescriber_party.id}])
        # The Dosewise side prescribes for a woman of 36: GNU Health raises its only warning
        # (potential for childbearing) for her too, which the prescriber must clear.
        patient_party, = Party.create([{**party_defaults,
            "name": "Bench", "lastname": "Patient", "is_person": True, "is_patient": True,
            "gender": "f", "dob": date(1990, 5, 1)}])
        Patient.create([{"party": patient_party.id}])
        unit = ModelData.get_id("product", "uom_unit")
        template, = Template.create([{"name": "Sertraline 50 mg tablet", "type": "goods", "default_uom": unit}])
        product, = Product.create([{"template": template.id, "is_medicament": True}])
        Medicament.create([{
            "product": product.id, "active_component": "sertraline", "strength": 50.0,
            "unit": ModelData.get_id("health", "mg"),
            "form": ModelData.get_id("health", "TAB"), "route": ModelData.get_id("health", "route_34")}])
        Transaction().commit()
    doctor, = User.search([("login", "=", "bench_doctor")])
    patient, = Patient.search([("party.name", "=", "Bench")], limit=1)
    medicament, = Medicament.search([("active_component", "=", "sertraline")], limit=1)
    return {"user": doctor.id, "patient": patient.id, "medicament": medicament.id,
            "dosage": ModelData.get_id("health", "229797004")}


def _prescribe(pool, ids: dict, *, confirm: bool) -> int:
    """Write one one-line prescription order the way the client does; return the order id."""
    Order = pool.get("gnuhealth.prescription.order")
    Line = pool.get("gnuhealth.prescription.line")

    order = Order(patient=ids["patient"])
    order.on_change_patient()
    # The prescriber has read the childbearing-age warning: clear it and tick "Verified",
    # otherwise validate() refuses the order.
    order.pregnancy_warning = False
    order.allergy_warning = False
    order.prescription_warning_ack = True
    line = Line(medicament=ids["medicament"], common_dosage=ids["dosage"], quantity=30, refills=0,
                duration=30, duration_period="days")
    line.on_change_medicament()
    order.prescription_line = [line]
    order.save()
    if confirm:
        Order.create_prescription([order])
    return order.id


def _run(dbname: str, user_id: int, context: dict, call) -> tuple[float, float]:
    """Return the wall-clock and CPU milliseconds of one committed transaction running `call`."""
    from trytond.transaction import Transaction

    t0, c0 = time.perf_counter(), time.process_time()
    with Transaction().start(dbname, user_id, context=context):
        call()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def _statements(dbname: str, user_id: int, context: dict, call) -> tuple[dict[str, int], dict[str, int]]:
    """Count the SQL statements of one prescription by verb, and the rows written by table."""
    from trytond.transaction import Transaction

    statements: list[str] = []
    with Transaction().start(dbname, user_id, context=context) as transaction:
        raw = transaction.connection
        raw.set_trace_callback(statements.append)
        try:
            call()
            transaction.commit()  # inside the trace, unlike the commit at the end of the block
        finally:
            raw.set_trace_callback(None)
    return sql_census(statements)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--wal", action="store_true",
                        help="switch the connection to journal_mode=WAL, synchronous=NORMAL (Dosewise's pragmas)")
    args = parser.parse_args()

    # trytond's report module resets the warning filters, so -W cannot keep passlib's import
    # of the deprecated crypt module quiet; importing crypt first, silenced, can.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import crypt  # noqa: F401
        except ImportError:
            pass
    from trytond.config import config

    config.update_etc(args.config)
    from importlib.metadata import version

    import trytond
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool(args.database)
    pool.init()
    User = pool.get("res.user")
    with Transaction().start(args.database, 0) as transaction:
        admin, = User.search([("login", "=", "admin")])
    with Transaction().start(args.database, admin.id) as transaction:
        connection = transaction.connection
        if args.wal:
            # Before any write, outside a transaction; the backend keeps this one connection
            # for the process, so the per-connection synchronous setting lasts.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[
            connection.execute("PRAGMA synchronous").fetchone()[0]]
        sqlite_version = connection.execute("select sqlite_version()").fetchone()[0]
    with Transaction().start(args.database, admin.id):
        ids = _fixtures(pool)
    user_id = ids["user"]
    with Transaction().start(args.database, user_id):
        # What every client request carries: the user's preferences, and access rights enforced.
        context = {**User.get_preferences(context_only=True), "_check_access": True}

    info = {"trytond": trytond.__version__, "sqlite": sqlite_version, "journal_mode": journal,
            "synchronous": synchronous, "python": sys.version.split()[0], "gnuhealth": version("gnuhealth")}
    _reply(info)

    # One command a line, so that the caller can interleave batches with its own measurements.
    for command in sys.stdin:
        action, _, argument = command.strip().partition(" ")
        if action == "quit":
            break
        confirm = argument.endswith("confirm")
        def call(confirm=confirm):
            _prescribe(pool, ids, confirm=confirm)
        if action == "time":
            runs = [_run(args.database, user_id, context, call) for _ in range(int(argument.split()[0]))]
            _reply({"timings_ms": [wall for wall, _ in runs], "cpu_ms": [cpu for _, cpu in runs]})
        elif action == "trace":
            verbs, writes = _statements(args.database, user_id, context, call)
            _reply({"statements": verbs, "writes": writes})
        else:
            _reply({"error": f"unknown command {command.strip()!r}"})
    return 0


def _reply(payload: dict) -> None:
    print(json.dumps(payload), flush=True)


if __name__ == "__main__":
    sys.exit(main())
