"""The common co-medications of psychiatric patients are recognised and checked for what is known."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KB_DIR, KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug, search_drugs
from dosewise.clinical.plans.switch import washout_for
from dosewise.clinical.safety import Context, RegimenItem, check

KB = load_kb()
TOP_300 = json.loads((Path(__file__).parent / "data_top300_ingredients.json").read_text(encoding="utf-8"))

# (generic, a US brand) of common co-medications.
BY_BRAND = [
    ("atorvastatin", "Lipitor"), ("metformin", "Glucophage"), ("levothyroxine", "Synthroid"), ("lisinopril", "Zestril"),
    ("amlodipine", "Norvasc"), ("albuterol", "ProAir HFA"), ("losartan", "Cozaar"), ("omeprazole", "Prilosec"),
    ("hydrochlorothiazide", "Microzide"), ("montelukast", "Singulair"), ("rosuvastatin", "Crestor"),
    ("furosemide", "Lasix"), ("pantoprazole", "Protonix"), ("fluticasone", "Flonase"), ("carvedilol", "Coreg"),
    ("clopidogrel", "Plavix"), ("prednisone", "Rayos"), ("insulin glargine", "Lantus"), ("potassium chloride", "Klor-Con"),
    ("amoxicillin", "Amoxil"), ("allopurinol", "Zyloprim"), ("apixaban", "Eliquis"), ("glipizide", "Glucotrol"),
    ("atenolol", "Tenormin"), ("ondansetron", "Zofran"), ("cetirizine", "Zyrtec"), ("estradiol", "Estrace"),
    ("empagliflozin", "Jardiance"), ("acetaminophen", "Tylenol"), ("semaglutide", "Ozempic"), ("loratadine", "Claritin"),
    ("sitagliptin", "Januvia"), ("dulaglutide", "Trulicity"), ("famotidine", "Pepcid"), ("tirzepatide", "Mounjaro"),
    ("ezetimibe", "Zetia"), ("oxybutynin", "Ditropan XL"), ("cephalexin", "Keflex"), ("doxycycline", "Vibramycin"),
    ("methotrexate", "Trexall"), ("levetiracetam", "Keppra"), ("pioglitazone", "Actos"), ("meclizine", "Antivert"),
    ("benazepril", "Lotensin"), ("nifedipine", "Procardia"), ("methocarbamol", "Robaxin"), ("baclofen", "Lioresal"),
    ("dapagliflozin", "Farxiga"), ("olmesartan", "Benicar"), ("hydroxychloroquine", "Plaquenil"),
    ("esomeprazole", "Nexium"), ("naproxen", "Aleve"), ("ibuprofen", "Advil"), ("tamsulosin", "Flomax"),
    ("valacyclovir", "Valtrex"), ("tadalafil", "Cialis"), ("finasteride", "Proscar"), ("isotretinoin", "Absorica"),
    ("nebivolol", "Bystolic"), ("carisoprodol", "Soma"), ("ropinirole", "Requip"), ("donepezil", "Aricept"),
    ("colchicine", "Colcrys"), ("dabigatran", "Pradaxa"), ("ticagrelor", "Brilinta"), ("sulfamethoxazole", "Septra DS"),
]


def test_every_single_ingredient_of_the_top_300_list_is_in_the_formulary():
    assert "ClinCalc" in TOP_300["source"] and len(TOP_300["ingredients"]) >= 280
    assert [name for name in TOP_300["ingredients"] if name not in KB.ingredients] == []


def test_the_formulary_holds_at_least_250_non_psychiatric_ingredients():
    others = [entry for entry in KB.ingredients.values() if not entry.psychotropic]
    assert len(others) >= 250


@pytest.mark.parametrize(("generic", "brand"), [pair for pair in BY_BRAND if pair[1] != "Septra DS"])
def test_a_common_co_medication_resolves_by_generic_name_and_brand(generic, brand):
    assert resolve_drug(generic, KB) == generic
    assert resolve_drug(brand, KB) == generic
    assert resolve_drug(brand.upper(), KB) == generic


def test_the_sample_of_co_medications_is_large_enough():
    assert len(BY_BRAND) >= 40


@pytest.mark.parametrize(("typed", "generic"), [
    ("paracetamol", "acetaminophen"), ("salbutamol", "albuterol"), ("glibenclamide", "glyburide"),
    ("mesalazine", "mesalamine"), ("amlodipine besylate", "amlodipine"), ("metformin hydrochloride", "metformin"),
    ("vitamin D3", "cholecalciferol"), ("MiraLAX", "polyethylene glycol 3350"), ("fish oil", "omega-3 fatty acids"),
    ("ethanol", "alcohol"), ("Humulin N", "insulin human"), ("Depo-Provera", "medroxyprogesterone"),
])
def test_synonyms_and_salts_resolve(typed, generic):
    assert resolve_drug(typed, KB) == generic


def test_a_combination_brand_is_not_silently_taken_for_one_of_its_ingredients():
    with pytest.raises(ClinicalInputError, match="unknown drug 'Advair Diskus'"):
        resolve_drug("Advair Diskus", KB)


def test_search_finds_a_co_medication_by_its_class_and_its_code():
    assert "empagliflozin" in [entry.name for entry in search_drugs("sglt2", KB)]
    assert [entry.name for entry in search_drugs("17767", KB)][:1] == ["amlodipine"]


def _interaction(regimen, context=None):
    return {(f.rule_id, f.severity) for f in check(regimen, context) if f.kind == "interaction"}


@pytest.mark.parametrize(("partner", "rule"), [
    ("lisinopril", "lithium-ace-inhibitor"), ("benazepril", "lithium-ace-inhibitor"), ("quinapril", "lithium-ace-inhibitor"),
    ("olmesartan", "lithium-arb"), ("telmisartan", "lithium-arb"), ("losartan", "lithium-arb"),
    ("hydrochlorothiazide", "lithium-thiazide"), ("chlorthalidone", "lithium-thiazide"), ("metolazone", "lithium-thiazide"),
    ("ibuprofen", "lithium-nsaid"), ("naproxen", "lithium-nsaid"), ("nabumetone", "lithium-nsaid"),
    ("etodolac", "lithium-nsaid"), ("meloxicam", "lithium-nsaid"),
])
def test_lithium_levels_rise_with_ace_inhibitors_arbs_thiazides_and_nsaids(partner, rule):
    assert (rule, "major") in _interaction(["lithium", partner])


def test_low_dose_aspirin_and_acetaminophen_do_not_raise_lithium():
    assert not {rule for rule, _ in _interaction(["lithium", "aspirin"])} & {"lithium-nsaid"}
    assert _interaction(["lithium", "acetaminophen"]) == set()


@pytest.mark.parametrize("ppi", ["omeprazole", "esomeprazole", "Prilosec", "Nexium"])
def test_cyp2c19_inhibiting_ppis_raise_citalopram(ppi):
    assert ("citalopram-cyp2c19-inhibitor", "moderate") in _interaction(["citalopram", ppi])


def test_fluconazole_with_citalopram_is_cyp_inhibition_and_a_qt_pair():
    found = _interaction(["fluconazole", "citalopram"])
    assert ("derived-cyp-inhibition", "major") in found and ("derived-qt-known-risk-pair", "major") in found


def test_clarithromycin_raises_quetiapine_through_cyp3a4():
    assert ("quetiapine-strong-cyp3a4-inhibitor", "major") in _interaction(["clarithromycin", "quetiapine"])


@pytest.mark.parametrize("ssri", ["sertraline", "escitalopram", "fluoxetine"])
def test_tramadol_with_an_ssri_warns_of_serotonin_syndrome_and_seizures(ssri):
    findings = [f for f in check(["tramadol", ssri]) if f.rule_id == "tramadol-serotonergic-antidepressant"]
    assert len(findings) == 1 and findings[0].severity == "major"
    assert "serotonin syndrome" in findings[0].summary and "seizure" in findings[0].summary


def test_ondansetron_with_citalopram_is_a_major_qt_pair():
    assert ("derived-qt-known-risk-pair", "major") in _interaction(["ondansetron", "citalopram"])


def test_hydroxychloroquine_is_a_known_risk_qt_drug():
    assert ("derived-qt-known-risk-pair", "major") in _interaction(["hydroxychloroquine", "escitalopram"])


@pytest.mark.parametrize(("perpetrator", "victim"), [
    ("fluoxetine", "nebivolol"), ("paroxetine", "tolterodine"), ("bupropion", "carvedilol"),
    ("fluvoxamine", "ropinirole"), ("fluvoxamine", "carisoprodol"), ("fluvoxamine", "cilostazol"),
    ("carbamazepine", "ticagrelor"), ("carbamazepine", "eplerenone"), ("clarithromycin", "colchicine"),
])
def test_psychotropic_enzyme_inhibitors_and_inducers_reach_the_new_victims(perpetrator, victim):
    kinds = {rule for rule, _ in _interaction([perpetrator, victim])}
    assert kinds & {"derived-cyp-inhibition", "derived-cyp-induction"}


def test_mirabegron_is_a_moderate_cyp2d6_inhibitor_of_aripiprazole():
    assert ("derived-cyp-inhibition", "moderate") in _interaction(["mirabegron", "aripiprazole"])


def test_carbamazepine_makes_the_new_contraceptives_unreliable():
    for progestin in ("norgestimate", "drospirenone", "etonogestrel", "medroxyprogesterone"):
        assert ("carbamazepine-hormonal-contraceptive", "major") in _interaction(["carbamazepine", progestin])


def test_new_anticoagulants_and_antiplatelets_are_bleeding_partners_of_ssris():
    assert ("derived-bleeding", "major") in _interaction(["sertraline", "dabigatran"])
    assert ("derived-bleeding", "moderate") in _interaction(["sertraline", "prasugrel"])


def test_mao_inhibitors_with_phentermine_levodopa_and_beta_agonists_follow_their_labels():
    assert ("derived-maoi-sympathomimetic", "contraindicated") in _interaction(["phenelzine", "phentermine"])
    assert ("maoi-levodopa", "contraindicated") in _interaction(["tranylcypromine", "levodopa"])
    assert _interaction(["rasagiline", "levodopa"]) == set()
    assert _interaction(["phenelzine", "albuterol"]) == {("maoi-tricyclic-beta2-agonist", "moderate")}
    assert ("maoi-tricyclic-beta2-agonist", "moderate") in _interaction(["amitriptyline", "epinephrine"])


def test_alcohol_adds_cns_depression_to_a_benzodiazepine():
    found = [f for f in check(["alcohol", "lorazepam"]) if f.kind == "cns-depression-burden"]
    assert found and found[0].drugs == ("alcohol", "lorazepam")


def test_anticholinergic_co_medications_add_to_the_burden():
    found = [f for f in check(["oxybutynin", "diphenhydramine"]) if f.kind == "anticholinergic-burden"]
    assert found and found[0].severity == "moderate"


@pytest.mark.parametrize("drug", ["metformin", "montelukast", "Synthroid", "cholecalciferol", "insulin human"])
def test_a_drug_with_no_rules_is_checked_without_findings_or_errors(drug):
    assert check([drug]) == []
    assert [f for f in check([RegimenItem(drug, 500), "sertraline"]) if f.kind == "interaction"] == []


def test_a_co_medication_without_dose_facts_gets_no_dose_finding_whatever_the_dose():
    assert check([RegimenItem("metformin", 100000)]) == []


def test_a_co_medication_in_a_full_context_never_crashes():
    context = Context(age=82, sex="female", pregnant=True, lactating=True, egfr=12, child_pugh="C", qtc_ms=520,
                      allergies=("penicillin", "sulfa"), genotypes={"CYP2D6": "*4/*4", "CYP2C19": "*2/*2"}, smoker=True)
    regimen = [name for name in KB.ingredients if KB.ingredients[name].is_co_medication]
    findings = check(regimen[:40], context) + check(regimen[40:80], context) + check(regimen[80:], context)
    assert findings and all(f.kb_version == KB.version for f in findings)


def test_pregnancy_not_in_the_knowledge_base_is_said_not_silent():
    findings = check(["metformin"], Context(pregnant=True, lactating=True))
    assert {(f.kind, f.rule_id, f.severity) for f in findings} == {
        ("pregnancy", "pregnancy-not-in-kb", "minor"), ("lactation", "lactation-not-in-kb", "minor")}
    assert "not assessed" in findings[0].summary


def test_a_co_medication_with_a_labelled_pregnancy_fact_uses_it():
    findings = [f for f in check(["isotretinoin"], Context(pregnant=True)) if f.kind == "pregnancy"]
    assert [(f.rule_id, f.severity) for f in findings] == [("pregnancy-contraindicated", "contraindicated")]
    lisinopril_like = [f for f in check(["olmesartan"], Context(pregnant=True)) if f.kind == "pregnancy"]
    assert lisinopril_like[0].severity == "major"


def test_a_penicillin_allergy_flags_amoxicillin_and_warns_for_cephalosporins():
    findings = check(["amoxicillin", "cephalexin", "azithromycin"], Context(allergies=("penicillin",)))
    flagged = {(f.drugs, f.rule_id, f.severity) for f in findings if f.kind == "allergy"}
    assert flagged == {(("amoxicillin",), "allergy", "contraindicated"),
                       (("cephalexin",), "allergy-beta-lactams", "moderate")}


def test_a_washout_needs_a_half_life_and_says_so_for_a_co_medication():
    with pytest.raises(ClinicalInputError, match="no half-life"):
        washout_for(KB.ingredients["metformin"])


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _rewrite(path: Path, change) -> None:
    entries = json.loads(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(json.dumps(entries), encoding="utf-8")


def test_the_loader_refuses_a_co_medication_that_claims_to_be_psychotropic(tmp_path):
    kb_dir = _copy(tmp_path)
    _rewrite(kb_dir / "formulary" / "endocrine.json", lambda entries: entries[0].update(psychotropic=True))
    with pytest.raises(KnowledgeBaseError, match="endocrine.json entry 0"):
        load_kb(kb_dir)


def test_the_loader_refuses_a_full_entry_without_its_fact_groups(tmp_path):
    kb_dir = _copy(tmp_path)
    _rewrite(kb_dir / "formulary" / "endocrine.json", lambda entries: entries[0].pop("kind"))
    with pytest.raises(KnowledgeBaseError, match="metformin"):
        load_kb(kb_dir)


def test_the_loader_refuses_a_code_claimed_by_two_ingredients(tmp_path):
    kb_dir = _copy(tmp_path)
    _rewrite(kb_dir / "formulary" / "endocrine.json",
             lambda entries: entries[0].update(other_rxcuis=[{"code": "83367", "name": "copied code", "source": "a test entry"}]))
    with pytest.raises(KnowledgeBaseError, match="83367 already belongs to 'atorvastatin'"):
        load_kb(kb_dir)
