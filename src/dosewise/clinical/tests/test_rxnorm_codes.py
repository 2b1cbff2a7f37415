"""Formulary RxNorm ingredient codes agree with CPIC's drug table (a checked-in extract)."""

from __future__ import annotations

import json
from pathlib import Path

from dosewise.clinical.kb import load_kb

EXTRACT = json.loads((Path(__file__).parent / "data_cpic_rxnorm.json").read_text(encoding="utf-8"))


def test_every_formulary_code_matches_cpic_for_drugs_in_both():
    kb = load_kb()
    assert "CPIC" in EXTRACT["source"] and len(EXTRACT["rxcui"]) >= 90
    mismatched = {
        name: (kb.ingredients[name].rxcui, code)
        for name, code in EXTRACT["rxcui"].items()
        if name in kb.ingredients and kb.ingredients[name].rxcui != code
    }
    assert mismatched == {}


def test_every_code_resolves_to_its_ingredient():
    kb = load_kb()
    for name, code in EXTRACT["rxcui"].items():
        assert kb.by_rxcui[code] == name
