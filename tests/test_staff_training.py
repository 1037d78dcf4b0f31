"""Staff pages for training and counselling: courses, sessions, enrolments, attendance, certificates."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from socec.audit.models import AuditEntry
from socec.training.models import Attendance, CounsellingSession, Course, CourseSession, Enrolment
from socec.training.services import (
    attendance_record,
    certificate_issue,
    counselling_save,
    course_save,
    enrolment_decide,
    enrolment_save,
    session_save,
)

pytestmark = pytest.mark.django_db

D1, D2 = dt.date(2024, 4, 1), dt.date(2024, 4, 2)


@pytest.fixture
def tr(world):
    """Course TR1 (training, 8 hours, minimum 75%) with two 4-hour sessions; Alice and Bob enrolled;
    Alice attended both, Bob only the first."""
    course = course_save(course=Course(project=world.project, code="TR1"), by=None, title="Antreprenoriat social",
                         kind="training", hours=Decimal("8"), min_attendance_pct=75, start_date=D1, end_date=D2)
    s1 = session_save(session=CourseSession(course=course), by=None, date=D1, hours=Decimal("4"), topic="Intro")
    s2 = session_save(session=CourseSession(course=course), by=None, date=D2, hours=Decimal("4"), topic="Plan")
    ea = enrolment_save(enrolment=Enrolment(course=course, participation=world.alice), by=None, enrolled_on=D1)
    eb = enrolment_save(enrolment=Enrolment(course=course, participation=world.bob), by=None, enrolled_on=D1)
    for session, person, present in [(s1, world.alice, True), (s2, world.alice, True), (s1, world.bob, True),
                                     (s2, world.bob, False)]:
        attendance_record(session=session, participation=person, present=present, by=None)
    world.course, world.s1, world.s2, world.ea, world.eb = course, s1, s2, ea, eb
    return world


@pytest.fixture
def login(login, settings):
    """The conftest's login, with the pages in English (the messages the tests read)."""

    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def url(name, *args):
    return reverse(f"staff:{name}", args=["P1", *args])


def audit_count(**filters):
    return AuditEntry.objects.filter(**filters).count()


# --- courses ----------------------------------------------------------------------------------------


