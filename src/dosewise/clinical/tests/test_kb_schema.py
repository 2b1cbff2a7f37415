"""Tests of the knowledge-base loader and of the data every contributor writes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dosewise.clinical.kb import KB_DIR, KnowledgeBaseError, load_kb, normalise_name


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """Return a writable copy of the real knowledge base."""
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _fact_sources(entry) -> list[str]:
    """Return the source of every fact group of one ingredient."""
    sources = [entry.properties["source"], entry.metabolism["source"], *entry.sources]
    # A co-medication entry may lack these groups; a group that is present must cite its source.
    sources += [group["source"] for group in (entry.pregnancy, entry.lactation, entry.half_life) if group]
    sources += [item["source"] for item in entry.other_rxcuis]
    sources += [warning["source"] for warning in entry.boxed_warnings]
    sources += [item["source"] for item in entry.long_acting_injectable]
    if entry.geriatric_note is not None:
        sources.append(entry.geriatric_note["source"])
    if entry.dose is not None:
        sources.append(entry.dose["source"])
        sources += [rule["source"] for rule in entry.dose.get("renal", ())]
        sources += [rule["source"] for rule in entry.dose.get("hepatic", {}).values()]
    return sources


def test_the_real_knowledge_base_loads_and_reports_its_version(kb):
    assert kb.version == (KB_DIR / "VERSION").read_text(encoding="utf-8").strip()
    assert kb.ingredients and kb.interaction_rules and kb.duplicate_groups and kb.allergy_groups


def test_every_json_file_under_kb_is_loaded_and_validated(kb):
    on_disk = {
        path.relative_to(KB_DIR).as_posix()
        for path in KB_DIR.rglob("*.json")
        if path.relative_to(KB_DIR).parts[0] not in ("schema", "formulary")
    }
    assert on_disk == set(kb.files)
    formulary_names = set()
    for path in (KB_DIR / "formulary").glob("*.json"):
        formulary_names |= {entry["name"] for entry in json.loads(path.read_text(encoding="utf-8"))}
    assert formulary_names == set(kb.ingredients)


def test_every_ingredient_fact_group_has_a_source(kb):
    missing = [
        name for name, entry in kb.ingredients.items()
        if not entry.sources or any(len(source.strip()) < 8 for source in _fact_sources(entry))
    ]
    assert missing == []


def test_every_rule_and_group_has_sources(kb):
    rules = [*kb.interaction_rules, *kb.duplicate_groups, *kb.allergy_groups]
    assert [rule.id for rule in rules if not rule.sources or not all(s.strip() for s in rule.sources)] == []
    derived = [value for value in kb.derived_rules.values() if "summary" in value and "mechanism" in value]
    assert len(derived) >= 12
    assert [rule["id"] for rule in derived if not rule.get("sources")] == []


def test_the_formulary_has_enough_psychotropic_and_other_ingredients(kb):
    psychotropic = [entry for entry in kb.ingredients.values() if entry.psychotropic]
    other = [entry for entry in kb.ingredients.values() if not entry.psychotropic]
    assert len(psychotropic) >= 100
    assert len(other) >= 60


def test_names_synonyms_brands_and_codes_never_collide_across_ingredients(kb):
    collisions = {key: owners for key, owners in kb.aliases.items() if len(owners) > 1}
    assert collisions == {}
    codes = [code for entry in kb.ingredients.values() for code in entry.rxcuis]
    assert len(codes) == len(set(codes)) == len(kb.by_rxcui)


def test_formulary_classes_come_from_the_contract_vocabulary(kb):
    contract = (KB_DIR / "CONTRACT.md").read_text(encoding="utf-8")
    vocabulary_section = contract.split("## Class vocabulary", 1)[1].split("\n## ", 1)[0]
    vocabulary = set(re.findall(r"`([a-z0-9\-]+)`", vocabulary_section))
    assert set(kb.by_class) - vocabulary == set()


def test_rules_name_only_formulary_drugs_and_classes(kb):
    for rule in kb.interaction_rules:
        for selector in (rule.a, rule.b):
            assert selector.drugs | selector.except_ <= set(kb.ingredients), rule.id
            assert selector.classes <= set(kb.by_class), rule.id
    for group in (*kb.duplicate_groups, *kb.allergy_groups):
        assert group.selector.drugs <= set(kb.ingredients), group.id


def test_the_loader_refuses_a_rule_naming_an_unknown_drug(kb_copy: Path):
    path = kb_copy / "interactions.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"][0]["a"] = {"drugs": ["zoloftine"]}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"interactions\.json .*unknown drug 'zoloftine'"):
        load_kb(kb_copy)


def test_the_loader_refuses_a_group_naming_an_unknown_class(kb_copy: Path):
    path = kb_copy / "duplicate_therapy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["groups"][0]["classes"] = ["not-a-class"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"duplicate_therapy\.json .*unknown class 'not-a-class'"):
        load_kb(kb_copy)


def test_an_invalid_entry_is_reported_with_its_file_and_name(kb_copy: Path):
    path = kb_copy / "formulary" / "antidepressants.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    index = next(i for i, entry in enumerate(entries) if entry["name"] == "sertraline")
    del entries[index]["properties"]["source"]
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"formulary/antidepressants\.json entry \d+ \('sertraline'\)"):
        load_kb(kb_copy)


def test_a_duplicate_generic_name_is_refused(kb_copy: Path):
    source = json.loads((kb_copy / "formulary" / "antidepressants.json").read_text(encoding="utf-8"))
    sertraline = next(entry for entry in source if entry["name"] == "sertraline")
    (kb_copy / "formulary" / "zz_extra.json").write_text(json.dumps([sertraline]), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"zz_extra\.json .*duplicate name"):
        load_kb(kb_copy)


def test_a_file_without_a_schema_is_refused(kb_copy: Path):
    (kb_copy / "unexpected.json").write_text("{}", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"unexpected\.json: no schema"):
        load_kb(kb_copy)


def test_invalid_json_is_reported_with_its_line(kb_copy: Path):
    (kb_copy / "interactions.json").write_text('{"rules": [\n,]}', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"interactions\.json: invalid JSON at line 2"):
        load_kb(kb_copy)


def test_loaded_data_is_read_only(kb):
    sertraline = kb.ingredients["sertraline"]
    with pytest.raises(TypeError):
        sertraline.properties["serotonergic"] = "none"  # type: ignore[index]
    with pytest.raises(AttributeError):
        sertraline.name = "other"  # type: ignore[misc]
    assert normalise_name("  Zoloft ") in kb.aliases

