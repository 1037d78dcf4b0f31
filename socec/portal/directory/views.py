"""The public directory: search and filters, the county map, enterprise profiles with a contact form,
the reserved-contracts search and the organisations' open data. No login; only public organisations;
no personal data (contact goes through the form, the organisation's address is never shown)."""

import csv
import dataclasses
import datetime as dt
import functools
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from socec.outbox.models import OutboxMessage
from socec.outbox.services import message_queue
from socec.staff.enterprises.selectors import attestation, social_mark

from .. import freshness
from . import forms, selectors
from .maps import METRICS, county_map

PAGE_SIZE = 25
RESERVED_PAGE_SIZE = 50
CONTACT_LIMIT = 5  # messages per client address
CONTACT_WINDOW = 3600  # seconds


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


def _invalid_message(request, form) -> None:
    if form.is_bound and form.errors:
        messages.warning(request, _("Some filters were not understood and were left out: %(fields)s.") % {
            "fields": ", ".join(str(form.fields[name].label) for name in form.errors if name in form.fields)})


def _county_href(base_query: str):
    def href(code: str) -> str:
        return reverse("portal:directory") + "?" + (f"{base_query}&" if base_query else "") + urlencode(
            {"county": code})
    return href


# --- directory ----------------------------------------------------------------------------------


@require_safe
def directory(request):
    version = freshness.version()  # first: the page cached under it holds nothing older
    today = dt.date.today()
    form = forms.DirectoryForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.DirectoryFilters()
    _invalid_message(request, form)
    metric = request.GET.get("metric", "")
    base = _query_without(request, "county", "metric")

    @functools.cache
    def found() -> dict:
        """The page, the map and the totals: counted only when the cached page is missing."""
        stats = freshness.memo("stats", lambda: selectors.public_stats(today))
        ids = freshness.cached("ids", dataclasses.astuple(filters), lambda: selectors.search_ids(filters, today, stats))
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.rows_of(list(page.object_list), today, stats)
        # The map: the same search in every county (the county filter left out).
        without_county = dataclasses.replace(filters, county="", sort="name")
        everywhere = ids if not filters.county else freshness.cached(
            "ids", dataclasses.astuple(without_county), lambda: selectors.search_ids(without_county, today, stats))
        figures = selectors.figures_of(everywhere, stats)
        return {"page": page, "map": county_map(figures, metric, _county_href(base), current=filters.county),
                "totals": selectors.totals(figures)}

    return render(request, "portal/directory/directory.html", {
        "form": form, "query": _query_without(request), "filters": filters,
        "page": SimpleLazyObject(lambda: found()["page"]), "map": SimpleLazyObject(lambda: found()["map"]),
        "totals": SimpleLazyObject(lambda: found()["totals"]), "today": today,
        "map_query": _query_without(request, "metric"),
        "public_version": version,  # with the date, language and query: the cached page's key
    })


@require_safe
def county_map_view(request):
    version = freshness.version()  # first: the page cached under it holds nothing older
    today = dt.date.today()
    metric = request.GET.get("metric", "")
    metric = metric if metric in METRICS else METRICS[0]
    @functools.cache
    def figures() -> dict:  # counted only when the cached page is missing
        stats = freshness.memo("stats", lambda: selectors.public_stats(today))
        return selectors.figures_of(stats, stats)

    return render(request, "portal/directory/map.html", {
        "map": SimpleLazyObject(lambda: county_map(figures(), metric, _county_href(""))),
        "totals": SimpleLazyObject(lambda: selectors.totals(figures())),
        "metric": metric, "today": today, "public_version": version,
    })


# --- profile and contact ------------------------------------------------------------------------


def _profile(code: str):
    org = selectors.public_profile(code)
    if org is None:
        raise Http404(_("No such enterprise in the public directory."))
    return org


def _profile_context(org, contact_form=None) -> dict:
    today = dt.date.today()
    return {
        "org": org, "today": today, "products": list(org.products.order_by("kind", "name")),
        "attestation": attestation(org, today) if org.attested_on else None,
        "social_mark": social_mark(org, today) if org.social_mark_on else None,
        "caen_title": forms.readable_caen_title(org.caen),
        "can_contact": bool(org.contact_email),
        "contact_form": contact_form or (forms.ContactForm() if org.contact_email else None),
    }


