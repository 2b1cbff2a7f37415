"""CSV downloads that a spreadsheet opens safely: one writer for every export.

A cell that starts with = + - @, a tab or a carriage return is read by spreadsheet programs
as a formula, so a patient named "=HYPERLINK(...)" or an audit detail an attacker typed
could run in the reader's spreadsheet (CSV injection, OWASP). Such cells get a leading
single quote, as OWASP recommends; a cell that is a plain number ("-3", "12.5") is data,
not a formula, and is kept as it is. The file starts with a UTF-8 byte-order mark so that
Excel reads accents and non-Latin names correctly, and says so in its content type.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")


def csv_cell(value) -> str:
    """Return `value` as the text of one cell, with a formula trigger neutralised."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    """Yield the byte-order mark, the header line and one line per row, every cell made safe."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Return a streaming download of the rows (an iterable, consumed as the response is sent)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
