"""Reads of the public events calendar, the caravan's route and the publications library.

Only records marked public, and only what the public may see: titles, dates, places, themes, head
counts and conclusions. Attendance is only ever counted (one COUNT per query, never a list of who
came); photos are never read."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet

from socec.outreach.countygrid import GridMap, grid_map
from socec.outreach.models import Event, Publication
from socec.places.models import County
from socec.programmes.models import Project

# ---- events ---------------------------------------------------------------------------------


def public_events() -> QuerySet:
    """Public events with what a visitor may see, and the number of attendance rows (`attended`)."""
    return (Event.objects.filter(public=True).select_related("project", "county", "locality")
            .annotate(attended=Count("attendance")))


def filtered_events(filters: dict) -> QuerySet:
    qs = public_events()
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("county"):
        qs = qs.filter(county_id=filters["county"])
    if filters.get("year"):
        qs = qs.filter(date__year=filters["year"])
    return qs


def upcoming_events(filters: dict, today: dt.date) -> QuerySet:
    return filtered_events(filters).filter(date__gte=today).order_by("date", "project__code", "code")


def past_events(filters: dict, today: dt.date) -> QuerySet:
    return filtered_events(filters).filter(date__lt=today).order_by("-date", "project__code", "code")


def public_event(project_code: str, event_code: str) -> Event | None:
    return public_events().filter(project__code=project_code, code=event_code).first()


def head_count(event) -> int | None:
    """How many came, as indicator SE11 counts it: the attendance rows (a number only: who came is
    never read), or the head count typed in for an event without any. None when neither is known."""
    if event.attended:
        return event.attended
    return event.participants


# ---- the caravan ----------------------------------------------------------------------------


@dataclass
class Route:
    project: Project
    stops: list = field(default_factory=list)
    map: GridMap | None = None
    localities: int = 0
    counties: int = 0


def place_key(stop) -> tuple:
    """One place: the SIRUTA locality, or the county and title without one (as indicator SE09)."""
    return ("siruta", stop.locality_id) if stop.locality_id else ("title", stop.county_id, stop.title.strip().lower())


def caravan_routes() -> list[Route]:
    """The public caravan stops of every project, each project's in route order (date, then the
    order on the route, then the code), with its map and the localities and counties reached."""
    stops = (public_events().filter(kind=Event.Kind.CARAVAN_STOP)
             .order_by("project__code", "date", F("route_order").asc(nulls_last=True), "code"))
    routes: dict[int, Route] = {}
    for stop in stops:
        routes.setdefault(stop.project_id, Route(project=stop.project)).stops.append(stop)
    if not routes:
        return []
    names = dict(County.objects.values_list("code", "name"))
    for route in routes.values():
        codes = [s.county_id for s in route.stops]
        route.map = grid_map(names=names, highlight=codes, route=codes)
        route.localities = len({place_key(s) for s in route.stops})
        route.counties = len(set(codes))
    return list(routes.values())


# ---- publications ---------------------------------------------------------------------------


def public_publications(filters: dict) -> QuerySet:
    qs = Publication.objects.filter(public=True).select_related("project")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("year"):
        qs = qs.filter(published_on__year=filters["year"])
    return qs.order_by(F("published_on").desc(nulls_last=True), "project__code", "code")


def public_publication(project_code: str, code: str) -> Publication | None:
    return Publication.objects.filter(public=True, project__code=project_code, code=code).first()
