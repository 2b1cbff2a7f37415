"""UCUM units as people write them.

Units are stored and compared in UCUM (`10*3/uL`, `m[IU]/L`, `mL/min/{1.73_m2}`) so
conversions are unambiguous; a page shows the form printed on a lab report.
"""

from __future__ import annotations

# Whole-unit spellings first, then the pieces a unit is built from.
_WHOLE = {
    "mL/min/{1.73_m2}": "mL/min/1.73 m²",
    "kg/m2": "kg/m²",
    "/min": "beats/min",
    "%": "%",
}
_PIECES = (
    ("10*3", "×10³"), ("10*9", "×10⁹"), ("10*6", "×10⁶"), ("m[IU]", "mIU"), ("[IU]", "IU"),
    ("mm[Hg]", "mmHg"), ("{1.73_m2}", "1.73 m²"), ("ug", "µg"), ("uL", "µL"), ("umol", "µmol"), ("mcg", "µg"),
    ("meq", "mEq"),
)


def ucum_display(unit: str) -> str:
    """Return a UCUM unit in the form a lab report prints (unknown units unchanged)."""
    if not unit:
        return ""
    if unit in _WHOLE:
        return _WHOLE[unit]
    shown = unit
    for code, text in _PIECES:
        shown = shown.replace(code, text)
    return shown
