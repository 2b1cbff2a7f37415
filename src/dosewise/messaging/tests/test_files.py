"""Attachments are judged by their bytes, not by their names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dosewise.messaging.files import MAX_BYTES, clean_name, file_check, file_path, file_store
from dosewise.messaging.tests.conftest import pdf_bytes, png_bytes


def test_a_real_photo_and_a_real_pdf_are_accepted_with_the_type_their_content_shows():
    assert file_check("rash.png", png_bytes()).content_type == "image/png"
    assert file_check("lab report.PDF", pdf_bytes()).content_type == "application/pdf"


def test_a_text_file_named_like_a_photo_is_refused():
    with pytest.raises(ValidationError, match="not a photo"):
        file_check("rash.png", b"this is not an image at all")


def test_a_truncated_photo_is_refused():
    with pytest.raises(ValidationError, match="not a photo"):
        file_check("rash.png", png_bytes((64, 64))[:60])


def test_a_photo_whose_name_says_pdf_is_refused_with_the_name_to_use():
    with pytest.raises(ValidationError, match=r"really a PNG file .* end in \.png"):
        file_check("report.pdf", png_bytes())


def test_a_pdf_carrying_a_script_is_refused():
    with pytest.raises(ValidationError, match="script"):
        file_check("form.pdf", pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "))


def test_an_empty_or_too_large_file_is_refused_with_the_limit():
    with pytest.raises(ValidationError, match="empty"):
        file_check("a.png", b"")
    with pytest.raises(ValidationError, match="up to 10 MB"):
        file_check("big.pdf", b"%PDF-1.4" + b"0" * MAX_BYTES + b"%%EOF")


def test_names_lose_folders_and_control_characters():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\me\\photo\x00.png") == "photo.png"
    assert clean_name("") == "attachment"


def test_stored_files_get_random_names_inside_the_data_directory(settings):
    name = file_store(b"abc")
    assert file_path(name).read_bytes() == b"abc"
    assert file_path(name).parent.parent == settings.DATA_DIR
    with pytest.raises(ValueError):
        file_path("../secret_key")
