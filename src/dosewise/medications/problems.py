"""ICD-10-CM codes for the problem list, from the `simple-icd-10-cm` package (CMS release data).

The package takes about a second to load its data, so it is imported on first use, not when
Django starts. Codes are stored with their dot (F32.1) and the package's description.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from types import ModuleType

SEARCH_LIMIT = 20
# Chapter 5 (F01-F99), mental, behavioral and neurodevelopmental disorders, is listed first.
FIRST_CHAPTER_LETTER = "F"
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Icd10Code:
    code: str
    description: str


class InvalidIcd10Code(ValueError):
    """The text is not a codable ICD-10-CM diagnosis code; the message says what to do."""


@functools.cache
def _icd() -> ModuleType:
    # The package reads its data with importlib.resources' legacy functions, which warn on Python 3.11+.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm

        simple_icd_10_cm.get_all_codes(True)
    return simple_icd_10_cm


@functools.cache
def _index() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """Return (code, code without dot, description, its lower-case words) for every codable code."""
    icd = _icd()
    rows = []
    for code in icd.get_all_codes(True):
        if icd.is_category_or_subcategory(code) and icd.is_leaf(code):
            description = icd.get_description(code)
            rows.append((code, code.replace(".", ""), description, tuple(_WORD.findall(description.lower()))))
    rows.sort(key=lambda row: (not row[0].startswith(FIRST_CHAPTER_LETTER), row[0]))
    return tuple(rows)


def icd10_lookup(text: str) -> Icd10Code:
    """Return the code (with its dot) and description, or raise InvalidIcd10Code with a clear message.

    Only the most specific codes are accepted: ICD-10-CM Official Guidelines for Coding and
    Reporting FY2025, Section I.B.2, "a code is invalid if it has not been coded to the full
    number of characters required for that code".
    """
    icd = _icd()
    raw = text.strip().upper()
    if not raw:
        raise InvalidIcd10Code("Enter an ICD-10-CM code, e.g. F32.1, or search by description.")
    if not icd.is_valid_item(raw) or icd.is_chapter_or_block(raw):
        raise InvalidIcd10Code(f"{raw} is not an ICD-10-CM code: search by description or code prefix "
                               f"and pick one of the results (e.g. F32.1).")
    code = icd.add_dot(icd.remove_dot(raw))
    if not icd.is_leaf(code):
        children = ", ".join(icd.get_children(code)[:4])
        raise InvalidIcd10Code(f"{code} ({icd.get_description(code)}) is a category: choose a more specific "
                               f"code, e.g. {children}.")
    return Icd10Code(code=code, description=icd.get_description(code))


def icd10_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Icd10Code]:
    """Return up to `limit` codable codes matching a code prefix or word starts of a description, chapter F first."""
    text = query.strip().lower()
    if len(text) < 2:
        return []
    prefix = text.upper().replace(".", "")
    looks_like_code = text[0].isalpha() and text[1].isdigit()
    words = _WORD.findall(text)
    found = []
    for code, bare, description, description_words in _index():
        if bare.startswith(prefix) if looks_like_code else all(
                any(d.startswith(w) for d in description_words) for w in words):
            found.append(Icd10Code(code=code, description=description))
            if len(found) >= limit:
                break
    return found