def test_courses_list_filter_and_exports(tr, login):
    client = login(tr.a_field)
    page = client.get(url("courses"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "TR1" in text and "Antreprenoriat social" in text
    assert "Enrolled (your organisation)" in text  # a partner counts only its own people
    assert "TR1" not in client.get(url("courses") + "?kind=counselling").content.decode()

    csv_text = b"".join(client.get(url("courses") + "?kind=training&format=csv").streaming_content).decode("utf-8-sig")
    header, row = csv_text.strip().splitlines()[:2]
    assert header.startswith("Code,Title,Kind,Hours")
    assert row.startswith("TR1,Antreprenoriat social,training,8,75,2024-04-01,2024-04-02,2,1")  # only Alice

    xlsx = client.get(url("courses") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[1][0] == "TR1" and rows[1][-1] == 1

    lead = login(tr.lead_manager)
    csv_lead = b"".join(lead.get(url("courses") + "?format=csv").streaming_content).decode("utf-8-sig")
    assert csv_lead.splitlines()[1].endswith(",2,2")  # lead staff count everyone


def test_courses_scoping(tr, login):
    assert login(tr.outsider).get(url("courses")).status_code == 404
    assert login(tr.outsider).get(url("course", tr.course.pk)).status_code == 404
    assert login(None).get(url("courses")).status_code == 302
    other = course_save(course=Course(project=tr.other_project, code="X1"), by=None, title="Other", kind="training")
    assert login(tr.lead_manager).get(url("course", other.pk)).status_code == 404


def test_course_create_audited(tr, login):
    client = login(tr.a_field)
    response = client.post(url("course_create"), {"code": "TR2", "title": "Contabilitate", "kind": "training",
                                                   "hours": "20", "min_attendance_pct": "80",
                                                   "start_date": "2024-05-01", "end_date": "2024-05-10"})
    course = Course.objects.get(project=tr.project, code="TR2")
    assert response.status_code == 302 and response["Location"] == url("course", course.pk)
    assert AuditEntry.objects.filter(model="training.course", object_id=str(course.pk), action="create",
                                     actor=tr.a_field).exists()
    response = client.post(url("course_edit", course.pk), {"code": "TR2", "title": "Contabilitate 2",
                                                           "kind": "training", "hours": "20"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Contabilitate 2"
    assert audit_count(model="training.course", object_id=str(course.pk), action="update") == 1


def test_course_validation_writes_nothing(tr, login):
    client = login(tr.lead_manager)
    before = (Course.objects.count(), AuditEntry.objects.count())
    page = client.post(url("course_create"), {"code": "TR1", "title": "Again", "kind": "training"})
    assert page.status_code == 200
    assert "This course code is already used in the project." in page.content.decode()
    page = client.post(url("course_create"), {"code": "TR9", "title": "Dates", "kind": "training",
                                              "start_date": "2024-05-10", "end_date": "2024-05-01",
                                              "min_attendance_pct": "120", "siruta": "999999"})
    text = page.content.decode()
    assert "The end date is before the start date." in text
    assert "999999 is not a known SIRUTA code." in text
    assert "less than or equal to 100" in text
    assert (Course.objects.count(), AuditEntry.objects.count()) == before


def test_course_change_forbidden_for_read_only_roles(tr, login):
    before = (Course.objects.count(), AuditEntry.objects.count())
    for user in (tr.auditor, tr.a_monitor):
        client = login(user)
        assert client.get(url("course_create")).status_code == 403
        assert client.post(url("course_create"), {"code": "TRX", "title": "X", "kind": "training"}).status_code == 403
        assert client.post(url("course_edit", tr.course.pk), {"code": "TR1", "title": "X",
                                                              "kind": "training"}).status_code == 403
        assert client.post(url("session_create", tr.course.pk), {"date": "2024-04-09"}).status_code == 403
    assert (Course.objects.count(), AuditEntry.objects.count()) == before
    assert Course.objects.get(pk=tr.course.pk).title == "Antreprenoriat social"


# --- the course page: enrolments, progress, decisions ---------------------------------------------


def test_course_page_scoped_with_progress_and_names(tr, login):
    page = login(tr.a_field).get(url("course", tr.course.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "A-001" in text and "Alice Ionescu" in text
    assert "B-001" not in text and "Bob" not in text
    assert "2 / 2" in text and "100%" in text and "meets the minimum" in text
    assert AuditEntry.objects.filter(action="view_identifiers", actor=tr.a_field, project=tr.project,
                                     reason__contains="A-001").exists()

    text = login(tr.lead_manager).get(url("course", tr.course.pk)).content.decode()
    assert "Bob Popescu" in text and "1 / 2" in text and "50%" in text and "below the minimum" in text

    page = login(tr.auditor).get(url("course", tr.course.pk))
    text = page.content.decode()
    assert "A-001" in text and "B-001" in text
    assert "Alice" not in text and "Ionescu" not in text  # the auditor sees references only
    assert "Change the decision" not in text and "Enrol a participant" not in text


def test_manual_decision_beside_attendance(tr, login):
    client = login(tr.lead_manager)
    prefix = f"e{tr.eb.pk}"
    response = client.post(url("enrolment_decide", tr.eb.pk), {f"{prefix}-completed": "yes",
                                                               f"{prefix}-completed_on": "2024-04-02"})
    assert response.status_code == 302
    tr.eb.refresh_from_db()
    assert tr.eb.completed is True and tr.eb.completed_on == D2
    entry = AuditEntry.objects.get(model="training.enrolment", object_id=str(tr.eb.pk), action="update")
    assert entry.changes["completed"] == [None, True]
    text = client.get(url("course", tr.course.pk)).content.decode()
    assert "below the minimum" in text and "differs from the attendance" in text


def test_decision_validation_and_scoping(tr, login):
    client = login(tr.lead_manager)
    prefix = f"e{tr.ea.pk}"
    before = AuditEntry.objects.count()
    page = client.post(url("enrolment_decide", tr.ea.pk), {f"{prefix}-completed": "yes",
                                                           f"{prefix}-completed_on": ""})
    assert page.status_code == 200 and "Give the date the course was completed." in page.content.decode()
    page = client.post(url("enrolment_decide", tr.ea.pk), {f"{prefix}-completed": "yes",
                                                           f"{prefix}-completed_on": "2024-03-01"})
    assert "The completion date is before the enrolment date (2024-04-01)." in page.content.decode()
    tr.ea.refresh_from_db()
    assert tr.ea.completed is None and AuditEntry.objects.count() == before

    data = {f"{prefix}-completed": "yes", f"{prefix}-completed_on": "2024-04-02"}
    assert login(tr.auditor).post(url("enrolment_decide", tr.ea.pk), data).status_code == 403
    assert login(tr.b_manager).post(url("enrolment_decide", tr.ea.pk), data).status_code == 404
    assert login(tr.outsider).post(url("enrolment_decide", tr.ea.pk), data).status_code == 404
    tr.ea.refresh_from_db()
    assert tr.ea.completed is None and AuditEntry.objects.count() == before


def test_enrol(tr, login):
    course = course_save(course=Course(project=tr.project, code="TR3"), by=None, title="Marketing", kind="training")
    client = login(tr.a_field)
    before = (Enrolment.objects.count(), AuditEntry.objects.count())
    page = client.post(url("enrolment_create", course.pk), {"person_ref": "B-001", "enrolled_on": "2024-04-01"})
    assert "No participant with this reference that you may see in the project." in page.content.decode()
    page = client.post(url("enrolment_create", course.pk), {"person_ref": "A-001", "enrolled_on": ""})
    assert "This field is required." in page.content.decode()
    page = client.post(url("enrolment_create", tr.course.pk), {"person_ref": "A-001", "enrolled_on": "2024-04-01"})
    assert "This participant is already enrolled in the course." in page.content.decode()
    assert (Enrolment.objects.count(), AuditEntry.objects.count()) == before

    response = client.post(url("enrolment_create", course.pk), {"person_ref": "A-001", "enrolled_on": "2024-04-01"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(course=course, participation=tr.alice)
    assert AuditEntry.objects.filter(model="training.enrolment", object_id=str(enrolment.pk), action="create",
                                     actor=tr.a_field).exists()
    assert login(tr.auditor).post(url("enrolment_create", course.pk), {
        "person_ref": "B-001", "enrolled_on": "2024-04-01"}).status_code == 403
    assert not Enrolment.objects.filter(course=course, participation=tr.bob).exists()


def test_enrolments_export_same_scope(tr, login):
    csv_text = b"".join(login(tr.a_field).get(url("course", tr.course.pk) + "?format=csv")
                        .streaming_content).decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Reference,Name,Enrolled on")
    assert len(lines) == 2 and lines[1].startswith("A-001,Alice Ionescu,2024-04-01,2/2,8,100,yes")
    csv_text = b"".join(login(tr.auditor).get(url("course", tr.course.pk) + "?format=csv")
                        .streaming_content).decode("utf-8-sig")
    assert "Name" not in csv_text.splitlines()[0] and "Alice" not in csv_text and "B-001" in csv_text


# --- sessions ---------------------------------------------------------------------------------------


def test_sessions_add_edit_and_validation(tr, login):
    client = login(tr.lead_manager)
    before = (CourseSession.objects.count(), AuditEntry.objects.count())
    page = client.post(url("session_create", tr.course.pk), {"date": "2024-04-01", "hours": "3"})
    assert "The course already has a session that day." in page.content.decode()
    page = client.post(url("session_create", tr.course.pk), {"date": "", "hours": "-1"})
    text = page.content.decode()
    assert "This field is required." in text and "greater than or equal to 0" in text
    assert (CourseSession.objects.count(), AuditEntry.objects.count()) == before

    response = client.post(url("session_create", tr.course.pk), {"date": "2024-04-03", "hours": "2.5",
                                                                 "topic": "Finanțare"})
    assert response.status_code == 302
    session = CourseSession.objects.get(course=tr.course, date=dt.date(2024, 4, 3))
    assert session.topic == "Finanțare" and session.hours == Decimal("2.5")
    assert audit_count(model="training.coursesession", object_id=str(session.pk), action="create") == 1
    response = client.post(url("session_edit", session.pk), {"date": "2024-04-04", "hours": "3", "topic": "X"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == dt.date(2024, 4, 4)
    assert login(tr.outsider).get(url("session_edit", session.pk)).status_code == 404


# --- the attendance sheet ---------------------------------------------------------------------------


def test_attendance_sheet_scoped_with_names(tr, login):
    page = login(tr.a_field).get(url("attendance", tr.s1.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Alice Ionescu" in text and "B-001" not in text and "Bob" not in text
    assert f'name="p{tr.alice.pk}"' in text and "hx-post" in text and "Save the sheet" in text
    assert "socec/training.css" in text

    text = login(tr.auditor).get(url("attendance", tr.s1.pk)).content.decode()
    assert "A-001" in text and "B-001" in text and "Alice" not in text
    assert "Save the sheet" not in text and "hx-post" not in text  # read-only

    text = login(tr.a_monitor).get(url("attendance", tr.s1.pk)).content.decode()
    assert "Alice Ionescu" in text and "Save the sheet" not in text
    assert login(tr.outsider).get(url("attendance", tr.s1.pk)).status_code == 404


def test_attendance_tap_with_htmx(tr, login):
    client = login(tr.a_field)
    mark = url("attendance_mark", tr.s2.pk, tr.alice.pk)
    response = client.post(mark, {f"p{tr.alice.pk}": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Saved: absent." in response.content.decode()
    assert Attendance.objects.get(session=tr.s2, participation=tr.alice).present is False
    assert AuditEntry.objects.filter(model="training.attendance", action="update", actor=tr.a_field).exists()

    # Without JavaScript the same URL answers with a redirect back to the sheet.
    response = client.post(mark, {f"p{tr.alice.pk}": "1"})
    assert response.status_code == 302
    assert Attendance.objects.get(session=tr.s2, participation=tr.alice).present is True

    before = AuditEntry.objects.count()
    response = client.post(mark, {f"p{tr.alice.pk}": "maybe"}, HTTP_HX_REQUEST="true")
    assert "Choose present or absent." in response.content.decode()
    bob_mark = url("attendance_mark", tr.s2.pk, tr.bob.pk)
    assert client.post(bob_mark, {f"p{tr.bob.pk}": "1"}, HTTP_HX_REQUEST="true").status_code == 404
    assert login(tr.auditor).post(mark, {f"p{tr.alice.pk}": "0"}, HTTP_HX_REQUEST="true").status_code == 403
    assert login(tr.outsider).post(mark, {f"p{tr.alice.pk}": "0"}).status_code == 404
    assert Attendance.objects.get(session=tr.s2, participation=tr.bob).present is False
    assert Attendance.objects.get(session=tr.s2, participation=tr.alice).present is True
    assert AuditEntry.objects.count() == before


def test_attendance_whole_sheet_without_js(tr, login):
    session = session_save(session=CourseSession(course=tr.course), by=None, date=dt.date(2024, 4, 5), hours=2)
    client = login(tr.lead_manager)
    response = client.post(url("attendance", session.pk), {f"p{tr.alice.pk}": "1", f"p{tr.bob.pk}": "0",
                                                           "page": "1"})
    assert response.status_code == 302
    marks = dict(Attendance.objects.filter(session=session).values_list("participation_id", "present"))
    assert marks == {tr.alice.pk: True, tr.bob.pk: False}
    assert audit_count(model="training.attendance", action="create", actor=tr.lead_manager) == 2


def test_attendance_sheet_refuses_people_out_of_scope(tr, login):
    session = session_save(session=CourseSession(course=tr.course), by=None, date=dt.date(2024, 4, 5), hours=2)
    before = AuditEntry.objects.count()
    client = login(tr.a_field)
    response = client.post(url("attendance", session.pk), {f"p{tr.alice.pk}": "1", f"p{tr.bob.pk}": "1"})
    assert response.status_code == 302
    assert "Nothing was saved" in client.get(response["Location"]).content.decode()
    assert login(tr.auditor).post(url("attendance", session.pk), {f"p{tr.alice.pk}": "1"}).status_code == 403
    assert not Attendance.objects.filter(session=session).exists()
    assert AuditEntry.objects.exclude(action="view_identifiers").count() == before


# --- certificates -----------------------------------------------------------------------------------


def test_certificate_needs_completion_then_numbers_in_sequence(tr, login):
    client = login(tr.lead_manager)
    response = client.post(url("certificate_issue", tr.ea.pk))
    assert response.status_code == 302
    assert "Only a completed enrolment gets a certificate" in client.get(response["Location"]).content.decode()
    tr.ea.refresh_from_db()
    assert tr.ea.certificate_no == "" and not tr.ea.certified

    for e in (tr.ea, tr.eb):
        enrolment_decide(enrolment=e, completed=True, completed_on=D2, by=None)
    client.post(url("certificate_issue", tr.ea.pk))
    client.post(url("certificate_issue", tr.eb.pk))
    tr.ea.refresh_from_db()
    tr.eb.refresh_from_db()
    assert (tr.ea.certificate_no, tr.eb.certificate_no) == ("P1-C-000001", "P1-C-000002")
    assert tr.ea.certified is True
    entry = AuditEntry.objects.get(model="training.enrolment", object_id=str(tr.ea.pk), action="update",
                                   actor=tr.lead_manager)
    assert entry.changes["certificate_no"] == ["", "P1-C-000001"] and entry.actor == tr.lead_manager

    # Set once: issuing again changes nothing; the decision cannot be taken back.
    response = client.post(url("certificate_issue", tr.ea.pk))
    assert "already issued" in client.get(response["Location"]).content.decode()
    tr.ea.refresh_from_db()
    assert tr.ea.certificate_no == "P1-C-000001"
    prefix = f"e{tr.ea.pk}"
    page = client.post(url("enrolment_decide", tr.ea.pk), {f"{prefix}-completed": "no"})
    assert "A certificate (P1-C-000001) was issued" in page.content.decode()
    tr.ea.refresh_from_db()
    assert tr.ea.completed is True


def test_certificate_number_skips_numbers_already_used(tr):
    enrolment_save(enrolment=tr.eb, by=None, certificate_no="P1-C-000001")
    enrolment_decide(enrolment=tr.ea, completed=True, completed_on=D2, by=None)
    assert certificate_issue(enrolment=tr.ea, by=None).certificate_no == "P1-C-000002"


def test_certificate_issue_scoping(tr, login):
    enrolment_decide(enrolment=tr.eb, completed=True, completed_on=D2, by=None)
    assert login(tr.a_field).post(url("certificate_issue", tr.eb.pk)).status_code == 404
    assert login(tr.auditor).post(url("certificate_issue", tr.eb.pk)).status_code == 403
    assert login(tr.a_monitor).post(url("certificate_issue", tr.eb.pk)).status_code == 404
    tr.eb.refresh_from_db()
    assert tr.eb.certificate_no == ""


def test_certificate_pdf_only_for_roles_with_identifiers(tr, login):
    enrolment_decide(enrolment=tr.ea, completed=True, completed_on=D2, by=None)
    certificate_issue(enrolment=tr.ea, by=None)
    pdf_url = url("certificate_pdf", tr.ea.pk)
    response = login(tr.a_field).get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "P1-C-000001" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="view_identifiers", actor=tr.a_field, object_id=str(tr.alice.pk),
                                     reason__contains="P1-C-000001").exists()
    page = login(tr.a_field).get(url("course", tr.course.pk)).content.decode()
    assert pdf_url in page

    before = AuditEntry.objects.exclude(action="view_identifiers").count()
    assert login(tr.auditor).get(pdf_url).status_code == 403
    assert pdf_url not in login(tr.auditor).get(url("course", tr.course.pk)).content.decode()
    assert login(tr.b_manager).get(pdf_url).status_code == 404
    assert login(tr.outsider).get(pdf_url).status_code == 404
    assert login(tr.lead_manager).get(url("certificate_pdf", tr.eb.pk)).status_code == 404  # none issued
    assert AuditEntry.objects.exclude(action="view_identifiers").count() == before
    assert not AuditEntry.objects.filter(action__in=["view_identifiers", "reveal"], actor=tr.auditor).exists()


def test_certificate_pdf_renders_diacritics():
    from socec.training.certificates import certificate_pdf

    pdf = certificate_pdf(number="P1-C-000007", person_name="Ștefan Țărănescu", course_code="TR1",
                          course_title="Economie socială în județul Iași", hours=Decimal("40"), start=D1, end=D2,
                          completed_on=D2, project_code="P1", project_title="Proiect", organisation="Asociația A",
                          issued_on=D2, language="ro")
    assert pdf.startswith(b"%PDF") and b"DejaVu" in pdf


# --- counselling and mentoring ----------------------------------------------------------------------


def counselling_data(**extra):
    data = {"person_ref": "A-001", "kind": "counselling", "date": "2024-04-10", "hours": "1.5",
            "counsellor": "Maria Pop", "topic": "Plan de afaceri", "notes": "Next: visit"}
    data.update(extra)
    return data


def test_counselling_record_and_list(tr, login):
    client = login(tr.a_field)
    response = client.post(url("counselling_create"), counselling_data())
    assert response.status_code == 302 and response["Location"] == url("counselling")
    session = CounsellingSession.objects.get(participation=tr.alice)
    assert session.kind == "counselling" and session.hours == Decimal("1.5") and session.project == tr.project
    assert AuditEntry.objects.filter(model="training.counsellingsession", object_id=str(session.pk),
                                     action="create", actor=tr.a_field).exists()
    counselling_save(session=CounsellingSession(project=tr.project), by=None, participation=tr.bob,
                     kind="mentoring", date=dt.date(2024, 4, 11), counsellor="Ion Mentor", topic="Marketing")

    text = client.get(url("counselling")).content.decode()
    assert "A-001" in text and "Plan de afaceri" in text and "B-001" not in text
    text = login(tr.lead_manager).get(url("counselling") + "?kind=mentoring").content.decode()
    assert "B-001" in text and "A-001" not in text
    csv_text = b"".join(login(tr.auditor).get(url("counselling") + "?format=csv").streaming_content).decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "Date,Participant reference,Kind,Hours,Counsellor or mentor,Topic"
    assert lines[1] == "2024-04-11,B-001,mentoring,,Ion Mentor,Marketing" and len(lines) == 3
    assert login(tr.outsider).get(url("counselling")).status_code == 404


def test_counselling_validation_and_scoping(tr, login):
    client = login(tr.a_field)
    before = (CounsellingSession.objects.count(), AuditEntry.objects.count())
    page = client.post(url("counselling_create"), counselling_data(person_ref="B-001"))
    assert "No participant with this reference that you may see in the project." in page.content.decode()
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    page = client.post(url("counselling_create"), counselling_data(date=future))
    assert "The date is in the future" in page.content.decode()
    page = client.post(url("counselling_create"), counselling_data(kind="therapy", hours="30", counsellor=""))
    text = page.content.decode()
    assert "Select a valid choice." in text and "less than or equal to 24" in text and "This field is required." in text
    assert login(tr.auditor).post(url("counselling_create"), counselling_data()).status_code == 403
    assert (CounsellingSession.objects.count(), AuditEntry.objects.count()) == before

    session = counselling_save(session=CounsellingSession(project=tr.project), by=None, participation=tr.alice,
                               kind="mentoring", date=D1, counsellor="Ion")
    assert login(tr.b_manager).get(url("counselling_edit", session.pk)).status_code == 404
    assert login(tr.auditor).post(url("counselling_edit", session.pk), counselling_data()).status_code == 403
    response = login(tr.a_manager).post(url("counselling_edit", session.pk), counselling_data(topic="Buget"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.topic == "Buget" and session.kind == "counselling"
    assert audit_count(model="training.counsellingsession", object_id=str(session.pk), action="update") == 1


def test_counselling_for_selector(tr):
    from socec.staff.training.selectors import counselling_for

    older = counselling_save(session=CounsellingSession(project=tr.project), by=None, participation=tr.alice,
                             kind="counselling", date=D1, counsellor="A")
    newer = counselling_save(session=CounsellingSession(project=tr.project), by=None, participation=tr.alice,
                             kind="mentoring", date=D2, counsellor="B")
    counselling_save(session=CounsellingSession(project=tr.project), by=None, participation=tr.bob,
                     kind="mentoring", date=D2, counsellor="C")
    assert list(counselling_for(tr.alice)) == [newer, older]


def test_a_counselling_session_counts_the_person_as_counselled(tr):
    """SE10 (indicators.md): enrolled in a course of kind counselling or mentoring by D. A session
    with one person enrols them in the project's individual course of that kind from their first one."""
    from socec.indicators.engine import Scope, report

    before = report(Scope(tr.project), dt.date(2024, 12, 31))["indicators"]["SE10"]["value"]
    for day in (dt.date(2024, 5, 2), dt.date(2024, 5, 1)):
        counselling_save(session=CounsellingSession(project=tr.project), by=None, participation=tr.alice,
                         kind="counselling", date=day, counsellor="A")
    enrolment = Enrolment.objects.get(participation=tr.alice, course__code="IND-COUNSELLING")
    assert enrolment.course.kind == "counselling" and enrolment.enrolled_on == dt.date(2024, 5, 1)
    assert report(Scope(tr.project), dt.date(2024, 12, 31))["indicators"]["SE10"]["value"] == before + 1
    assert report(Scope(tr.project), dt.date(2024, 4, 30))["indicators"]["SE10"]["value"] == before
