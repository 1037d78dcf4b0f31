"""What every operation shares: the error shape, the declared error responses, cursor pagination and
input types that refuse what the database would choke on."""

import base64
import binascii
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field

T = TypeVar("T")
MAX_LIMIT = 500
DEFAULT_LIMIT = 50


class FieldError(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class ChangeOut(Schema):
    field: str
    label: str
    value: str
    by: str
    at: str | None = None


class ConflictOut(ErrorOut):
    """409: the record changed since the version sent (socec/core/locking.py), or a duplicate."""

    code: str = "conflict"
    expected_version: int | None = None
    current_version: int | None = None
    changes: list[ChangeOut] = []


ERROR_CODES = (400, 401, 403, 404, 409, 429)


def responses(ok: Any, status: int = 200, *, extra: tuple = ()) -> dict:
    """The response table of an operation: its success schema and the error shape for every error code."""
    out = {status: ok}
    for code in (*ERROR_CODES, *extra):
        out[code] = ConflictOut if code == 409 else ErrorOut
    return out


PDF, JPEG, PNG, CSV, ZIP = "application/pdf", "image/jpeg", "image/png", "text/csv", "application/zip"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def binary(*media_types: str) -> dict:
    """openapi_extra of a download: its success answer is a file of one of these types, not JSON."""
    return {"responses": {200: {"description": "The file", "content": {
        t: {"schema": {"type": "string", "format": "binary"}} for t in media_types}}}}


class ApiError(Exception):
    """An error answer: status, message and field errors."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        self.status, self.detail, self.errors = status, detail, errors or []
        super().__init__(detail)


def bad_request(field: str, message: str) -> ApiError:
    return ApiError(400, message, [{"field": field, "message": message}])


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Strings the client sends: no NUL (PostgreSQL refuses them in text), bounded length.
Text = Annotated[str, AfterValidator(_no_nul), Field(max_length=5000)]
ShortText = Annotated[str, AfterValidator(_no_nul), Field(max_length=300)]


def validation_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"field": None if field == "__all__" else field, "message": str(m)}
                for field, messages in exc.message_dict.items() for m in messages]
    return [{"field": None, "message": str(m)} for m in exc.messages]


# --- cursor pagination -------------------------------------------------------------------------------------


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = text.partition(":")
        if kind != "pk" or not value.isdigit() or len(value) > 18:
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeError):
        raise bad_request("cursor", _("This cursor is not valid: use the next_cursor of the previous page.")) \
            from None


def paginate(qs: QuerySet, cursor: str | None, limit: int, item=lambda obj: obj, *, after_page=None) -> dict:
    """One page of `qs` in primary-key order: `limit` rows after the cursor, and the cursor of the next page
    (null after the last). `item` turns a row into its output; `after_page(rows)` may prepare them."""
    qs = qs.order_by("pk")
    if cursor:
        qs = qs.filter(pk__gt=decode_cursor(cursor))
    rows = list(qs[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    extra = after_page(rows) if after_page else None
    items = [item(r, extra) if after_page else item(r) for r in rows]
    return {"items": items, "next_cursor": encode_cursor(rows[-1].pk) if more and rows else None}


def day(value):
    return value.isoformat() if value else None


Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
MAX_ID = 2**63 - 1  # what a database integer column holds: larger numbers are refused, not sent to it
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=MAX_ID, description="the version you read; 409 when it changed since")]
