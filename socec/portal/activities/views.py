"""Public pages (no login): the events calendar and the caravan's route, the publications library,
the impact figures and the open data about them. Reads go through selectors.py and impact.py."""

import csv
import datetime as dt
import json
import re

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from socec.outreach.files import file_response

from . import impact as impact_data
from . import selectors
from .forms import EventFilterForm, PublicationFilterForm, valid_filters

PAGE_SIZE = 25


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _filter_form(form_class, request):
    """The filter form bound to the query string (only when there is one, so that an empty visit
    shows no messages)."""
    keys = set(form_class.base_fields)
    data = {k: request.GET.get(k, "") for k in keys} if keys & set(request.GET) else None
    form = form_class(data)
    return form, (valid_filters(form) if data is not None else {})


@require_safe
def events(request):
    form, filters = _filter_form(EventFilterForm, request)
    today = dt.date.today()
    upcoming = list(selectors.upcoming_events(filters, today)[:PAGE_SIZE * 4])
    past = Paginator(selectors.past_events(filters, today), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/activities/events.html", {
        "section": "events", "filter_form": form, "filtered": bool(filters),
        "upcoming": [(e, selectors.head_count(e)) for e in upcoming],
        "page": past, "past": [(e, selectors.head_count(e)) for e in past], "qs": _querystring(request)})


@require_safe
def event(request, project_code, event_code):
    found = selectors.public_event(project_code, event_code)
    if found is None:
        raise Http404(_("No such public event."))
    return render(request, "portal/activities/event.html", {
        "section": "events", "event": found, "head_count": selectors.head_count(found)})


@require_safe
def caravan(request):
    routes = selectors.caravan_routes()
    return render(request, "portal/activities/caravan.html", {"section": "caravan", "routes": routes})


@require_safe
def publications(request):
    form, filters = _filter_form(PublicationFilterForm, request)
    page = Paginator(selectors.public_publications(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/activities/publications.html", {
        "section": "publications", "filter_form": form, "filtered": bool(filters), "page": page,
        "qs": _querystring(request)})


def download_name(project_code: str, code: str) -> str:
    """A file name safe everywhere: letters, digits, dots, dashes and underscores only."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{project_code}-{code}").strip(".-")
    return name[:100] or "publication"


@require_safe
def publication_file(request, project_code, code):
    publication = selectors.public_publication(project_code, code)
    if publication is None or not publication.file:
        raise Http404(_("No such file."))
    response = file_response(publication.file, download_name=download_name(project_code, code), as_attachment=True)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def impact(request):
    rows = impact_data.impact_figures()
    tables = impact_data.impact_tables(rows)
    return render(request, "portal/activities/impact.html", {
        "section": "impact", "tables": tables, "years": tables[0].years if tables else []})


@require_safe
def open_data(request):
    return render(request, "portal/activities/open_data.html", {
        "section": "open_data", "impact_columns": impact_columns(), "organisation_columns": organisation_columns()})


def impact_columns() -> list[tuple[str, str]]:
    return [
        ("region_code", _("Development region code (RO11 ... RO42), or “unknown” for records without a county")),
        ("region", _("Development region name")),
        ("year", _("Calendar year")),
        ("indicator", _("Indicator code: SE01, SE03, SE04 or SE05")),
        ("indicator_name", _("Indicator name, in the language of the request (Romanian or English)")),
        ("value", _("What the indicator counted in that region during that year (an integer)")),
    ]


def organisation_columns() -> list[tuple[str, str]]:
    return [
        ("code", _("The organisation's code")),
        ("name", _("Name")),
        ("legal_form", _("Legal form")),
        ("county", _("County code")),
        ("region", _("Development region code")),
        ("area", _("Area: urban or rural")),
        ("caen", _("Main activity (CAEN code)")),
        ("attested", _("Attested as a social enterprise")),
        ("social_mark", _("Holds the social mark")),
        ("reserved_contract_eligible", _("Eligible for reserved contracts")),
        ("jobs", _("Jobs")),
        ("jobs_vulnerable", _("Jobs held by vulnerable people")),
    ]


@require_safe
def open_data_impact_csv(request):
    records = impact_data.open_data_rows(impact_data.impact_figures())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="impact.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    writer = csv.DictWriter(response, fieldnames=impact_data.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return response


@require_safe
def open_data_impact_json(request):
    records = impact_data.open_data_rows(impact_data.impact_figures())
    body = json.dumps({"columns": list(impact_data.COLUMNS), "generated_on": dt.date.today().isoformat(),
                       "rows": records}, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
