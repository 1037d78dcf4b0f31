"""Courses, their sessions, enrolments, attendance and certificates; counselling and mentoring sessions.
The same selectors and services as the staff training pages: a partner sees the enrolments, attendance
and sessions of its own organisation's participants only."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from socec.people.access import participations_visible_to
from socec.places.models import County, Locality
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.staff.training import selectors
from socec.training import services
from socec.training.certificates import certificate_response
from socec.training.models import Attendance, CounsellingSession, Course, CourseSession, Enrolment

from ..base import DEFAULT_LIMIT, MAX_ID, PDF, Id, Limit, Page, ShortText, Text, Version, binary, paginate, responses
from ..locking import call, version_of

router = Router(tags=["training"])


def _course(request, code, pk, capability=None):
    project, access = get_project_for(request.user, code, capability)
    course = Course.objects.filter(project=project, pk=pk).first()
    if course is None:
        raise Http404(_("No such course."))
    return project, access, course


def _place(values: dict) -> dict:
    """county code and SIRUTA code -> objects (unknown codes: a field error)."""
    if values.get("locality") is not None:
        found = Locality.objects.select_related("county").filter(pk=values["locality"]).first()
        if found is None:
            raise ValidationError({"locality": _("%(code)s is not a known SIRUTA code.") % {
                "code": values["locality"]}})
        values["locality"], values["county"] = found, found.county
    elif "locality" in values:
        values["locality"] = None
    if values.get("county") == "":
        values["county"] = None
    if isinstance(values.get("county"), str):
        found = County.objects.filter(pk=values["county"].upper()).first()
        if found is None:
            raise ValidationError({"county": _("%(code)s is not a county code.") % {"code": values["county"]}})
        values["county"] = found
    return values


# --- courses ----------------------------------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    code: ShortText
    title: str
    kind: str
    hours: Decimal | None
    min_attendance_pct: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    county: str | None
    locality: int | None
    accredited: bool | None
    occupation_code: str
    sessions: int | None = None
    enrolled: int | None = None
    version: Version | None = None


class CourseIn(Schema):
    code: ShortText | None = Field(None, max_length=40)
    title: ShortText | None = None
    kind: Literal[tuple(Course.Kind.values)] | None = None
    hours: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=2)
    min_attendance_pct: int | None = Field(None, ge=0, le=100)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    county: ShortText | None = Field(None, max_length=2)
    locality: int | None = Field(None, ge=1, le=MAX_ID)
    accredited: bool | None = None
    occupation_code: ShortText | None = Field(None, max_length=6)
    version: Version | None = None


def course_out(c: Course) -> dict:
    return {"id": c.pk, "code": c.code, "title": c.title, "kind": c.kind, "hours": c.hours,
            "min_attendance_pct": c.min_attendance_pct, "start_date": c.start_date, "end_date": c.end_date,
            "county": c.county_id, "locality": c.locality_id, "accredited": c.accredited,
            "occupation_code": c.occupation_code, "sessions": getattr(c, "session_count", None),
            "enrolled": getattr(c, "enrolled_count", None), "version": version_of(c)}


@router.get("/projects/{code}/courses", response=responses(Page[CourseOut]), summary="List courses")
def course_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
                kind: Literal[tuple(Course.Kind.values)] | None = None):
    project, access = get_project_for(request.user, code)
    return paginate(selectors.courses_for(access, project, kind=kind or ""), cursor, limit, course_out)


@router.get("/projects/{code}/courses/{pk}", response=responses(CourseOut), summary="Get a course")
def course_get(request, code: ShortText, pk: Id):
    _project, access, course = _course(request, code, pk)
    return course_out(selectors.courses_for(access, course.project).get(pk=course.pk))


@router.post("/projects/{code}/courses", response=responses(CourseOut, 201), summary="Create a course")
def course_create(request, code: ShortText, payload: CourseIn):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    values = _place(payload.dict(exclude_unset=True, exclude={"version"}))
    values = {k: ("" if v is None and k in ("code", "title", "kind", "occupation_code") else v)
              for k, v in values.items()}
    course = services.course_save(course=Course(project=project), by=request.user, **values)
    return Status(201, course_out(course))


@router.patch("/projects/{code}/courses/{pk}", response=responses(CourseOut), summary="Change a course")
def course_update(request, code: ShortText, pk: Id, payload: CourseIn):
    _project, _access, course = _course(request, code, pk, Cap.CHANGE_ACTIVITIES)
    values = _place(payload.dict(exclude_unset=True, exclude={"version"}))
    course = call(services.course_save, course=course, by=request.user, expected_version=payload.version, **values)
    return course_out(course)


# --- sessions ---------------------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    course_id: int
    date: dt.date
    hours: Decimal | None
    topic: str
    version: Version | None = None


class SessionIn(Schema):
    date: dt.date | None = None
    hours: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=2)
    topic: ShortText | None = None
    version: Version | None = None


def session_out(s: CourseSession) -> dict:
    return {"id": s.pk, "course_id": s.course_id, "date": s.date, "hours": s.hours, "topic": s.topic,
            "version": version_of(s)}


@router.get("/projects/{code}/courses/{pk}/sessions", response=responses(Page[SessionOut]),
            summary="List a course's sessions")
def session_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    _project, _access, course = _course(request, code, pk)
    return paginate(course.sessions.all(), cursor, limit, session_out)


@router.post("/projects/{code}/courses/{pk}/sessions", response=responses(SessionOut, 201),
             summary="Add a session to a course")
def session_create(request, code: ShortText, pk: Id, payload: SessionIn):
    _project, _access, course = _course(request, code, pk, Cap.CHANGE_ACTIVITIES)
    values = payload.dict(exclude_unset=True, exclude={"version"})
    values["topic"] = values.get("topic") or ""
    session = services.session_save(session=CourseSession(course=course), by=request.user, **values)
    return Status(201, session_out(session))


def _session(request, code, pk, capability=None):
    project, access = get_project_for(request.user, code, capability)
    session = CourseSession.objects.select_related("course__project").filter(course__project=project, pk=pk).first()
    if session is None:
        raise Http404(_("No such session."))
    return project, access, session


@router.patch("/projects/{code}/sessions/{pk}", response=responses(SessionOut), summary="Change a session")
def session_update(request, code: ShortText, pk: Id, payload: SessionIn):
    _project, _access, session = _session(request, code, pk, Cap.CHANGE_ACTIVITIES)
    values = payload.dict(exclude_unset=True, exclude={"version"})
    if "topic" in values and values["topic"] is None:
        values["topic"] = ""
    session = call(services.session_save, session=session, by=request.user, expected_version=payload.version,
                   **values)
    return session_out(session)


# --- enrolments and certificates ---------------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    course_id: int
    participant_id: Id
    person_ref: str
    enrolled_on: dt.date
    completed: bool | None
    completed_on: dt.date | None
    certified: bool | None
    certificate_no: str


class EnrolIn(Schema):
    participant_id: Id
    enrolled_on: dt.date


class DecisionIn(Schema):
    completed: bool | None
    completed_on: dt.date | None = None


def enrolment_out(e: Enrolment) -> dict:
    return {"id": e.pk, "course_id": e.course_id, "participant_id": e.participation_id,
            "person_ref": e.participation.person_ref, "enrolled_on": e.enrolled_on, "completed": e.completed,
            "completed_on": e.completed_on, "certified": e.certified, "certificate_no": e.certificate_no}


@router.get("/projects/{code}/courses/{pk}/enrolments", response=responses(Page[EnrolmentOut]),
            summary="List a course's enrolments (of the participants you may see)")
def enrolment_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    _project, _access, course = _course(request, code, pk)
    return paginate(selectors.enrolments_visible(request.user, course), cursor, limit, enrolment_out)


def _visible_participant(request, project, pk: Id):
    participation = participations_visible_to(request.user, project).filter(pk=pk).first()
    if participation is None:
        raise ValidationError({"participant_id": _("No participant with this id that you may see in the project.")})
    return participation


@router.post("/projects/{code}/courses/{pk}/enrolments", response=responses(EnrolmentOut, 201),
             summary="Enrol a participant in a course")
def enrolment_create(request, code: ShortText, pk: Id, payload: EnrolIn):
    project, _access, course = _course(request, code, pk, Cap.CHANGE_ACTIVITIES)
    participation = _visible_participant(request, project, payload.participant_id)
    if Enrolment.objects.filter(course=course, participation=participation).exists():
        raise ValidationError({"participant_id": _("This participant is already enrolled in the course.")})
    enrolment = services.enrolment_save(enrolment=Enrolment(course=course, participation=participation),
                                        by=request.user, enrolled_on=payload.enrolled_on)
    return Status(201, enrolment_out(enrolment))


def _enrolment(request, code, pk, capability=None):
    return selectors.get_enrolment_for(request.user, code, pk, capability)[2]


@router.post("/projects/{code}/enrolments/{pk}/decision", response=responses(EnrolmentOut),
             summary="Decide whether an enrolment was completed")
def enrolment_decide(request, code: ShortText, pk: Id, payload: DecisionIn):
    enrolment = _enrolment(request, code, pk, Cap.CHANGE_ACTIVITIES)
    enrolment = services.enrolment_decide(enrolment=enrolment, completed=payload.completed,
                                          completed_on=payload.completed_on, by=request.user)
    return enrolment_out(enrolment)


@router.post("/projects/{code}/enrolments/{pk}/certificate", response=responses(EnrolmentOut),
             summary="Issue the certificate of a completed enrolment")
def certificate_issue(request, code: ShortText, pk: Id):
    enrolment = _enrolment(request, code, pk, Cap.CHANGE_ACTIVITIES)
    return enrolment_out(services.certificate_issue(enrolment=enrolment, by=request.user))


@router.get("/projects/{code}/enrolments/{pk}/certificate", response=responses(bytes), openapi_extra=binary(PDF),
            summary="The certificate as PDF (it names the person: roles that see identifiers; the read is logged)")
def certificate_download(request, code: ShortText, pk: Id):
    enrolment = _enrolment(request, code, pk, Cap.SEE_IDENTIFIERS)
    return certificate_response(enrolment, by=request.user)


# --- attendance ---------------------------------------------------------------------------------------------


class AttendanceOut(Schema):
    id: int
    session_id: int
    participant_id: Id
    person_ref: str
    present: bool
    hours: Decimal | None


class AttendanceIn(Schema):
    participant_id: Id
    present: bool
    hours: Decimal | None = Field(None, ge=0, le=24, max_digits=5, decimal_places=2)


def attendance_out(a: Attendance) -> dict:
    return {"id": a.pk, "session_id": a.session_id, "participant_id": a.participation_id,
            "person_ref": a.participation.person_ref, "present": a.present, "hours": a.hours}


@router.get("/projects/{code}/sessions/{pk}/attendance", response=responses(Page[AttendanceOut]),
            summary="The attendance of a session (participants you may see)")
def attendance_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    _project, _access, session = _session(request, code, pk)
    visible = selectors.enrolments_visible(request.user, session.course).values("participation_id")
    qs = Attendance.objects.filter(session=session, participation_id__in=visible).select_related("participation")
    return paginate(qs, cursor, limit, attendance_out)


@router.post("/projects/{code}/sessions/{pk}/attendance", response=responses(AttendanceOut),
             summary="Record one person present or absent at a session")
def attendance_record(request, code: ShortText, pk: Id, payload: AttendanceIn):
    _project, access, session = _session(request, code, pk)
    enrolment = selectors.enrolments_visible(request.user, session.course).filter(
        participation_id=payload.participant_id).first()
    if enrolment is None:
        raise Http404(_("No enrolled participant with this id that you may see."))
    if not access.can(Cap.CHANGE_ACTIVITIES):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    row = services.attendance_record(session=session, participation=enrolment.participation, present=payload.present,
                                     by=request.user, hours=payload.hours)
    return attendance_out(row)


# --- counselling ------------------------------------------------------------------------------------------


class CounsellingOut(Schema):
    id: int
    participant_id: Id
    person_ref: str
    kind: str
    date: dt.date
    hours: Decimal | None
    counsellor: str
    topic: str
    notes: str
    version: Version | None = None


class CounsellingIn(Schema):
    participant_id: Id | None = None
    kind: Literal[tuple(CounsellingSession.Kind.values)] | None = None
    date: dt.date | None = None
    hours: Decimal | None = Field(None, ge=0, le=24, max_digits=5, decimal_places=2)
    counsellor: ShortText | None = None
    topic: ShortText | None = None
    notes: Text | None = None
    version: Version | None = None


def counselling_out(s: CounsellingSession) -> dict:
    return {"id": s.pk, "participant_id": s.participation_id, "person_ref": s.participation.person_ref,
            "kind": s.kind, "date": s.date, "hours": s.hours, "counsellor": s.counsellor, "topic": s.topic,
            "notes": s.notes, "version": version_of(s)}


@router.get("/projects/{code}/counselling", response=responses(Page[CounsellingOut]),
            summary="List counselling and mentoring sessions")
def counselling_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
                     kind: Literal[tuple(CounsellingSession.Kind.values)] | None = None,
                     person_ref: ShortText | None = None):
    project, _access = get_project_for(request.user, code, Cap.VIEW_PEOPLE)
    qs = selectors.counselling_list(request.user, project, kind=kind or "", person_ref=person_ref or "")
    return paginate(qs, cursor, limit, counselling_out)


def _counselling_values(request, project, payload: CounsellingIn) -> dict:
    values = payload.dict(exclude_unset=True, exclude={"version", "participant_id"})
    for key in ("counsellor", "topic", "notes"):
        if key in values and values[key] is None:
            values[key] = ""
    if payload.participant_id is not None:
        values["participation"] = _visible_participant(request, project, payload.participant_id)
    return values


@router.post("/projects/{code}/counselling", response=responses(CounsellingOut, 201),
             summary="Record a counselling or mentoring session")
def counselling_create(request, code: ShortText, payload: CounsellingIn):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    values = _counselling_values(request, project, payload)
    for key in ("kind", "counsellor", "topic", "notes"):
        values.setdefault(key, "")
    session = services.counselling_save(session=CounsellingSession(project=project), by=request.user, **values)
    return Status(201, counselling_out(session))


@router.patch("/projects/{code}/counselling/{pk}", response=responses(CounsellingOut),
              summary="Change a counselling or mentoring session")
def counselling_update(request, code: ShortText, pk: Id, payload: CounsellingIn):
    project, _access, session = selectors.get_counselling_for(request.user, code, pk, Cap.CHANGE_ACTIVITIES)
    values = _counselling_values(request, project, payload)
    session = call(services.counselling_save, session=session, by=request.user, expected_version=payload.version,
                   **values)
    return counselling_out(session)
