"""Reads for the training pages: courses, enrolments with their attendance, names, counselling."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.people.access import participations_visible_to
from socec.people.models import Identity, Participation
from socec.programmes.access import ProjectAccess, get_project_for
from socec.programmes.roles import Cap
from socec.training.models import Attendance, CounsellingSession, Course, Enrolment


def courses_for(access: ProjectAccess, project, *, kind: str = "") -> QuerySet:
    """The project's courses with their number of sessions and of enrolled people the user may see."""
    enrolled = Q() if access.whole_project else Q(enrolments__participation__organisation_id=access.people_org_id)
    qs = Course.objects.filter(project=project)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        session_count=Count("sessions", distinct=True),
        enrolled_count=Count("enrolments", filter=enrolled, distinct=True),
    ).order_by("code")


def enrolments_visible(user, course: Course) -> QuerySet:
    """The course's enrolments of people the user may see (a partner: its own organisation's)."""
    visible = participations_visible_to(user, course.project)
    return (Enrolment.objects.filter(course=course, participation__in=visible)
            .select_related("participation").order_by("participation__person_ref"))


@dataclass
class Progress:
    sessions_total: int
    sessions_attended: int
    hours_planned: Decimal
    hours_attended: Decimal
    pct: int | None  # share of the course attended, None while the course has no sessions
    minimum: int | None
    by_hours: bool

    @property
    def meets(self) -> bool | None:
        """Completion as the attendance says: None while it cannot be told (no sessions, no minimum)."""
        if self.pct is None or self.minimum is None:
            return None
        return self.pct >= self.minimum


def get_enrolment_for(user, code: str, pk, capability: str | None = None):
    """(project, access, enrolment) if the user may see the enrolment's person (404 otherwise), 403 without
    the capability. The staff pages and the API both ask here."""
    project, access = get_project_for(user, code)
    enrolment = Enrolment.objects.select_related("course__project", "participation__organisation").filter(
        course__project=project, pk=pk).first()
    if enrolment is None or not enrolments_visible(user, enrolment.course).filter(pk=enrolment.pk).exists():
        raise Http404(_("Not found."))
    if capability and not access.can(capability):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return project, access, enrolment


def get_counselling_for(user, code: str, pk, capability: str | None = None):
    """(project, access, session): a counselling or mentoring session the user may see (404 otherwise), 403
    without the capability. The staff pages and the API both ask here."""
    project, access = get_project_for(user, code)
    session = counselling_list(user, project).filter(pk=pk).first()
    if session is None:
        raise Http404(_("Not found."))
    if capability and not access.can(capability):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return project, access, session


def progress(course: Course, participation_ids) -> dict[int, Progress]:
    """Attendance of each person in the course. The share is by hours when every session has its hours,
    else by sessions; a present person's hours are their own when recorded, else the session's."""
    sessions = list(course.sessions.values_list("pk", "hours"))
    session_hours = dict(sessions)
    by_hours = bool(sessions) and all(h is not None for _pk, h in sessions) and sum(session_hours.values()) > 0
    planned = sum((h or Decimal(0) for h in session_hours.values()), Decimal(0))
    attended: dict[int, list] = {pid: [0, Decimal(0)] for pid in participation_ids}
    rows = Attendance.objects.filter(session__course=course, participation_id__in=list(attended), present=True)
    for pid, sid, hours in rows.values_list("participation_id", "session_id", "hours"):
        attended[pid][0] += 1
        attended[pid][1] += hours if hours is not None else (session_hours.get(sid) or Decimal(0))
    out = {}
    for pid, (count, hours) in attended.items():
        if not sessions:
            pct = None
        elif by_hours:
            pct = min(100, int(hours * 100 / planned))
        else:
            pct = min(100, count * 100 // len(sessions))
        out[pid] = Progress(len(sessions), count, planned, hours, pct, course.min_attendance_pct, by_hours)
    return out


def names_for(user, access: ProjectAccess, project, participations, *, where: str) -> dict[int, str]:
    """Names of the people shown, for roles that see identifiers; one logged view for the lot.
    Only these rows are decrypted. Roles without identifiers get an empty dict (they see references)."""
    participations = list(participations)
    if not participations or not access.can(Cap.SEE_IDENTIFIERS):
        return {}
    identities = {i.person_id: i for i in Identity.objects.filter(
        person_id__in=[p.person_id for p in participations])}
    audit_record(by=user, action=AuditEntry.Action.VIEW_IDENTIFIERS, obj=project, project=project,
                 reason=(_("%(where)s: %(refs)s") % {"where": where,
                                                      "refs": ", ".join(p.person_ref for p in participations)})[:300])
    return {p.pk: (f"{identities[p.person_id].first_name} {identities[p.person_id].last_name}"
                   if p.person_id in identities else _("(erased)")) for p in participations}


def visible_participation_by_ref(user, project, person_ref: str) -> Participation | None:
    """The participant with this reference if the user may see them, else None (no difference is shown
    between "does not exist" and "registered by another partner")."""
    return participations_visible_to(user, project).filter(person_ref=person_ref.strip()).first()


def counselling_list(user, project, *, kind: str = "", person_ref: str = "") -> QuerySet:
    """Counselling and mentoring sessions of the people the user may see, newest first."""
    qs = (CounsellingSession.objects.filter(project=project,
                                            participation__in=participations_visible_to(user, project))
          .select_related("participation").order_by("-date", "-id"))
    if kind:
        qs = qs.filter(kind=kind)
    if person_ref:
        qs = qs.filter(participation__person_ref=person_ref.strip())
    return qs


def counselling_for(participation: Participation) -> QuerySet:
    """One person's counselling and mentoring sessions in their project, newest first (for the participant's
    timeline). The caller has already checked that the user may see this participant."""
    return (CounsellingSession.objects.filter(participation=participation, project_id=participation.project_id)
            .order_by("-date", "-id"))
