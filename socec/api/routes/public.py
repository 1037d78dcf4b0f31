"""The public part of the API, no login: the open data (the public directory and the impact figures, as
/open-data/), the open market requests, and posting a request with the portal form's spam protection
(honeypot field `homepage`, a signed `started` stamp from GET /public/requests/stamp at least a few
seconds old, and the form's posts-per-IP limit). Anonymous callers are limited per IP
(SOCEC_API_PUBLIC_PER_MINUTE). The directory and impact keep the shapes of their earlier views."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from socec.market import selectors as market
from socec.market import services as market_services
from socec.market import spam
from socec.market.forms import RequestForm
from socec.market.models import Request
from socec.portal.activities import impact
from socec.portal.directory import selectors as directory

from .. import ratelimit
from ..base import DEFAULT_LIMIT, ApiError, ErrorOut, Id, Limit, Page, ShortText, Text, paginate, responses

router = Router(tags=["public"], auth=None)
PAGE = 500
MAX_PAGE = 2000


def _anonymous_limit(request) -> None:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return
    if ratelimit.count("public", request) > ratelimit._limit("public"):
        raise ratelimit.RateLimited(ratelimit.retry_after())


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


class DirectoryOut(Schema):
    columns: list[str]
    results: list[dict[str, Any]]
    next: str | None


class LegacyErrorOut(ErrorOut):
    field: str | None = None


@router.get("/public/organisations", response={**responses(DirectoryOut), 400: LegacyErrorOut},
            url_name="public_organisations", summary="The public directory, a page at a time by code")
def public_organisations(request, response: HttpResponse, after: ShortText = "", limit: ShortText | None = None):
    """`?after=<code>&limit=<1..2000>`; `next` is the address of the following page, null after the last."""
    _anonymous_limit(request)
    _cors(response)
    try:
        size = int(limit) if limit not in (None, "") else PAGE
    except ValueError:
        size = None
    if size is None or not 1 <= size <= MAX_PAGE:
        message = _("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_PAGE}
        return Status(400, {"detail": message, "errors": [{"field": "limit", "message": message}], "field": "limit"})
    rows = [dict(zip(directory.OPEN_DATA_COLUMNS, row, strict=True))
            for row in directory.open_data_rows(after=after[:40], limit=size + 1)]
    following = None
    if len(rows) > size:
        rows = rows[:size]
        following = request.build_absolute_uri(
            reverse("api_public_organisations") + "?" + urlencode({"after": rows[-1]["code"], "limit": size}))
    return {"columns": list(directory.OPEN_DATA_COLUMNS), "results": rows, "next": following}


class ImpactOut(Schema):
    columns: list[str]
    generated_on: str
    rows: list[dict[str, Any]]


@router.get("/public/impact", response=responses(ImpactOut), url_name="public_impact",
            summary="The impact figures per region, year and indicator")
def public_impact(request, response: HttpResponse):
    _anonymous_limit(request)
    _cors(response)
    return {"columns": list(impact.COLUMNS), "generated_on": dt.date.today().isoformat(),
            "rows": impact.open_data_rows(impact.impact_figures())}


# --- market requests --------------------------------------------------------------------------------------


class RequestOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    county: str | None
    caen_section: str
    caen: str
    organisation_name: str
    poster_kind: str
    created_at: dt.datetime


class StampOut(Schema):
    started: str
    min_seconds: int


class RequestIn(Schema):
    kind: ShortText
    title: ShortText
    description: Text
    county: ShortText = ""
    caen_section: ShortText = ""
    caen: ShortText = ""
    organisation_name: ShortText
    poster_kind: ShortText
    contact_email: ShortText
    started: ShortText = ""
    homepage: ShortText = ""


def request_out(r: Request) -> dict:
    return {"id": r.pk, "kind": r.kind, "title": r.title, "description": r.description, "county": r.county_id,
            "caen_section": r.caen_section, "caen": r.caen, "organisation_name": r.organisation_name,
            "poster_kind": r.poster_kind, "created_at": r.created_at}


@router.get("/public/requests", response=responses(Page[RequestOut]), summary="The open market requests")
def public_request_list(request, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
                        kind: ShortText = "", county: ShortText = "", section: ShortText = ""):
    _anonymous_limit(request)
    return paginate(market.public_requests(kind=kind, county=county.upper(), section=section), cursor, limit,
                    request_out)


@router.get("/public/requests/stamp", response=responses(StampOut),
            summary="A signed stamp to send back as `started` when posting a request")
def public_request_stamp(request):
    _anonymous_limit(request)
    return {"started": spam.new_stamp(), "min_seconds": spam.MIN_SECONDS}


@router.post("/public/requests", response=responses(RequestOut, 201), summary="Post a market request")
def public_request_post(request, payload: RequestIn):
    """As the portal's form: the same validation, the same spam checks; the private management link goes
    to the contact e-mail address."""
    _anonymous_limit(request)
    form = RequestForm(payload.dict())
    if not form.is_valid():
        errors = [{"field": None if f == "__all__" else f, "message": str(m)}
                  for f, messages in form.errors.items() for m in messages]
        raise ApiError(400, _("The request is not valid: see the errors."), errors)
    ip = spam.client_ip(request)
    reason = form.spam_error()
    if reason:
        field = "homepage" if payload.homepage.strip() else "started"
        raise ApiError(400, reason, [{"field": field, "message": reason}])
    if spam.rate_limited(ip):
        raise ratelimit.RateLimited(spam.RATE_WINDOW_SECONDS)
    values = {name: form.cleaned_data[name] for name in market_services.POST_FIELDS}
    item = market_services.request_post(by=None, site_url=request.build_absolute_uri("/"), **values)
    spam.count_post(ip)
    return Status(201, request_out(item))


class CloseIn(Schema):
    token: ShortText


class ClosedOut(Schema):
    id: int
    is_open: bool
    closed_at: dt.datetime | None


@router.post("/public/requests/{pk}/close", response=responses(ClosedOut),
             summary="Close a market request, with the token of the private management link e-mailed to the poster")
def public_request_close(request, pk: Id, payload: CloseIn):
    """The management link is /market/requests/<id>/manage/<token>/; whoever holds it may close the request.
    404 for an unknown request or a token that is not its own (as the link's page)."""
    _anonymous_limit(request)
    item = Request.objects.filter(pk=pk).first()
    if item is None or not market_services.token_is_valid(item, payload.token):
        raise Http404(_("This management link is not valid."))
    item = market_services.request_close(request=item, by=None, token=payload.token)
    return {"id": item.pk, "is_open": item.is_open, "closed_at": item.closed_at}
