"""The records behind a figure: the same conditions the engine counts with, as a queryset.

`records_behind(code, scope, as_of, breakdown, part)` gives the kind of record and the queryset
whose count is the figure (the indicator's value, or one part of one breakdown). SE11 is the one
figure that is a sum rather than a count: its records are the events, each with its number.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socec.outreach.models import Campaign, Event, Publication
from socec.people.access import participations_visible_to
from socec.people.models import Participation
from socec.programmes.models import Partnership
from socec.programmes.roles import Cap

from . import engine
from .definitions import BY_CODE

PEOPLE, ORGANISATIONS, JOBS, EVENTS, CAMPAIGNS, PUBLICATIONS = (
    "participants", "organisations", "jobs", "events", "campaigns", "publications")

# breakdown -> the field it filters on, per kind of record
_PARTS = {
    PEOPLE: {"sex": "person__sex", "county": "county_id", "region": "county__region_id", "area": "area"},
    ORGANISATIONS: {"county": "organisation__county_id", "region": "organisation__county__region_id",
                    "area": "organisation__area"},
    JOBS: {"county": "employer__county_id", "region": "employer__county__region_id", "area": "employer__area"},
    EVENTS: {"kind": "kind", "county": "county_id", "region": "county__region_id"},
    CAMPAIGNS: {"channel": "channel"},
    PUBLICATIONS: {"kind": "kind"},
}


class UnknownFigure(ValueError):
    """No such indicator, breakdown or part."""


@dataclass
class Behind:
    kind: str
    queryset: QuerySet
    not_visible: int = 0  # participants counted in the figure whose records the user may not see


def records_behind(code: str, scope: engine.Scope, as_of: dt.date, breakdown: str = "", part: str = "") -> Behind:
    if code not in BY_CODE:
        raise UnknownFigure(code)
    behind = _records(code, scope, as_of)
    if breakdown:
        field = _PARTS[behind.kind].get(breakdown)
        if field is None:
            raise UnknownFigure(breakdown)
        value = "" if part == "unknown" and breakdown == "area" else part
        behind.queryset = behind.queryset.filter(**{field: value})
    return behind


def _records(code: str, scope, as_of) -> Behind:
    people = engine.person_conditions(as_of)
    if code in people:
        return Behind(PEOPLE, engine.entered(scope, as_of).filter(people[code]))
    activity = engine.activity_conditions(as_of, scope)
    if code in activity:
        return Behind(PEOPLE, scope.filter(Participation.objects.filter(activity[code])))
    if code == "EECO19":
        return Behind(ORGANISATIONS, engine.supported(scope))
    if code == "SE03":
        return Behind(ORGANISATIONS, engine.ses_created(scope, as_of))
    if code == "SE07":
        return Behind(ORGANISATIONS, Partnership.objects.filter(pk__in=engine.insertion_enterprises(scope, as_of)))
    jobs = engine.job_conditions(as_of)
    if code in jobs:
        return Behind(JOBS, engine.jobs_created(scope, as_of).filter(jobs[code]))
    held = engine.events_held(scope, as_of)
    if code == "SE08":
        return Behind(EVENTS, held)
    if code == "SE09":
        return Behind(EVENTS, held.filter(kind=Event.Kind.CARAVAN_STOP))
    if code == "SE11":
        return Behind(EVENTS, held.annotate(rows=Count("attendance")).filter(Q(rows__gt=0) | Q(participants__gt=0)))
    if code == "SE12":
        return Behind(CAMPAIGNS, scope.filter(Campaign.objects.filter(start_date__lte=as_of)))
    return Behind(PUBLICATIONS, scope.filter(Publication.objects.filter(published_on__lte=as_of)))


def records_for_user(user, access, project, code: str, as_of: dt.date, breakdown: str = "", part: str = "") -> Behind:
    """The records behind a figure of `project` that `user` may see, ordered for listing; the
    participants counted but registered by partners the user may not see are only counted.
    Http404 for an unknown figure. Shared by the staff page and the API."""
    try:
        found = records_behind(code, engine.Scope(project), as_of, breakdown, part)
    except (UnknownFigure, KeyError):
        raise Http404(_("No such figure.")) from None
    if found.kind != PEOPLE:
        found.queryset = found.queryset.order_by("pk")
        return found
    total = found.queryset.count()
    visible = participations_visible_to(user, project) if access.can(Cap.VIEW_PEOPLE) else Participation.objects.none()
    found.queryset = found.queryset.filter(pk__in=visible.values("pk"))
    found.not_visible = total - found.queryset.count()
    found.queryset = found.queryset.select_related("person", "county", "organisation").order_by("person_ref")
    return found
