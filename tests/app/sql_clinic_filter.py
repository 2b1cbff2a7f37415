"""Find the references to a clinic's tables that a SQL statement does not narrow to one clinic.

Citus (docs/multi-clinic.md) answers a statement from one shard only when every distributed
table in it is filtered on the distribution column; a reference without that filter fans out to
every shard, and a join between two of them on anything but `clinic_id` is refused. The
check is textual and deliberately strict: each reference to a clinic table (`FROM`, `JOIN`,
`UPDATE`, `DELETE FROM`, with or without an alias) must be compared with `=` or `IN` on its own
qualified `clinic_id` (`"t"."clinic_id" = 1`, `U0."clinic_id" IN (...)`,
`... = s.clinic_id`) somewhere in the statement. An INSERT names its clinic in its values.
"""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "multi-clinic.md"

_KEYWORDS = {"WHERE", "ON", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "SET", "ORDER", "GROUP",
             "LIMIT", "OFFSET", "UNION", "HAVING", "WINDOW", "FOR", "USING", "AS", "NATURAL", "EXCEPT",
             "INTERSECT", "RETURNING", "VALUES"}
_REFERENCE = re.compile(
    r'\b(FROM|JOIN|UPDATE)\s+"?([a-z][a-z0-9_]*)"?(?:\s+(?:AS\s+)?("?[A-Za-z][A-Za-z0-9_]*"?))?',
    re.IGNORECASE)


def distributed_tables() -> frozenset[str]:
    """The tables docs/multi-clinic.md distributes by clinic (staff accounts are a reference table)."""
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index("create_distributed_table(t"):]
    return frozenset(re.findall(r"'([a-z_]+)'", block[:block.index(") AS t")])) | {"patients_patient"}


def unfiltered_references(sql: str, tables: frozenset[str]) -> list[str]:
    """The clinic tables referenced in `sql` without a filter on their own clinic_id.

    A table read by a join is named "table (join)": its join must carry the clinic too, or
    Citus cannot keep the join on one shard.
    """
    if sql.lstrip()[:6].upper() == "INSERT":
        return []
    missing = []
    for keyword, table, alias in _REFERENCE.findall(sql):
        if table not in tables:
            continue
        if alias.strip('"').upper() in _KEYWORDS:
            alias = ""
        names = [alias] if alias else [f'"{table}"', table]
        column = "|".join(re.escape(n) + r'\."?clinic_id"?' for n in names)
        if not re.search(rf'(?:{column})\s*(?:=|IN\b)|=\s*(?:{column})', sql, re.IGNORECASE):
            missing.append(f"{table} (join)" if keyword.upper() == "JOIN" else table)
    return missing
