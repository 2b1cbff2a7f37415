"""Messaging fixtures; the named people come from tests/conftest.py, Pat's portal link to Dana and
her medicines from the portal's fixtures. Attachments are written to a fresh data directory."""

from __future__ import annotations

import io

import pytest

from dosewise.portal.tests.conftest import dana_meds, link_portal, pat, rosa  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def png_bytes(size=(4, 3)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + extra + b">> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
