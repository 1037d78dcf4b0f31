"""The indicators: a project's report (indicators.md) and the records behind any figure. Moved here from
the hand-written views of socec/indicators/api.py with the same paths and answers: the records come a page
number at a time (`?page=`), and the API never shows names in clear (initials)."""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Router, Schema

from socec.indicators import engine, selectors
from socec.people.models import Identity
from socec.people.services import mask_identity
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap

from ..base import ShortText, bad_request, day, responses

router = Router(tags=["indicators"])
PAGE = 100


class RecordsOut(Schema):
    project: str
    indicator: ShortText
    as_of: str
    by: str | None
    part: str | None
    kind: str
    count: int
    not_visible: int
    page: int
    pages: int
    results: list[dict[str, Any]]


def _as_of(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise bad_request("as_of", _("as_of must be a date written YYYY-MM-DD.")) from None


@router.get("/projects/{code}/report", response=responses(dict[str, Any]), url_name="report_get",
            summary="The project's indicator report")
def report_get(request, code: ShortText, as_of: ShortText | None = None):
    project, _access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    return engine.report(engine.Scope(project), _as_of(as_of))


def _item(kind: str, r) -> dict:
    if kind == selectors.PEOPLE:
        return {"person_ref": r.person_ref, "sex": r.person.sex, "county": r.county_id, "area": r.area,
                "entry_date": day(r.entry_date), "exit_date": day(r.exit_date), "organisation": r.organisation.code}
    if kind == selectors.ORGANISATIONS:
        o = r.organisation
        return {"organisation": o.code, "name": o.name, "county": o.county_id, "area": o.area,
                "founded_on": day(o.founded_on), "is_ses": o.is_ses}
    if kind == selectors.JOBS:
        return {"job": r.code, "employer": r.employer.code, "created_on": day(r.created_on),
                "hours_per_week": r.hours_per_week}
    if kind == selectors.EVENTS:
        return {"event": r.code, "kind": r.kind, "title": r.title, "date": day(r.date), "county": r.county_id,
                "participants": r.participants}
    if kind == selectors.CAMPAIGNS:
        return {"campaign": r.code, "channel": r.channel, "start_date": day(r.start_date), "reach": r.reach}
    return {"publication": r.code, "kind": r.kind, "published_on": day(r.published_on)}


@router.get("/projects/{code}/report/{indicator}/records", response=responses(RecordsOut),
            url_name="report_records", summary="The records behind a figure of the report")
def report_records(request, code: ShortText, indicator: ShortText, as_of: ShortText | None = None, by: ShortText = "",
                   part: ShortText = "", page: ShortText | None = None):
    project, access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    day_ = _as_of(as_of)
    found = selectors.records_for_user(request.user, access, project, indicator, day_, by, part)
    shown = Paginator(found.queryset, PAGE).get_page(page)
    items = [_item(found.kind, r) for r in shown.object_list]
    if found.kind == selectors.PEOPLE and items:
        identities = {i.person_id: i for i in Identity.objects.filter(
            person_id__in=[r.person_id for r in shown.object_list])}
        for item, r in zip(items, shown.object_list, strict=True):
            item["name"] = mask_identity(identities.get(r.person_id))["full_name"]
    return {"project": project.code, "indicator": indicator, "as_of": day_.isoformat(), "by": by or None,
            "part": part or None, "kind": found.kind, "count": shown.paginator.count, "not_visible": found.not_visible,
            "page": shown.number, "pages": shown.paginator.num_pages, "results": items}
