"""Staff pages for participants: list, search, register, profile, exit and follow-up, documents, missing data."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socec.audit.models import AuditEntry
from socec.people.models import EvidenceDocument, Identity, NameDigest, Participation
from socec.people.services import (
    add_months,
    evidence_add,
    participant_erase,
    participant_register,
    participant_update,
)
from socec.staff.participants import selectors
from tests.personas import ALICE_CNP, BOB_CNP, person_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A valid CNP of someone not in the world: M, 1970-01-01, county 40 (Bucharest).
NEW_CNP = "1700101400011"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def login(login, settings):
    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    settings.MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def url(name, *args):
    return reverse(f"staff:{name}", args=["P1", *args])


def refs(page: str) -> list[str]:
    """The references listed in a page's table (links to profiles)."""
    return re.findall(r'<td><a href="/[^"]*/participants/([^"]+)/">', page)


def audits(action, **kw):
    return AuditEntry.objects.filter(action=action, **kw)


def register_form(**extra):
    data = {"person_ref": "A-100", "first_name": "Maria", "last_name": "Ene", "cnp": "", "birth_date": "1992-02-03",
            "sex": "F", "county": "IF", "entry_date": "2024-05-01", "consent_on": "2024-05-01",
            "labour_status": "unemployed", "isced": "3"}
    data.update(extra)
    return data


def test_cnp_used_in_tests_is_valid():
    from socec.core.validators import parse_cnp

    assert parse_cnp(NEW_CNP).birth_date == dt.date(1970, 1, 1)


# --- list, scoping, search ---------------------------------------------------------------------------------------


def test_list_is_scoped_and_names_only_for_roles_that_see_identifiers(world, login):
    page = login(world.a_field).get(url("participants")).content.decode()
    assert "A-001" in page and "B-001" not in page and "Alice Ionescu" in page
    page = login(world.lead_manager).get(url("participants")).content.decode()
    assert "A-001" in page and "B-001" in page and "Bob Popescu" in page
    page = login(world.auditor).get(url("participants")).content.decode()
    assert "A-001" in page and "B-001" in page and "Alice" not in page and "Bob" not in page
    assert login(world.outsider).get(url("participants")).status_code == 404
    assert login(None).get(url("participants")).status_code == 302


def test_names_on_the_list_are_logged_as_a_view(world, login):
    before = audits(AuditEntry.Action.VIEW_IDENTIFIERS).count()
    login(world.lead_manager).get(url("participants"))
    entry = audits(AuditEntry.Action.VIEW_IDENTIFIERS).latest("id")
    assert audits(AuditEntry.Action.VIEW_IDENTIFIERS).count() == before + 1
    assert "A-001" in entry.reason and "B-001" in entry.reason
    login(world.auditor).get(url("participants"))
    assert audits(AuditEntry.Action.VIEW_IDENTIFIERS).count() == before + 1


def test_search_by_cnp_name_and_reference(world, login):
    client = login(world.lead_manager)
    page = client.get(url("participants"), {"q": BOB_CNP}).content.decode()
    assert "B-001" in page and "A-001" not in page
    page = client.get(url("participants"), {"q": "popescu"}).content.decode()
    assert "B-001" in page and "A-001" not in page
    page = client.get(url("participants"), {"q": "ALICE ionescu"}).content.decode()
    assert "A-001" in page and "B-001" not in page
    page = client.get(url("participants"), {"q": "A-0"}).content.decode()
    assert "A-001" in page and "B-001" not in page
    page = client.get(url("participants"), {"q": "nobody"}).content.decode()
    assert "No participants match." in page


def test_search_by_name_stays_in_scope_and_is_refused_to_roles_without_identifiers(world, login):
    page = login(world.a_field).get(url("participants"), {"q": "Popescu"}).content.decode()
    assert "B-001" not in page
    page = login(world.auditor).get(url("participants"), {"q": "Alice"}).content.decode()
    assert "A-001" not in page
    page = login(world.auditor).get(url("participants"), {"q": ALICE_CNP}).content.decode()
    assert "A-001" not in page
    page = login(world.auditor).get(url("participants"), {"q": "A-001"}).content.decode()
    assert "A-001" in page


