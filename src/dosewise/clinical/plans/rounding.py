"""Round a planned dose to what the patient can actually take.

A dose is made of at most `MAX_UNITS` tablets or capsules of the formulary strengths
(`strengths_mg`), halves included unless the drug is listed in `kb/tapering.json`
`no_split` (extended-release forms that must be swallowed whole), or measured as an oral
liquid (`liquid.mg_per_ml`) to the nearest 0.1 mL. Half tablets are allowed by default
because most immediate-release psychotropic tablets are scored; the step note says so,
so the prescriber can confirm it for the product dispensed.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from dosewise.clinical.kb import Ingredient, KnowledgeBase
from dosewise.clinical.plans.common import clean

MAX_UNITS = 3
LIQUID_STEP_ML = 0.1
TAPERING_FILE = "tapering.json"


@dataclass(frozen=True)
class Rounded:
    """A deliverable dose: by tablets (with the half-tablet flag) or as a liquid volume."""

    dose_mg: float
    form: str
    volume_ml: float | None = None
    half_tablet: bool = False


@dataclass(frozen=True, eq=False)
class Formulation:
    """The doses one drug can be given in, precomputed once per drug."""

    tablet_doses: tuple[float, ...]
    half_doses: frozenset[float]
    mg_per_ml: float | None

    @property
    def smallest(self) -> float | None:
        """Return the smallest positive deliverable dose, or None when nothing is listed."""
        options = [dose for dose in self.tablet_doses if dose > 0]
        if self.mg_per_ml:
            options.append(clean(LIQUID_STEP_ML * self.mg_per_ml))
        return min(options, default=None)

    def nearest(self, target: float, *, below: float | None = None) -> Rounded | None:
        """Return the deliverable dose nearest to target (strictly under `below` if given).

        Tablets win ties with the liquid. None when no positive dose fits under `below`.
        """
        candidates: list[Rounded] = [
            Rounded(dose, "tablet", half_tablet=dose in self.half_doses) for dose in self.tablet_doses if dose > 0
        ]
        if self.mg_per_ml:
            candidates.extend(self._liquid_candidates(target, below))
        if not self.tablet_doses and not self.mg_per_ml:
            # Nothing listed for this drug: keep the planned dose as it is.
            candidates.append(Rounded(clean(target), "unrounded"))
        if below is not None:
            candidates = [item for item in candidates if item.dose_mg < below - 1e-9]
        if not candidates:
            return None
        return min(candidates, key=lambda item: (abs(item.dose_mg - target), item.form != "tablet", item.dose_mg))

    def _liquid_candidates(self, target: float, below: float | None) -> list[Rounded]:
        """Return the liquid volumes (0.1 mL grid) on either side of the target and under `below`."""
        assert self.mg_per_ml
        tenths = {round(target / self.mg_per_ml / LIQUID_STEP_ML) + offset for offset in (-1, 0, 1)}
        if below is not None:
            tenths.add(int((below / self.mg_per_ml - 1e-9) / LIQUID_STEP_ML))
        out = []
        for count in sorted(tenths):
            if count <= 0:
                continue
            volume = clean(count * LIQUID_STEP_ML)
            out.append(Rounded(clean(volume * self.mg_per_ml), "liquid", volume_ml=volume))
        return out


def splittable(kb: KnowledgeBase, name: str) -> bool:
    """Return whether tablets of this drug may be halved (not listed in no_split)."""
    return name not in _no_split(kb)


@functools.lru_cache(maxsize=8)
def _no_split(kb: KnowledgeBase) -> frozenset[str]:
    """Return the drugs whose solid forms must be swallowed whole."""
    return frozenset(item["drug"] for item in kb.data(TAPERING_FILE)["no_split"])


@functools.lru_cache(maxsize=512)
def _formulation_cached(kb: KnowledgeBase, name: str) -> Formulation:
    """Build the deliverable doses of one drug (cached per knowledge base)."""
    ingredient: Ingredient = kb.ingredients[name]
    units = {float(strength) for strength in ingredient.strengths_mg}
    halves: set[float] = set()
    if splittable(kb, name):
        halves = {clean(strength / 2) for strength in units}
    doses: set[float] = set()
    half_doses: set[float] = set()
    pool = sorted(units | halves)
    for count in range(1, MAX_UNITS + 1):
        for combo in itertools.combinations_with_replacement(pool, count):
            total = clean(sum(combo))
            doses.add(total)
            if any(part in halves and part not in units for part in combo):
                half_doses.add(total)
    whole_only = {clean(sum(combo)) for count in range(1, MAX_UNITS + 1)
                  for combo in itertools.combinations_with_replacement(sorted(units), count)}
    liquid = ingredient.liquid
    mg_per_ml = float(liquid["mg_per_ml"]) if liquid.get("available") and liquid.get("mg_per_ml") else None
    return Formulation(tuple(sorted(doses)), frozenset(half_doses - whole_only), mg_per_ml)


def formulation(kb: KnowledgeBase, name: str) -> Formulation:
    """Return the deliverable doses of one drug."""
    return _formulation_cached(kb, name)


def tablets_for(kb: KnowledgeBase, name: str, dose_mg: float) -> tuple[tuple[float, float], ...] | None:
    """Return the fewest labelled tablets that make `dose_mg` as (strength, count) pairs, largest first:
    whole tablets when they can, else with one half tablet (only for drugs that may be split); None when
    tablets cannot make it."""
    if dose_mg <= 0:
        return ()
    ingredient: Ingredient = kb.ingredients[name]
    units = sorted({float(strength) for strength in ingredient.strengths_mg}, reverse=True)
    target = clean(dose_mg)
    whole = [(strength, 1.0) for strength in units]
    passes = [whole] + ([whole + [(strength, 0.5) for strength in units]] if splittable(kb, name) else [])
    for pieces in passes:
        for count in range(1, MAX_UNITS + 1):
            for combo in itertools.combinations_with_replacement(pieces, count):
                if sum(1 for _, part in combo if part == 0.5) > 1:
                    continue
                if abs(clean(sum(strength * part for strength, part in combo)) - target) < 1e-6:
                    totals: dict[float, float] = {}
                    for strength, part in combo:
                        totals[strength] = totals.get(strength, 0.0) + part
                    return tuple(sorted(totals.items(), reverse=True))
    return None


def tablets_text(tablets: tuple[tuple[float, float], ...] | None) -> str:
    """Return tablets in words: "1 x 200 mg + 3 x 25 mg", "half a 25 mg tablet"; "" when none make it."""
    if not tablets:
        return ""
    parts = []
    for strength, count in tablets:
        if count == 0.5:
            parts.append(f"half a {strength:g} mg tablet")
        else:
            parts.append(f"{count:g} x {strength:g} mg tablet{'s' if count != 1 else ''}")
    return " + ".join(parts)
