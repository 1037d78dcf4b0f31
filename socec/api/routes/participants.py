"""Participants of a project, their identifiers (through the logged `identity_for`), exit, six-month
follow-up, consent, erasure and evidence documents. Scoping is the staff pages': the access helpers of
socec.people.access decide what a user sees (404 otherwise) and may change (403)."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from socec.orgs.models import Organisation
from socec.outreach.files import file_response
from socec.people import services
from socec.people.access import get_participation_for
from socec.people.models import (
    EvidenceDocument,
    ExitStatus,
    LabourStatus,
    Participation,
    Sex,
    Status6m,
    VulnerableCategory,
    YesNoRefused,
)
from socec.places.models import Area
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.staff.participants import selectors
from socec.staff.participants.forms import fill_from_cnp

from ..base import (
    DEFAULT_LIMIT,
    JPEG,
    MAX_ID,
    PDF,
    PNG,
    ApiError,
    Id,
    Limit,
    Page,
    ShortText,
    Version,
    binary,
    paginate,
    responses,
)
from ..locking import call, check_version, version_of

router = Router(tags=["participants"])


def choices(cls):
    return Literal[tuple(cls.values)]


def blank_or(cls):
    return Literal[("", *cls.values)]


class ParticipantOut(Schema):
    id: int
    project: str
    person_ref: str
    organisation: str
    organisation_id: Id
    sex: str
    birth_date: dt.date
    county: str
    locality: int | None
    area: str
    entry_date: dt.date
    labour_status: str
    isced: int
    disability: str
    minority: str
    third_country_national: bool | None
    foreign_background: str
    homeless: bool | None
    vulnerable: list[str]
    exit_date: dt.date | None
    exit_status: str
    qualification_gained: bool | None
    status_6m: str
    improved_6m: bool | None
    consent_on: dt.date
    erased: bool
    follow_up_due_on: dt.date | None
    version: Version | None = None


class FactsIn(Schema):
    """The facts the indicators read. In an update, only the fields sent change."""

    county: str | None = Field(None, min_length=1, max_length=2, description="county code, e.g. CJ")
    locality: int | None = Field(None, ge=1, le=MAX_ID, description="SIRUTA code; gives county and area when known")
    area: blank_or(Area) | None = None
    entry_date: dt.date | None = None
    labour_status: choices(LabourStatus) | None = None
    isced: int | None = Field(None, ge=0, le=8)
    disability: blank_or(YesNoRefused) | None = None
    minority: blank_or(YesNoRefused) | None = None
    third_country_national: bool | None = None
    foreign_background: blank_or(YesNoRefused) | None = None
    homeless: bool | None = None
    vulnerable: list[Annotated[str, Field(max_length=32)]] | None = Field(None, max_length=50,
                                                                          description="category codes")


class IdentifiersIn(Schema):
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    cnp: str | None = Field(None, max_length=13)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=300)


class RegisterIn(FactsIn, IdentifiersIn):
    person_ref: ShortText = Field(max_length=40)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    sex: choices(Sex) | None = Field(None, description="default: what the CNP encodes")
    birth_date: dt.date | None = Field(None, description="default: what the CNP encodes")
    county: str = Field(min_length=1, max_length=2)
    entry_date: dt.date
    labour_status: choices(LabourStatus)
    isced: int = Field(ge=0, le=8)
    consent_on: dt.date
    organisation_id: Id | None = Field(None, description="registering organisation (default: your own)")


class UpdateIn(FactsIn, IdentifiersIn):
    sex: choices(Sex) | None = None
    birth_date: dt.date | None = None
    version: Version | None = None


class ExitIn(Schema):
    exit_date: dt.date
    exit_status: choices(ExitStatus)
    qualification_gained: bool
    version: Version | None = None


class FollowUpIn(Schema):
    status_6m: choices(Status6m)
    improved_6m: bool
    version: Version | None = None


class ConsentIn(Schema):
    consent_on: dt.date
    version: Version | None = None


class ReasonIn(Schema):
    reason: ShortText = ""


class IdentityOut(Schema):
    person_ref: str
    erased: bool
    first_name: str
    last_name: str
    cnp: str
    phone: str
    email: str
    address: str


class DocumentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    category: str | None
    description: str
    uploaded_at: dt.datetime
    uploaded_by: str | None


def _text_fields(data: dict) -> dict:
    for key, value in data.items():
        if isinstance(value, str) and "\x00" in value:
            raise ApiError(400, _("The request is not valid: see the errors."),
                           [{"field": key, "message": _("NUL characters are not allowed.")}])
    return data


def _check_email(data: dict) -> None:
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError as exc:
            raise ValidationError({"email": exc.messages}) from None


def _not_future(data: dict, *names) -> None:
    today = timezone.localdate()
    errors = {n: _("This date is in the future.") for n in names if data.get(n) and data[n] > today}
    if errors:
        raise ValidationError(errors)


def _birth_and_sex(data: dict) -> None:
    """As the staff registration form: a valid CNP fills in the birth date and the sex when they are missing."""
    try:
        fill_from_cnp(data)
    except ValidationError as exc:
        raise ValidationError({"cnp": exc.messages}) from None
    errors = {}
    if not data.get("birth_date"):
        errors["birth_date"] = _("Give the birth date (or a CNP).")
    if not data.get("sex"):
        errors["sex"] = _("Choose the sex (or give a CNP).")
    if errors:
        raise ValidationError(errors)


def participant_out(p: Participation, vulnerable=None) -> dict:
    codes = [v.code for v in (vulnerable if vulnerable is not None else p.vulnerable.all())]
    return {"id": p.pk, "project": p.project.code, "person_ref": p.person_ref, "organisation": p.organisation.code,
            "organisation_id": p.organisation_id, "sex": p.person.sex, "birth_date": p.person.birth_date,
            "county": p.county_id, "locality": p.locality_id, "area": p.area, "entry_date": p.entry_date,
            "labour_status": p.labour_status, "isced": p.isced, "disability": p.disability, "minority": p.minority,
            "third_country_national": p.third_country_national, "foreign_background": p.foreign_background,
            "homeless": p.homeless, "vulnerable": codes, "exit_date": p.exit_date, "exit_status": p.exit_status,
            "qualification_gained": p.qualification_gained, "status_6m": p.status_6m, "improved_6m": p.improved_6m,
            "consent_on": p.consent_on, "erased": p.erased_at is not None,
            "follow_up_due_on": services.follow_up_due_on(p), "version": version_of(p)}


def get_participant(request, code: ShortText, pk: Id, *, change: bool = False):
    """The project (404 unless a member), then the participant (404 unless visible, 403 for a change the
    role does not allow): the helpers the staff profile uses."""
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_for(request.user, pk, change=change)
    if p.project_id != project.pk:
        raise Http404(_("No such participant."))
    return project, p, access


def _fresh(p: Participation) -> Participation:
    return Participation.objects.select_related("project", "person", "organisation").get(pk=p.pk)


# --- participants --------------------------------------------------------------------------------------------


@router.get("/projects/{code}/participants", response=responses(Page[ParticipantOut]),
            summary="List participants (the ones you may see)")
def participant_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
                     person_ref: ShortText | None = None, county: ShortText | None = None,
                     area: Literal["urban", "rural", "none"] | None = None, organisation: ShortText | None = None,
                     vulnerable: ShortText | None = None,
                     status: Literal["active", "exited", "followed_up"] | None = None,
                     entry_from: dt.date | None = None, entry_to: dt.date | None = None):
    project, access = get_project_for(request.user, code, Cap.VIEW_PEOPLE)
    filters = selectors.Filters(county=(county or "").upper(), area=area or "", vulnerable=vulnerable or "",
                                status=status or "")
    qs = selectors.participants_for(request.user, access, project, filters, today=timezone.localdate())
    if person_ref:
        qs = qs.filter(person_ref=person_ref)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if entry_from:
        qs = qs.filter(entry_date__gte=entry_from)
    if entry_to:
        qs = qs.filter(entry_date__lte=entry_to)
    qs = qs.select_related("project", "person", "organisation")
    return paginate(qs, cursor, limit, lambda p, vulnerable: participant_out(p, vulnerable.get(p.pk, [])),
                    after_page=selectors.vulnerable_of)


@router.get("/projects/{code}/participants/{pk}", response=responses(ParticipantOut), summary="Get a participant")
def participant_get(request, code: ShortText, pk: Id):
    _project, p, _access = get_participant(request, code, pk)
    return participant_out(p)


@router.post("/projects/{code}/participants", response=responses(ParticipantOut, 201),
             summary="Register a participant")
def participant_register(request, code: ShortText, payload: RegisterIn):
    project, access = get_project_for(request.user, code, Cap.CHANGE_PEOPLE)
    data = _text_fields(payload.dict(exclude={"organisation_id"}, exclude_none=True))
    _birth_and_sex(data)
    _not_future(data, "entry_date", "consent_on", "birth_date")
    _check_email(data)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise ValidationError({"organisation_id": _("No such organisation.")})
    if Participation.objects.filter(project=project, person_ref=data["person_ref"].strip()).exists():
        raise ValidationError({"person_ref": _("This person reference is already used in the project.")})
    data["person_ref"] = data["person_ref"].strip()
    p = services.participant_register(project=project, data=data, by=request.user, organisation=organisation)
    return Status(201, participant_out(_fresh(p)))


@router.patch("/projects/{code}/participants/{pk}", response=responses(ParticipantOut),
              summary="Change a participant's facts or identifiers")
def participant_update(request, code: ShortText, pk: Id, payload: UpdateIn):
    _project, p, access = get_participant(request, code, pk, change=True)
    data = _text_fields(payload.dict(exclude_unset=True, exclude={"version"}))
    if any(f in data for f in services.IDENTITY_FIELDS) and not access.can(Cap.SEE_IDENTIFIERS):
        raise PermissionDenied(_("Your role does not allow seeing identifiers."))
    for required in ("county", "entry_date", "labour_status", "isced", "sex", "birth_date", "first_name",
                     "last_name"):
        if required in data and data[required] is None:
            raise ValidationError({required: _("This field cannot be empty.")})
    _not_future(data, "entry_date", "birth_date")
    _check_email(data)
    check_version(p, payload.version)
    call(services.participant_update, participation=p, data=data, by=request.user,
         expected_version=payload.version)
    return participant_out(_fresh(p))


@router.post("/projects/{code}/participants/{pk}/exit", response=responses(ParticipantOut),
             summary="Record the exit from the project")
def participant_exit(request, code: ShortText, pk: Id, payload: ExitIn):
    _project, p, _access = get_participant(request, code, pk, change=True)
    check_version(p, payload.version)
    call(services.participant_exit, participation=p, by=request.user, exit_date=payload.exit_date,
         exit_status=payload.exit_status, qualification_gained=payload.qualification_gained,
         expected_version=payload.version)
    return participant_out(_fresh(p))


@router.post("/projects/{code}/participants/{pk}/follow-up", response=responses(ParticipantOut),
             summary="Record the six-month follow-up")
def participant_follow_up(request, code: ShortText, pk: Id, payload: FollowUpIn):
    _project, p, _access = get_participant(request, code, pk, change=True)
    check_version(p, payload.version)
    call(services.participant_follow_up, participation=p, by=request.user, status_6m=payload.status_6m,
         improved_6m=payload.improved_6m, expected_version=payload.version)
    return participant_out(_fresh(p))


@router.post("/projects/{code}/participants/{pk}/consent", response=responses(ParticipantOut),
             summary="Record the consent date")
def participant_consent(request, code: ShortText, pk: Id, payload: ConsentIn):
    _project, p, _access = get_participant(request, code, pk, change=True)
    check_version(p, payload.version)
    call(services.participant_consent, participation=p, by=request.user, consent_on=payload.consent_on,
         expected_version=payload.version)
    return participant_out(_fresh(p))


@router.post("/projects/{code}/participants/{pk}/erase", response=responses(ParticipantOut),
             summary="Erase the person's identifiers (a manager's decision, with a reason)")
def participant_erase(request, code: ShortText, pk: Id, payload: ReasonIn):
    _project, p, _access = get_participant(request, code, pk)
    services.participant_erase(participation=p, by=request.user, reason=payload.reason)
    return participant_out(_fresh(p))


@router.post("/projects/{code}/participants/{pk}/identity", response=responses(IdentityOut),
             summary="Read the identifiers (logged; the funder auditor gives a reason)")
def participant_identity(request, code: ShortText, pk: Id, payload: ReasonIn):
    _project, p, _access = get_participant(request, code, pk)
    identity = services.identity_for(participation=p, by=request.user, reason=payload.reason)
    out = {f: (getattr(identity, f, "") or "") if identity else "" for f in services.IDENTITY_FIELDS}
    return {"person_ref": p.person_ref, "erased": identity is None, **out}


# --- evidence documents --------------------------------------------------------------------------------------


def document_out(d: EvidenceDocument) -> dict:
    return {"id": d.pk, "original_name": d.original_name, "content_type": d.content_type, "size": d.size,
            "category": d.category_id, "description": d.description, "uploaded_at": d.uploaded_at,
            "uploaded_by": d.uploaded_by.get_username() if d.uploaded_by else None}


def _document(request, code, pk, document_pk, *, change=False):
    _project, p, _access = get_participant(request, code, pk, change=change)
    document = EvidenceDocument.objects.select_related("participation__project", "uploaded_by").filter(
        participation=p, pk=document_pk).first()
    if document is None:
        raise Http404(_("No such document."))
    return p, document


@router.get("/projects/{code}/participants/{pk}/documents", response=responses(Page[DocumentOut]),
            summary="List a participant's evidence documents")
def document_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    _project, p, _access = get_participant(request, code, pk)
    return paginate(p.documents.select_related("uploaded_by"), cursor, limit, document_out)


@router.post("/projects/{code}/participants/{pk}/documents", response=responses(DocumentOut, 201),
             summary="Upload an evidence document (PDF, JPEG or PNG)")
def document_upload(request, code: ShortText, pk: Id, file: File[UploadedFile], category: str = Form("", max_length=32),
                    description: str = Form("", max_length=200)):
    _project, p, _access = get_participant(request, code, pk, change=True)
    _text_fields({"category": category, "description": description})
    found = None
    if category:
        found = VulnerableCategory.objects.filter(pk=category).first()
        if found is None:
            raise ValidationError({"category": _("Unknown vulnerable category: %(codes)s.") % {"codes": category}})
    document = services.evidence_add(participation=p, by=request.user, file=file, category=found,
                                     description=description)
    return Status(201, document_out(document))


@router.get("/projects/{code}/participants/{pk}/documents/{document_pk}/file",
            response=responses(bytes), openapi_extra=binary(PDF, JPEG, PNG),
            summary="Download an evidence document (logged)")
def document_download(request, code: ShortText, pk: Id, document_pk: Id):
    p, document = _document(request, code, pk, document_pk)
    response = file_response(document.file, download_name=f"{p.project.code}-{p.person_ref}-{document.pk}".replace(
        "/", "_"), as_attachment=True)
    services.evidence_downloaded(document=document, by=request.user)
    return response


@router.delete("/projects/{code}/participants/{pk}/documents/{document_pk}", response=responses(None, 204),
               summary="Delete an evidence document")
def document_delete(request, code: ShortText, pk: Id, document_pk: Id):
    _p, document = _document(request, code, pk, document_pk, change=True)
    services.evidence_delete(document=document, by=request.user)
    return Status(204, None)
