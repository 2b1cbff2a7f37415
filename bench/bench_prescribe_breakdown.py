"""Where the time of one prescription goes: `access_patient` then `medication_start` (full safety
check, overrides, audit) for sertraline on the regimen bench_gnuhealth.py uses, on SQLite.

Run: `.venv/bin/python bench/bench_prescribe_breakdown.py`. Prints the median CPU and wall time
of REPEAT prescriptions (each discontinued after), the query count, and the share of the time
spent in each part, from cProfile's cumulative time over the same calls. The SQLite settings
are printed (WAL and synchronous=NORMAL are set by config/settings.py). No budget: the
comparison with GNU Health is bench_gnuhealth.py's.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time

from _setup import bench_database_setup, bench_django_setup
from bench_prescribing import prescribe_sertraline, prescribing_patient

REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
# (label, file suffix, function name) of the parts reported; cumulative, so a part includes its callees.
PARTS = (
    ("care-team access check", "patients/selectors.py", "access_patient"),
    ("safety check of the whole regimen", "clinical/safety.py", "check"),
    ("chart context and results read for the check", "medications/selectors.py", "safety_context"),
    ("audit events", "audit/services.py", "audit_record"),
    ("model saves (INSERT/UPDATE)", "django/db/models/base.py", "save"),
    ("commit", "django/db/backends/base/base.py", "commit"),
    ("all SQL executed", "django/db/backends/utils.py", "execute"),
)


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dosewise.medications import services
    from dosewise.patients.selectors import access_patient

    prescriber, access = prescribing_patient()
    patient_id = access.patient.pk

    def once(profile: cProfile.Profile | None = None) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        medication = prescribe_sertraline(prescriber, access_patient(prescriber, patient_id, "medications.prescribe"))
        if profile:
            profile.disable()
        elapsed = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        services.medication_discontinue(actor=prescriber, access=access, medication_id=medication.pk,
                                        expected_version=medication.version, reason="completed")
        return elapsed

    for _ in range(20):
        once()
    timings = [once() for _ in range(REPEAT)]
    with connection.cursor() as cursor:
        pragmas = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "synchronous")} \
            if vendor == "sqlite" else {}
    with CaptureQueriesContext(connection) as captured:
        once()
    profile = cProfile.Profile()
    for _ in range(REPEAT // 4):
        once(profile)
    stats = pstats.Stats(profile).stats
    total = sum(value[2] for value in stats.values())  # tottime of everything profiled
    print(f"# One prescription, {vendor} {pragmas}: median wall {statistics.median(t[0] for t in timings):.2f} ms, "
          f"median CPU {statistics.median(t[1] for t in timings):.2f} ms over {REPEAT}; "
          f"{len(captured.captured_queries)} queries; 1-minute load average {os.getloadavg()[0]:.1f}\n")
    print("| part | share of the profiled time |")
    print("|---|---:|")
    for label, suffix, name in PARTS:
        cumulative = max((value[3] for (path, _, function), value in stats.items()
                          if path.endswith(suffix) and function == name), default=0.0)
        print(f"| {label} | {cumulative / total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
