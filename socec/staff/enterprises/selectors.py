"""Reads for the enterprise and job pages: the enterprises a project supports, their certificates'
validity, the art. 10 check, the jobs and who holds them, and the jobs kept after the project."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socec.indicators.engine import Scope, add_months, jobs_created
from socec.jobs import insertion
from socec.jobs.models import Employment, Job
from socec.orgs.models import Organisation
from socec.people.access import participations_visible_to
from socec.people.models import Participation
from socec.programmes.access import get_project_for
from socec.programmes.models import Partnership
from socec.programmes.roles import Cap

ATTESTATION_YEARS = 5  # Law 219/2015 art. 8
SOCIAL_MARK_YEARS = 3  # Law 219/2015 art. 10
REMINDER_DAYS = 90

VALID, EXPIRES_SOON, EXPIRED = "valid", "expires_soon", "expired"
STATUS_LABELS = {VALID: gettext_lazy("valid"), EXPIRES_SOON: gettext_lazy("expires soon"),
                 EXPIRED: gettext_lazy("expired")}


# --- enterprises --------------------------------------------------------------------------------


def project_enterprises(project) -> QuerySet:
    """The organisations the project supports (partnership role `supported`): the structures it
    helped found and the ones it supports."""
    supported = Partnership.objects.filter(project=project, organisation=OuterRef("pk"),
                                           role=Partnership.Role.SUPPORTED)
    return Organisation.objects.filter(Exists(supported)).select_related("county")


def get_enterprise_for(user, code: str, org_code: str, capability: str | None = None):
    """(project, access, organisation): 404 unless the user is in the project and the project
    supports the organisation; 403 when the capability is asked for and missing."""
    project, access = get_project_for(user, code)
    organisation = project_enterprises(project).filter(code=org_code).first()
    if organisation is None:
        raise Http404(_("No such enterprise in this project."))
    if capability and not access.can(capability):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return project, access, organisation


@dataclass(frozen=True)
class Validity:
    kind: str
    number: str
    issued_on: dt.date
    valid_until: dt.date
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return _("attestation (art. 8)") if self.kind == "attestation" else _("social mark (art. 10)")


def validity(kind: str, number: str, issued_on: dt.date | None, today: dt.date) -> Validity | None:
    if issued_on is None:
        return None
    years = ATTESTATION_YEARS if kind == "attestation" else SOCIAL_MARK_YEARS
    until = add_months(issued_on, 12 * years)
    if until < today:
        status = EXPIRED
    elif until <= today + dt.timedelta(days=REMINDER_DAYS):
        status = EXPIRES_SOON
    else:
        status = VALID
    return Validity(kind, number, issued_on, until, status)


def attestation(org: Organisation, today: dt.date) -> Validity | None:
    return validity("attestation", org.attestation_no, org.attested_on, today)


def social_mark(org: Organisation, today: dt.date) -> Validity | None:
    return validity("social_mark", org.social_mark_no, org.social_mark_on, today)


def art10_by_organisation(project, on: dt.date) -> dict[int, insertion.Art10]:
    """The art. 10 figures of every employer of the project's jobs on a date."""
    rows = insertion.employment_rows(Employment.objects.filter(job__project=project), on, "job__employer_id")
    return insertion.tally(rows)


@dataclass
class EnterpriseFilters:
    county: str = ""
    legal_form: str = ""
    attested: str = ""  # "yes": a valid attestation today; "no": none or expired
    insertion: str = ""  # "yes" / "no": meets art. 10 today


