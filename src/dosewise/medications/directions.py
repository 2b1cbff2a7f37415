"""Directions a pharmacy and a patient read: how many tablets, how often ("take 2 x 50 mg tablets once daily")."""

from __future__ import annotations

import re
from decimal import Decimal

from dosewise.medications.models import COUNTED_FORMS, Medication

# How many times a day a frequency written in words means; None when it does not say.
_TIMES = (
    (re.compile(r"\b(once|one time|1 ?x)\b|\bdaily\b|\bat bedtime\b|\bevery (morning|evening|night)\b|\bnightly\b"
                r"|\bqd\b|\bqhs\b|\bqam\b"), 1),
    (re.compile(r"\b(twice|two times|2 ?x)\b|\bbid\b|\bevery 12 hours\b"), 2),
    (re.compile(r"\b(three times|3 ?x)\b|\btid\b|\bevery 8 hours\b"), 3),
    (re.compile(r"\b(four times|4 ?x)\b|\bqid\b|\bevery 6 hours\b"), 4),
)
_ORDER = (4, 3, 2, 1)


def times_per_day(frequency: str) -> int | None:
    """Return how many times a day `frequency` says (the largest it names), or None."""
    text = frequency.lower()
    found = {times for pattern, times in _TIMES if pattern.search(text)}
    return next((times for times in _ORDER if times in found), None)


def _mg(value: Decimal) -> str:
    return f"{value.normalize():f} mg"


def amount(mg: Decimal, medication: Medication) -> str:
    """Return `mg` in the units the patient takes ("2 x 50 mg tablets", "half a 50 mg tablet"), else in mg.

    Counted only in whole or half units (a half is a scored tablet split); anything else stays in mg.
    """
    unit = COUNTED_FORMS.get(medication.dose_form)
    strength = medication.strength_mg
    if unit is None or not strength or mg <= 0:
        return _mg(mg)
    count = mg / strength
    if (count * 2) != (count * 2).to_integral_value():
        return _mg(mg)
    if count == Decimal("0.5"):
        return f"half a {_mg(strength)} {unit[0]}"
    return f"{count.normalize():f} x {_mg(strength)} {unit[0] if count == 1 else unit[1]}"


def directions(medication: Medication) -> str:
    """Return the directions in units the patient takes ("take 2 x 50 mg tablets once daily")."""
    frequency = medication.frequency.strip()
    if medication.as_needed:
        if medication.as_needed_dose_mg is None:
            return ""
        text = f"take {amount(medication.as_needed_dose_mg, medication)} {frequency or 'when needed'}"
        if medication.indication:
            text += f", as needed for {medication.indication}"
        if medication.dose_mg_per_day:
            text += f"; no more than {amount(medication.dose_mg_per_day, medication)} in 24 hours"
        return text
    dose = medication.dose_mg_per_day
    if dose is None:
        return frequency
    times = times_per_day(frequency)
    if times is None:
        return f"take {_mg(dose)} a day, {frequency}" if frequency else f"take {_mg(dose)} a day"
    return f"take {amount(dose / times, medication)} {frequency}"
