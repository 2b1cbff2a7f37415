"""Result interpretation and unit conversion (dosewise.clinical.monitoring.interpret_result)."""

from __future__ import annotations

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.monitoring import interpret_result


@pytest.mark.parametrize(
    ("value", "flag", "band"),
    [
        (0.4, "low", "below range"),
        (0.8, "normal", "maintenance range"),
        (1.0, "normal", "maintenance range"),
        (1.2, "normal", "upper maintenance range"),
        (1.4, "high", "above range"),
        (1.5, "high", "above range"),
        (1.6, "high", "toxic"),
        (2.0, "high", "toxic"),
        (2.1, "critical", "severe toxicity"),
    ],
)
def test_lithium_bands(value, flag, band):
    """Source: NICE CG185 1.10; FDA label lithium carbonate (toxicity above 1.5, severe above 2.0)."""
    result = interpret_result("lithium-level", value, "mmol/L")
    assert (result.flag, result.band) == (flag, band)


def test_lithium_above_one_point_five_is_urgent():
    assert interpret_result("lithium-level", 1.7, "mmol/L").action.startswith("urgent")


def test_lithium_meq_per_litre_equals_mmol_per_litre():
    assert interpret_result("lithium-level", 1.1, "meq/L") == interpret_result("lithium-level", 1.1, "mmol/L")
    assert interpret_result("lithium-level", 1.1, "mEq/L").value == 1.1


def test_valproate_micromoles_convert_at_6_93():
    """1 mcg/mL valproate = 6.93 µmol/L (molar mass 144.2 g/mol)."""
    result = interpret_result("valproate-level", 693, "umol/L")
    assert result.value == pytest.approx(100, abs=0.1)
    assert result.unit == "ug/mL"
    assert interpret_result("valproate-level", 300, "µmol/L").flag == "low"


def test_valproate_mg_per_litre_equals_mcg_per_ml():
    assert interpret_result("valproate-level", 80, "mg/L").flag == interpret_result("valproate-level", 80, "mcg/mL").flag == "normal"


def test_valproate_mania_range_up_to_125():
    """Source: FDA label Depakote 2.1: acute mania trials dosed to 50-125 mcg/mL."""
    assert interpret_result("valproate-level", 110, "ug/mL").band == "upper mania range"
    assert interpret_result("valproate-level", 130, "ug/mL").band == "above range"


def test_carbamazepine_micromoles_convert_at_4_23():
    """1 mcg/mL carbamazepine = 4.23 µmol/L (molar mass 236.3 g/mol)."""
    result = interpret_result("carbamazepine-level", 4.23 * 8, "umol/L")
    assert result.value == pytest.approx(8, abs=0.01)
    assert result.flag == "normal"
    assert interpret_result("carbamazepine-level", 13, "mg/L").flag == "high"
    assert interpret_result("carbamazepine-level", 3.5, "ug/mL").flag == "low"


def test_clozapine_response_threshold_and_alert_level():
    """Source: Hiemke et al., AGNP consensus, Pharmacopsychiatry 2018."""
    assert interpret_result("clozapine-level", 300, "ng/mL").flag == "low"
    assert interpret_result("clozapine-level", 350, "ng/mL").flag == "normal"
    assert interpret_result("clozapine-level", 1100, "ug/L").flag == "critical"
    assert interpret_result("clozapine-level", 1000, "nmol/L").value == pytest.approx(326.8)


@pytest.mark.parametrize(
    ("value", "unit", "band", "flag"),
    [
        (2.0, "10*9/L", "normal range", "normal"),
        (1500, "/uL", "normal range", "normal"),
        (1.2, "10^9/L", "mild neutropenia", "low"),
        (999, "cells/µL", "moderate neutropenia", "critical"),
        (0.4, "10*3/uL", "severe neutropenia", "critical"),
    ],
)
def test_anc_general_population_bands(value, unit, band, flag):
    """Source: FDA label Clozaril ANC table, general population (rev. 2025)."""
    result = interpret_result("anc", value, unit)
    assert (result.band, result.flag) == (band, flag)


def test_anc_benign_ethnic_neutropenia_uses_lower_thresholds():
    """Source: FDA label Clozaril ANC table for benign ethnic neutropenia (rev. 2025)."""
    assert interpret_result("anc", 1200, "/uL", population="ben").flag == "normal"
    assert interpret_result("anc", 1200, "/uL").flag == "low"
    assert interpret_result("anc", 700, "/uL", population="ben").flag == "low"
    assert interpret_result("anc", 400, "/uL", population="ben").flag == "critical"


def test_moderate_neutropenia_action_says_interrupt():
    assert "interrupt clozapine" in interpret_result("anc", 800, "/uL").action
    assert "continue clozapine" in interpret_result("anc", 1200, "/uL").action


def test_sodium_below_130_is_flagged_with_an_action():
    """Source: Spasovski et al., Eur J Endocrinol 2014 hyponatraemia bands; Tegretol/Trileptal labels."""
    assert interpret_result("sodium", 128, "mmol/L").band == "moderate hyponatraemia"
    assert interpret_result("sodium", 124, "meq/L").flag == "critical"
    assert interpret_result("sodium", 138, "mmol/L").flag == "normal"