def test_name_index_follows_changes_and_erasure(world):
    participant_update(participation=world.bob, by=None, data={"last_name": "Vasilescu"})
    rows = selectors.search(Participation.objects.all(), "vasilescu", identifiers=True)
    assert list(rows) == [world.bob]
    assert not selectors.search(Participation.objects.all(), "popescu", identifiers=True).exists()
    participant_erase(participation=world.bob, by=None, reason="request of 2024-06-01")
    assert not NameDigest.objects.filter(identity_id=world.bob.person_id).exists()
    assert not selectors.search(Participation.objects.all(), "vasilescu", identifiers=True).exists()


def test_filters(world, login):
    client = login(world.lead_manager)
    page = client.get(url("participants"), {"county": "CL"}).content.decode()
    assert "B-001" in page and "A-001" not in page
    page = client.get(url("participants"), {"vulnerable": "roma"}).content.decode()
    assert "A-001" in page and "B-001" not in page
    participant_update(participation=world.bob, by=None, data={"exit_date": dt.date(2024, 6, 1),
                                                               "exit_status": "employed"})
    page = client.get(url("participants"), {"status": "exited"}).content.decode()
    assert "B-001" in page and "A-001" not in page
    page = client.get(url("participants"), {"status": "active"}).content.decode()
    assert "A-001" in page and "B-001" not in page
    page = client.get(url("participants"), {"area": "none", "missing": "area"}).content.decode()
    assert "A-001" in page and "B-001" in page
    assert client.get(url("participants"), {"county": "XX", "status": "nonsense"}).status_code == 200


def test_course_filter(world, login):
    from socec.training.models import Course, Enrolment
    from socec.training.services import course_save, enrolment_save

    course = course_save(course=Course(project=world.project, code="TR1"), by=None, title="Antreprenoriat",
                         kind="training")
    enrolment_save(enrolment=Enrolment(course=course, participation=world.bob), by=None,
                   enrolled_on=dt.date(2024, 4, 1))
    page = login(world.lead_manager).get(url("participants"), {"course": course.pk}).content.decode()
    assert "B-001" in page and "A-001" not in page


