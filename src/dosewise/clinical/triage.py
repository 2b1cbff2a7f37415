"""Triage a reported symptom against the danger signs of the patient's medicines.

`triage(drugs, symptom, severity)` reads the free text (a portal report, a clinician's note,
`dosewise triage --symptom`), recognises the concepts of the symptom vocabulary in
`kb/danger_signs.json` (synonyms, plurals and phrases: "blistering rash", "swollen glands and
a temperature"; a concept after "no", "not", "without"... in the same clause is taken as
denied), and fires every danger sign of every medicine whose conditions hold. Each sign comes
from its drug's label (boxed warning or warnings section) and is cited per drug; a few
general signs (suicidal thoughts, anaphylaxis, trouble breathing, chest pain, seizure,
priapism) apply whatever the medicines.

Urgency: `emergency` (call 911 or go to the emergency department now), `urgent` (the care
team acts today), `soon` (within two days), `routine` (next visit). The most urgent sign
decides; with no danger sign a severe effect is `soon` and anything else `routine`. The
patient's advice always says what to do next and gives the clinic's phone number when the
caller passes it; it carries no rule names or citations (those are in `sources` and
`clinician_advice`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dosewise.clinical.citations import BOXED, WARNINGS, label_citation
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import Ingredient, KnowledgeBase, KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.selection import selects

DANGER_SIGNS_FILE = "danger_signs.json"
URGENCIES = ("emergency", "urgent", "soon", "routine")
SEVERITIES = ("mild", "moderate", "severe")
URGENCY_RANK = MappingProxyType({name: rank for rank, name in enumerate(URGENCIES)})
MAX_SYMPTOM_CHARS = 2000
_TOKEN = re.compile(r"[a-z0-9]+|[.,;:!?()]")
_BOUNDARY = "|"
# How many words before a concept a negation may stand ("no fever", "not had a rash").
_NEGATION_REACH = 3
# Extra words allowed between the words of a phrase, in any order ("glands are swollen").
_PHRASE_SLACK = 2
# What a phrase's words in another order may not stand across.
_SEPARATORS = frozenset({_BOUNDARY, "and", "or", "but", "with", "plus", "also", "then"})


# Words too common to look a phrase up by ("pain in my chest" is found through "pain" and "chest");
# a phrase still needs all its words, these included, to match.
_UNINDEXED = frozenset({"a", "an", "the", "my", "i", "in", "of", "to", "on", "at", "is", "am", "are", "be", "and",
                        "for", "it", "me", "with", "up", "that", "this", "when", "after", "so", "all", "no", "not",
                        "dont", "cant", "ha", "have", "had", "been", "too", "very", "will", "get", "go", "was"})


@functools.lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """Return a crude stem, applied alike to the vocabulary and to the text (plurals, -ing, -ed, final e)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 3 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Return the stemmed words of a text, with '|' where punctuation ends a clause."""
    cleaned = text.casefold().replace("'", "").replace("\u2019", "").replace("-", " ")
    return [_BOUNDARY if not token[0].isalnum() else stem(token) for token in _TOKEN.findall(cleaned)]


@dataclass(frozen=True)
class Match:
    """One danger sign that fired, for the drugs (none for a general sign) it was fired by."""

    sign: str
    name: str
    urgency: str
    drugs: tuple[str, ...]
    patient: str
    clinician: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"sign": self.sign, "name": self.name, "urgency": self.urgency, "drugs": list(self.drugs)}


@dataclass(frozen=True)
class Triage:
    """The urgency of a report, what the patient should do, what the team should do, and why."""

    urgency: str
    patient_advice: str
    clinician_advice: str
    sources: tuple[str, ...]
    # The patient's advice in its parts: what to do now, what each sign means, the safety net.
    patient_steps: tuple[str, ...]
    matches: tuple[Match, ...]
    symptoms: tuple[str, ...]
    drugs: tuple[str, ...]
    severity: str | None
    kb_version: str

    @property
    def label(self) -> str:
        return _tables(load_kb()).urgencies[self.urgency]["label"]

    def to_dict(self) -> dict[str, Any]:
        """Return the triage as JSON-ready data."""
        return {
            "urgency": self.urgency,
            "patient_advice": self.patient_advice,
            "patient_steps": list(self.patient_steps),
            "clinician_advice": self.clinician_advice,
            "sources": list(self.sources),
            "matches": [m.to_dict() for m in self.matches],
            "symptoms": list(self.symptoms),
            "drugs": list(self.drugs),
            "severity": self.severity,
            "kb_version": self.kb_version,
        }


# ---------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True, eq=False)
class _Sign:
    raw: Mapping[str, Any]
    id: str
    any: frozenset[str]
    requires: tuple[frozenset[str], ...]
    min_count: int
    escalate: frozenset[str]
    alone: frozenset[str]
    # drug -> its sources (empty mapping for a general sign)
    sources: Mapping[str, tuple[str, ...]]

    def urgency_for(self, found: frozenset[str], severity: str | None) -> str | None:
        """Return the sign's urgency for the recognised concepts, or None when it does not fire."""
        if not (self.alone & found):
            hits = self.any & found
            if len(hits) < self.min_count or not hits:
                return None
            if any(not (group & found) for group in self.requires):
                return None
        urgency = self.raw["urgency"]
        if severity is not None:
            urgency = self.raw.get("severity", {}).get(severity, urgency)
        if self.escalate & found:
            urgency = min(urgency, self.raw["escalate"]["urgency"], key=URGENCY_RANK.__getitem__)
        return urgency