@require_safe
def enterprise(request, code):
    org = _profile(code)
    return render(request, "portal/directory/enterprise.html", _profile_context(org))


def client_ip(request) -> str:
    """The address the request came from (the proxy in front must set REMOTE_ADDR to the client's)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_key(request) -> str:
    return f"socec:portal:contact:{client_ip(request)}"


def rate_limited(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= CONTACT_LIMIT


def _count_message(request) -> None:
    key = _rate_key(request)
    if cache.add(key, 1, CONTACT_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, CONTACT_WINDOW)


@require_http_methods(["GET", "POST"])
def enterprise_contact(request, code):
    org = _profile(code)
    if request.method == "GET" or not org.contact_email:
        return redirect(reverse("portal:enterprise", args=[org.code]) + "#contact")
    form = forms.ContactForm(request.POST)
    if form.looks_automated():
        # Honeypot filled or sent too fast: no message, and no reason given.
        messages.error(request, _("Your message could not be sent. Please try again in a moment."))
        again = forms.ContactForm(initial={k: request.POST.get(k, "") for k in ("name", "email", "message")})
        return render(request, "portal/directory/enterprise.html", _profile_context(org, again), status=400)
    if rate_limited(request):
        messages.error(request, _("Too many messages were sent from your connection. Please try again in an hour."))
        return render(request, "portal/directory/enterprise.html", _profile_context(org, form), status=429)
    if not form.is_valid():
        return render(request, "portal/directory/enterprise.html", _profile_context(org, form), status=400)
    data = form.cleaned_data
    body = _(
        "A visitor of the SOCEC public directory wrote to %(org)s.\n\nName: %(name)s\nE-mail: %(email)s\n\n"
        "%(message)s\n\n--\nAnswer by replying to this e-mail. SOCEC does not keep your address public."
    ) % {"org": org.name, "name": data["name"], "email": data["email"], "message": data["message"]}
    with transaction.atomic():
        message_queue(to=org.contact_email, subject=_("Message from the SOCEC directory: %(name)s") % {
            "name": data["name"]}, body=body, kind=OutboxMessage.Kind.CONTACT, reply_to=data["email"],
            organisation=org)
    _count_message(request)
    messages.success(request, _("Thank you, your message was sent to %(org)s.") % {"org": org.name})
    return redirect("portal:enterprise", code=org.code)


# --- reserved contracts -------------------------------------------------------------------------


RESERVED_HEADERS = ("code", "name", "legal_form", "county", "caen", "social_mark_until", "profile")


@require_safe
def reserved_contracts(request):
    today = dt.date.today()
    form = forms.ReservedForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.DirectoryFilters(reserved=True)
    _invalid_message(request, form)
    rows = selectors.directory_search(filters, today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="reserved-contracts-{today.isoformat()}.csv"'
        writer = csv.writer(response)
        writer.writerow(RESERVED_HEADERS)
        for org in rows.iterator(chunk_size=selectors.CHUNK):
            mark = social_mark(org, today) if org.social_marked else None
            writer.writerow([org.code, org.name, org.legal_form, org.county_id, org.caen,
                             mark.valid_until.isoformat() if mark else "",
                             request.build_absolute_uri(reverse("portal:enterprise", args=[org.code]))])
        return response
    page = Paginator(rows, RESERVED_PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query_without(request, "format")
    return render(request, "portal/directory/reserved.html", {
        "form": form, "page": page, "query": query, "today": today,
        "csv_query": (f"{query}&" if query else "") + "format=csv",
    })


# --- open data ----------------------------------------------------------------------------------


def _value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else v


def _open(response):
    """Open data: any web page may read it (public, no cookies involved)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _Echo:
    def write(self, value):
        return value


@require_safe
def open_data_organisations_csv(request):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(selectors.OPEN_DATA_COLUMNS)
        for row in selectors.open_data_rows():
            yield writer.writerow([_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organisations.csv"'
    return _open(response)


@require_safe
def open_data_organisations_json(request):
    def chunks():
        yield "["
        first = True
        for row in selectors.open_data_rows():
            record = dict(zip(selectors.OPEN_DATA_COLUMNS, row, strict=True))
            for key in ("attested", "social_mark", "reserved_contract_eligible"):
                record[key] = bool(record[key])
            yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
            first = False
        yield "\n]\n"

    return _open(StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8"))
