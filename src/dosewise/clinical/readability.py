"""Flesch-Kincaid grade level of plain-language patient text.

Grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
(Kincaid JP, Fishburne RP, Rogers RL, Chissom BS. Derivation of new readability formulas
for Navy enlisted personnel. Research Branch Report 8-75, Naval Technical Training
Command, 1975). Syllables are counted by vowel groups with the usual English corrections
(silent final e, -le endings, -ed and -es endings that add no syllable); like every
automatic counter it is an estimate, good enough to hold handouts to grade 8 or below
(health-literacy guidance advises writing for patients at about a 6th-grade level or below:
Weiss BD, Health Literacy and Patient Safety: Help Patients Understand, 2nd ed., American
Medical Association Foundation, 2007).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    grade: float


def count_syllables(word: str) -> int:
    """Return the estimated number of syllables of one English word (at least 1)."""
    text = word.lower().strip("'")
    if not text:
        return 0
    if text.isdigit():
        return max(1, len(text))
    text = re.sub(r"'s$", "", text)
    count = len(_VOWEL_GROUPS.findall(text))
    if len(text) > 2 and text.endswith("e") and not text.endswith(("le", "ee", "ye")):
        count -= 1
    elif len(text) > 3 and text.endswith(("ed", "es")) and text[-3] not in "aeiouytdscgxz":
        count -= 1
    return max(1, count)


def flesch_kincaid_grade(text: str) -> Readability:
    """Return word, sentence and syllable counts and the Flesch-Kincaid grade (0.0 for empty text)."""
    words = _WORD.findall(text)
    if not words:
        return Readability(words=0, sentences=0, syllables=0, grade=0.0)
    sentences = max(1, sum(1 for part in _SENTENCE_END.split(text) if _WORD.search(part)))
    syllables = sum(count_syllables(word) for word in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return Readability(words=len(words), sentences=sentences, syllables=syllables, grade=round(grade, 1))
