"""How far a daily dose is above the labelled maximum, and what that takes to save.

- up to the labelled maximum (`dose.max_mg` of the formulary entry): nothing more;
- above the maximum: the safety check's dose-range finding (a major finding needs an
  override with a reason);
- above twice the maximum (`CEILING_FACTOR`): no label allows it, so besides the override a
  second, explicit confirmation of the dose is needed; it separates a deliberate decision
  from a slip of the keyboard;
- above ten times the maximum (`IMPOSSIBLE_FACTOR`): refused whatever the reason. Ten times
  is the size of the classic decimal-point or trailing-zero error (a misplaced or missing
  decimal point multiplies a dose by ten: Institute for Safe Medication Practices, List of
  Error-Prone Abbreviations, Symbols, and Dose Designations, 2021); no psychotropic is ever
  given at ten times its labelled maximum, so such an entry is a unit or typing error (mg
  for µg, per dose times doses, an extra zero), e.g. 100,000 mg/day of lithium for a
  maximum of 1,800 mg/day.

A drug without dose facts in the formulary has no limits here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dosewise.clinical.kb import Ingredient

CEILING_FACTOR = 2
IMPOSSIBLE_FACTOR = 10
IMPOSSIBLE_SOURCE = ("Institute for Safe Medication Practices. ISMP List of Error-Prone Abbreviations, Symbols, and "
                     "Dose Designations (2021): misplaced or missing decimal points and trailing zeros cause "
                     "tenfold dosing errors")
LEVELS = ("within", "above-max", "above-ceiling", "impossible")


@dataclass(frozen=True)
class DoseLimit:
    """Where a dose stands against the labelled maximum, with the limits and their source."""

    level: str
    drug: str
    dose_mg: float | None
    max_mg: float | None
    source: str = ""

    @property
    def ceiling_mg(self) -> float | None:
        return self.max_mg * CEILING_FACTOR if self.max_mg is not None else None

    @property
    def impossible_mg(self) -> float | None:
        return self.max_mg * IMPOSSIBLE_FACTOR if self.max_mg is not None else None

    @property
    def needs_confirmation(self) -> bool:
        return self.level == "above-ceiling"

    @property
    def refused(self) -> bool:
        return self.level == "impossible"

    @property
    def message(self) -> str:
        """Return what the prescriber needs to know, or '' when the dose is within the maximum."""
        if self.level == "impossible":
            return (f"{self.dose_mg:g} mg/day of {self.drug} is more than {IMPOSSIBLE_FACTOR} times the labelled "
                    f"maximum of {self.max_mg:g} mg/day: this is not a possible dose. Check the unit (mg, not µg) and "
                    "that the dose is per day, not per tablet times tablets.")
        if self.level == "above-ceiling":
            return (f"{self.dose_mg:g} mg/day of {self.drug} is more than twice the labelled maximum of "
                    f"{self.max_mg:g} mg/day. Confirm this dose explicitly, in addition to the override reason.")
        if self.level == "above-max":
            return f"{self.dose_mg:g} mg/day of {self.drug} is above the labelled maximum of {self.max_mg:g} mg/day."
        return ""


def dose_limit(ingredient: Ingredient, dose_mg: float | None) -> DoseLimit:
    """Return where a daily dose stands against the ingredient's labelled maximum."""
    facts = ingredient.dose
    if dose_mg is None or facts is None or facts.get("max_mg") is None:
        return DoseLimit("within", ingredient.name, dose_mg, None)
    maximum = float(facts["max_mg"])
    source = facts["source"]
    if dose_mg > maximum * IMPOSSIBLE_FACTOR:
        return DoseLimit("impossible", ingredient.name, dose_mg, maximum, f"{source}; {IMPOSSIBLE_SOURCE}")
    if dose_mg > maximum * CEILING_FACTOR:
        return DoseLimit("above-ceiling", ingredient.name, dose_mg, maximum, source)
    if dose_mg > maximum:
        return DoseLimit("above-max", ingredient.name, dose_mg, maximum, source)
    return DoseLimit("within", ingredient.name, dose_mg, maximum, source)


__all__ = ["CEILING_FACTOR", "IMPOSSIBLE_FACTOR", "LEVELS", "DoseLimit", "dose_limit"]
