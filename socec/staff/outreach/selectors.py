"""Reads of the outreach pages: the lists with their filters and export rows, an event's
attendance as the user may see it, and the caravan route."""

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.outreach.countygrid import grid_map
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.people.access import participations_visible_to
from socec.people.models import Identity
from socec.people.services import mask_identity
from socec.places.models import County
from socec.programmes.access import ProjectAccess
from socec.programmes.roles import Cap

# ---- events ---------------------------------------------------------------------------------


def events(project, filters: dict) -> QuerySet:
    qs = (Event.objects.filter(project=project).select_related("county", "locality")
          .annotate(people=Count("attendance", filter=Q(attendance__participation__isnull=False)),
                    organisations=Count("attendance", filter=Q(attendance__organisation__isnull=False))))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("county"):
        qs = qs.filter(county=filters["county"])
    if filters.get("date_from"):
        qs = qs.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(date__lte=filters["date_to"])
    return qs.order_by("-date", "code")


def attendance_figure(event) -> int | None:
    """How many attended: the recorded people and organisations, or the head count without them."""
    recorded = (event.people or 0) + (event.organisations or 0)
    return recorded if recorded else event.participants


def event_headers() -> list[str]:
    return [_("Code"), _("Date"), _("Kind"), _("Title"), _("County"), _("Locality"), _("Venue"),
            _("Participants recorded"), _("Organisations recorded"), _("Attendance")]


def event_row(e) -> list:
    return [e.code, e.date, e.get_kind_display(), e.title, e.county.name, e.locality.name if e.locality else "",
            e.venue, e.people, e.organisations, attendance_figure(e)]


def event_attendance_people(event, user) -> tuple[QuerySet, int]:
    """The attendance rows naming people the user may see, and how many more there are."""
    rows = EventAttendance.objects.filter(event=event, participation__isnull=False)
    visible = rows.filter(participation__in=participations_visible_to(user, event.project))
    return (visible.select_related("participation__organisation").order_by("participation__person_ref"),
            rows.count() - visible.count())


def event_attendance_organisations(event) -> QuerySet:
    return (EventAttendance.objects.filter(event=event, organisation__isnull=False)
            .select_related("organisation").order_by("organisation__name"))


def names_for(user, access: ProjectAccess, project, participations) -> dict[int, str]:
    """Names of the people listed: in clear for roles that see identifiers (one logged view for the
    page), initials for the others."""
    participations = list(participations)
    if not participations:
        return {}
    identities = {i.person_id: i for i in Identity.objects.filter(person_id__in=[p.person_id for p in participations])}
    if access.can(Cap.SEE_IDENTIFIERS):
        audit_record(by=user, action=AuditEntry.Action.VIEW_IDENTIFIERS, obj=project, project=project,
                     reason=(_("event attendance: %(refs)s") % {
                         "refs": ", ".join(p.person_ref for p in participations)})[:300])
        return {p.pk: (f"{identities[p.person_id].first_name} {identities[p.person_id].last_name}"
                       if p.person_id in identities else _("(erased)")) for p in participations}
    return {p.pk: mask_identity(identities.get(p.person_id))["full_name"] for p in participations}


# ---- the caravan ----------------------------------------------------------------------------


def caravan_stops(project) -> QuerySet:
    """The project's caravan stops in route order: by date, then the explicit order, then code."""
    return (Event.objects.filter(project=project, kind=Event.Kind.CARAVAN_STOP)
            .select_related("county", "locality")
            .annotate(people=Count("attendance", filter=Q(attendance__participation__isnull=False)),
                      organisations=Count("attendance", filter=Q(attendance__organisation__isnull=False)))
            .order_by("date", F("route_order").asc(nulls_last=True), "code"))


def caravan_map(stops) -> object:
    names = dict(County.objects.values_list("code", "name"))
    codes = [s.county_id for s in stops]
    return grid_map(names=names, highlight=codes, route=codes)


def caravan_headers() -> list[str]:
    return [_("Stop"), _("Date"), _("Code"), _("Title"), _("County"), _("Locality"), _("Attendance")]


def caravan_row(number: int, e) -> list:
    return [number, e.date, e.code, e.title, e.county.name, e.locality.name if e.locality else "",
            attendance_figure(e)]


# ---- campaigns and publications -------------------------------------------------------------


def campaigns(project, filters: dict) -> QuerySet:
    qs = Campaign.objects.filter(project=project)
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    # A campaign counts in a date range when it runs during part of it.
    if filters.get("date_from"):
        qs = qs.filter(Q(end_date__gte=filters["date_from"])
                       | Q(end_date__isnull=True, start_date__gte=filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(start_date__lte=filters["date_to"])
    return qs.order_by("-start_date", "code")


def campaign_headers() -> list[str]:
    return [_("Code"), _("Title"), _("Channel"), _("Start date"), _("End date"), _("Reach (people)")]


def campaign_row(c) -> list:
    return [c.code, c.title, c.get_channel_display(), c.start_date, c.end_date, c.reach]


def publications(project, filters: dict) -> QuerySet:
    qs = Publication.objects.filter(project=project)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("date_from"):
        qs = qs.filter(published_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(published_on__lte=filters["date_to"])
    return qs.order_by("-published_on", "code")


def publication_headers() -> list[str]:
    return [_("Code"), _("Title"), _("Kind"), _("Published on"), _("Address (URL)"), _("File")]


def publication_row(p) -> list:
    return [p.code, p.title, p.get_kind_display(), p.published_on, p.url, _("yes") if p.file else _("no")]
