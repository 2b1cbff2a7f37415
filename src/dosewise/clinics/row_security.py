"""PostgreSQL row-level security keyed on the clinic: a second wall behind the selectors.

Every table of a model with a `clinic` foreign key (the health data, the schedule, the outbox,
the audit trail; not the user accounts) gets a policy that shows and accepts only the rows of
the clinic named in the session setting `dosewise.clinic`, or every row when it says `all`.
Unset, it shows nothing: a connection that was never told its clinic fails closed.

Policies bind only roles that are subject to them: the table owner (who runs the migrations)
and superusers bypass them, so they cost nothing there. A deployment that connects as a
separate application role (docs/deployment.md) gets the wall:

- each new connection starts at `all`, for the worker, the clock and commands, which serve
  every clinic;
- `ClinicRowSecurityMiddleware` narrows a signed-in person's request to their own clinic and
  widens it again when the response is ready, so a selector that forgot its clinic filter
  still cannot hand clinic B's rows to clinic A's staff or patients.

The policies are (re)written after every `migrate`, so a table added later is covered at once
(docs/decisions/0060).
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

SETTING = "dosewise.clinic"
ALL = "all"
POLICY = "dosewise_clinic_rows"
# Accounts are identities, not health data: sign-in must find a user before their clinic is known.
UNCOVERED = {"accounts.user"}

_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION dosewise_clinic_visible(row_clinic bigint) RETURNS boolean
        LANGUAGE sql STABLE AS $$
          SELECT CASE coalesce(current_setting('{SETTING}', true), '')
                   WHEN '{ALL}' THEN true
                   WHEN '' THEN false
                   ELSE row_clinic = current_setting('{SETTING}', true)::bigint
                 END
        $$""",
)


def covered_tables() -> list[str]:
    """Return the table of every model that carries a clinic foreign key, in a stable order."""
    tables = set()
    for model in apps.get_models():
        meta = model._meta
        if meta.label_lower in UNCOVERED or meta.proxy or not meta.managed:
            continue
        field = next((f for f in meta.concrete_fields if f.name == "clinic" and f.is_relation), None)
        if field is not None and field.related_model._meta.label_lower == "clinics.clinic":
            tables.add(meta.db_table)
    return sorted(tables)


def policies_sql(table: str) -> list[str]:
    quoted = connection.ops.quote_name(table)
    return [
        f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {quoted}",
        f"CREATE POLICY {POLICY} ON {quoted} USING (dosewise_clinic_visible(clinic_id)) "
        f"WITH CHECK (dosewise_clinic_visible(clinic_id))",
    ]


def policies_install(using: str = "default", **kwargs) -> int:
    """Write the function and one policy per covered table (PostgreSQL only); return the table count."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "postgresql":
        return 0
    tables = covered_tables()
    with target.cursor() as cursor:
        for statement in _FUNCTIONS:
            cursor.execute(statement)
        for table in tables:
            for statement in policies_sql(table):
                cursor.execute(statement)
    return len(tables)


def connection_prepare(sender, connection, **kwargs) -> None:
    """A new PostgreSQL connection serves every clinic until a request narrows it, and learns
    whether policies bind its role at all (superusers and owners skip the narrowing's queries)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false), r.rolsuper OR r.rolbypassrls FROM pg_roles r "
                       "WHERE r.rolname = current_user", [SETTING, ALL])
        found = cursor.fetchone()
    connection.dosewise_row_security = not (found and found[1])


def clinic_set(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, value])


class ClinicRowSecurityMiddleware:
    """Narrow a signed-in person's request to their clinic's rows (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(connection, "dosewise_row_security", False):
            return self.get_response(request)  # policies do not bind this role: nothing to narrow
        user = getattr(request, "user", None)
        clinic_id = getattr(user, "clinic_id", None) if user is not None and user.is_authenticated else None
        if clinic_id is None:
            return self.get_response(request)
        clinic_set(str(clinic_id))
        try:
            response = self.get_response(request)
            # A streamed or lazily rendered body is read later: render it while narrowed.
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            return response
        finally:
            clinic_set(ALL)
