"""Turn pharmacogenomic results into CPIC phenotypes and drug recommendations.

The tables live in `kb/pgx/*.json` (schema `kb/schema/pgx.schema.json`): gene files give
allele function and the rule that turns a diplotype into a phenotype, recommendation files
give CPIC guideline and FDA-label advice per drug, gene and phenotype. Three gene models:

- `activity-score` (CYP2D6, CYP2C9): the allele activity values are added (a duplication
  `*1x2` multiplies the value by the copy number, a tandem `*36+*10` adds its parts) and the
  score is mapped to a phenotype by the gene's bands;
- `function-pair` (CYP2C19, CYP2B6): the phenotype follows from the two allele functions;
- `hla-carrier` (HLA-B, HLA-A): carrying the gene's allele of interest on either chromosome
  makes the result "positive".

An allele of uncertain function makes the phenotype "Indeterminate". Bad input raises
`ClinicalInputError`; inconsistent data raises `KnowledgeBaseError`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import fastjsonschema

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBaseError

KB_DIR = Path(__file__).resolve().parent / "kb"
PGX_DIR = KB_DIR / "pgx"
PGX_SCHEMA = KB_DIR / "schema" / "pgx.schema.json"

INDETERMINATE = "Indeterminate"
UNCERTAIN_FUNCTION = "Uncertain function"
SEVERITY_ORDER = ("major", "moderate", "minor", "info")
# 'xN' means "duplicated, copy number not reported": two copies is the fewest that can be,
# so the activity score computed from it is a lower bound.
UNKNOWN_COPY_NUMBER = 2

_COMPONENT_RE = re.compile(r"^(\*\d+)(?:x(\d+|n))?$")
_HLA_ALLELE_RE = re.compile(r"^\*(\d{2,3}:\d{2,3})(?::\d{2,3}){0,2}[a-z]?$")
_PHENOTYPE_ABBREVIATIONS = {
    "um": "Ultrarapid Metabolizer",
    "ultra-rapid metabolizer": "Ultrarapid Metabolizer",
    "ultrarapid": "Ultrarapid Metabolizer",
    "rm": "Rapid Metabolizer",
    "nm": "Normal Metabolizer",
    "em": "Normal Metabolizer",
    "extensive metabolizer": "Normal Metabolizer",
    "likely im": "Likely Intermediate Metabolizer",
    "im": "Intermediate Metabolizer",
    "likely pm": "Likely Poor Metabolizer",
    "pm": "Poor Metabolizer",
}


@dataclass(frozen=True)
class PhenotypeResult:
    """A diplotype translated to its CPIC phenotype (activity score only for activity-score genes)."""

    gene: str
    diplotype: str
    activity_score: float | None
    phenotype: str

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class PgxRecommendation:
    """One recommendation that applies to a drug because of the patient's phenotype for a gene."""

    gene: str
    phenotype: str
    drug: str
    recommendation: str
    strength: str
    severity: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Return the recommendation as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class _Allele:
    name: str
    function: str
    activity_value: float | None
    deletion: bool


@dataclass(frozen=True)
class _Gene:
    name: str
    model: str
    copy_number: bool
    alleles: Mapping[str, _Allele]
    bands: tuple[tuple[float | None, float | None, str], ...]
    pairs: Mapping[tuple[str, str], str]
    carrier_allele: str | None
    source: str

    @property
    def phenotypes(self) -> frozenset[str]:
        """Return every phenotype this gene's rules can produce."""
        if self.carrier_allele is not None:
            return frozenset(f"{self.name}{self.carrier_allele} {status}" for status in ("positive", "negative"))
        return frozenset([band[2] for band in self.bands] + list(self.pairs.values()) + [INDETERMINATE])


@dataclass(frozen=True)
class _Rule:
    id: str
    drug: str
    gene: str
    phenotypes: frozenset[str]
    recommendation: str
    strength: str
    severity: str
    source: str


@dataclass(frozen=True)
class _Tables:
    genes: Mapping[str, _Gene]
    rules: tuple[_Rule, ...]


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    """Return the compiled pgx schema (compiled once per process)."""
    return fastjsonschema.compile(json.loads(PGX_SCHEMA.read_text(encoding="utf-8")))