def enterprise_rows(project, filters: EnterpriseFilters, today: dt.date) -> list[dict]:
    orgs = project_enterprises(project).annotate(
        jobs_count=Count("jobs", filter=Q(jobs__project=project), distinct=True)).order_by("name", "pk")
    if filters.county:
        orgs = orgs.filter(county_id=filters.county)
    if filters.legal_form:
        orgs = orgs.filter(legal_form=filters.legal_form)
    checks = art10_by_organisation(project, today)
    rows = []
    for org in orgs:
        att, mark = attestation(org, today), social_mark(org, today)
        qualifies = checks.get(org.pk, insertion.Art10()).qualifies
        attested = att is not None and att.status != EXPIRED
        if filters.attested and attested != (filters.attested == "yes"):
            continue
        if filters.insertion and qualifies != (filters.insertion == "yes"):
            continue
        rows.append({"org": org, "attestation": att, "social_mark": mark, "insertion": qualifies,
                     "jobs": org.jobs_count})
    return rows


def enterprise_export_rows(rows: list[dict]):
    for r in rows:
        org, att, mark = r["org"], r["attestation"], r["social_mark"]
        yield [org.code, org.name, org.get_legal_form_display(), org.county.name, org.cui,
               org.founded_on, att.number if att else "", att.valid_until if att else "",
               att.status_label if att else "", mark.number if mark else "", mark.valid_until if mark else "",
               mark.status_label if mark else "", _("yes") if r["insertion"] else _("no"), r["jobs"]]


def enterprise_export_headers() -> list[str]:
    return [_("Code"), _("Name"), _("Legal form"), _("County"), _("CUI"), _("Founded on"),
            _("Attestation number"), _("Attestation valid until"), _("Attestation status"),
            _("Social mark number"), _("Social mark valid until"), _("Social mark status"),
            _("Social insertion enterprise today"), _("Jobs")]


def reminders(project, today: dt.date) -> list[Validity | dict]:
    """Attestations and social marks of the project's enterprises that expired or expire within
    REMINDER_DAYS, soonest first."""
    out = []
    for org in project_enterprises(project).filter(Q(attested_on__isnull=False) | Q(social_mark_on__isnull=False)):
        for found in (attestation(org, today), social_mark(org, today)):
            if found is not None and found.status != VALID:
                out.append({"org": org, "validity": found, "days": (found.valid_until - today).days})
    return sorted(out, key=lambda r: (r["validity"].valid_until, r["org"].name, r["validity"].kind))


# --- people behind an employment ---------------------------------------------------------------


def holder_label(employment: Employment, access, visible_ids: set | None = None) -> str:
    """A participant by reference (hidden when registered by another partner); anyone else by
    name for roles that see identifiers, by initials otherwise."""
    if employment.participation_id:
        if visible_ids is not None and employment.participation_id not in visible_ids:
            return _("participant of another partner")
        return employment.participation.person_ref
    name = employment.person_name or ""
    if access.can(Cap.SEE_IDENTIFIERS):
        return name
    return " ".join(f"{part[:1]}." for part in name.split()) or "—"


