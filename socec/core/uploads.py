"""Uploaded files: what they really are, judged by their first bytes and never by their name.

Shared by every upload (evidence documents of participants, event photos, publication files):
`sniff(file, allowed)` names the kind or answers None; images must also decode whole."""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


JPEG = FileKind("jpg", "image/jpeg", "JPEG")
PNG = FileKind("png", "image/png", "PNG")
PDF = FileKind("pdf", "application/pdf", "PDF")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "ODT")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")

BY_EXTENSION = {k.extension: k for k in (JPEG, PNG, PDF, ODT, DOCX)}


def head(file, n: int = 16) -> bytes:
    file.seek(0)
    head = file.read(n)
    file.seek(0)
    return head or b""


def zip_kind(file) -> FileKind | None:
    """ODT: a zip whose `mimetype` entry names the OpenDocument text type; DOCX: a zip with the
    Word document part. Only the central directory and one small entry are read."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if ("mimetype" in names and archive.getinfo("mimetype").file_size < 100
                    and archive.read("mimetype").strip() == ODT.content_type.encode()):
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None


def image_is_whole(file) -> bool:
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - any failure to decode means "not a usable image"
        return False
    finally:
        file.seek(0)


def size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def too_big(limit: int) -> ValidationError:
    return ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit // MB}, code="too_big")


def sniff(file, allowed) -> FileKind | None:
    """The kind of `file` among `allowed` (FileKinds), by content; None when it is none of them."""
    start = head(file)
    if start.startswith(b"%PDF-"):
        kind = PDF
    elif start.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif start.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif start.startswith(b"PK\x03\x04") and (ODT in allowed or DOCX in allowed):
        kind = zip_kind(file)
    else:
        kind = None
    if kind not in allowed:
        return None
    if kind in (JPEG, PNG) and not image_is_whole(file):
        return None
    return kind
