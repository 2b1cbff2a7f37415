"""Collect every source cited in the knowledge base and render docs/clinical-sources.md.

`python -m dosewise.clinical.sources > docs/clinical-sources.md` regenerates the page; a
test fails when the page and the knowledge base disagree, so the list stays complete.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

KB_DIR = Path(__file__).parent / "kb"

# (category, licence and what may be taken) in the order the page shows them.
CATEGORIES: dict[str, tuple[str, str]] = {
    "fda": ("FDA prescribing information (labels on DailyMed)",
            "US government work, public domain. Facts (doses, contraindications, boxed warnings, "
            "pharmacokinetics, pharmacogenomic dosing) re-entered in our own words with the label section."),
    "fda-other": ("FDA guidance, tables and drug safety communications",
                  "US government work, public domain. Facts re-entered with a citation."),
    "cpic": ("CPIC guidelines and tables (cpicpgx.org)",
             "CC0 1.0. Allele function, phenotype rules and recommendation classifications re-entered; "
             "recommendation wording is our own."),
    "nlm": ("National Library of Medicine (LactMed, RxNorm)",
            "US government work, public domain. Lactation facts and RxNorm ingredient codes."),
    "instrument": ("Rating instruments",
                   "Each instrument file carries its own licence note (public domain, or free to reproduce "
                   "per the copyright holder); licensed scales are not shipped."),
    "guideline": ("Clinical guidelines and consensus statements",
                  "Copyrighted text; only facts (thresholds, schedules, cut-offs) re-entered with a citation."),
    "paper": ("Papers and reference works",
              "Copyrighted text; only facts (values, parameters, tables of equivalents) re-entered with a citation."),
}
_GUIDELINE_WORDS = ("guideline", "criteria", "consensus", "canmat", "nice ", "apa ", "ada/", "who ", "maudsley",
                    "recommendation", "cdc ", "manual", "position statement")


def categorise(source: str) -> str:
    """Return the category key of a source string."""
    lower = source.lower()
    if lower.startswith("fda label") or lower.startswith("fda prescribing"):
        return "fda"
    if lower.startswith("fda") or "drug safety communication" in lower:
        return "fda-other"
    if "cpic" in lower:
        return "cpic"
    if lower.startswith("lactmed") or "rxnorm" in lower or lower.startswith("nlm"):
        return "nlm"
    if any(word in lower for word in _GUIDELINE_WORDS):
        return "guideline"
    return "paper"


def work_of(source: str) -> str:
    """Return the cited work without section and revision detail ("FDA label Zoloft")."""
    text = source.strip()
    if text.lower().startswith("fda label"):
        product = re.split(r" \(|,|;| section| sections| boxed| table| rev\.| contraindications| warnings| dosage"
                           r"| clinical pharmacology| highlights| medication guide", text[len("FDA label"):],
                           maxsplit=1, flags=re.I)[0]
        return f"FDA label {product.strip()}"
    return re.split(r";\s", text, maxsplit=1)[0].strip()


@dataclass
class Work:
    category: str
    name: str
    citations: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)


def _walk(node, path: tuple[str, ...], found: list[tuple[str, tuple[str, ...]]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                found.append((value, path))
            elif key in ("sources", "sex_sources") and isinstance(value, list):
                found.extend((item, path) for item in value if isinstance(item, str))
            else:
                _walk(value, path + (key,), found)
    elif isinstance(node, list):
        for item in node:
            _walk(item, path, found)


def _fact_label(path: tuple[str, ...]) -> str:
    named = [part for part in path if not part.isdigit()]
    return named[0] if named else "entry"


def collect_sources(kb_dir: Path = KB_DIR) -> dict[str, Work]:
    """Return every cited work with the files and kinds of fact it supports."""
    works: dict[str, Work] = {}
    for file in sorted(kb_dir.rglob("*.json")):
        if "schema" in file.parts:
            continue
        relative = file.relative_to(kb_dir).as_posix()
        found: list[tuple[str, tuple[str, ...]]] = []
        _walk(json.loads(file.read_text(encoding="utf-8")), (), found)
        for source, path in found:
            name = work_of(source)
            work = works.setdefault(name, Work(categorise(source), name))
            work.citations.add(source)
            work.files.add(relative)
            work.facts.add(_fact_label(path))
    return works


def render_markdown(works: dict[str, Work]) -> str:
    """Return the clinical-sources page."""
    lines = [
        "# Clinical sources",
        "",
        "Every fact in the knowledge base (`src/dosewise/clinical/kb/`) carries its source. This page",
        "lists each cited work once, with its licence, the knowledge-base files that use it and the",
        "kinds of fact taken from it. It is generated: run",
        "`python -m dosewise.clinical.sources > docs/clinical-sources.md` after changing the knowledge base",
        "(a test fails when this page is out of date).",
        "",
        "Not shipped, by design: DrugBank, DDInter and CredibleMeds lists, WHO ATC/DDD files, DSM-5 text,",
        "licensed rating scales (C-SSRS electronic forms, MADRS, BDI-II and others).",
        "",
    ]
    by_category: dict[str, list[Work]] = defaultdict(list)
    for work in works.values():
        by_category[work.category].append(work)
    total = sum(len(w.citations) for w in works.values())
    lines.append(f"{len(works)} works, {total} distinct citations.")
    lines.append("")
    for key, (title, licence) in CATEGORIES.items():
        entries = sorted(by_category.get(key, []), key=lambda w: w.name.lower())
        if not entries:
            continue
        lines += [f"## {title}", "", f"Licence and use: {licence}", "", "| work | used in | facts taken |",
                  "|---|---|---|"]
        for work in entries:
            name = work.name.replace("|", "\\|")
            lines.append(f"| {name} | {', '.join(sorted(work.files))} | {', '.join(sorted(work.facts))} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    sys.stdout.write(render_markdown(collect_sources()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