def test_keyset_pages_go_forward_and_back(world, login, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for i in range(3):
        participant_register(project=world.project, by=world.a_field, data=person_data(
            f"A-00{i + 2}", "Ion", f"Test{i}", "M", dt.date(1980, 1, 1 + i)))
    client = login(world.a_field)
    first = client.get(url("participants")).content.decode()
    assert refs(first) == ["A-001", "A-002"]
    assert "after=A-002" in first and 'rel="prev"' not in first
    second = client.get(url("participants"), {"after": "A-002"}).content.decode()
    assert refs(second) == ["A-003", "A-004"]
    assert 'rel="next"' not in second and "before=A-003" in second
    back = client.get(url("participants"), {"before": "A-003"}).content.decode()
    assert refs(back) == ["A-001", "A-002"] and 'rel="prev"' not in back


def test_export_csv_and_xlsx_same_scope_and_identifiers_only_for_allowed(world, login):
    response = login(world.a_field).get(url("participants"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "A-001" in text and "B-001" not in text and "Alice Ionescu" in text
    assert text.splitlines()[0].startswith("Reference,Name,")
    response = login(world.auditor).get(url("participants"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["Reference", "Registered by"]
    refs = {row[0] for row in values[1:]}
    assert refs == {"A-001", "B-001"}
    assert not any("Alice" in str(v) for row in values for v in row)


# --- register ----------------------------------------------------------------------------------------------------


def test_register_creates_the_participant_and_audits(world, login):
    client = login(world.a_field)
    assert "Register a participant" in client.get(url("participant_register")).content.decode()
    response = client.post(url("participant_register"), register_form(vulnerable=["roma"]))
    assert response.status_code == 302 and response["Location"] == url("participant", "A-100")
    p = Participation.objects.get(project=world.project, person_ref="A-100")
    assert p.organisation == world.org_a and p.person.sex == "F"
    assert Identity.objects.get(person=p.person).first_name == "Maria"
    assert audits(AuditEntry.Action.CREATE, object_id=str(p.pk), model="people.participation").exists()
    assert list(selectors.search(Participation.objects.all(), "maria", identifiers=True)) == [p]


def test_register_takes_birth_date_and_sex_from_the_cnp(world, login):
    response = login(world.a_field).post(url("participant_register"), register_form(
        cnp=NEW_CNP, birth_date="", sex="", first_name="Dan", last_name="Radu"))
    assert response.status_code == 302
    person = Participation.objects.get(person_ref="A-100").person
    assert (person.birth_date, person.sex) == (dt.date(1970, 1, 1), "M")


def test_register_errors_are_shown_and_nothing_is_written(world, login):
    client = login(world.a_field)
    count = Participation.objects.count(), Identity.objects.count(), AuditEntry.objects.count()
    page = client.post(url("participant_register"), register_form(cnp="1700101400014")).content.decode()
    assert "control digit is wrong" in page
    page = client.post(url("participant_register"), register_form(person_ref="A-001")).content.decode()
    assert "already used in the project" in page
    page = client.post(url("participant_register"), register_form(birth_date="", sex="")).content.decode()
    assert "Give the birth date" in page and "Choose the sex" in page
    page = client.post(url("participant_register"), register_form(cnp=NEW_CNP, birth_date="1971-01-01")).content
    assert b"The CNP encodes the birth date 1970-01-01" in page
    page = client.post(url("participant_register"), register_form(entry_date="2999-01-01")).content.decode()
    assert "This date is in the future." in page
    page = client.post(url("participant_register"), register_form(isced="12", county="ZZ")).content.decode()
    assert "Select a valid choice" in page
    assert (Participation.objects.count(), Identity.objects.count(), AuditEntry.objects.count()) == count


def test_register_is_refused_to_the_auditor_and_outsiders(world, login):
    assert login(world.auditor).get(url("participant_register")).status_code == 403
    assert login(world.auditor).post(url("participant_register"), register_form()).status_code == 403
    assert login(world.outsider).get(url("participant_register")).status_code == 404
    assert not Participation.objects.filter(person_ref="A-100").exists()


def test_live_cnp_check_says_why_and_fills_birth_date_and_sex(world, login):
    client = login(world.a_field)
    page = client.post(url("participant_check"), {"cnp": "123"}).content.decode()
    assert "This CNP is not valid" in page and "13 digits" in page
    page = client.post(url("participant_check"), {"cnp": NEW_CNP}, HTTP_HX_REQUEST="true",
                       HTTP_HX_TRIGGER_NAME="cnp").content.decode()
    assert "Valid CNP." in page and "1970-01-01" in page
    assert 'id="birth-sex" hx-swap-oob="true"' in page and 'value="1970-01-01"' in page
    assert client.get(url("participant_check")).status_code == 405


def test_duplicate_warning_only_for_what_the_user_may_see(world, login):
    page = login(world.lead_manager).post(url("participant_check"), {"cnp": ALICE_CNP}).content.decode()
    assert "in this project, as A-001" in page
    # B's manager may not see Alice (registered by A): no hint of her.
    page = login(world.b_manager).post(url("participant_check"), {"cnp": ALICE_CNP}).content.decode()
    assert "A-001" not in page and "may already be a participant" not in page
    # Names and birth date without a CNP find the same person too.
    page = login(world.a_field).post(url("participant_check"), {
        "first_name": "alice", "last_name": "IONESCU", "birth_date": "1990-05-12"}).content.decode()
    assert "A-001" in page
    # Bob in P2 (his manager's project too): P2's outsider does not learn about P1.
    page = login(world.outsider).post(reverse("staff:participant_check", args=["P2"]),
                                      {"cnp": BOB_CNP}).content.decode()
    assert "P1" not in page and "B-001" not in page
    participant_register(project=world.other_project, by=world.outsider, data=person_data(
        "P2-007", "Bob", "Popescu", "M", dt.date(1985, 11, 3), cnp=BOB_CNP, county="CL"))
    page = login(world.b_manager).post(url("participant_check"), {"cnp": BOB_CNP}).content.decode()
    assert "in this project, as B-001" in page and "P2" not in page


# --- profile -------------------------------------------------------------------------------------------------------


def test_profile_shows_identifiers_logged_and_scoping(world, login):
    client = login(world.a_field)
    page = client.get(url("participant", "A-001")).content.decode()
    assert "Alice Ionescu" in page and ALICE_CNP in page and "0722000111" in page
    assert audits(AuditEntry.Action.VIEW_IDENTIFIERS, object_id=str(world.alice.pk)).count() == 1
    assert client.get(url("participant", "B-001")).status_code == 404
    assert client.get(url("participant", "NOPE")).status_code == 404
    assert login(world.outsider).get(url("participant", "A-001")).status_code == 404


def identity_form(**extra):
    data = {"first_name": "Alice", "last_name": "Ionescu", "cnp": ALICE_CNP, "phone": "0722000111",
            "email": "", "address": ""}
    data.update(extra)
    return data


def test_identifiers_are_corrected_checked_and_audited(world, login):
    client = login(world.a_field)
    page = client.get(url("participant_identity", "A-001")).content.decode()
    assert 'value="Alice"' in page and ALICE_CNP in page
    assert audits(AuditEntry.Action.VIEW_IDENTIFIERS, object_id=str(world.alice.pk)).exists()
    # a CNP that does not match her birth date and sex: told next to the field, nothing written
    response = client.post(url("participant_identity", "A-001"), identity_form(last_name="Popa", cnp=BOB_CNP))
    assert response.status_code == 200 and "CNP" in response.content.decode()
    identity = Identity.objects.get(person=world.alice.person)
    assert identity.last_name == "Ionescu" and identity.cnp == ALICE_CNP
    response = client.post(url("participant_identity", "A-001"), identity_form(last_name="Ionescu-Popa"))
    assert response.status_code == 302
    identity.refresh_from_db()
    assert identity.last_name == "Ionescu-Popa"
    assert audits(AuditEntry.Action.UPDATE, object_id=str(world.alice.pk)).exists()
    found = client.get(url("participants") + "?q=popa").content.decode()
    assert "A-001" in found  # the name index follows


def test_identifiers_page_scoping(world, login):
    assert login(world.a_field).get(url("participant_identity", "B-001")).status_code == 404
    assert login(world.auditor).get(url("participant_identity", "A-001")).status_code == 403
    assert login(world.outsider).get(url("participant_identity", "A-001")).status_code == 404
    assert login(None).get(url("participant_identity", "A-001")).status_code == 302


def test_auditor_reveals_identifiers_only_with_a_reason(world, login):
    client = login(world.auditor)
    page = client.get(url("participant", "A-001")).content.decode()
    assert "Alice" not in page and "Reveal identifiers" in page
    response = client.post(url("participant_reveal", "A-001"), {"reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not audits(AuditEntry.Action.REVEAL).exists()
    page = client.post(url("participant_reveal", "A-001"), {"reason": "audit check 2024/7"}).content.decode()
    assert "Alice Ionescu" in page
    entry = audits(AuditEntry.Action.REVEAL).get()
    assert entry.reason == "audit check 2024/7" and entry.actor == world.auditor
    assert login(world.a_monitor).post(url("participant_reveal", "B-001"), {"reason": "x"}).status_code == 404


def test_timeline_in_date_order(world, login):
    from socec.jobs.models import Employment, Job
    from socec.outreach.models import Event, EventAttendance
    from socec.training.models import CounsellingSession, Course, Enrolment
    from socec.training.services import counselling_save, course_save, enrolment_save

    course = course_save(course=Course(project=world.project, code="TR1"), by=None, title="Antreprenoriat",
                         kind="training")
    enrolment_save(enrolment=Enrolment(course=course, participation=world.alice), by=None,
                   enrolled_on=dt.date(2024, 4, 1))
    mentor = course_save(course=Course(project=world.project, code="MEN1"), by=None, title="Mentorat",
                         kind="mentoring")
    enrolment_save(enrolment=Enrolment(course=mentor, participation=world.alice), by=None,
                   enrolled_on=dt.date(2024, 4, 15))
    counselling_save(session=CounsellingSession(project=world.project, participation=world.alice), by=None,
                     kind="counselling", date=dt.date(2024, 5, 2), counsellor="Dana")
    event = Event.objects.create(project=world.project, code="EV1", kind="conference", title="Conferinta",
                                 date=dt.date(2024, 5, 10), county_id="IF")
    EventAttendance.objects.create(event=event, participation=world.alice)
    job = Job.objects.create(project=world.project, code="J1", employer=world.org_a, title="Operator",
                             created_on=dt.date(2024, 6, 1), hours_per_week=40)
    Employment.objects.create(job=job, participation=world.alice, start_date=dt.date(2024, 6, 3))
    participant_update(participation=world.alice, by=None, data={
        "exit_date": dt.date(2024, 7, 1), "exit_status": "employed", "qualification_gained": True})
    page = login(world.a_field).get(url("participant", "A-001")).content.decode()
    page = page[page.index('id="timeline-title"'):page.index('id="documents"')]
    order = ["Entered the project", "Enrolled in course TR1", "Enrolled for mentoring: MEN1",
             "Counselling session with Dana", "Attended conference: Conferinta", "Started job Operator",
             "Left the project", "Six-month follow-up"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)


# --- exit, follow-up, consent, facts ---------------------------------------------------------------------------


def test_exit_is_validated_then_saved_and_audited(world, login):
    client = login(world.a_field)
    assert "Exit from the project" in client.get(url("participant_exit", "A-001")).content.decode()
    page = client.post(url("participant_exit", "A-001"), {"exit_date": "2024-02-01", "exit_status": "employed",
                                                          "qualification_gained": "yes"}).content.decode()
    assert "before the entry date" in page
    page = client.post(url("participant_exit", "A-001"), {"exit_date": "2999-01-01", "exit_status": "employed",
                                                          "qualification_gained": "yes"}).content.decode()
    assert "cannot be in the future" in page
    page = client.post(url("participant_exit", "A-001"), {"exit_date": "2024-06-01"}).content.decode()
    assert page.count("This field is required") == 2
    world.alice.refresh_from_db()
    assert world.alice.exit_date is None
    assert not audits(AuditEntry.Action.UPDATE, object_id=str(world.alice.pk)).exists()
    response = client.post(url("participant_exit", "A-001"), {"exit_date": "2024-06-01", "exit_status": "employed",
                                                              "qualification_gained": "no"})
    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert (world.alice.exit_date, world.alice.exit_status, world.alice.qualification_gained) == (
        dt.date(2024, 6, 1), "employed", False)
    entry = audits(AuditEntry.Action.UPDATE, object_id=str(world.alice.pk)).get()
    assert "exit_date" in entry.changes


def test_exit_scoping_and_read_only_roles(world, login):
    data = {"exit_date": "2024-06-01", "exit_status": "employed", "qualification_gained": "yes"}
    assert login(world.a_field).post(url("participant_exit", "B-001"), data).status_code == 404
    assert login(world.auditor).post(url("participant_exit", "A-001"), data).status_code == 403
    assert login(world.auditor).get(url("participant_edit", "A-001")).status_code == 403
    world.alice.refresh_from_db()
    assert world.alice.exit_date is None


def test_follow_up_only_six_months_after_exit(world, login):
    client = login(world.a_field)
    data = {"status_6m": "employed", "improved_6m": "yes"}
    page = client.post(url("participant_follow_up", "A-001"), data).content.decode()
    assert "Record the exit first" in page
    today = timezone.localdate()
    recent = today - dt.timedelta(days=30)
    participant_update(participation=world.alice, by=None, data={
        "exit_date": recent, "exit_status": "job_searching", "qualification_gained": False})
    page = client.post(url("participant_follow_up", "A-001"), data).content.decode()
    assert f"can be recorded from {add_months(recent, 6).isoformat()}" in page
    world.alice.refresh_from_db()
    assert world.alice.status_6m == ""
    participant_update(participation=world.alice, by=None, data={"exit_date": dt.date(2024, 6, 1)})
    assert client.post(url("participant_follow_up", "A-001"), data).status_code == 302
    world.alice.refresh_from_db()
    assert (world.alice.status_6m, world.alice.improved_6m) == ("employed", True)
    assert "Six-month follow-up" in client.get(url("participant", "A-001")).content.decode()


def test_consent_and_facts(world, login):
    client = login(world.a_field)
    page = client.post(url("participant_consent", "A-001"), {"consent_on": "2999-01-01"}).content.decode()
    assert "cannot be in the future" in page
    assert client.post(url("participant_consent", "A-001"), {"consent_on": "2024-02-20"}).status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.consent_on == dt.date(2024, 2, 20)
    form = client.get(url("participant_edit", "A-001")).content.decode()
    assert 'value="roma"' in form and "checked" in form
    response = client.post(url("participant_edit", "A-001"), {
        "county": "IF", "area": "rural", "entry_date": "2024-03-01", "labour_status": "inactive", "isced": "4",
        "disability": "refused", "minority": "yes", "foreign_background": "no", "third_country_national": "no",
        "homeless": "", "vulnerable": ["roma"]})
    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert (world.alice.area, world.alice.labour_status, world.alice.isced, world.alice.disability,
            world.alice.third_country_national, world.alice.homeless) == ("rural", "inactive", 4, "refused", False,
                                                                           None)
    page = client.post(url("participant_edit", "A-001"), {"county": "IF", "entry_date": "2024-03-01",
                                                          "labour_status": "bad", "isced": "9"}).content.decode()
    assert "Select a valid choice" in page


# --- missing data ----------------------------------------------------------------------------------------------


def test_missing_data_list_says_what_is_missing_with_a_link(world, login):
    participant_update(participation=world.bob, by=None, data={"exit_date": dt.date(2024, 6, 1)})
    client = login(world.lead_manager)
    page = client.get(url("participants_missing")).content.decode()
    assert "A-001" in page and "B-001" in page
    assert "residence area (urban or rural)" in page
    assert "situation on leaving" in page and "situation six months after leaving" in page
    assert "proof document of the vulnerable category" in page
    assert url("participant_exit", "B-001") in page and url("participant_follow_up", "B-001") in page
    assert url("participant_edit", "A-001") in page
    page = client.get(url("participants_missing"), {"missing": "status_6m"}).content.decode()
    assert "B-001" in page and "A-001" not in page
    # Partners see only their own people; the auditor sees them without links to change anything.
    page = login(world.a_field).get(url("participants_missing")).content.decode()
    assert "A-001" in page and "B-001" not in page
    page = login(world.auditor).get(url("participants_missing")).content.decode()
    assert "B-001" in page and url("participant_exit", "B-001") not in page


def test_missing_data_export(world, login):
    response = login(world.a_field).get(url("participants_missing"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Reference,Registered by,Entry date,Exit date,Missing"
    assert len(lines) == 2 and lines[1].startswith("A-001") and "residence area" in lines[1]


# --- evidence documents -------------------------------------------------------------------------------------------


def test_upload_download_and_delete_a_document(world, login, private_storage):
    client = login(world.a_field)
    response = client.post(url("participant_document_add", "A-001"), {
        "file": SimpleUploadedFile("adeverinta.pdf", PDF, content_type="text/plain"), "category": "roma",
        "description": "Adeverinta"})
    assert response.status_code == 302
    doc = EvidenceDocument.objects.get()
    assert doc.content_type == "application/pdf" and doc.original_name == "adeverinta.pdf"
    stored = private_storage / doc.file.name
    assert stored.exists() and "adeverinta" not in doc.file.name
    assert audits(AuditEntry.Action.CREATE, model="people.evidencedocument").exists()
    page = client.get(url("participant", "A-001")).content.decode()
    assert "adeverinta.pdf" in page
    assert "proof document" not in page  # the evidence gap is filled

    response = login(world.auditor).get(url("participant_document", "A-001", doc.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert audits(AuditEntry.Action.VIEW_IDENTIFIERS, model="people.evidencedocument", actor=world.auditor).exists()
    assert login(world.b_manager).get(url("participant_document", "A-001", doc.pk)).status_code == 404
    assert login(world.outsider).get(url("participant_document", "A-001", doc.pk)).status_code == 404
    assert login(world.auditor).post(url("participant_document_delete", "A-001", doc.pk)).status_code == 403
    assert login(world.b_manager).post(url("participant_document_delete", "A-001", doc.pk)).status_code == 404
    assert EvidenceDocument.objects.exists()

    response = login(world.a_field).post(url("participant_document_delete", "A-001", doc.pk))
    assert response.status_code == 302
    assert not EvidenceDocument.objects.exists()
    assert audits(AuditEntry.Action.DELETE, model="people.evidencedocument").exists()


def test_document_type_is_judged_by_content_and_size_is_limited(world, login, private_storage, settings):
    client = login(world.a_field)
    page = client.post(url("participant_document_add", "A-001"), {
        "file": SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")})
    assert page.status_code == 400 and "must be a PDF, JPEG or PNG" in page.content.decode()
    page = client.post(url("participant_document_add", "A-001"), {
        "file": SimpleUploadedFile("fake.png", b"\x89PNG\r\n\x1a\nbroken", content_type="image/png")})
    assert "must be a PDF, JPEG or PNG" in page.content.decode()
    settings.SOCEC_EVIDENCE_MAX_BYTES = 1024 * 1024
    page = client.post(url("participant_document_add", "A-001"), {
        "file": SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")})
    assert "larger than 1 MB" in page.content.decode()
    page = client.post(url("participant_document_add", "A-001"), {})
    assert "This field is required" in page.content.decode()
    assert not EvidenceDocument.objects.exists()
    assert not list(private_storage.rglob("*.*"))
    assert client.post(url("participant_document_add", "A-001"), {
        "file": SimpleUploadedFile("photo.bin", png_bytes())}).status_code == 302
    assert EvidenceDocument.objects.get().content_type == "image/png"


def test_document_service_refuses_other_partners(world, private_storage):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        evidence_add(participation=world.bob, by=world.a_field, file=SimpleUploadedFile("a.pdf", PDF))
    assert not EvidenceDocument.objects.exists()


def test_people_brought_by_a_workbook_are_found_by_name(db, tmp_path):
    from socec.people.services import name_digest
    from socec.workbook.importer import import_workbook
    from tests.workbooks import base_sheets, make_zip

    assert import_workbook(make_zip(tmp_path, base_sheets())).ok
    found = set(NameDigest.objects.filter(digest=name_digest("dobre")).values_list(
        "identity__person__participations__person_ref", flat=True))
    assert found == {"N-003"}
    assert NameDigest.objects.filter(digest=name_digest("ioana")).count() == 1
