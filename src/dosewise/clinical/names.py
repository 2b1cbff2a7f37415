"""Resolve what a user types to a formulary ingredient, and search the formulary.

A drug can be named by its generic name, a synonym, a US brand or its RxNorm ingredient
code, in any case. An unknown name fails with up to three close matches; a text that
names two ingredients (a shared alias, or a combination such as "olanzapine/fluoxetine")
fails as ambiguous, so the engine never guesses which drug was meant.
"""

from __future__ import annotations

import difflib
import re

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import Ingredient, KnowledgeBase, load_kb, normalise_name

_COMBINATION_SPLIT = re.compile(r"\s*(?:/|\+|,|&|\band\b|\bwith\b)\s*")
_SUGGESTIONS = 3
_SUGGESTION_CUTOFF = 0.6


def _suggestion(kb: KnowledgeBase, key: str) -> str:
    """Format one alias as 'Zoloft (sertraline)', or the bare generic name."""
    shown = kb.alias_display[key]
    generic = kb.aliases[key]
    if len(generic) == 1 and normalise_name(generic[0]) == key:
        return generic[0]
    return f"{shown} ({', '.join(generic)})"


def _combination_parts(kb: KnowledgeBase, key: str) -> list[str]:
    """Return the ingredients a combination text names, when every part resolves to one."""
    parts = [part for part in _COMBINATION_SPLIT.split(key) if part]
    if len(parts) < 2:
        return []
    names: list[str] = []
    for part in parts:
        owners = kb.aliases.get(part)
        if owners is None or len(owners) != 1:
            return []
        names.append(owners[0])
    return sorted(set(names))


def resolve_drug(text: str, kb: KnowledgeBase | None = None) -> str:
    """Return the generic name for a name, synonym, US brand or RxNorm code (case-insensitive)."""
    kb = kb or load_kb()
    key = normalise_name(text)
    if not key:
        raise ClinicalInputError("empty drug name; give a generic name, brand or RxNorm code")
    owners = kb.aliases.get(key)
    if owners is not None and len(owners) == 1:
        return owners[0]
    if owners is not None:
        raise ClinicalInputError(
            f"ambiguous drug name '{text.strip()}': it names {' and '.join(owners)}; enter the generic name"
        )
    combined = _combination_parts(kb, key)
    if len(combined) > 1:
        raise ClinicalInputError(
            f"ambiguous drug name '{text.strip()}': it names {' and '.join(combined)}; "
            "enter each ingredient separately"
        )
    close = difflib.get_close_matches(key, kb.aliases.keys(), n=_SUGGESTIONS, cutoff=_SUGGESTION_CUTOFF)
    hint = f"; did you mean: {', '.join(_suggestion(kb, match) for match in close)}?" if close else ""
    raise ClinicalInputError(f"unknown drug '{text.strip()}'{hint}")


def search_drugs(query: str, kb: KnowledgeBase | None = None) -> list[Ingredient]:
    """Return formulary entries whose name, synonym, brand or class matches the query.

    Exact matches come first, then prefix matches, then substring matches; ties are
    ordered by generic name.
    """
    kb = kb or load_kb()
    key = normalise_name(query)
    if not key:
        raise ClinicalInputError("empty search; give part of a drug name, brand or class")
    ranked: list[tuple[int, str]] = []
    for ingredient in kb.ingredients.values():
        texts = (ingredient.name, *ingredient.synonyms, *ingredient.brands, *ingredient.classes, *ingredient.rxcuis)
        best = None
        for text in texts:
            candidate = normalise_name(text)
            if candidate == key:
                rank = 0
            elif candidate.startswith(key):
                rank = 1
            elif key in candidate:
                rank = 2
            else:
                continue
            best = rank if best is None else min(best, rank)
        if best is not None:
            ranked.append((best, ingredient.name))
    return [kb.ingredients[name] for _, name in sorted(ranked)]
