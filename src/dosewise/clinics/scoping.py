"""Filters that keep a statement inside one clinic, table by table (docs/multi-clinic.md)."""

from __future__ import annotations

from django.db.models import Q


def joined_in_clinic(clinic_id: int, *relations: str) -> Q:
    """Narrow each table read through a join (`select_related`, `patient__name`) to the clinic too.

    The row a foreign key points at is always of the same clinic, so the result is the same; the
    filter is there for a database distributed by clinic (Citus), which keeps a join on one
    shard only when every table in it is filtered on `clinic_id`. Only for relations that
    cannot be null: on a nullable one the filter would drop the rows without it.
    """
    return Q(**{f"{relation}__clinic_id": clinic_id for relation in relations})