@dataclass(frozen=True, eq=False)
class _Tables:
    kb: KnowledgeBase
    urgencies: Mapping[str, Mapping[str, str]]
    safety_net: str
    labels: Mapping[str, str]
    # every stemmed word of a phrase -> ((concept, stemmed phrase), ...)
    phrases: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]
    negations: frozenset[str]
    breaks: frozenset[str]
    general: tuple[_Sign, ...]
    by_drug: Mapping[str, tuple[_Sign, ...]]


def _sign_sources(raw: Mapping[str, Any], ingredient: Ingredient) -> tuple[str, ...]:
    """Return the sources of one sign for one drug: its label section, or its boxed warning's own source."""
    found: list[str] = []
    topics = raw["select"].get("boxed_topics", ())
    found += [w["source"] for w in ingredient.boxed_warnings if w["topic"] in topics]
    citation = raw.get("cite", {}).get(ingredient.name) or raw.get("citation")
    if citation is not None and not found:
        part = BOXED if citation["part"] == "boxed" else WARNINGS
        found.append(label_citation(ingredient, part, citation["topic"]))
    found += list(raw.get("sources", ()))
    return tuple(dict.fromkeys(found))


def _check_concepts(raw: Mapping[str, Any], vocabulary: Mapping[str, Any], where: str) -> None:
    named = set(raw["any"]) | set(raw.get("alone", ())) | {c for group in raw.get("requires", ()) for c in group}
    named |= set(raw.get("escalate", {}).get("any", ()))
    for concept in sorted(named - set(vocabulary)):
        raise KnowledgeBaseError(f"{where}: unknown symptom concept {concept!r} (not in the vocabulary)")


def _check_select(raw: Mapping[str, Any], kb: KnowledgeBase, where: str) -> None:
    select = raw["select"]
    for name in sorted(set(select.get("drugs", ())) | set(select.get("except", ())) | set(raw.get("cite", {}))):
        if name not in kb.ingredients:
            raise KnowledgeBaseError(f"{where}: unknown drug {name!r} (not a formulary name)")
    for name in sorted(select.get("classes", ())):
        if name not in kb.by_class:
            raise KnowledgeBaseError(f"{where}: unknown class {name!r}")
    if not raw.get("citation") and not raw.get("sources") and not select.get("boxed_topics"):
        raise KnowledgeBaseError(f"{where}: a sign needs a citation, sources or boxed_topics")


def _sign(raw: Mapping[str, Any], sources: Mapping[str, tuple[str, ...]]) -> _Sign:
    return _Sign(raw=raw, id=raw["id"], any=frozenset(raw["any"]),
                 requires=tuple(frozenset(group) for group in raw.get("requires", ())),
                 min_count=raw.get("min_count", 1), escalate=frozenset(raw.get("escalate", {}).get("any", ())),
                 alone=frozenset(raw.get("alone", ())),
                 sources=MappingProxyType(dict(sources)))


