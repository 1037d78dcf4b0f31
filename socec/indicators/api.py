"""The indicators in the JSON API (/api/v1/): a project's report, and the records behind any figure.

Authentication is the staff session for now; tokens come with the REST API (a later issue), which
will mount these same views. Answers: 401 without a session, 404 for a project or figure the user
may not see, 403 for a role without reports; a bad date is a 400 saying so.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from socec.people.models import Identity
from socec.people.services import mask_identity
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap

from . import engine, selectors

PAGE = 100


class BadRequest(ValueError):
    pass


def _errors(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": _("Sign in first.")}, status=401)
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return JsonResponse({"detail": str(exc)}, status=400)
        except Http404 as exc:
            return JsonResponse({"detail": str(exc) or _("Not found.")}, status=404)
        except PermissionDenied as exc:
            return JsonResponse({"detail": str(exc) or _("Not allowed.")}, status=403)

    return wrapped


def _as_of(request) -> dt.date:
    text = request.GET.get("as_of") or ""
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadRequest(_("as_of must be a date written YYYY-MM-DD.")) from None


@_errors
def report(request, code):
    project, _access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    return JsonResponse(engine.report(engine.Scope(project), _as_of(request)), json_dumps_params={
        "ensure_ascii": False})


@_errors
def records(request, code, indicator):
    project, access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    as_of = _as_of(request)
    breakdown, part = request.GET.get("by", ""), request.GET.get("part", "")
    found = selectors.records_for_user(request.user, access, project, indicator, as_of, breakdown, part)
    qs, hidden = found.queryset, found.not_visible
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    items = [_item(found.kind, r) for r in page.object_list]
    if found.kind == selectors.PEOPLE and items:
        # the API never shows names in clear: initials, as for roles without identifiers
        identities = {i.person_id: i for i in Identity.objects.filter(
            person_id__in=[r.person_id for r in page.object_list])}
        for item, r in zip(items, page.object_list, strict=True):
            item["name"] = mask_identity(identities.get(r.person_id))["full_name"]
    return JsonResponse({"project": project.code, "indicator": indicator, "as_of": as_of.isoformat(),
                         "by": breakdown or None, "part": part or None, "kind": found.kind,
                         "count": page.paginator.count, "not_visible": hidden, "page": page.number,
                         "pages": page.paginator.num_pages, "results": items},
                        json_dumps_params={"ensure_ascii": False})


def _day(value):
    return value.isoformat() if value else None


def _item(kind: str, r) -> dict:
    if kind == selectors.PEOPLE:
        return {"person_ref": r.person_ref, "sex": r.person.sex, "county": r.county_id, "area": r.area,
                "entry_date": _day(r.entry_date), "exit_date": _day(r.exit_date), "organisation": r.organisation.code}
    if kind == selectors.ORGANISATIONS:
        o = r.organisation
        return {"organisation": o.code, "name": o.name, "county": o.county_id, "area": o.area,
                "founded_on": _day(o.founded_on), "is_ses": o.is_ses}
    if kind == selectors.JOBS:
        return {"job": r.code, "employer": r.employer.code, "created_on": _day(r.created_on),
                "hours_per_week": r.hours_per_week}
    if kind == selectors.EVENTS:
        return {"event": r.code, "kind": r.kind, "title": r.title, "date": _day(r.date), "county": r.county_id,
                "participants": r.participants}
    if kind == selectors.CAMPAIGNS:
        return {"campaign": r.code, "channel": r.channel, "start_date": _day(r.start_date), "reach": r.reach}
    return {"publication": r.code, "kind": r.kind, "published_on": _day(r.published_on)}
