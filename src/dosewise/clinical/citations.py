"""Cite a section of a formulary ingredient's own product label.

Rules that apply to a whole class (neuroleptic malignant syndrome on every antipsychotic,
hyponatraemia on every SSRI) name the label section, not a label: the citation is built
from the label the formulary entry itself records as its first source, so a finding about
sertraline cites the Zoloft label and one about amisulpride the Solian SmPC. US labels call
the section "Warnings and Precautions"; an EU/UK Summary of Product Characteristics calls
it section 4.4; an over-the-counter Drug Facts label calls it "Warnings".
"""

from __future__ import annotations

from dosewise.clinical.kb import Ingredient

BOXED = "boxed warning"
WARNINGS = "warnings"


def label_of(ingredient: Ingredient) -> str:
    """Return the ingredient's product label as its formulary entry cites it (first source, first clause)."""
    return ingredient.sources[0].split(";")[0].strip()


def label_citation(ingredient: Ingredient, part: str, topic: str) -> str:
    """Return e.g. 'FDA label Zoloft (...), DailyMed, rev. 2023: Warnings and Precautions, hyponatremia'.

    `part` is BOXED or WARNINGS. A label without a boxed warning (an SmPC) is cited at its
    warnings section for a boxed topic too.
    """
    label = label_of(ingredient)
    if "SmPC" in label or "Summary of Product Characteristics" in label:
        where = "section 4.4 (special warnings and precautions for use)"
    elif "Drug Facts" in label:
        where = "Warnings"
    elif part == BOXED:
        where = "boxed warning"
    else:
        where = "Warnings and Precautions"
    return f"{label}: {where}, {topic}"


__all__ = ["BOXED", "WARNINGS", "label_citation", "label_of"]
