"""Personal data: key rotation, the subject access export, erasure on request and retention."""

import datetime as dt
import io
import json
import os
import zipfile

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from socec.audit.models import AuditEntry
from socec.core import crypto
from socec.indicators.engine import Scope, report
from socec.jobs.models import Employment
from socec.outreach.models import Event
from socec.outreach.services import event_attendance_add, event_save
from socec.people import retention
from socec.people.export import subject_access_export
from socec.people.models import EvidenceDocument, Identity, NameDigest, Participation
from socec.people.services import evidence_add, identity_for, participant_erase, participant_register
from socec.programmes.models import Project
from socec.programmes.services import project_save
from socec.staff.participants.selectors import same_person_elsewhere, search
from socec.training.models import Course, Enrolment
from socec.training.services import course_save, enrolment_save
from tests.personas import ALICE_CNP, BOB_CNP, person_data
from tests.test_indicators import build_h1, employ, job

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    settings.MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def login(login, settings):
    """Pages in English."""
    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def raw_tokens() -> dict[tuple[str, int, str], str]:
    """Every stored encrypted value, as written in the database (not decrypted)."""
    out = {}
    with connection.cursor() as cursor:
        for table, pk, columns in [("people_identity", "person_id", ("first_name", "last_name", "cnp", "phone")),
                                   ("jobs_employment", "id", ("person_name",))]:
            cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row[1:], strict=True):
                    if value:
                        out[(table, row[0], column)] = value
    return out


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- key rotation ------------------------------------------------------------------------------------------


@pytest.fixture
def named_employee(world):
    """A job held by someone who is not a participant: their name is encrypted in another model."""
    employer = world.org_a
    return employ(job(world.project, "J1", employer), name="Ion Vasile", start="2024-03-01")


def test_rotate_key_re_encrypts_everything_under_the_new_key_and_the_old_key_can_go(world, named_employee,
                                                                                      settings):
    k1 = settings.SOCEC_ENCRYPTION_KEYS[0]
    k2 = Fernet.generate_key().decode()
    before = raw_tokens()
    assert len(before) >= 7  # Alice: 4 values, Bob: 3, the employee's name: 1

    settings.SOCEC_ENCRYPTION_KEYS = [k2, k1]
    with pytest.raises(CommandError, match="still under an old key"):
        run("rotate_key", "--check")
    out = run("rotate_key", "--batch", "1")  # one row per transaction: the batches join up
    assert "people.Identity: 7 values, 7 under an old key, 7 re-encrypted" in out
    assert "jobs.Employment: 1 values, 1 under an old key, 1 re-encrypted" in out
    after = raw_tokens()
    assert after.keys() == before.keys() and not set(after.values()) & set(before.values())
    again = run("rotate_key")  # idempotent: nothing left to do
    assert "total: 8 values, 0 were under an old key, 0 re-encrypted" in again
    assert raw_tokens() == after
    assert "0 under an old key" in run("rotate_key", "--check")

    settings.SOCEC_ENCRYPTION_KEYS = [k2]
    alice = Identity.objects.get(person=world.alice.person)
    assert (alice.first_name, alice.last_name, alice.cnp, alice.phone) == ("Alice", "Ionescu", ALICE_CNP,
                                                                          "0722000111")
    assert Identity.objects.get(person=world.bob.person).cnp == BOB_CNP
    assert Employment.objects.get(pk=named_employee.pk).person_name == "Ion Vasile"
    # Reading the identifiers is still logged, under the new key.
    seen = identity_for(participation=world.alice, by=world.a_field)
    assert seen.cnp == ALICE_CNP
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor_name, entry.object_id) == ("view_identifiers", "a_field", str(world.alice.pk))

    settings.SOCEC_ENCRYPTION_KEYS = [k1]  # the old key alone reads nothing any more
    for token in after.values():
        with pytest.raises(ImproperlyConfigured):
            crypto.decrypt(token)


def test_rotate_key_refuses_when_the_old_key_was_removed_too_early(world, settings):
    before = raw_tokens()
    settings.SOCEC_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted with any key"):
        run("rotate_key")
    assert raw_tokens() == before