def visible_participation_ids(user, project, participation_ids) -> set:
    ids = {pk for pk in participation_ids if pk}
    if not ids:
        return set()
    return set(participations_visible_to(user, project).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass
class Art10Check:
    on: dt.date
    figures: insertion.Art10
    rows: list = field(default_factory=list)  # employments the user may see
    hidden: int = 0  # employments of participants registered by other partners (counted, not listed)


def art10_check(user, access, project, organisation, on: dt.date) -> Art10Check:
    employments = Employment.objects.filter(job__project=project, job__employer=organisation)
    figures = insertion.tally(insertion.employment_rows(employments, on, "job__employer_id")).get(
        organisation.pk, insertion.Art10())
    active = list(employments.filter(insertion.held_on(on)).annotate(
        participant_vulnerable=Exists(Participation.vulnerable.through.objects.filter(
            participation_id=OuterRef("participation_id")))).select_related("job", "participation")
        .order_by("job__code", "start_date", "pk"))
    visible = visible_participation_ids(user, project, [e.participation_id for e in active])
    check = Art10Check(on=on, figures=figures)
    for e in active:
        if e.participation_id and e.participation_id not in visible:
            check.hidden += 1
            continue
        check.rows.append({
            "employment": e, "holder": holder_label(e, access, visible),
            "hours": insertion.weekly_hours(e.hours_per_week, e.job.hours_per_week),
            "vulnerable": insertion.is_vulnerable(e.participation_id, e.vulnerable, e.participant_vulnerable),
        })
    return check


def art10_sentence(check: Art10Check) -> str:
    f, day = check.figures, check.on.isoformat()
    if f.qualifies:
        return _("Qualifies as a social insertion enterprise on %(date)s: %(staff)s%% of staff and %(hours)s%% of "
                 "hours are vulnerable persons (at least 30%% of both are needed).") % {
            "date": day, "staff": f.staff_share, "hours": f.hours_share}
    if not f.employees:
        return _("Does not qualify on %(date)s: no employees on that date (needs at least one, and at least 30%% "
                 "of staff and of hours vulnerable persons).") % {"date": day}
    return _("Does not qualify on %(date)s: %(staff)s%% of staff and %(hours)s%% of hours are vulnerable persons; "
             "at least 30%% of both are needed.") % {"date": day, "staff": f.staff_share, "hours": f.hours_share}


# --- jobs ---------------------------------------------------------------------------------------


def enterprise_jobs(project, organisation, today: dt.date) -> QuerySet:
    held = Employment.objects.filter(insertion.held_on(today), job=OuterRef("pk"))
    return Job.objects.filter(project=project, employer=organisation).annotate(
        employments_count=Count("employments"), held_today=Exists(held)).order_by("code", "pk")


def get_job_for(user, code: str, org_code: str, job_code: str, capability: str | None = None):
    project, access, organisation = get_enterprise_for(user, code, org_code)
    job = Job.objects.filter(project=project, employer=organisation, code=job_code).first()
    if job is None:
        raise Http404(_("No such job."))
    if capability and not access.can(capability):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return project, access, organisation, job


def job_employments(user, access, project, job) -> tuple[list[dict], int]:
    """The job's employments the user may see (as rows) and how many are hidden."""
    employments = list(job.employments.select_related("participation").order_by("start_date", "pk"))
    visible = visible_participation_ids(user, project, [e.participation_id for e in employments])
    rows, hidden = [], 0
    for e in employments:
        if e.participation_id and e.participation_id not in visible:
            hidden += 1
            continue
        rows.append({"employment": e, "holder": holder_label(e, access, visible)})
    return rows, hidden


def get_employment_for(user, job, pk: int) -> Employment:
    """404 unless the employment is of this job and its participant (if any) is visible to the user."""
    employment = job.employments.select_related("participation", "job__project").filter(pk=pk).first()
    if employment is None:
        raise Http404(_("No such employment."))
    if employment.participation_id and not participations_visible_to(user, job.project).filter(
            pk=employment.participation_id).exists():
        raise Http404(_("No such employment."))
    return employment


# --- sustainability -----------------------------------------------------------------------------


def sustainability(project, months: int) -> dict:
    """The jobs the project created (SE04 as of the project's end) and which of them are held on
    the project's end date plus `months`."""
    check_on = add_months(project.end_date, months)
    held = Employment.objects.filter(insertion.held_on(check_on), job=OuterRef("pk"))
    held_count = Employment.objects.filter(insertion.held_on(check_on), job=OuterRef("pk")).values(
        "job").annotate(n=Count("pk")).values("n")
    jobs = jobs_created(Scope(project), project.end_date).select_related("employer").annotate(
        held=Exists(held)).order_by("employer__name", "code", "pk")
    jobs = list(jobs.annotate(holders=Coalesce(Subquery(held_count, output_field=IntegerField()), Value(0))))
    kept = sum(1 for j in jobs if j.held)
    return {"check_on": check_on, "jobs": jobs, "total": len(jobs), "kept": kept,
            "share": round(100 * kept / len(jobs)) if jobs else None,
            "future": check_on > dt.date.today()}
