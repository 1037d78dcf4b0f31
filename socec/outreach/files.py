"""Uploaded files of outreach (event photos, publication files): what they really are, judged by
their first bytes and never by their name, and how they are served.

Files live in the default storage (settings.VAR_DIR / "private", outside any web root). They reach
a browser only through a view that checked access first and then calls `file_response`; the public
portal can call the same function once it has decided that a publication is public.
"""

import mimetypes
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from socec.core.uploads import BY_EXTENSION, DOCX, JPEG, MB, ODT, PDF, PNG, FileKind, size_of, sniff, too_big

__all__ = ["BY_EXTENSION", "DOCX", "JPEG", "ODT", "PDF", "PNG", "FileKind"]


def photo_max_bytes() -> int:
    return int(getattr(settings, "SOCEC_EVENT_PHOTO_MAX_BYTES", 10 * MB))


def publication_max_bytes() -> int:
    return int(getattr(settings, "SOCEC_PUBLICATION_MAX_BYTES", 50 * MB))



def photo_kind(file) -> FileKind:
    """JPEG or PNG, by magic bytes, decodable, within the size limit; else ValidationError."""
    if size_of(file) > photo_max_bytes():
        raise too_big(photo_max_bytes())
    kind = sniff(file, (JPEG, PNG))
    if kind is None:
        raise ValidationError(_("The photo must be a JPEG or PNG image."), code="file_type")
    return kind


def publication_kind(file) -> FileKind:
    """PDF, ODT or DOCX, by content, within the size limit; else ValidationError."""
    if size_of(file) > publication_max_bytes():
        raise too_big(publication_max_bytes())
    kind = sniff(file, (PDF, ODT, DOCX))
    if kind is None:
        raise ValidationError(_("The file must be a PDF, ODT or DOCX document."), code="file_type")
    return kind


def _new_upload(value) -> bool:
    """A FieldFile holding a file just uploaded (not yet stored): only those are checked again."""
    return bool(value) and not getattr(value, "_committed", True)


def validate_photo_file(value) -> None:
    if _new_upload(value):
        photo_kind(value.file)


def validate_publication_file(value) -> None:
    if _new_upload(value):
        publication_kind(value.file)



def safe_name(kind: FileKind) -> str:
    """Stored names never come from the user: a random name with the extension of the real type."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def kind_of_stored(name: str) -> FileKind | None:
    return BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def file_response(field_file, *, download_name: str, as_attachment: bool) -> FileResponse:
    """Serves a stored file after the caller has checked access. The type comes from the stored
    name, which the upload checks chose; the browser is told not to guess and to run nothing."""
    if not field_file:
        raise Http404(_("No file."))
    kind = kind_of_stored(field_file.name)
    content_type = kind.content_type if kind else (mimetypes.guess_type(field_file.name)[0]
                                                   or "application/octet-stream")
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The file is missing.")) from None
    name = f"{download_name}.{kind.extension}" if kind else download_name
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
