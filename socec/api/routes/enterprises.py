"""The enterprises a project supports (organisations with the partnership role `supported`), their
support grants and products; the jobs they create and who holds them (hire, leave). The staff
enterprise pages' selectors decide what is found (404) and the capability asked (403): managers change
enterprises (MANAGE_PROJECT), managers and field workers record jobs (CHANGE_ACTIVITIES)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_hire, employment_leave, job_save
from socec.orgs.models import LegalForm, Organisation, Product, SupportGrant
from socec.orgs.services import (
    enterprise_add,
    enterprise_save,
    grant_delete,
    grant_save,
    product_delete,
    product_save,
)
from socec.people.access import participations_visible_to
from socec.people.models import VulnerableCategory
from socec.places.models import Area
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.staff.enterprises import selectors

from ..base import DEFAULT_LIMIT, MAX_ID, Id, Limit, Page, ShortText, Text, Version, paginate, responses
from ..locking import call, version_of
from .training import _place

router = Router(tags=["enterprises"])


def _enterprise(request, code: ShortText, pk: Id, capability=None):
    """By id, then the staff helper by code (404 unless the project supports it)."""
    org_code = Organisation.objects.filter(pk=pk).values_list("code", flat=True).first()
    if org_code is None:
        get_project_for(request.user, code)  # 404 for a project the user is not in, first
        raise Http404(_("No such enterprise in this project."))
    return selectors.get_enterprise_for(request.user, code, org_code, capability)


class EnterpriseOut(Schema):
    id: int
    code: ShortText
    name: str
    legal_form: str
    cui: str
    county: str
    locality: int | None
    area: str
    business_plan_on: dt.date | None
    founded_on: dt.date | None
    registered_on: dt.date | None
    caen: str
    is_ses: bool
    attested_on: dt.date | None
    attestation_no: str
    social_mark_on: dt.date | None
    social_mark_no: str
    public: bool
    website: str
    contact_email: str
    contact_phone: str
    description: str
    version: Version | None = None


class EnterpriseIn(Schema):
    code: ShortText | None = Field(None, max_length=40)
    name: ShortText | None = Field(None, max_length=200)
    legal_form: Literal[tuple(LegalForm.values)] | None = None
    cui: ShortText | None = Field(None, max_length=12)
    county: ShortText | None = Field(None, max_length=2)
    locality: int | None = Field(None, ge=1, le=MAX_ID)
    area: Literal[("", *Area.values)] | None = None
    business_plan_on: dt.date | None = None
    founded_on: dt.date | None = None
    registered_on: dt.date | None = None
    caen: ShortText | None = Field(None, max_length=4)
    attested_on: dt.date | None = None
    attestation_no: ShortText | None = Field(None, max_length=40)
    social_mark_on: dt.date | None = None
    social_mark_no: ShortText | None = Field(None, max_length=40)
    public: bool | None = None
    website: ShortText | None = Field(None, max_length=200)
    contact_email: ShortText | None = Field(None, max_length=254)
    contact_phone: ShortText | None = Field(None, max_length=30)
    description: Text | None = None
    version: Version | None = None


TEXT_FIELDS = ("code", "name", "legal_form", "cui", "area", "caen", "attestation_no", "social_mark_no", "website",
               "contact_email", "contact_phone", "description")


def _values(payload: Schema) -> dict:
    values = payload.dict(exclude_unset=True, exclude={"version"})
    for key in TEXT_FIELDS:
        if key in values and values[key] is None:
            values[key] = ""
    if "public" in values and values["public"] is None:
        values["public"] = False
    return _place(values)


def enterprise_out(o: Organisation) -> dict:
    return {"id": o.pk, "code": o.code, "name": o.name, "legal_form": o.legal_form, "cui": o.cui,
            "county": o.county_id, "locality": o.locality_id, "area": o.area, "business_plan_on": o.business_plan_on,
            "founded_on": o.founded_on, "registered_on": o.registered_on, "caen": o.caen, "is_ses": o.is_ses,
            "attested_on": o.attested_on, "attestation_no": o.attestation_no, "social_mark_on": o.social_mark_on,
            "social_mark_no": o.social_mark_no, "public": o.public, "website": o.website,
            "contact_email": o.contact_email, "contact_phone": o.contact_phone, "description": o.description,
            "version": version_of(o)}


@router.get("/projects/{code}/enterprises", response=responses(Page[EnterpriseOut]),
            summary="List the enterprises the project supports")
def enterprise_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access = get_project_for(request.user, code)
    return paginate(selectors.project_enterprises(project), cursor, limit, enterprise_out)


@router.get("/projects/{code}/enterprises/{pk}", response=responses(EnterpriseOut), summary="Get an enterprise")
def enterprise_get(request, code: ShortText, pk: Id):
    return enterprise_out(_enterprise(request, code, pk)[2])


@router.post("/projects/{code}/enterprises", response=responses(EnterpriseOut, 201),
             summary="Add an enterprise the project supports")
def enterprise_create(request, code: ShortText, payload: EnterpriseIn):
    project, _access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    values = _values(payload)
    for key in ("code", "name", "legal_form"):
        if not values.get(key):
            raise ValidationError({key: _("This field is required.")})
    return Status(201, enterprise_out(enterprise_add(project=project, by=request.user, **values)))


@router.patch("/projects/{code}/enterprises/{pk}", response=responses(EnterpriseOut),
              summary="Change an enterprise")
def enterprise_update(request, code: ShortText, pk: Id, payload: EnterpriseIn):
    project, _access, org = _enterprise(request, code, pk, Cap.MANAGE_PROJECT)
    org = call(enterprise_save, organisation=org, project=project, by=request.user,
               expected_version=payload.version, **_values(payload))
    return enterprise_out(org)


# --- grants and products -------------------------------------------------------------------------------


class GrantOut(Schema):
    id: int
    organisation_id: Id
    granted_on: dt.date
    amount: Decimal
    de_minimis: bool
    description: str
    version: Version | None = None


class GrantIn(Schema):
    granted_on: dt.date
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    de_minimis: bool = False
    description: ShortText = Field("", max_length=200)


def grant_out(g: SupportGrant) -> dict:
    return {"id": g.pk, "organisation_id": g.organisation_id, "granted_on": g.granted_on, "amount": g.amount,
            "de_minimis": g.de_minimis, "description": g.description, "version": version_of(g)}


@router.get("/projects/{code}/enterprises/{pk}/grants", response=responses(Page[GrantOut]),
            summary="List the support grants to an enterprise")
def grant_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access, org = _enterprise(request, code, pk)
    return paginate(SupportGrant.objects.filter(project=project, organisation=org), cursor, limit, grant_out)


@router.post("/projects/{code}/enterprises/{pk}/grants", response=responses(GrantOut, 201),
             summary="Record a support grant")
def grant_create(request, code: ShortText, pk: Id, payload: GrantIn):
    project, _access, org = _enterprise(request, code, pk, Cap.MANAGE_PROJECT)
    grant = grant_save(grant=SupportGrant(project=project, organisation=org), by=request.user, **payload.dict())
    return Status(201, grant_out(grant))


class ProductOut(Schema):
    id: int
    organisation_id: Id
    kind: str
    name: str
    description: str
    version: Version | None = None


class ProductIn(Schema):
    kind: Literal[tuple(Product.Kind.values)] = Product.Kind.PRODUCT.value
    name: ShortText = Field(max_length=200)
    description: Text = ""


def product_out(p: Product) -> dict:
    return {"id": p.pk, "organisation_id": p.organisation_id, "kind": p.kind, "name": p.name,
            "description": p.description, "version": version_of(p)}


@router.get("/projects/{code}/enterprises/{pk}/products", response=responses(Page[ProductOut]),
            summary="List an enterprise's products and services")
def product_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    _project, _access, org = _enterprise(request, code, pk)
    return paginate(Product.objects.filter(organisation=org), cursor, limit, product_out)


@router.post("/projects/{code}/enterprises/{pk}/products", response=responses(ProductOut, 201),
             summary="Add a product or service")
def product_create(request, code: ShortText, pk: Id, payload: ProductIn):
    _project, _access, org = _enterprise(request, code, pk, Cap.MANAGE_PROJECT)
    return Status(201, product_out(product_save(product=Product(organisation=org), by=request.user,
                                                **payload.dict())))


class GrantPatchIn(Schema):
    granted_on: dt.date | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    de_minimis: bool | None = None
    description: ShortText | None = Field(None, max_length=200)
    version: Version | None = None


def _grant(request, code, pk, grant_pk):
    project, _access, org = _enterprise(request, code, pk, Cap.MANAGE_PROJECT)
    grant = SupportGrant.objects.filter(project=project, organisation=org, pk=grant_pk).first()
    if grant is None:
        raise Http404(_("No such grant."))
    return grant


def _not_null(values: dict, *names) -> dict:
    errors = {n: _("This field cannot be empty.") for n in names if n in values and values[n] is None}
    if errors:
        raise ValidationError(errors)
    return values


@router.patch("/projects/{code}/enterprises/{pk}/grants/{grant_pk}", response=responses(GrantOut),
              summary="Change a support grant")
def grant_update(request, code: ShortText, pk: Id, grant_pk: Id, payload: GrantPatchIn):
    grant = _grant(request, code, pk, grant_pk)
    values = _not_null(payload.dict(exclude_unset=True, exclude={"version"}), "granted_on", "amount", "de_minimis")
    if "description" in values and values["description"] is None:
        values["description"] = ""
    return grant_out(call(grant_save, grant=grant, by=request.user, expected_version=payload.version, **values))


@router.delete("/projects/{code}/enterprises/{pk}/grants/{grant_pk}", response=responses(None, 204),
               summary="Delete a support grant")
def grant_remove(request, code: ShortText, pk: Id, grant_pk: Id):
    grant_delete(grant=_grant(request, code, pk, grant_pk), by=request.user)
    return Status(204, None)


class ProductPatchIn(Schema):
    kind: Literal[tuple(Product.Kind.values)] | None = None
    name: ShortText | None = Field(None, max_length=200)
    description: Text | None = None
    version: Version | None = None


def product_values(payload: ProductPatchIn) -> dict:
    values = _not_null(payload.dict(exclude_unset=True, exclude={"version"}), "kind", "name")
    if "description" in values and values["description"] is None:
        values["description"] = ""
    return values


def _product(request, code, pk, product_pk):
    _project, _access, org = _enterprise(request, code, pk, Cap.MANAGE_PROJECT)
    product = Product.objects.select_related("organisation").filter(organisation=org, pk=product_pk).first()
    if product is None:
        raise Http404(_("No such product or service."))
    return product


@router.patch("/projects/{code}/enterprises/{pk}/products/{product_pk}", response=responses(ProductOut),
              summary="Change a product or service")
def product_update(request, code: ShortText, pk: Id, product_pk: Id, payload: ProductPatchIn):
    product = _product(request, code, pk, product_pk)
    return product_out(call(product_save, product=product, by=request.user, expected_version=payload.version,
                            **product_values(payload)))


@router.delete("/projects/{code}/enterprises/{pk}/products/{product_pk}", response=responses(None, 204),
               summary="Delete a product or service")
def product_remove(request, code: ShortText, pk: Id, product_pk: Id):
    product_delete(product=_product(request, code, pk, product_pk), by=request.user)
    return Status(204, None)


# --- certificates, the art. 10 check -----------------------------------------------------------------------


class ReminderOut(Schema):
    organisation_id: int
    organisation: str
    name: str
    certificate: Literal["attestation", "social_mark"]
    number: str
    issued_on: dt.date
    valid_until: dt.date
    status: Literal["valid", "expires_soon", "expired"]
    days_left: int


class RemindersOut(Schema):
    today: dt.date
    within_days: int
    items: list[ReminderOut]


@router.get("/projects/{code}/enterprise-reminders", response=responses(RemindersOut),
            summary="Attestations and social marks of the project's enterprises that expired or expire soon")
def enterprise_reminders(request, code: ShortText):
    project, _access = get_project_for(request.user, code)
    today = dt.date.today()
    return {"today": today, "within_days": selectors.REMINDER_DAYS, "items": [
        {"organisation_id": r["org"].pk, "organisation": r["org"].code, "name": r["org"].name,
         "certificate": r["validity"].kind, "number": r["validity"].number, "issued_on": r["validity"].issued_on,
         "valid_until": r["validity"].valid_until, "status": r["validity"].status, "days_left": r["days"]}
        for r in selectors.reminders(project, today)]}


class Art10RowOut(Schema):
    employment_id: int
    job_id: int
    job: str
    holder: str
    hours_per_week: int
    vulnerable: bool


class Art10Out(Schema):
    on: dt.date
    qualifies: bool
    employees: int
    vulnerable: int
    hours: int
    vulnerable_hours: int
    staff_share: Decimal
    hours_share: Decimal
    sentence: str
    hidden: int
    rows: list[Art10RowOut]


@router.get("/projects/{code}/enterprises/{pk}/art10", response=responses(Art10Out),
            summary="The art. 10 check (Law 219/2015): is it a social insertion enterprise on a date (default today)")
def enterprise_art10(request, code: ShortText, pk: Id, on: dt.date | None = None):
    project, access, org = _enterprise(request, code, pk)
    check = selectors.art10_check(request.user, access, project, org, on or dt.date.today())
    f = check.figures
    return {"on": check.on, "qualifies": f.qualifies, "employees": f.employees, "vulnerable": f.vulnerable,
            "hours": f.hours, "vulnerable_hours": f.vulnerable_hours, "staff_share": f.staff_share,
            "hours_share": f.hours_share, "sentence": selectors.art10_sentence(check), "hidden": check.hidden,
            "rows": [{"employment_id": r["employment"].pk, "job_id": r["employment"].job_id,
                      "job": r["employment"].job.code, "holder": r["holder"], "hours_per_week": r["hours"],
                      "vulnerable": r["vulnerable"]} for r in check.rows]}


# --- jobs and employments ----------------------------------------------------------------------------------


class JobOut(Schema):
    id: int
    code: ShortText
    employer_id: Id
    employer: str
    title: str
    created_on: dt.date
    hours_per_week: int | None
    version: Version | None = None


class JobIn(Schema):
    code: ShortText | None = Field(None, max_length=40)
    employer_id: Id | None = None
    title: ShortText | None = Field(None, max_length=200)
    created_on: dt.date | None = None
    hours_per_week: int | None = Field(None, ge=1, le=168)
    version: Version | None = None


def job_out(j: Job) -> dict:
    return {"id": j.pk, "code": j.code, "employer_id": j.employer_id, "employer": j.employer.code, "title": j.title,
            "created_on": j.created_on, "hours_per_week": j.hours_per_week, "version": version_of(j)}


def _job(request, code: ShortText, pk: Id, capability=None):
    job = Job.objects.select_related("employer").filter(project__code=code, pk=pk).first()
    if job is None:
        get_project_for(request.user, code)
        raise Http404(_("No such job."))
    return selectors.get_job_for(request.user, code, job.employer.code, job.code, capability)


@router.get("/projects/{code}/jobs", response=responses(Page[JobOut]), summary="List the jobs created")
def job_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
             employer_id: Id | None = None):
    project, _access = get_project_for(request.user, code)
    qs = Job.objects.filter(project=project).select_related("employer")
    if employer_id is not None:
        qs = qs.filter(employer_id=employer_id)
    return paginate(qs, cursor, limit, job_out)


@router.get("/projects/{code}/jobs/{pk}", response=responses(JobOut), summary="Get a job")
def job_get(request, code: ShortText, pk: Id):
    return job_out(_job(request, code, pk)[3])


@router.post("/projects/{code}/jobs", response=responses(JobOut, 201), summary="Record a job created")
def job_create(request, code: ShortText, payload: JobIn):
    if payload.employer_id is None:
        raise ValidationError({"employer_id": _("This field is required.")})
    project, _access, org = _enterprise(request, code, payload.employer_id, Cap.CHANGE_ACTIVITIES)
    values = payload.dict(exclude_unset=True, exclude={"version", "employer_id"})
    values = {k: ("" if v is None and k in ("code", "title") else v) for k, v in values.items()}
    job = job_save(job=Job(project=project, employer=org), by=request.user, **values)
    return Status(201, job_out(job))


@router.patch("/projects/{code}/jobs/{pk}", response=responses(JobOut), summary="Change a job")
def job_update(request, code: ShortText, pk: Id, payload: JobIn):
    _project, _access, _org, job = _job(request, code, pk, Cap.CHANGE_ACTIVITIES)
    values = payload.dict(exclude_unset=True, exclude={"version", "employer_id"})
    values = {k: ("" if v is None and k in ("code", "title") else v) for k, v in values.items()}
    return job_out(call(job_save, job=job, by=request.user, expected_version=payload.version, **values))


class EmploymentOut(Schema):
    id: int
    job_id: int
    participant_id: int | None
    holder: str
    start_date: dt.date
    end_date: dt.date | None
    hours_per_week: int | None
    vulnerable: bool | None
    version: Version | None = None


class HireIn(Schema):
    start_date: dt.date
    participant_id: Id | None = None
    person_name: ShortText = Field("", max_length=200)
    hours_per_week: int | None = Field(None, ge=1, le=168)
    vulnerable: bool | None = None
    vulnerable_category: ShortText | None = None


class LeaveIn(Schema):
    end_date: dt.date
    version: Version | None = None


def employment_out(e: Employment, holder: str) -> dict:
    return {"id": e.pk, "job_id": e.job_id, "participant_id": e.participation_id, "holder": holder,
            "start_date": e.start_date, "end_date": e.end_date, "hours_per_week": e.hours_per_week,
            "vulnerable": e.vulnerable, "version": version_of(e)}


@router.get("/projects/{code}/jobs/{pk}/employments", response=responses(Page[EmploymentOut]),
            summary="Who holds or held a job (people you may see)")
def employment_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, access, _org, job = _job(request, code, pk)
    visible = participations_visible_to(request.user, project).values("pk")
    qs = job.employments.filter(participation__isnull=True) | job.employments.filter(participation__in=visible)
    qs = qs.select_related("participation")

    def ids(rows):
        return selectors.visible_participation_ids(request.user, project, [e.participation_id for e in rows])

    return paginate(qs, cursor, limit, lambda e, seen: employment_out(e, selectors.holder_label(e, access, seen)),
                    after_page=ids)


@router.post("/projects/{code}/jobs/{pk}/employments", response=responses(EmploymentOut, 201),
             summary="Someone starts in a job")
def employment_create(request, code: ShortText, pk: Id, payload: HireIn):
    project, access, _org, job = _job(request, code, pk, Cap.CHANGE_ACTIVITIES)
    participation = None
    if payload.participant_id is not None:
        participation = participations_visible_to(request.user, project).filter(pk=payload.participant_id).first()
        if participation is None:
            raise ValidationError({"participant_id": _("No participant with this id that you may see in the "
                                                       "project.")})
    category = None
    if payload.vulnerable_category:
        category = VulnerableCategory.objects.filter(pk=payload.vulnerable_category).first()
        if category is None:
            raise ValidationError({"vulnerable_category": _("Unknown vulnerable category: %(codes)s.") % {
                "codes": payload.vulnerable_category}})
    if payload.start_date > timezone.localdate():
        raise ValidationError({"start_date": _("This date is in the future.")})
    e = employment_hire(job=job, by=request.user, start_date=payload.start_date, participation=participation,
                        person_name=payload.person_name, hours_per_week=payload.hours_per_week,
                        vulnerable=payload.vulnerable, vulnerable_category=category)
    seen = selectors.visible_participation_ids(request.user, project, [e.participation_id])
    return Status(201, employment_out(e, selectors.holder_label(e, access, seen)))


@router.post("/projects/{code}/jobs/{pk}/employments/{employment_pk}/leave", response=responses(EmploymentOut),
             summary="The employee leaves the job")
def employment_end(request, code: ShortText, pk: Id, employment_pk: Id, payload: LeaveIn):
    project, access, _org, job = _job(request, code, pk, Cap.CHANGE_ACTIVITIES)
    e = selectors.get_employment_for(request.user, job, employment_pk)
    e = call(employment_leave, employment=e, by=request.user, end_date=payload.end_date,
             expected_version=payload.version)
    seen = selectors.visible_participation_ids(request.user, project, [e.participation_id])
    return employment_out(e, selectors.holder_label(e, access, seen))


class SustainedJobOut(Schema):
    id: int
    code: str
    employer_id: int
    employer: str
    title: str
    created_on: dt.date
    hours_per_week: int | None
    held: bool
    holders: int


class SustainabilityOut(Schema):
    months: int
    check_on: dt.date
    future: bool
    total: int
    kept: int
    share: int | None
    jobs: list[SustainedJobOut]


@router.get("/projects/{code}/jobs-sustainability", response=responses(SustainabilityOut),
            summary="The jobs the project created, and which are held some months after the project's end")
def jobs_sustainability(request, code: ShortText, months: Annotated[int, Field(ge=0, le=120)] = 6):
    project, _access = get_project_for(request.user, code)
    found = selectors.sustainability(project, months)
    return {"months": months, "check_on": found["check_on"], "future": found["future"], "total": found["total"],
            "kept": found["kept"], "share": found["share"], "jobs": [
                {"id": j.pk, "code": j.code, "employer_id": j.employer_id, "employer": j.employer.code,
                 "title": j.title, "created_on": j.created_on, "hours_per_week": j.hours_per_week,
                 "held": bool(j.held), "holders": j.holders} for j in found["jobs"]]}
