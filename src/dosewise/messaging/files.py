"""Attachments: what a file really is, judged by its content, and where its bytes are kept.

A file is accepted when its bytes are a PDF or a PNG, JPEG, GIF or WebP image, whatever its
name or the type the browser claimed; the name's extension must agree with the content, so a
patient is never surprised by what opens. Images are decoded in full by Pillow (a truncated
or forged file fails, and Pillow refuses decompression bombs); a PDF must start with its
header, end with its end-of-file marker and carry no script or launch action, which a reader
could run. The bytes are written under the data directory with a random name and read back
only through a permission-checked view (docs/decisions/0051).
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 40_000_000
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {"image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}, "image/gif": {".gif"},
              "image/webp": {".webp"}, "application/pdf": {".pdf"}}
# PDF actions that make a reader run something: refused rather than trusted to the reader.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def attachments_dir() -> Path:
    """Return the folder attachments are kept in (inside the data directory, created on demand)."""
    folder = Path(settings.DATA_DIR) / "message-attachments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_name(name: str) -> str:
    """Return a file name safe to show and to send back: no folders, no control characters."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*').strip(" .")
    if len(name) > 100:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:100 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:100]
    return name or "attachment"


def _image_type(content: bytes) -> str | None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return None
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # verify() checks structure; load() decodes every pixel
    except Exception:  # any decoding failure: not an image we accept
        return None
    return IMAGE_TYPES.get(kind or "")


def _is_pdf(content: bytes) -> bool:
    return content[:1024].lstrip().startswith(b"%PDF-") and b"%%EOF" in content[-2048:]


def file_check(name: str, content: bytes) -> CheckedFile:
    """Return the file with its real type, or raise ValidationError saying what is wrong and what to do."""
    shown = clean_name(name)
    if not content:
        raise ValidationError(_("%(name)s is empty. Choose the file again.") % {"name": shown})
    if len(content) > MAX_BYTES:
        raise ValidationError(_("%(name)s is %(size).1f MB; files can be up to %(mb)d MB. Send a smaller photo or "
                                "split the document.") % {"name": shown, "size": len(content) / 1024 / 1024,
                                                          "mb": MAX_BYTES // 1024 // 1024})
    if _is_pdf(content):
        if _PDF_ACTIVE.search(content):
            raise ValidationError(_("%(name)s contains a script or an embedded program, which we cannot accept. "
                                    "Print it to a new PDF, or send a photo of it.") % {"name": shown})
        kind = "application/pdf"
    else:
        kind = _image_type(content)
        if kind is None:
            raise ValidationError(_("%(name)s is not a photo (JPEG, PNG, GIF, WebP) or a PDF we can open. Send one "
                                    "of those.") % {"name": shown})
    extension = Path(shown).suffix.lower()
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(_("%(name)s is really a %(kind)s file but its name ends in %(ending)s. Rename it to "
                                "end in %(expected)s, then send it again.") % {
            "name": shown, "kind": kind.split("/")[1].upper(), "ending": extension or _("nothing"),
            "expected": _(" or ").join(sorted(EXTENSIONS[kind]))})
    return CheckedFile(name=shown, content_type=kind, content=content)


def file_store(content: bytes) -> str:
    """Write the bytes under a new random name and return that name."""
    stored_as = secrets.token_hex(20)
    path = attachments_dir() / stored_as
    with open(path, "xb") as handle:
        handle.write(content)
    return stored_as


def file_path(stored_as: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{40}", stored_as):
        raise ValueError("not a stored attachment name")
    return attachments_dir() / stored_as