def test_rotate_key_explains_the_procedure_in_its_help():
    from socec.core.management.commands.rotate_key import Command

    text = Command().create_parser("socec", "rotate_key").format_help()
    assert "FIRST in SOCEC_ENCRYPTION_KEYS" in text and "--check" in text and "remove OLD" in text


# --- subject access export ---------------------------------------------------------------------------------


@pytest.fixture
def alice_records(world, private_storage):
    """Alice trained, at an event, employed, with an evidence document."""
    p = world.alice
    course = course_save(course=Course(project=world.project, code="T1"), by=None, title="Antreprenoriat",
                         kind="training")
    enrolment_save(enrolment=Enrolment(participation=p, course=course), by=None, enrolled_on=dt.date(2024, 3, 5),
                   completed=True, completed_on=dt.date(2024, 5, 1), certified=True, certificate_no="P1-0001")
    event = event_save(event=Event(project=world.project, code="E1"), by=None, kind="caravan_stop",
                       title="Caravana Buftea", date=dt.date(2024, 4, 1), county_id="IF")
    event_attendance_add(event=event, by=None, participation=p)
    employ(job(world.project, "J1", world.org_a), participation=p, start="2024-06-01")
    document = evidence_add(participation=p, by=world.a_field,
                            file=SimpleUploadedFile("adeverinta_alice.pdf", PDF, content_type="application/pdf"))
    return document


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def export_url(ref="A-001", code="P1"):
    return reverse("staff:participant_export", args=[code, ref])


