"""JSON from outside, parsed with a nesting limit.

Python's parser recurses once per level, so a few kilobytes of "[[[[..." raise
RecursionError (a server error) instead of a clear refusal; no document we accept (a FHIR
Bundle nests about ten levels) comes near MAX_DEPTH. The depth is measured before parsing,
on the brackets outside strings, without recursion.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 64
# A JSON string, escapes included (the unrolled form: one pass, no backtracking between alternatives).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST_PAIR = re.compile(r"\[\]|\{\}")


class JsonTooDeep(ValueError):
    """The document nests deeper than the limit."""


def json_depth(text: str, stop_after: int = MAX_DEPTH + 1) -> int:
    """Return how deeply arrays and objects nest in `text` (0 for a scalar), counting no further
    than `stop_after`; brackets inside strings do not count.

    Each pass removes the innermost pairs, so the number of passes is the depth: a handful of
    fast passes for real documents, and at most `stop_after` for a hostile one.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    while brackets and depth < stop_after:
        brackets, removed = _INNERMOST_PAIR.subn("", brackets)
        if not removed:
            break  # unbalanced: not JSON, which the parser then reports
        depth += 1
    return depth


def json_loads_limited(text: str, max_depth: int = MAX_DEPTH):
    """Parse `text` like json.loads; raise JsonTooDeep when it nests deeper than `max_depth`
    (json.JSONDecodeError for text that is not JSON, as json.loads does)."""
    depth = json_depth(text)
    if depth > max_depth:
        raise JsonTooDeep(f"nested {depth} levels deep; at most {max_depth} are accepted")
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonTooDeep(f"nested too deeply; at most {max_depth} levels are accepted") from None