@functools.lru_cache(maxsize=4)
def _tables(kb: KnowledgeBase) -> _Tables:
    """Compile the vocabulary and the signs of one knowledge base."""
    data = kb.data(DANGER_SIGNS_FILE)
    vocabulary = data["vocabulary"]
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for concept, entry in vocabulary.items():
        for phrase in entry["phrases"]:
            words = tuple(t for t in tokens(phrase) if t != _BOUNDARY)
            if not words:
                raise KnowledgeBaseError(f"{DANGER_SIGNS_FILE} vocabulary {concept!r}: empty phrase {phrase!r}")
            keys = [word for word in dict.fromkeys(words) if word not in _UNINDEXED] or [words[0]]
            for word in keys:
                index.setdefault(word, []).append((concept, words))
    seen: set[str] = set()
    general = []
    for raw in data["general"]:
        where = f"{DANGER_SIGNS_FILE} general sign {raw['id']!r}"
        _check_concepts(raw, vocabulary, where)
        general.append(_sign(raw, {"": tuple(raw["sources"])}))
        seen.add(raw["id"])
    by_drug: dict[str, list[_Sign]] = {}
    for raw in data["signs"]:
        where = f"{DANGER_SIGNS_FILE} sign {raw['id']!r}"
        if raw["id"] in seen:
            raise KnowledgeBaseError(f"{where}: duplicate sign id")
        seen.add(raw["id"])
        _check_concepts(raw, vocabulary, where)
        _check_select(raw, kb, where)
        picked = [i for i in kb.ingredients.values() if selects(raw["select"], i)]
        sign = _sign(raw, {i.name: _sign_sources(raw, i) for i in picked})
        for ingredient in picked:
            by_drug.setdefault(ingredient.name, []).append(sign)
    return _Tables(
        kb=kb, urgencies=data["urgencies"], safety_net=data["safety_net"],
        labels=MappingProxyType({concept: entry["label"] for concept, entry in vocabulary.items()}),
        phrases=MappingProxyType({word: tuple(found) for word, found in index.items()}),
        negations=frozenset(t for w in data["negations"] for t in tokens(w)),
        breaks=frozenset(t for w in data["breaks"] for t in tokens(w)) | {"and", _BOUNDARY},
        general=tuple(general),
        by_drug=MappingProxyType({name: tuple(signs) for name, signs in by_drug.items()}),
    )


def signs_for(drug: str, kb: KnowledgeBase | None = None) -> tuple[Mapping[str, Any], ...]:
    """Return the danger-sign entries (as in the data file) that apply to one formulary drug."""
    kb = kb or load_kb()
    return tuple(sign.raw for sign in _tables(kb).by_drug.get(resolve_drug(drug, kb), ()))


def sign_sources(drug: str, sign_id: str, kb: KnowledgeBase | None = None) -> tuple[str, ...]:
    """Return the sources of one sign for one drug."""
    kb = kb or load_kb()
    for sign in _tables(kb).by_drug.get(drug, ()):
        if sign.id == sign_id:
            return sign.sources[drug]
    raise ClinicalInputError(f"no danger sign {sign_id!r} for {drug}")


# ---------------------------------------------------------------------------------------
# Matching


def _negated(words: list[str], start: int, tables: _Tables) -> bool:
    """Return whether a negation stands shortly before `start` in the same clause."""
    for position in range(start - 1, max(-1, start - 1 - _NEGATION_REACH), -1):
        word = words[position]
        if word in tables.breaks:
            return False
        if word in tables.negations:
            return True
    return False


def _phrase_start(words: list[str], position: int, phrase: tuple[str, ...]) -> int | None:
    """Return where the phrase starts when it stands around `position`, else None.

    Its words in order ("swollen glands"), or in another order with a little slack ("glands are
    swollen"), but never across a clause boundary or a conjunction: in "sore throat and swollen
    glands" the throat is not swollen.
    """
    if len(phrase) == 1:
        return position
    word = words[position]
    start = position - phrase.index(word)
    if start >= 0 and tuple(words[start:start + len(phrase)]) == phrase:
        return start
    reach = len(phrase) - 1 + _PHRASE_SLACK
    low, high = position, position
    while low > 0 and position - low < reach and words[low - 1] not in _SEPARATORS:
        low -= 1
    while high < len(words) - 1 and high - position < reach and words[high + 1] not in _SEPARATORS:
        high += 1
    window = words[low:high + 1]
    if not all(w in window for w in phrase):
        return None
    return low + min(window.index(w) for w in phrase)


def recognise(text: str, kb: KnowledgeBase | None = None) -> frozenset[str]:
    """Return the vocabulary concepts the text names (and does not deny)."""
    tables = _tables(kb or load_kb())
    words = tokens(text)
    present = set(words)
    found: set[str] = set()
    for position, word in enumerate(words):
        for concept, phrase in tables.phrases.get(word, ()):
            if concept in found or not present.issuperset(phrase):
                continue
            start = _phrase_start(words, position, phrase)
            if start is not None and not _negated(words, start, tables):
                found.add(concept)
    return frozenset(found)


# ---------------------------------------------------------------------------------------
# Triage


