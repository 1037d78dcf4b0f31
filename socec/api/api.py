"""The REST API at /api/v1/, built with django-ninja.

Why ninja: typed schemas validate what clients send and describe the API in OpenAPI
(/api/v1/openapi.json), which the fuzzing (schemathesis) needs; and an operation is a plain function that
calls the same services, selectors and access helpers the staff pages call, so no rule is written twice.

Addressing: projects by their code; everything inside a project by the project's code and the object's
numeric id: /projects/{code}/participants/{id}, /projects/{code}/courses/{id}, /projects/{code}/
enterprises/{id} (the organisation's id), /projects/{code}/jobs/{id}... A participant is found by its
person reference with the list's filter `?person_ref=`. Ids are stable and never hold a '/', which a
person reference may.

Authentication: `Authorization: Bearer <token>` (tokens from `socec api_token create`), or the staff
session of the browser (unsafe methods then need Django's CSRF token in the X-CSRFToken header).
Answers: 401 without valid credentials; 404 for what the user may not see; 403 for what they may see but
not change (the access helpers decide); 400 for invalid input, naming the field; 409 for a conflict; 429
past a rate limit (with Retry-After). Every error is JSON: {"detail": "...", "errors": [{"field": ...,
"message": ...}]}.

Lists: `?cursor=<opaque>&limit=<1..500>` -> {"items": [...], "next_cursor": "..." | null}, in primary-key
order. Three read-only operations kept from before the API keep their own shapes at their old paths:
the indicator report, the records behind a figure (page numbers) and the public directory (`after`).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from .auth import AUTH, AuthFailed
from .base import ApiError, validation_errors
from .locking import Conflict
from .ratelimit import RateLimited

log = logging.getLogger("socec.api")


class SocecAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = SocecAPI(title="SOCEC API", version="1", description=__doc__, auth=AUTH, docs_url=None, urls_namespace="api")


def _error(request, status: int, detail: str, errors=None, headers=None):
    response = api.create_response(request, {"detail": str(detail), "errors": errors or []}, status=status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.detail, exc.errors)


def _field_of(loc) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "body", "form", "file", "header", "cookie"):
        where, parts = parts[0], parts[1:]
        if where in ("body", "form") and len(parts) > 1:
            parts = parts[1:]  # the operation's parameter name, not a field the client wrote
    return ".".join(parts) or None


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = [{"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors]
    return _error(request, 400, _("The request is not valid: see the errors."), errors)


@api.exception_handler(Conflict)
def _stale(request, exc: Conflict):
    body = exc.as_dict()
    body["errors"] = [{"field": c["field"], "message": exc.messages[0]} for c in body["changes"]]
    return api.create_response(request, body, status=409)


@api.exception_handler(ValidationError)
def _invalid_data(request, exc: ValidationError):
    errors = validation_errors(exc)
    return _error(request, 400, errors[0]["message"] if len(errors) == 1 else _("The data is not valid: see the "
                                                                                  "errors."), errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, str(exc) or _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    message = str(exc.message) if isinstance(exc, AuthFailed) else _(
        "Authenticate: send 'Authorization: Bearer <token>' or sign in.")
    return _error(request, 401, message, headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(AuthFailed)
def _bad_token(request, exc):
    return _unauthenticated(request, exc)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc: RateLimited):
    return _error(request, 429, _("Too many requests from your address: try again in %(s)s seconds.") % {
        "s": exc.wait}, headers={"Retry-After": str(exc.wait)})


@api.exception_handler(Throttled)
def _throttled(request, exc):
    return _error(request, 429, _("Too many requests."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    return _error(request, 409, _("This conflicts with data already recorded (a duplicate code or reference?)."))


@api.exception_handler(DataError)
def _data_error(request, exc):
    return _error(request, 400, _("A value is out of range or too long for its field."))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    log.exception("API error on %s %s", request.method, request.path)
    return _error(request, 500, _("Something went wrong on our side; it has been logged."))


def _mount():
    from .routes import (  # noqa: PLC0415 - the routers import models; mounted once, here
        audit,
        enterprises,
        indicators,
        organisations,
        outreach,
        participants,
        projects,
        public,
        training,
        workbook,
    )

    for module in (projects, participants, training, enterprises, outreach, workbook, indicators, audit, organisations,
                   public):
        api.add_router("", module.router)


_mount()