def _pair_key(first: str, second: str) -> tuple[str, str]:
    """Return an order-independent key for two allele functions."""
    return (first, second) if first <= second else (second, first)


def _gene_from_data(raw: Mapping[str, Any], where: str) -> _Gene:
    """Build one gene table, refusing duplicate alleles or function pairs."""
    alleles: dict[str, _Allele] = {}
    for item in raw.get("alleles", ()):
        if item["allele"] in alleles:
            raise KnowledgeBaseError(f"{where}: duplicate {raw['gene']} allele {item['allele']}")
        alleles[item["allele"]] = _Allele(
            item["allele"], item["function"], item.get("activity_value"), item.get("deletion", False)
        )
        if raw["model"] == "activity-score" and "activity_value" not in item:
            raise KnowledgeBaseError(f"{where}: {raw['gene']} allele {item['allele']} has no activity_value")
    pairs: dict[tuple[str, str], str] = {}
    for item in raw.get("function_pairs", ()):
        key = _pair_key(*item["functions"])
        if key in pairs:
            raise KnowledgeBaseError(f"{where}: {raw['gene']} function pair {key} is listed twice")
        pairs[key] = item["phenotype"]
    bands = tuple((band.get("over"), band.get("up_to"), band["phenotype"]) for band in raw.get("activity_bands", ()))
    return _Gene(
        name=raw["gene"],
        model=raw["model"],
        copy_number=raw.get("copy_number", False),
        alleles=MappingProxyType(alleles),
        bands=bands,
        pairs=MappingProxyType(pairs),
        carrier_allele=raw.get("carrier_allele"),
        source=raw["source"],
    )


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Load, validate and cross-check every file under kb/pgx/ (once per process)."""
    validate = _validator()
    genes: dict[str, _Gene] = {}
    rules: list[_Rule] = []
    for path in sorted(PGX_DIR.glob("*.json")):
        where = f"pgx/{path.name}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            validate(data)
        except (ValueError, fastjsonschema.JsonSchemaException) as exc:
            raise KnowledgeBaseError(f"{where}: {exc}") from exc
        for raw in data.get("genes", ()):
            if raw["gene"] in genes:
                raise KnowledgeBaseError(f"{where}: gene {raw['gene']} is defined twice")
            genes[raw["gene"]] = _gene_from_data(raw, where)
        for raw in data.get("recommendations", ()):
            rules.append(
                _Rule(raw["id"], raw["drug"], raw["gene"], frozenset(raw["phenotypes"]), raw["recommendation"],
                      raw["strength"], raw["severity"], raw["source"])
            )
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise KnowledgeBaseError(f"pgx: recommendation id {rule.id} is used twice")
        seen.add(rule.id)
        gene = genes.get(rule.gene)
        if gene is None:
            raise KnowledgeBaseError(f"pgx: recommendation {rule.id} names unknown gene {rule.gene}")
        unknown = rule.phenotypes - gene.phenotypes
        if unknown:
            raise KnowledgeBaseError(f"pgx: recommendation {rule.id} names phenotypes {sorted(unknown)} "
                                     f"that {rule.gene} rules never produce")
    return _Tables(MappingProxyType(genes), tuple(rules))


def supported_genes() -> tuple[str, ...]:
    """Return the genes the knowledge base can interpret, sorted."""
    return tuple(sorted(_tables().genes))


def _gene(name: str) -> _Gene:
    """Return the gene table for a case-insensitive gene name or raise ClinicalInputError."""
    genes = _tables().genes
    key = name.strip().upper()
    if key not in genes:
        raise ClinicalInputError(f"unknown gene '{name.strip()}'; supported genes: {', '.join(supported_genes())}")
    return genes[key]


def _malformed(gene: _Gene, diplotype: str, expected: str) -> ClinicalInputError:
    """Return the error for a diplotype that cannot be parsed."""
    return ClinicalInputError(f"malformed {gene.name} diplotype '{diplotype}'; expected two alleles like '{expected}'")


def _haplotypes(gene: _Gene, diplotype: str) -> tuple[str, str]:
    """Split 'A/B' into its two haplotypes, dropping an optional gene-name prefix on each."""
    expected = "*15:02/*07:02" if gene.model == "hla-carrier" else "*1/*4"
    halves = diplotype.split("/")
    if len(halves) != 2:
        raise _malformed(gene, diplotype, expected)
    cleaned = []
    for half in halves:
        text = half.strip().lower().removeprefix(gene.name.lower())
        if not text:
            raise _malformed(gene, diplotype, expected)
        cleaned.append(text)
    return cleaned[0], cleaned[1]


def _haplotype_alleles(gene: _Gene, haplotype: str, diplotype: str) -> list[tuple[_Allele, int]]:
    """Return the (allele, copies) components of one haplotype such as '*1x2' or '*36+*10'."""
    parts = haplotype.split("+")
    if len(parts) > 1 and not gene.copy_number:
        raise ClinicalInputError(f"tandem alleles ('{haplotype}') are not used for {gene.name}")
    components = []
    for part in parts:
        match = _COMPONENT_RE.match(part.strip())
        if match is None:
            raise _malformed(gene, diplotype, "*1/*4")
        name, copies_text = match.groups()
        allele = gene.alleles.get(name)
        if allele is None:
            known = ", ".join(sorted(gene.alleles, key=lambda a: int(a[1:])))
            raise ClinicalInputError(f"unknown {gene.name} allele '{name}'; known alleles: {known}")
        copies = 1
        if copies_text is not None:
            if not gene.copy_number:
                raise ClinicalInputError(f"copy-number notation ('{part.strip()}') is not used for {gene.name}")
            copies = UNKNOWN_COPY_NUMBER if copies_text == "n" else int(copies_text)
            if copies < 2:
                raise ClinicalInputError(f"copy number in '{part.strip()}' must be 2 or more")
            if allele.deletion:
                raise ClinicalInputError(f"{gene.name} {name} is a gene deletion and cannot be duplicated")
        components.append((allele, copies))
    return components


def _activity_phenotype(gene: _Gene, haplotypes: tuple[str, str], diplotype: str) -> tuple[float | None, str]:
    """Return the activity score and phenotype of an activity-score gene."""
    components = [c for haplotype in haplotypes for c in _haplotype_alleles(gene, haplotype, diplotype)]
    if any(allele.activity_value is None for allele, _ in components):
        return None, INDETERMINATE
    # Every value is known here; `or 0.0` only narrows the Optional type.
    score = sum((allele.activity_value or 0.0) * copies for allele, copies in components)
    for over, up_to, term in gene.bands:
        if (over is None or score > over) and (up_to is None or score <= up_to):
            return float(score), term
    raise KnowledgeBaseError(f"pgx: no {gene.name} phenotype band covers activity score {score}")


def _function_phenotype(gene: _Gene, haplotypes: tuple[str, str], diplotype: str) -> str:
    """Return the phenotype of a function-pair gene."""
    functions = []
    for haplotype in haplotypes:
        components = _haplotype_alleles(gene, haplotype, diplotype)
        functions.append(components[0][0].function)
    if UNCERTAIN_FUNCTION in functions:
        return INDETERMINATE
    key = _pair_key(functions[0], functions[1])
    if key not in gene.pairs:
        raise KnowledgeBaseError(f"pgx: no {gene.name} phenotype for allele functions {key}")
    return gene.pairs[key]


def _hla_phenotype(gene: _Gene, haplotypes: tuple[str, str], diplotype: str) -> str:
    """Return '<gene><allele> positive|negative' from two HLA alleles."""
    carrier = False
    for haplotype in haplotypes:
        match = _HLA_ALLELE_RE.match(haplotype)
        if match is None:
            raise _malformed(gene, diplotype, f"{gene.carrier_allele}/*07:02")
        carrier = carrier or f"*{match.group(1)}" == gene.carrier_allele
    return f"{gene.name}{gene.carrier_allele} {'positive' if carrier else 'negative'}"


def phenotype(gene: str, diplotype: str) -> PhenotypeResult:
    """Return the CPIC phenotype (and activity score where defined) for a gene's diplotype."""
    table = _gene(gene)
    text = diplotype.strip()
    if not text:
        raise _malformed(table, diplotype, "*1/*4")
    haplotypes = _haplotypes(table, text)
    score: float | None = None
    if table.model == "activity-score":
        score, result = _activity_phenotype(table, haplotypes, text)
    elif table.model == "function-pair":
        result = _function_phenotype(table, haplotypes, text)
    else:
        result = _hla_phenotype(table, haplotypes, text)
    return PhenotypeResult(gene=table.name, diplotype=text, activity_score=score, phenotype=result)


