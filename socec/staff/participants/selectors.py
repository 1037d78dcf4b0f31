"""Reads for the participant pages: the scoped, filtered list with keyset pages, the search, what is
missing for the indicators, names for the rows shown and a person's timeline.

Sizes: a project may hold a million participants. Nothing here counts or decrypts the whole set:
- pages are keyset pages ordered by person_ref (unique in a project, indexed with the project), so a page
  costs the same at row 20 and at row 999,980, and "next" is known by reading one row more;
- a search by CNP compares the CNP's keyed hash (Identity.cnp_digest, indexed);
- a search by name compares the keyed hashes of the words typed with the blind index people.NameDigest
  (indexed by digest), never decrypting; only the names of the rows on the page are decrypted.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.core import crypto
from socec.people.access import participations_visible_to
from socec.people.models import EvidenceDocument, Identity, NameDigest, Participation
from socec.people.services import add_months, name_digest, name_words
from socec.programmes.access import ProjectAccess
from socec.programmes.roles import Cap

PAGE_SIZE = 50


# --- what the indicators need and is missing --------------------------------------------------------------


def six_months_before(today: dt.date) -> dt.date:
    """The last exit date whose six-month follow-up is due by `today` (exit + 6 calendar months <= today)."""
    day = add_months(today, -6)
    while add_months(day + dt.timedelta(days=1), 6) <= today:
        day += dt.timedelta(days=1)
    while add_months(day, 6) > today:
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Gap:
    code: str
    label: str
    fix: str  # "edit", "exit", "follow_up" or "documents": which page fixes it


GAPS = [
    Gap("area", gettext_lazy("residence area (urban or rural)"), "edit"),
    Gap("labour_status", gettext_lazy("labour market status at entry"), "edit"),
    Gap("situation", gettext_lazy("disability, minority, foreign background, third-country or housing question "
                                  "not answered"), "edit"),
    Gap("exit_status", gettext_lazy("situation on leaving"), "exit"),
    Gap("qualification", gettext_lazy("qualification gained on leaving"), "exit"),
    Gap("status_6m", gettext_lazy("situation six months after leaving"), "follow_up"),
    Gap("improved_6m", gettext_lazy("improved situation after six months"), "follow_up"),
    Gap("evidence", gettext_lazy("proof document of the vulnerable category"), "documents"),
]
GAP_BY_CODE = {g.code: g for g in GAPS}


def gap_conditions(today: dt.date) -> dict[str, Q]:
    due = six_months_before(today)
    return {
        "area": Q(area=""),
        "labour_status": Q(labour_status=""),
        "situation": (Q(disability="") | Q(minority="") | Q(foreign_background="")
                      | Q(third_country_national__isnull=True) | Q(homeless__isnull=True)),
        "exit_status": Q(exit_date__isnull=False, exit_status=""),
        "qualification": Q(exit_date__isnull=False, qualification_gained__isnull=True),
        "status_6m": Q(exit_date__lte=due, status_6m=""),
        "improved_6m": Q(exit_date__lte=due, improved_6m__isnull=True),
        "evidence": Q(has_vulnerable=True, has_evidence=False),
    }


def with_gap_flags(qs: QuerySet) -> QuerySet:
    """Adds has_vulnerable and has_evidence (two EXISTS per row; only the evidence gap needs them)."""
    through = Participation.vulnerable.through
    return qs.annotate(
        has_vulnerable=Exists(through.objects.filter(participation_id=OuterRef("pk"))),
        has_evidence=Exists(EvidenceDocument.objects.filter(participation_id=OuterRef("pk"))))


def gaps_of(p: Participation, today: dt.date) -> list[Gap]:
    """The gaps of one row already read (with_gap_flags applied)."""
    due = six_months_before(today)
    out = []
    if not p.area:
        out.append("area")
    if not p.labour_status:
        out.append("labour_status")
    if (not p.disability or not p.minority or not p.foreign_background or p.third_country_national is None
            or p.homeless is None):
        out.append("situation")
    if p.exit_date and not p.exit_status:
        out.append("exit_status")
    if p.exit_date and p.qualification_gained is None:
        out.append("qualification")
    if p.exit_date and p.exit_date <= due and not p.status_6m:
        out.append("status_6m")
    if p.exit_date and p.exit_date <= due and p.improved_6m is None:
        out.append("improved_6m")
    if getattr(p, "has_vulnerable", False) and not getattr(p, "has_evidence", True):
        out.append("evidence")
    return [GAP_BY_CODE[c] for c in out]


# --- the list -------------------------------------------------------------------------------------------------

CNP_RE = re.compile(r"^\d{13}$")


@dataclass
class Filters:
    q: str = ""
    county: str = ""
    area: str = ""
    vulnerable: str = ""
    status: str = ""
    course: int | None = None
    missing: str = ""


def search(qs: QuerySet, q: str, *, identifiers: bool) -> QuerySet:
    """A CNP (13 digits): by its keyed hash. Otherwise the start of a person reference, or (for roles that
    see identifiers) every word of a name. Roles without identifiers search references only: a search by
    name would tell them whether a named person takes part."""
    q = (q or "").strip()
    if not q:
        return qs
    if CNP_RE.match(q):
        if not identifiers:
            return qs.none()
        return qs.filter(person__identity__cnp_digest=crypto.cnp_key(q))
    rule = Q(person_ref__startswith=q)
    words = name_words(q) if identifiers else []
    if words:
        named = Identity.objects.all()
        for word in words:
            named = named.filter(pk__in=NameDigest.objects.filter(digest=name_digest(word)).values("identity_id"))
        rule |= Q(person_id__in=named.values("pk"))
    return qs.filter(rule)


def participants_for(user, access: ProjectAccess, project, f: Filters, *, today: dt.date) -> QuerySet:
    """The participants the user may see, filtered; ordered by reference."""
    qs = participations_visible_to(user, project)
    qs = search(qs, f.q, identifiers=access.can(Cap.SEE_IDENTIFIERS))
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.area == "none":
        qs = qs.filter(area="")
    elif f.area:
        qs = qs.filter(area=f.area)
    if f.vulnerable:
        qs = qs.filter(vulnerable__code=f.vulnerable)
    if f.status == "active":
        qs = qs.filter(exit_date__isnull=True)
    elif f.status == "exited":
        qs = qs.filter(exit_date__isnull=False, status_6m="")
    elif f.status == "followed_up":
        qs = qs.exclude(status_6m="")
    if f.course:
        from socec.training.models import Enrolment

        qs = qs.filter(Exists(Enrolment.objects.filter(participation_id=OuterRef("pk"), course_id=f.course)))
    if f.missing:
        qs = with_gap_flags(qs)
        conditions = gap_conditions(today)
        if f.missing == "any":
            rule = Q(pk__in=[])
            for cond in conditions.values():
                rule |= cond
            qs = qs.filter(rule)
        elif f.missing in conditions:
            qs = qs.filter(conditions[f.missing])
    return qs.select_related("county", "organisation").order_by("person_ref")


@dataclass
class KeysetPage:
    rows: list = field(default_factory=list)
    has_next: bool = False
    has_previous: bool = False
    after: str = ""  # the reference to continue after ("next")
    before: str = ""  # the reference to go back before ("previous")


def keyset_page(qs: QuerySet, *, after: str = "", before: str = "", size: int | None = None) -> KeysetPage:
    """One page of a list ordered by person_ref: `after` the last reference of the previous page, or
    `before` the first reference of the next one. Reads size + 1 rows; never counts."""
    size = size or PAGE_SIZE
    if before:
        rows = list(qs.filter(person_ref__lt=before).order_by("-person_ref")[:size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        page = KeysetPage(rows=rows, has_previous=more, has_next=True)
    else:
        if after:
            qs = qs.filter(person_ref__gt=after)
        rows = list(qs[:size + 1])
        more = len(rows) > size
        rows = rows[:size]
        page = KeysetPage(rows=rows, has_next=more, has_previous=bool(after))
    if rows:
        page.after, page.before = rows[-1].person_ref, rows[0].person_ref
    else:
        page.has_next = False
    return page


def vulnerable_of(participations) -> dict[int, list]:
    """The vulnerable categories of the rows shown, in one query."""
    through = Participation.vulnerable.through
    out: dict[int, list] = {p.pk: [] for p in participations}
    for link in through.objects.filter(participation_id__in=list(out)).select_related("vulnerablecategory"):
        out[link.participation_id].append(link.vulnerablecategory)
    return out


def names_for(user, project, participations, *, where: str) -> dict[int, str]:
    """Names of these rows (only these are decrypted); one logged view for the lot. Callers check
    SEE_IDENTIFIERS first."""
    participations = list(participations)
    if not participations:
        return {}
    identities = {i.person_id: i for i in Identity.objects.filter(
        person_id__in=[p.person_id for p in participations])}
    refs = ", ".join(p.person_ref for p in participations)
    audit_record(by=user, action=AuditEntry.Action.VIEW_IDENTIFIERS, obj=project, project=project,
                 reason=(_("%(where)s: %(refs)s") % {"where": where, "refs": refs})[:300])
    return {p.pk: (identities[p.person_id].full_name if p.person_id in identities else _("(erased)"))
            for p in participations}


def status_of(p: Participation) -> str:
    if p.status_6m:
        return _("followed up")
    if p.exit_date:
        return _("left")
    return _("active")


# --- duplicates -----------------------------------------------------------------------------------------------


def same_person_elsewhere(user, *, cnp: str = "", first_name: str = "", last_name: str = "",
                          birth_date: dt.date | None = None) -> list[Participation]:
    """Participations of the same person (same CNP, or same names and birth date) that the user may see,
    in any of their projects. Projects the user may not see are never looked at."""
    if cnp:
        rule = Q(person__identity__cnp_digest=crypto.cnp_key(cnp)) | Q(person__person_key=crypto.cnp_key(cnp))
    elif first_name and last_name and birth_date:
        # Without a CNP the person key is the keyed hash of the names and birth date; a person registered
        # with a CNP is found through the name index and the birth date.
        named = Identity.objects.filter(person__birth_date=birth_date)
        for word in name_words(f"{first_name} {last_name}"):
            named = named.filter(pk__in=NameDigest.objects.filter(digest=name_digest(word)).values("identity_id"))
        rule = Q(person__person_key=crypto.name_key(first_name, last_name, birth_date)) | Q(
            person_id__in=named.values("pk"))
    else:
        return []
    # An erased person keeps the person key (so reports count them once) but is never found by it again.
    return list(participations_visible_to(user).filter(rule, person__identity__isnull=False).select_related("project")
                .order_by("project__code", "person_ref")[:20])


# --- the profile's timeline -------------------------------------------------------------------------------


@dataclass
class Moment:
    date: dt.date | None
    kind: str
    text: str
    detail: str = ""


def timeline(p: Participation) -> list[Moment]:
    """What happened to the person in the project, in date order (undated things last)."""
    from socec.jobs.models import Employment
    from socec.outreach.models import EventAttendance
    from socec.staff.training.selectors import counselling_for
    from socec.training.models import Attendance, Enrolment

    moments = [Moment(p.entry_date, "entry", _("Entered the project"),
                      _("registered by %(org)s") % {"org": p.organisation.name})]
    if p.consent_on:
        moments.append(Moment(p.consent_on, "consent", _("Informed and consented")))
    attended = dict(Attendance.objects.filter(participation=p, present=True).values("session__course_id")
                    .annotate(n=Count("pk")).values_list("session__course_id", "n"))
    for e in Enrolment.objects.filter(participation=p).select_related("course").order_by("enrolled_on"):
        c = e.course
        counselling = c.kind in ("counselling", "mentoring")
        label = (_("Enrolled for %(kind)s: %(course)s") if counselling else _("Enrolled in course %(course)s")) % {
            "kind": c.get_kind_display(), "course": f"{c.code} – {c.title}"}
        moments.append(Moment(e.enrolled_on, "counselling" if counselling else "course", label,
                              _("sessions attended: %(n)s") % {"n": attended.get(c.pk, 0)}))
        if e.completed and e.completed_on:
            text = _("Completed %(course)s") % {"course": c.code}
            detail = _("certificate %(no)s") % {"no": e.certificate_no} if e.certified and e.certificate_no else (
                _("certified") if e.certified else "")
            moments.append(Moment(e.completed_on, "course", text, detail))
    for s in counselling_for(p):
        moments.append(Moment(s.date, "counselling", _("%(kind)s session with %(who)s") % {
            "kind": s.get_kind_display().capitalize(), "who": s.counsellor}, s.topic))
    for a in EventAttendance.objects.filter(participation=p).select_related("event"):
        ev = a.event
        moments.append(Moment(ev.date, "event", _("Attended %(kind)s: %(title)s") % {
            "kind": ev.get_kind_display(), "title": ev.title}))
    for job in Employment.objects.filter(participation=p).select_related("job", "job__employer"):
        moments.append(Moment(job.start_date, "job", _("Started job %(title)s at %(employer)s") % {
            "title": job.job.title or job.job.code, "employer": job.job.employer.name}))
        if job.end_date:
            moments.append(Moment(job.end_date, "job", _("Left job %(title)s") % {
                "title": job.job.title or job.job.code}))
    if p.exit_date:
        parts = [p.get_exit_status_display() or _("situation on leaving not recorded")]
        if p.qualification_gained is not None:
            parts.append(_("qualification gained") if p.qualification_gained else _("no qualification"))
        moments.append(Moment(p.exit_date, "exit", _("Left the project"), "; ".join(str(x) for x in parts)))
        due = add_months(p.exit_date, 6)
        if p.status_6m:
            detail = p.get_status_6m_display()
            if p.improved_6m is not None:
                detail = f"{detail}; " + (_("situation improved") if p.improved_6m else _("situation not improved"))
            moments.append(Moment(due, "follow_up", _("Six-month follow-up"), detail))
        else:
            moments.append(Moment(due, "follow_up", _("Six-month follow-up due"), _("not recorded yet")))
    moments.sort(key=lambda m: (m.date is None, m.date or dt.date.max))
    return moments
