"""Property tests of the safety engine on the real knowledge base."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dosewise.clinical.kb import load_kb
from dosewise.clinical.safety import Context, check

KB = load_kb()
NAMES = sorted(KB.ingredients)
SEIZURE_RULE = KB.derived_rules["seizure_threshold"]["id"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

regimens = st.lists(st.sampled_from(NAMES), min_size=1, max_size=8, unique=True)
contexts = st.builds(
    Context,
    age=st.one_of(st.none(), st.integers(min_value=5, max_value=95)),
    sex=st.sampled_from([None, "female", "male"]),
    pregnant=st.booleans(),
    egfr=st.one_of(st.none(), st.integers(min_value=5, max_value=120)),
    child_pugh=st.sampled_from([None, "A", "B", "C"]),
    qtc_ms=st.one_of(st.none(), st.integers(min_value=380, max_value=560)),
    smoker=st.sampled_from([None, True, False]),
)


def _keys(findings):
    return [finding.to_dict() for finding in findings]


@SETTINGS
@given(regimen=regimens, context=contexts, data=st.data())
def test_the_order_of_drugs_never_changes_the_findings(regimen, context, data):
    shuffled = data.draw(st.permutations(regimen))
    assert _keys(check(regimen, context)) == _keys(check(shuffled, context))


@SETTINGS
@given(regimen=regimens, extra=st.sampled_from(NAMES), context=contexts)
def test_adding_a_drug_never_removes_a_finding_about_the_others(regimen, extra, context):
    if extra in regimen:
        return
    before = check(regimen, context)
    after = check([*regimen, extra], context)
    for finding in before:
        if finding.kind == "interaction" and len(finding.drugs) == 2 and finding.rule_id != SEIZURE_RULE:
            assert finding in after, finding
        else:
            # A burden or group finding may grow to include the new drug, never vanish.
            assert any(
                other.rule_id == finding.rule_id and set(finding.drugs) <= set(other.drugs) for other in after
            ), finding


@SETTINGS
@given(regimen=regimens, data=st.data())
def test_name_synonym_brand_and_rxnorm_code_give_the_same_findings(regimen, data):
    def alias(name: str) -> str:
        entry = KB.ingredients[name]
        codes = (entry.rxcui,) if entry.rxcui else ()
        return data.draw(st.sampled_from([entry.name.upper(), *entry.synonyms, *entry.brands, *codes]))

    assert _keys(check(regimen)) == _keys(check([alias(name) for name in regimen]))


@SETTINGS
@given(regimen=regimens, context=contexts)
def test_findings_are_sorted_and_each_pair_finding_is_not_repeated(regimen, context):
    findings = check(regimen, context)
    assert findings == sorted(findings, key=lambda f: f.sort_key())
    seen = [(f.rule_id, f.drugs, f.summary, f.sources) for f in findings]
    assert len(seen) == len(set(seen))