def _reported_phenotype(key: str, value: str) -> tuple[str, str]:
    """Return (gene, phenotype) for a phenotype reported without a diplotype.

    Accepts CPIC terms in any case, the usual abbreviations (PM, IM, NM, RM, UM), and for HLA
    either {'HLA-B': 'HLA-B*15:02 positive'} / {'HLA-B': 'positive'} or {'HLA-B*15:02': 'positive'}.
    """
    gene_text, _, allele = key.strip().partition("*")
    table = _gene(gene_text)
    if allele and table.carrier_allele is None:
        raise ClinicalInputError(f"give a {table.name} phenotype under the gene name, not '{key.strip()}'")
    term = " ".join(value.strip().lower().replace("metaboliser", "metabolizer").split())
    if table.carrier_allele is not None:
        if allele and f"*{allele}" != table.carrier_allele:
            raise ClinicalInputError(f"{table.name} results are interpreted for {table.carrier_allele} only")
        status = term.rsplit(" ", 1)[-1]
        if status in ("positive", "negative") and term in (status, f"{table.name}{table.carrier_allele} {status}".lower()):
            return table.name, f"{table.name}{table.carrier_allele} {status}"
        raise ClinicalInputError(f"unknown {table.name} result '{value}'; use 'positive' or 'negative'")
    canonical = _PHENOTYPE_ABBREVIATIONS.get(term)
    if canonical is None:
        canonical = next((name for name in table.phenotypes if name.lower() == term), None)
    if canonical is None or canonical not in table.phenotypes:
        raise ClinicalInputError(
            f"unknown {table.name} phenotype '{value}'; expected one of: {', '.join(sorted(table.phenotypes))}"
        )
    return table.name, canonical


