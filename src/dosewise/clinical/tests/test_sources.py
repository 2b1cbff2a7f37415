"""docs/clinical-sources.md lists every cited work of the knowledge base."""

from pathlib import Path

from dosewise.clinical.sources import categorise, collect_sources, render_markdown, work_of

DOC = Path(__file__).resolve().parents[4] / "docs" / "clinical-sources.md"


def test_the_sources_page_is_current_with_the_knowledge_base():
    assert DOC.read_text(encoding="utf-8") == render_markdown(collect_sources()), (
        "run: python -m dosewise.clinical.sources > docs/clinical-sources.md")


def test_every_cited_work_appears_on_the_page():
    page = DOC.read_text(encoding="utf-8")
    missing = [name for name in collect_sources() if name.replace("|", "\\|") not in page]
    assert missing == []


def test_label_citations_of_one_product_are_one_work():
    assert work_of("FDA label Zoloft (sertraline) section 2.1 (rev. 2023)") == "FDA label Zoloft"
    assert work_of("FDA label Zoloft boxed warning (rev. 2023)") == "FDA label Zoloft"


def test_sources_are_sorted_into_licence_categories():
    assert categorise("CPIC guideline for CYP2D6 and atomoxetine: Brown et al., Clin Pharmacol Ther 2019") == "cpic"
    assert categorise("LactMed: Sertraline (NLM, 2024)") == "nlm"
    assert categorise("FDA label Nardil section 4") == "fda"
    assert categorise("Boustani M et al., Aging Health 2008") == "paper"
