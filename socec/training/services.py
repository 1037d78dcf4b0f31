"""Writes about training and counselling."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socec.core.services import audited_save, require_visible_participation, save_and_audit
from socec.programmes.access import require
from socec.programmes.models import Project
from socec.programmes.roles import Cap

from .models import Attendance, CertificateSeries, CounsellingSession, Course, CourseSession, Enrolment


def course_save(*, course: Course, by, expected_version: int | None = None, **values) -> Course:
    return audited_save(course, by=by, project=course.project, capability=Cap.CHANGE_ACTIVITIES, values=values,
                        expected_version=expected_version)


def session_save(*, session: CourseSession, by, expected_version: int | None = None, **values) -> CourseSession:
    return audited_save(session, by=by, project=session.course.project, capability=Cap.CHANGE_ACTIVITIES,
                        values=values, expected_version=expected_version)


def enrolment_save(*, enrolment: Enrolment, by, **values) -> Enrolment:
    for k, v in values.items():
        setattr(enrolment, k, v)
    if enrolment.participation.project_id != enrolment.course.project_id:
        raise ValidationError({"course": _("The course belongs to another project.")})
    require_visible_participation(by, enrolment.participation)
    return audited_save(enrolment, by=by, project=enrolment.course.project, capability=Cap.CHANGE_ACTIVITIES)


def attendance_record(*, session: CourseSession, participation, present: bool, by, hours=None) -> Attendance:
    """One tap on the attendance sheet: creates or updates the person's attendance that day."""
    if participation.project_id != session.course.project_id:
        raise ValidationError({"participation": _("The participant is in another project.")})
    require_visible_participation(by, participation)
    row = Attendance.objects.filter(session=session, participation=participation).first() or Attendance(
        session=session, participation=participation, present=present)
    return audited_save(row, by=by, project=session.course.project, capability=Cap.CHANGE_ACTIVITIES,
                        values={"present": present, "hours": hours})


def enrolment_decide(*, enrolment: Enrolment, completed: bool | None, completed_on: dt.date | None = None,
                     by) -> Enrolment:
    """The manual decision on an enrolment: completed yes (with its date), no, or not decided yet.
    A certificate already issued keeps the decision at yes."""
    require(by, enrolment.course.project, Cap.CHANGE_ACTIVITIES)
    require_visible_participation(by, enrolment.participation)
    if completed is True and completed_on is None:
        raise ValidationError({"completed_on": _("Give the date the course was completed.")})
    if completed is not True:
        completed_on = None
    elif completed_on < enrolment.enrolled_on:
        raise ValidationError({"completed_on": _("The completion date is before the enrolment date (%(date)s).") % {
            "date": enrolment.enrolled_on.isoformat()}})
    elif completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date is in the future.")})
    if enrolment.certificate_no and completed is not True:
        raise ValidationError({"completed": _("A certificate (%(no)s) was issued for this enrolment: it stays "
                                              "completed.") % {"no": enrolment.certificate_no}})
    return save_and_audit(enrolment, by=by, project=enrolment.course.project,
                          values={"completed": completed, "completed_on": completed_on})


def certificate_number(project, number: int) -> str:
    return f"{project.code}-C-{number:06d}"


def certificate_issue(*, enrolment: Enrolment, by) -> Enrolment:
    """Gives a completed enrolment the project's next certificate number (once) and marks it certified."""
    project = enrolment.course.project
    require(by, project, Cap.CHANGE_ACTIVITIES)
    require_visible_participation(by, enrolment.participation)
    with transaction.atomic():
        current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if current.certificate_no:
            raise ValidationError({"certificate_no": _("A certificate was already issued for this enrolment: "
                                                       "%(no)s.") % {"no": current.certificate_no}})
        if current.completed is not True:
            raise ValidationError({"completed": _("Only a completed enrolment gets a certificate: record the "
                                                  "completion first.")})
        CertificateSeries.objects.get_or_create(project=project)
        used = Enrolment.objects.filter(course__project=project)
        while True:
            # The update locks the project's series row until the transaction ends: numbers never repeat.
            CertificateSeries.objects.filter(project=project).update(last_number=F("last_number") + 1)
            number = certificate_number(project, CertificateSeries.objects.get(project=project).last_number)
            if not used.filter(certificate_no=number).exists():  # e.g. a number brought by a workbook
                break
        enrolment.refresh_from_db()
        return save_and_audit(enrolment, by=by, project=project,
                              values={"certificate_no": number, "certified": True})


def counselling_save(*, session: CounsellingSession, by, expected_version: int | None = None,
                     **values) -> CounsellingSession:
    """Creates or changes a counselling or mentoring session with one person."""
    for key, value in values.items():
        setattr(session, key, value)
    if session.participation_id is None:
        raise ValidationError({"participation": _("Choose the participant.")})
    if session.participation.project_id != session.project_id:
        raise ValidationError({"participation": _("The participant is in another project.")})
    require(by, session.project, Cap.CHANGE_ACTIVITIES)
    require_visible_participation(by, session.participation)
    if session.date and session.date > timezone.localdate():
        raise ValidationError({"date": _("The date is in the future: record a session once it has taken place.")})
    with transaction.atomic():
        # before the session's write (see _individual_course); an unknown kind is refused by the write itself
        course = _individual_course(session, by=by) if session.kind in INDIVIDUAL_COURSES else None
        session = audited_save(session, by=by, project=session.project, capability=Cap.CHANGE_ACTIVITIES,
                               expected_version=expected_version)
        _individual_enrolment(session, course, by=by)
    return session


# Sessions with one person count in SE10 (persons counselled) as indicators.md defines it: through an
# enrolment in a course of kind counselling or mentoring. Each project has one such course per kind
# for the sessions held apart from courses; a person's enrolment in it starts with their first session.
INDIVIDUAL_COURSES = {
    CounsellingSession.Kind.COUNSELLING: ("IND-COUNSELLING", _lazy("Individual counselling")),
    CounsellingSession.Kind.MENTORING: ("IND-MENTORING", _lazy("Individual mentoring")),
}


def _individual_course(session: CounsellingSession, *, by) -> Course:
    """The project's course of this kind of session, made with the first one. Two first sessions recorded at
    once would both make it (the second failing on its code): the project's row is locked ("no key": other
    writes' foreign-key checks do not wait) and the course looked for again. Called before any other write of
    the transaction, as socec.outreach.services.next_code is: every writer locks the project before raising
    its report version, never after, so two writers never wait for each other crosswise."""
    code, title = INDIVIDUAL_COURSES[session.kind]
    course = Course.objects.filter(project=session.project, code=code).first()
    if course is None:
        list(Project.objects.select_for_update(no_key=True).filter(pk=session.project_id).values_list("pk",
                                                                                                      flat=True))
        course = Course.objects.filter(project=session.project, code=code).first()
    if course is None:
        course = course_save(course=Course(project=session.project, code=code), by=by, title=str(title),
                             kind=session.kind)
    return course


def _individual_enrolment(session: CounsellingSession, course: Course, *, by) -> Enrolment:
    first = CounsellingSession.objects.filter(participation=session.participation, kind=session.kind).aggregate(
        first=Min("date"))["first"]
    enrolment = Enrolment.objects.filter(course=course, participation=session.participation).first()
    if enrolment is None:
        return enrolment_save(enrolment=Enrolment(course=course, participation=session.participation), by=by,
                              enrolled_on=first)
    if enrolment.enrolled_on != first:
        return enrolment_save(enrolment=enrolment, by=by, enrolled_on=first)
    return enrolment
