"""Writes about training and counselling."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from socec.core.services import audited_save, require_visible_participation
from socec.programmes.roles import Cap

from .models import Attendance, Course, CourseSession, Enrolment


def course_save(*, course: Course, by, **values) -> Course:
    return audited_save(course, by=by, project=course.project, capability=Cap.CHANGE_ACTIVITIES, values=values)


def session_save(*, session: CourseSession, by, **values) -> CourseSession:
    return audited_save(session, by=by, project=session.course.project, capability=Cap.CHANGE_ACTIVITIES,
                        values=values)


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
