"""Which formulary ingredients a data entry applies to, by one shared `select` vocabulary.

A `select` mapping of `kb/danger_signs.json` or `kb/handouts.json` picks an ingredient by
generic name (`drugs`), by class (`classes`), by a boxed-warning topic (`boxed_topics`), by a
formulary property level (`property`: {"qt_risk": ["moderate", "high"]}) or by a metabolism
substrate role (`substrate`: {"CYP3A4": ["sensitive"]}); `except` names ingredients it never
picks and `psychotropic` restricts it to (or away from) the psychotropics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dosewise.clinical.kb import Ingredient


def selects(select: Mapping[str, Any], ingredient: Ingredient) -> bool:
    """Return whether the select picks the ingredient."""
    if ingredient.name in select.get("except", ()):
        return False
    if "psychotropic" in select and ingredient.psychotropic != select["psychotropic"]:
        return False
    if ingredient.name in select.get("drugs", ()) or not ingredient.class_set.isdisjoint(select.get("classes", ())):
        return True
    topics = select.get("boxed_topics", ())
    if topics and any(warning["topic"] in topics for warning in ingredient.boxed_warnings):
        return True
    if any(ingredient.properties.get(key) in levels for key, levels in select.get("property", {}).items()):
        return True
    substrate = ingredient.metabolism.get("substrate", {})
    return any(substrate.get(enzyme) in roles for enzyme, roles in select.get("substrate", {}).items())


__all__ = ["selects"]