def test_qtc_above_500_is_critical_and_the_threshold_is_450_in_men_470_in_women():
    """Source: Drew et al., Circulation 2010. Unknown sex takes the safer 450 ms."""
    assert interpret_result("qtc", 510, "ms").flag == "critical"
    assert interpret_result("qtc", 0.46, "s", sex="male").flag == "high"
    assert interpret_result("qtc", 460, "ms", population="female").flag == "normal"
    assert interpret_result("qtc", 460, "ms", sex="female").flag == "normal"
    assert interpret_result("qtc", 460, "ms").flag == "high"
    assert interpret_result("qtc", 480, "ms").flag == "high"


def test_every_interpretation_names_its_source():
    for key, value, unit in (("lithium-level", 1, "mmol/L"), ("anc", 2000, "/uL"), ("qtc", 400, "ms")):
        assert len(interpret_result(key, value, unit).source) > 20


def test_unknown_unit_is_refused_with_the_accepted_units():
    with pytest.raises(ClinicalInputError, match="use one of: mmol/L, meq/L"):
        interpret_result("lithium-level", 1, "mg/dL")


def test_unknown_test_is_refused():
    with pytest.raises(ClinicalInputError, match="no interpretation for 'tsh'"):
        interpret_result("tsh", 2, "m[IU]/L")


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), True, "1.0"])
def test_bad_values_are_refused(value):
    with pytest.raises(ClinicalInputError, match="non-negative number"):
        interpret_result("lithium-level", value, "mmol/L")


def test_unknown_population_is_refused():
    with pytest.raises(ClinicalInputError, match="population 'ben' has no bands for lithium-level"):
        interpret_result("lithium-level", 1, "mmol/L", population="ben")


def _normal_limits(bands) -> tuple[float, float]:
    """Return the lowest and highest canonical values a band set calls normal (scanning 0 to 20000)."""
    normal = []
    lower = 0.0
    for band in bands:
        upper = band.get("below", band.get("at_most", 20000.0))
        if band["flag"] == "normal":
            normal.append((lower, upper))
        lower = upper
    return min(lo for lo, _ in normal), max(hi for _, hi in normal)


def test_every_sex_specific_band_set_has_sources_and_an_either_sex_envelope():
    from dosewise.clinical.kb import load_kb
    from dosewise.clinical.monitoring import MONITORING_FILE, has_sex_bands

    interpretations = load_kb().data(MONITORING_FILE)["interpretations"]
    sex_specific = [key for key in interpretations if has_sex_bands(key)]
    assert {"haemoglobin", "creatinine", "prolactin-level", "hdl", "qtc", "alt", "waist"} <= set(sex_specific)
    assert not has_sex_bands("anc") and not has_sex_bands("lithium-level")
    for key in sex_specific:
        spec = interpretations[key]
        assert spec["sex_sources"], key
        either = _normal_limits(spec["bands"]["default"])
        for sex in ("male", "female"):
            low, high = _normal_limits(spec["bands"][sex])
            # Sex not recorded: the default set is the stricter limit of either sex.
            assert either[0] >= low and either[1] <= high, (key, sex)


def test_sex_picks_the_band_set_and_the_interpretation_says_which():
    from dosewise.clinical.monitoring import EITHER_SEX

    male = interpret_result("haemoglobin", 12.5, "g/dL", sex="male")
    female = interpret_result("haemoglobin", 12.5, "g/dL", sex="female")
    unknown = interpret_result("haemoglobin", 12.5, "g/dL", sex="unknown")
    assert (male.flag, male.reference) == ("low", "male reference range")
    assert (female.flag, female.reference) == ("normal", "female reference range")
    assert (unknown.flag, unknown.reference) == ("low", EITHER_SEX)
    assert "WHO/NMH/NHD/MNM/11.1" in male.source
    assert interpret_result("anc", 2000, "/uL", sex="male").reference == ""


def test_a_half_sex_specific_band_set_is_refused():
    from dosewise.clinical.kb import KnowledgeBaseError
    from dosewise.clinical.monitoring import _check_sex_bands

    with pytest.raises(KnowledgeBaseError, match="both 'male' and 'female'"):
        _check_sex_bands("x", {"bands": {"default": [], "male": []}, "sex_sources": ["a source"]})
    with pytest.raises(KnowledgeBaseError, match="both 'male' and 'female'"):
        _check_sex_bands("x", {"bands": {"default": [], "male": [], "female": []}})


@pytest.mark.parametrize("key", ["qtc", "waist", "creatinine", "alt", "haemoglobin", "prolactin-level", "hdl"])
def test_without_a_recorded_sex_a_value_abnormal_for_either_sex_is_flagged(key):
    """The safer limit: judged against both sexes' bands, the more abnormal reading wins."""
    from dosewise.clinical.kb import load_kb

    spec = load_kb().data("monitoring.json")["interpretations"][key]
    unit = spec["unit"]
    probes = sorted({b.get("below", b.get("at_most")) for s in ("male", "female") for b in spec["bands"][s]} - {None})
    for limit in probes:
        for value in (limit - 0.01 * max(limit, 1), limit, limit + 0.01 * max(limit, 1)):
            if value < 0:
                continue
            flags = {sex: interpret_result(key, value, unit, sex=sex).flag for sex in ("male", "female")}
            unknown = interpret_result(key, value, unit).flag
            if "normal" not in flags.values() or set(flags.values()) != {"normal"}:
                abnormal = [flag for flag in flags.values() if flag != "normal"]
                if abnormal:
                    assert unknown != "normal", (key, value, flags)
