"""The audit trail in words: an event's detail, stored as a small JSON object, read as a sentence.

The stored detail stays as it is (the CSV export and the seals carry it verbatim); only the
report's Detail column turns {"tab": "overview", "via": "care_team"} into
"Tab: overview. Via: care team." so that a reviewer reads it without decoding keys.
"""

from __future__ import annotations

# Keys whose short names would read badly as words.
KEY_WORDS = {
    "n": "Count", "mrn": "MRN", "ip": "Address", "rule_id": "Rule", "by_patient": "By the patient",
    "to_role": "To role", "from": "From", "to": "To", "q": "Search",
}


def _key_words(key: str) -> str:
    return KEY_WORDS.get(key) or key.replace("_", " ").capitalize()


def _value_words(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None or value == "":
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_words(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{_key_words(str(k)).lower()} {_value_words(v)}" for k, v in value.items())
    text = str(value)
    # Internal codes (care_team, break_glass) read as words; free text is left as typed.
    return text.replace("_", " ") if text.isidentifier() else text


def audit_detail_sentence(detail) -> str:
    """Return an event's detail as short sentences, one per key ("" when there is none)."""
    if not detail:
        return ""
    if not isinstance(detail, dict):
        return _value_words(detail)
    parts = []
    for key, value in detail.items():
        words = _value_words(value)
        parts.append(f"{_key_words(str(key))}: {words}{'' if words.endswith('.') else '.'}")
    return " ".join(parts)