def _severity_rank(severity: str) -> int:
    """Return the sort position of a severity (most severe first)."""
    return SEVERITY_ORDER.index(severity)


def recommendations_for_phenotype(gene: str, phenotype_term: str, drug: str | None = None) -> list[PgxRecommendation]:
    """Return every recommendation for a gene's phenotype, optionally for one drug only."""
    name, term = _reported_phenotype(gene, phenotype_term)
    wanted = drug.strip().lower() if drug is not None else None
    found = [
        PgxRecommendation(rule.gene, term, rule.drug, rule.recommendation, rule.strength, rule.severity, rule.source)
        for rule in _tables().rules
        if rule.gene == name and term in rule.phenotypes and (wanted is None or rule.drug == wanted)
    ]
    return sorted(found, key=lambda rec: (_severity_rank(rec.severity), rec.drug))


def recommendations_for_regimen(
    drug_names: Iterable[str], genotypes: Mapping[str, str], phenotypes: Mapping[str, str]
) -> list[PgxRecommendation]:
    """Return the recommendations that apply to a regimen, most severe first.

    `genotypes` maps gene to diplotype (e.g. {'CYP2D6': '*4/*4'}); `phenotypes` maps gene to a
    reported phenotype (e.g. {'CYP2C19': 'Poor Metabolizer'}) and wins over a genotype given
    for the same gene, because a lab's phenotype call may rest on data the diplotype lacks.
    """
    patient: dict[str, str] = {}
    for gene, diplotype in genotypes.items():
        result = phenotype(gene, diplotype)
        patient[result.gene] = result.phenotype
    for key, value in phenotypes.items():
        gene, term = _reported_phenotype(key, value)
        patient[gene] = term
    drugs = {name.strip().lower() for name in drug_names}
    found = [
        PgxRecommendation(rule.gene, patient[rule.gene], rule.drug, rule.recommendation, rule.strength,
                          rule.severity, rule.source)
        for rule in _tables().rules
        if rule.drug in drugs and patient.get(rule.gene) in rule.phenotypes
    ]
    return sorted(found, key=lambda rec: (_severity_rank(rec.severity), rec.drug, rec.gene))


def recommendation_drugs() -> frozenset[str]:
    """Return the generic names that have at least one pharmacogenomic recommendation."""
    return frozenset(rule.drug for rule in _tables().rules)
