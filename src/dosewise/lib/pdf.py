"""Turn a rendered HTML document into PDF bytes (xhtml2pdf over ReportLab: pure Python wheels).

The documents are the same templates as the pages; a PDF document template wraps their body
with the print stylesheet `dosewise/pdf.css` inlined, because the renderer fetches nothing.
See docs/decisions/0008-pdf-documents-and-fax.md for why this renderer.
"""

from __future__ import annotations

import io
import logging

from django.http import HttpResponse
from xhtml2pdf import pisa

PDF_MIMETYPE = "application/pdf"


class PdfRenderError(RuntimeError):
    """The renderer reported errors; the message names how many."""


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of a complete HTML document (styles inline, no external resources)."""
    out = io.BytesIO()
    # xhtml2pdf logs every CSS property it ignores at WARNING; those are not errors of ours.
    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    status = pisa.CreatePDF(src=html, dest=out, encoding="utf-8", link_callback=_no_external_resources)
    if status.err:
        raise PdfRenderError(f"the PDF renderer reported {status.err} error(s)")
    return out.getvalue()


def _no_external_resources(uri: str, rel: str) -> str:
    # A document showing health data fetches nothing from anywhere while it is rendered.
    return ""


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Return the PDF as a download; the file name must not carry the patient's name."""
    response = HttpResponse(content, content_type=PDF_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
