"""Count SQL statements by verb and rows written by table; shared by both sides of bench_gnuhealth.py.

Plain standard library: the GNU Health worker imports it from its own interpreter too.
"""

from __future__ import annotations

import re
from collections import Counter

WRITE_STATEMENT = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
COUNTED_VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def sql_census(statements: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Return (statements by verb, writes by "VERB table") for the data statements among `statements`.

    Transaction control (BEGIN, SAVEPOINT, COMMIT) is left out: Django issues some of it
    outside the cursor and SQLite's trace sees all of it, so only data statements compare.
    """
    verbs: Counter[str] = Counter()
    writes: Counter[str] = Counter()
    for sql in statements:
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if verb not in COUNTED_VERBS:
            continue
        verbs[verb] += 1
        match = WRITE_STATEMENT.match(sql)
        if match:
            writes[f"{match.group(1).split()[0].upper()} {match.group(2)}"] += 1
    return dict(verbs), dict(writes)