def _resolve(drugs: Iterable[str], kb: KnowledgeBase) -> tuple[str, ...]:
    if isinstance(drugs, str):
        raise ClinicalInputError("drugs must be a list of drug names, not one string")
    return tuple(dict.fromkeys(resolve_drug(drug, kb) for drug in drugs))


def _phone(template: str, phone: str | None) -> str:
    text = template.replace("{phone}", phone) if phone else template.replace(" at {phone}", "").replace("{phone}", "")
    return text.replace("Call us", "Call your clinic") if not phone else text


@dataclass
class _Found:
    sign: _Sign
    urgency: str
    drugs: list[str] = field(default_factory=list)


def triage(drugs: Sequence[str], symptom: str, severity: str | None = None, *, clinic_phone: str | None = None,
           kb: KnowledgeBase | None = None) -> Triage:
    """Return the urgency and advice for a symptom reported on these medicines."""
    kb = kb or load_kb()
    tables = _tables(kb)
    if not isinstance(symptom, str) or not symptom.strip():
        raise ClinicalInputError("describe the symptom: the text is empty")
    if len(symptom) > MAX_SYMPTOM_CHARS:
        raise ClinicalInputError(f"the symptom text is longer than {MAX_SYMPTOM_CHARS} characters")
    if severity is not None and severity not in SEVERITIES:
        raise ClinicalInputError(f"severity must be one of: {', '.join(SEVERITIES)}; got {severity!r}")
    names = _resolve(drugs, kb)
    found = recognise(symptom, kb)

    fired: dict[str, _Found] = {}
    for sign in tables.general:
        urgency = sign.urgency_for(found, severity)
        if urgency is not None:
            fired[sign.id] = _Found(sign, urgency)
    for name in names:
        for sign in tables.by_drug.get(name, ()):
            urgency = sign.urgency_for(found, severity)
            if urgency is None:
                continue
            entry = fired.setdefault(sign.id, _Found(sign, urgency))
            entry.urgency = min(entry.urgency, urgency, key=URGENCY_RANK.__getitem__)
            entry.drugs.append(name)
    matches = sorted(
        (Match(sign=f.sign.id, name=f.sign.raw["name"], urgency=f.urgency, drugs=tuple(f.drugs),
               patient=f.sign.raw["patient"], clinician=f.sign.raw["clinician"],
               sources=tuple(dict.fromkeys(s for d in (f.drugs or [""]) for s in f.sign.sources[d])))
         for f in fired.values()),
        key=lambda m: (URGENCY_RANK[m.urgency], m.sign))
    if matches:
        urgency = matches[0].urgency
    else:
        urgency = "soon" if severity == "severe" else "routine"
    steps = _patient_steps(tables, urgency, matches, clinic_phone)
    return Triage(
        urgency=urgency, patient_advice=" ".join(steps), patient_steps=steps,
        clinician_advice=_clinician_advice(tables, urgency, matches, found, names, severity),
        sources=tuple(dict.fromkeys(s for m in matches for s in m.sources)), matches=tuple(matches),
        symptoms=tuple(sorted(tables.labels[c] for c in found)), drugs=names, severity=severity,
        kb_version=kb.version)


def _patient_steps(tables: _Tables, urgency: str, matches: Sequence[Match], phone: str | None) -> tuple[str, ...]:
    lines = [_phone(tables.urgencies[urgency]["patient"], phone)]
    lines += list(dict.fromkeys(m.patient for m in matches))
    if urgency == "emergency":
        lines.append(_phone("When you can, call us at {phone} to tell us what happened.", phone))
    else:
        lines.append(tables.safety_net)
    return tuple(lines)


def _clinician_advice(tables: _Tables, urgency: str, matches: Sequence[Match], found: frozenset[str],
                      names: Sequence[str], severity: str | None) -> str:
    reported = ", ".join(sorted(tables.labels[c] for c in found)) or "no danger-sign symptom recognised"
    head = f"{tables.urgencies[urgency]['clinician']} Reported: {reported}"
    head += f" ({severity})." if severity else "."
    lines = [head]
    for match in matches:
        on = f" on {', '.join(match.drugs)}" if match.drugs else ""
        lines.append(f"{match.urgency.capitalize()}: possible {match.name}{on}. {match.clinician}")
    if not matches:
        lines.append(f"No danger sign of {', '.join(names) or 'the current medicines'} matches this report.")
    return " ".join(lines)


__all__ = ["SEVERITIES", "URGENCIES", "Match", "Triage", "recognise", "sign_sources", "signs_for", "stem",
           "tokens", "triage"]