def test_the_export_holds_everything_about_the_person(world, alice_records, login):
    client = login(world.a_field)
    page = client.get(reverse("staff:participant", args=["P1", "A-001"]))
    assert export_url() in page.content.decode()
    assert client.get(export_url()).status_code == 200
    last = AuditEntry.objects.latest("id").pk
    response = client.post(export_url(), {"reason": "cererea din 2025-03-03"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    files = unzip(response.content)

    person = json.loads(files["person.json"])
    assert person["person"] == {"sex": "F", "birth_date": "1990-05-12",
                                "first_registered_at": person["person"]["first_registered_at"]}
    assert person["participations"] == ["participations/P1_A-001.json"] and not person["identifiers_erased"]
    identity = json.loads(files["identity.json"])
    assert (identity["first_name"], identity["last_name"], identity["cnp"], identity["phone"]) == (
        "Alice", "Ionescu", ALICE_CNP, "0722000111")

    part = json.loads(files["participations/P1_A-001.json"])
    assert part["project"]["code"] == "P1" and part["registered_by"] == "Asociatia A"
    assert part["entry"]["entry_date"] == "2024-03-01" and part["entry"]["labour_status"] == "unemployed"
    assert [v["code"] for v in part["entry"]["vulnerable"]] == ["roma"]
    assert part["consent"] == {"informed_and_consented_on": "2024-03-01"}
    [enrolment] = part["training"]["enrolments"]
    assert (enrolment["course"], enrolment["certified"], enrolment["certificate_no"]) == ("T1", True, "P1-0001")
    assert [e["event"] for e in part["events"]] == ["E1"]
    assert [(e["job"], e["start_date"]) for e in part["employments"]] == [("J1", "2024-06-01")]
    [doc] = part["evidence_documents"]
    assert doc["name"] == "adeverinta_alice.pdf" and files[doc["file"]] == PDF
    assert doc["file"].startswith("files/P1_A-001/")

    audit = json.loads(files["audit.json"])
    actions = [(e["who"], e["action"], e["record"]) for e in audit]
    assert ("a_field", "create", f"people.participation#{world.alice.pk}") in actions
    assert ("a_field", "create", f"people.evidencedocument#{alice_records.pk}") in actions
    assert any(e["reason"].startswith("Subject access export") for e in audit)  # this request itself
    assert "Bob" not in files["audit.json"].decode() and "B-001" not in files["audit.json"].decode()
    # The request is in the audit log.
    [entry] = AuditEntry.objects.filter(pk__gt=last)
    assert (entry.action, entry.actor_name, entry.object_id) == ("view_identifiers", "a_field", str(world.alice.pk))
    assert "cererea din 2025-03-03" in entry.reason


def test_another_partner_gets_404_for_the_person_and_nothing_is_logged(world, login):
    client = login(world.b_manager)
    before = AuditEntry.objects.count()
    assert client.get(export_url()).status_code == 404
    assert client.post(export_url(), {"reason": "x"}).status_code == 404
    assert login(world.outsider).post(export_url()).status_code == 404
    assert AuditEntry.objects.count() == before


def test_the_auditor_exports_only_with_a_reason_logged_as_a_reveal(world, login):
    client = login(world.auditor)
    assert export_url() in client.get(reverse("staff:participant", args=["P1", "A-001"])).content.decode()
    before = AuditEntry.objects.count()
    response = client.post(export_url(), {"reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert AuditEntry.objects.count() == before
    response = client.post(export_url(), {"reason": "controlul din 2025-05-01"})
    assert response["Content-Type"] == "application/zip"
    assert AuditEntry.objects.latest("id").action == "reveal"


def test_an_erased_person_is_exported_without_identifiers(world):
    participant_erase(participation=world.alice, by=None, reason="cererea persoanei")
    files = unzip(subject_access_export(participation=world.alice, by=world.lead_manager))
    assert "identity.json" not in files and json.loads(files["person.json"])["identifiers_erased"]
    assert "Alice" not in b"".join(files.values()).decode() and ALICE_CNP not in b"".join(files.values()).decode()
    assert json.loads(files["participations/P1_A-001.json"])["identifiers_erased_at"]


def test_the_export_lists_only_the_projects_the_user_sees(world):
    """Alice also in P2 (led by B): A's field worker's export holds P1 only; the system's both."""
    participant_register(project=world.other_project, by=None, data=person_data(
        "Q-7", "Alice", "Ionescu", "F", dt.date(1990, 5, 12), cnp=ALICE_CNP))
    mine = unzip(subject_access_export(participation=world.alice, by=world.a_field))
    assert [n for n in mine if n.startswith("participations/")] == ["participations/P1_A-001.json"]
    everything = unzip(subject_access_export(participation=world.alice, by=None))
    assert sorted(n for n in everything if n.startswith("participations/")) == [
        "participations/P1_A-001.json", "participations/P2_Q-7.json"]


# --- erasure on request ------------------------------------------------------------------------------------

DATES = [dt.date(2023, 12, 31), dt.date(2024, 6, 30), dt.date(2024, 12, 31), dt.date(2025, 7, 1),
         dt.date(2031, 1, 1)]


def all_reports(projects) -> list:
    today = timezone.localdate()
    scopes = [Scope(p) for p in projects] + [Scope()]
    return [report(s, d, cached=False) for s in scopes for d in [*DATES, today]]


def test_erasure_keeps_every_report_deletes_the_files_and_the_person_cannot_be_found(world, alice_records, login,
                                                                                    django_capture_on_commit_callbacks):
    h1, people = build_h1()  # the hand-worked project: training, jobs, events; P1 is also Q1 in H2
    projects = list(Project.objects.order_by("code"))
    before = all_reports(projects)
    cached_before = report(Scope(), dt.date(2024, 12, 31))
    stored = alice_records.file.path
    with open(stored, "rb") as f:
        assert f.read() == PDF
    client = login(world.lead_manager)
    assert "A-001" in client.get(reverse("staff:participants", args=["P1"]), {"q": "Alice"}).content.decode()
    assert [p.person_ref for p in same_person_elsewhere(world.lead_manager, cnp=ALICE_CNP)] == ["A-001"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:participant_erase", args=["P1", "A-001"]),
                               {"reason": "cererea din 2025-03-03", "confirm": "on"})
    assert response.status_code == 302
    assert "identifiers were erased" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        participant_erase(participation=people["P1"], by=None, reason="cererea persoanei")

    assert all_reports(projects) == before
    assert report(Scope(), dt.date(2024, 12, 31)) == cached_before
    # The files are gone, from storage and from the records; the audit log no longer names them.
    assert not EvidenceDocument.objects.exists()
    assert not os.path.exists(stored)
    assert "adeverinta" not in json.dumps(list(AuditEntry.objects.values("object_repr", "changes", "reason")))
    # Not found by name or CNP, anywhere.
    assert not Identity.objects.filter(person_id__in=[world.alice.person_id, people["P1"].person_id]).exists()
    assert not NameDigest.objects.filter(identity_id=world.alice.person_id).exists()
    for q in ("Alice", "Ionescu", ALICE_CNP):
        assert not search(Participation.objects.all(), q, identifiers=True).filter(pk=world.alice.pk).exists()
        page = client.get(reverse("staff:participants", args=["P1"]), {"q": q}).content.decode()
        assert "A-001" not in page
    assert same_person_elsewhere(world.lead_manager, cnp=ALICE_CNP) == []
    assert same_person_elsewhere(world.lead_manager, first_name="Alice", last_name="Ionescu",
                                 birth_date=dt.date(1990, 5, 12)) == []
    erase = AuditEntry.objects.filter(action="erase", object_id=str(world.alice.pk)).get()
    assert erase.actor_name == "lead_manager" and erase.changes["documents"] == [1, 0]


def test_only_a_manager_may_erase(world, login):
    url = reverse("staff:participant_erase", args=["P1", "A-001"])
    assert login(world.a_field).post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert login(world.b_manager).post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    response = login(world.a_manager).post(url, {"reason": "", "confirm": "on"})
    assert response.status_code == 400
    assert Identity.objects.filter(person_id=world.alice.person_id).exists()


# --- retention ---------------------------------------------------------------------------------------------


def test_the_retention_date_cannot_come_before_the_project_end(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="before the end date"):
        project_save(project=world.project, by=world.lead_manager, retention_until=dt.date(2025, 12, 30))
    assert Project.objects.get(pk=world.project.pk).retention_until is None
    assert world.project.suggested_retention_until == dt.date(2030, 12, 31)


@pytest.fixture
def kept(world):
    """P1 kept until 2030-12-31; Alice is also in P2 (no date: kept). A third project P3 kept until 2035."""
    project_save(project=world.project, by=world.lead_manager, retention_until=dt.date(2030, 12, 31))
    participant_register(project=world.other_project, by=None, data=person_data(
        "Q-7", "Alice", "Ionescu", "F", dt.date(1990, 5, 12), cnp=ALICE_CNP))
    p3 = project_save(project=Project(code="P3"), by=None, title="Trei", start_date=dt.date(2024, 1, 1),
                      end_date=dt.date(2025, 12, 31), lead_organisation=world.lead,
                      retention_until=dt.date(2035, 12, 31))
    carol = participant_register(project=p3, by=None, data=person_data("C-001", "Carol", "Dan", "F",
                                                                        dt.date(1980, 1, 1)))
    return p3, carol


AFTER = dt.date(2031, 1, 1)


def test_the_preview_lists_exactly_the_expired_ones(world, kept):
    assert retention.retention_preview(today=dt.date(2030, 12, 31)) == []  # the last day is still kept
    [entry] = retention.retention_preview(today=AFTER)
    assert entry.project.code == "P1" and entry.until == dt.date(2030, 12, 31)
    assert [p.person_ref for p in entry.to_erase] == ["B-001"]
    assert [p.person_ref for p in entry.kept] == ["A-001"]  # also in P2, which has no retention date
    out = run("retention", "--on", "2031-01-01")
    assert "P1: retention until 2030-12-31; 2 participants, 1 to erase, 1 kept" in out
    assert "to erase: B-001" in out and "kept: A-001" in out and "Bob" not in out and "Popescu" not in out
    assert "No retention date set (nothing erased): P2" in out
    assert Identity.objects.filter(person_id=world.bob.person_id).exists()  # a preview erases nothing


def test_apply_erases_them_keeps_the_reports_and_the_others(world, kept):
    p3, carol = kept
    projects = list(Project.objects.order_by("code"))
    before = all_reports(projects)
    done = retention.retention_apply(today=AFTER)
    assert [(e.project.code, [p.person_ref for p in e.to_erase]) for e in done] == [("P1", ["B-001"])]
    assert not Identity.objects.filter(person_id=world.bob.person_id).exists()
    assert Identity.objects.filter(person_id=world.alice.person_id).exists()  # kept by P2
    assert Identity.objects.filter(person_id=carol.person_id).exists()  # P3 is kept until 2035
    assert all_reports(projects) == before
    entry = AuditEntry.objects.get(action="erase", object_id=str(world.bob.pk))
    assert entry.actor_name == "system" and "P1" in entry.reason and "2030-12-31" in entry.reason
    assert retention.retention_apply(today=AFTER)[0].to_erase == []  # again: nothing more
    assert AuditEntry.objects.filter(action="erase").count() == 1
    # Once P2 has passed its own date too, Alice goes.
    project_save(project=world.other_project, by=None, retention_until=dt.date(2030, 12, 31))
    retention.retention_apply(today=AFTER)
    assert not Identity.objects.filter(person_id=world.alice.person_id).exists()
    assert all_reports(projects) == before


def test_the_command_and_the_task_apply_as_of_today(world):
    today = timezone.localdate()
    old = project_save(project=Project(code="OLD"), by=None, title="Vechi", start_date=today - dt.timedelta(3000),
                       end_date=today - dt.timedelta(2000), lead_organisation=world.lead,
                       retention_until=today - dt.timedelta(1))
    p = participant_register(project=old, by=None, data=person_data(
        "O-1", "Dan", "Olt", "M", dt.date(1970, 1, 1), entry_date=today - dt.timedelta(2500),
        consent_on=today - dt.timedelta(2500)))
    with pytest.raises(CommandError, match="--apply erases as of today only"):
        run("retention", "--apply", "--on", (today + dt.timedelta(days=1)).isoformat())
    assert "to erase: O-1" in run("retention")
    assert Identity.objects.filter(person_id=p.person_id).exists()
    out = run("retention", "--apply")
    assert "OLD: retention until" in out and "erased: O-1" in out
    assert not Identity.objects.filter(person_id=p.person_id).exists()
    assert "0 erased" in run("retention", "--apply")

    from socec.people.tasks import apply_retention

    q = participant_register(project=old, by=None, data=person_data(
        "O-2", "Ana", "Olt", "F", dt.date(1971, 1, 1), entry_date=today - dt.timedelta(2500),
        consent_on=today - dt.timedelta(2500)))
    assert "enqueued: task" in run("retention", "--apply", "--enqueue")  # for the worker: nothing erased yet
    assert Identity.objects.filter(person_id=q.person_id).exists()
    assert apply_retention.call() == {"OLD": 1}
    assert not Identity.objects.filter(person_id=q.person_id).exists()


def test_the_retention_page_for_managers(world, kept, login):
    url = reverse("staff:participants_retention", args=["P1"])
    assert login(world.a_field).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    client = login(world.lead_manager)
    assert url in client.get(reverse("staff:project", args=["P1"])).content.decode()
    page = client.get(url).content.decode()
    assert "2030-12-31" in page and "B-001" in page and "A-001" in page and "Bob" not in page
    response = client.post(url, {"retention_until": "2025-01-01"})
    assert response.status_code == 400 and "before the end date" in response.content.decode()
    assert Project.objects.get(pk=world.project.pk).retention_until == dt.date(2030, 12, 31)
    assert client.post(url, {"retention_until": "2032-12-31"}).status_code == 302
    assert Project.objects.get(pk=world.project.pk).retention_until == dt.date(2032, 12, 31)
    assert AuditEntry.objects.filter(model="programmes.project", actor_name="lead_manager",
                                     changes__has_key="retention_until").exists()
    # A partner's manager sees the counts of the project, the references of their own people only.
    page = login(world.b_manager).get(url).content.decode()
    assert "B-001" in page and "A-001" not in page
