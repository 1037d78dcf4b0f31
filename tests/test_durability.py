"""Never losing data: two people editing the same record (optimistic locking), backup and restore,
and imports that survive a worker killed in the middle."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from socec.audit.models import AuditEntry
from socec.core.locking import Conflict
from socec.people.models import Participation
from socec.people.services import participant_update
from socec.training.models import Course
from socec.training.services import course_save
from tests.personas import PASSWORD

CONFLICT = "Someone else changed this record since you opened it"


def client_for(user, settings) -> Client:
    """A browser of its own for `user`, signed in (the second factor as if passed, as in conftest's login)."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    try:
        from socec.accounts.otp import mark_verified
    except ImportError:  # no second factor in this checkout
        pass
    else:
        session = client.session
        mark_verified(session, user)
        session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def hidden_version(page: str) -> str:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert found, "the edit form carries the version it shows"
    return found.group(1)


def updates_of(obj) -> int:
    return AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk), action="update").count()


# --- two people editing the same record -------------------------------------------------------------------


FACTS = {"county": "IF", "area": "", "entry_date": "2024-03-01", "labour_status": "unemployed", "isced": "2",
         "disability": "", "minority": "", "foreign_background": "", "third_country_national": "", "homeless": "",
         "vulnerable": ["roma"]}


@pytest.mark.django_db
def test_second_editor_of_a_participant_is_told_and_overwrites_nothing(world, settings):
    url = reverse("staff:participant_edit", args=["P1", "A-001"])
    first, second = client_for(world.a_field, settings), client_for(world.a_manager, settings)
    v1 = hidden_version(first.get(url).content.decode())
    v2 = hidden_version(second.get(url).content.decode())
    assert v1 == v2

    assert first.post(url, {**FACTS, "labour_status": "inactive", "version": v1}).status_code == 302
    response = second.post(url, {**FACTS, "isced": "5", "area": "rural", "version": v2})
    page = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in page
    assert "a_field" in page and "labour market status at entry" in page  # who changed what
    assert "stored now: Inactive" in page or "stored now: inactive" in page
    # The second person's input is kept in the form...
    assert re.search(r'<option value="5" selected>', page)
    assert re.search(r'<option value="rural" selected>', page)
    # ...and nothing of it was written over the first person's change.
    alice = Participation.objects.get(pk=world.alice.pk)
    assert (alice.labour_status, alice.isced, alice.area) == ("inactive", 2, "")
    assert updates_of(alice) == 1

    # The form now carries the current version: saving again is a deliberate choice and succeeds.
    assert hidden_version(page) == str(alice.version) != v2
    assert second.post(url, {**FACTS, "isced": "5", "area": "rural", "version": hidden_version(page)}
                       ).status_code == 302
    alice.refresh_from_db()
    assert (alice.isced, alice.area) == (5, "rural")


@pytest.mark.django_db
def test_second_editor_of_a_course_is_told_and_overwrites_nothing(world, settings):
    course = course_save(course=Course(project=world.project, code="TR1"), by=None, title="Antreprenoriat",
                         kind="training", hours=Decimal("8"))
    url = reverse("staff:course_edit", args=["P1", course.pk])
    first, second = client_for(world.a_field, settings), client_for(world.lead_manager, settings)
    v1 = hidden_version(first.get(url).content.decode())
    v2 = hidden_version(second.get(url).content.decode())
    data = {"code": "TR1", "kind": "training", "hours": "8"}

    assert first.post(url, {**data, "title": "Antreprenoriat social", "version": v1}).status_code == 302
    response = second.post(url, {**data, "title": "Contabilitate", "hours": "12", "version": v2})
    page = response.content.decode()
    assert response.status_code == 200 and CONFLICT in page
    assert "title" in page and "Antreprenoriat social" in page  # what is stored now
    assert 'value="Contabilitate"' in page and 'value="12"' in page  # the second person's input, kept
    course.refresh_from_db()
    assert (course.title, course.hours) == ("Antreprenoriat social", Decimal("8"))
    assert updates_of(course) == 1


@pytest.mark.django_db
def test_stale_version_through_a_service_raises_and_writes_nothing(world):
    alice = Participation.objects.get(pk=world.alice.pk)
    start = alice.version
    participant_update(participation=alice, by=world.a_field, data={"isced": 3}, expected_version=start)
    alice.refresh_from_db()
    assert alice.version == start + 1
    audit_before = AuditEntry.objects.count()

    with pytest.raises(Conflict) as caught:
        participant_update(participation=alice, by=world.a_manager, data={"isced": 6, "phone": "0700000000"},
                           expected_version=start)
    assert caught.value.current_version == start + 1
    assert [c.field for c in caught.value.changes] == ["isced"]
    alice.refresh_from_db()
    assert alice.isced == 3 and alice.version == start + 1
    assert alice.person.identity.phone == "0722000111"
    assert AuditEntry.objects.count() == audit_before

    # The same through the generic save path (audited_save), for another kind of record.
    course = course_save(course=Course(project=world.project, code="TR9"), by=None, title="A", kind="training")
    assert course.version == 1
    course = course_save(course=Course.objects.get(pk=course.pk), by=world.a_field, title="B", expected_version=1)
    assert course.version == 2
    audit_before = AuditEntry.objects.count()
    with pytest.raises(Conflict):
        course_save(course=Course.objects.get(pk=course.pk), by=world.a_field, title="C", expected_version=1)
    assert Course.objects.get(pk=course.pk).title == "B" and AuditEntry.objects.count() == audit_before

    # No check without a version (imports, commands); a save that changes nothing keeps the version.
    course = course_save(course=Course.objects.get(pk=course.pk), by=None, title="D")
    assert course.version == 3
    course = course_save(course=Course.objects.get(pk=course.pk), by=None, title="D", expected_version=3)
    assert Course.objects.get(pk=course.pk).version == 3


@pytest.mark.django_db
def test_exit_form_with_a_stale_version_is_refused(world, settings):
    url = reverse("staff:participant_exit", args=["P1", "A-001"])
    client = client_for(world.a_field, settings)
    version = hidden_version(client.get(url).content.decode())
    participant_update(participation=world.alice, by=world.a_manager, data={"consent_on": dt.date(2024, 2, 1)})
    page = client.post(url, {"exit_date": "2024-06-01", "exit_status": "employed", "qualification_gained": "yes",
                             "version": version}).content.decode()
    assert CONFLICT in page
    assert Participation.objects.get(pk=world.alice.pk).exit_date is None


# --- backup and restore ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def private_files(tmp_path, settings):
    """Uploaded files in a folder of the test's own."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    settings.MEDIA_ROOT = root
    return root


def _needs_pg_tools():
    import shutil

    from django.db import connection

    if connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed: the PostgreSQL backup cannot be tested here")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # reference data back after a flush
def test_backup_then_restore_brings_back_the_report_identities_and_files(tmp_path, private_files):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from socec.indicators.engine import Scope, report
    from socec.people.models import EvidenceDocument, Identity
    from socec.people.services import evidence_add, identity_for, participant_register
    from tests.personas import build_world, person_data

    _needs_pg_tools()
    world = build_world()
    document = evidence_add(participation=world.alice, by=world.a_field, file=SimpleUploadedFile("id.pdf", PDF))
    stored_file = private_files / document.file.name
    before = report(Scope(), AS_OF, cached=False)
    identity = identity_for(participation=world.alice, by=world.a_manager)
    before_identity = (identity.first_name, identity.last_name, identity.cnp, identity.phone)

    archive = tmp_path / "backup.tar"
    call_command("backup", "-o", str(archive))
    assert archive.is_file()

    # Then things change: a correction, a new participant, a deleted document (and its file).
    participant_update(participation=world.alice, by=world.a_field,
                       data={"first_name": "Alicia", "phone": "0799999999", "labour_status": "employed"})
    participant_register(project=world.project, by=world.a_field, data=person_data(
        "A-002", "Dan", "Marin", "M", dt.date(1992, 1, 1)))
    EvidenceDocument.objects.all().delete()
    stored_file.unlink()
    (private_files / "stray.txt").write_text("written after the backup")
    assert report(Scope(), AS_OF, cached=False) != before

    call_command("restore", str(archive), "--yes")

    assert report(Scope(), AS_OF, cached=False) == before
    alice = Participation.objects.get(pk=world.alice.pk)
    restored = identity_for(participation=alice, by=world.a_manager)
    assert (restored.first_name, restored.last_name, restored.cnp, restored.phone) == before_identity
    assert not Participation.objects.filter(person_ref="A-002").exists()
    assert Identity.objects.count() == 2
    assert EvidenceDocument.objects.get().file.name == document.file.name
    assert stored_file.read_bytes() == PDF
    assert not (private_files / "stray.txt").exists()

    _refusals(tmp_path, archive, world)


def _refusals(tmp_path, archive, world):
    """A damaged or foreign archive, or no confirmation: refused with a clear message, nothing changed."""
    import io
    import json
    import tarfile

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    participant_update(participation=world.alice, by=None, data={"isced": 7})

    def rewritten(name, change):
        """A copy of the archive with its manifest or a member changed."""
        target = tmp_path / name
        with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                data = change(member.name, data)
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        return target

    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    foreign = rewritten("foreign.tar", lambda name, data: json.dumps(
        {**json.loads(data), "engine": other}).encode() if name == "manifest.json" else data)
    with pytest.raises(CommandError, match="this installation uses"):
        call_command("restore", str(foreign), "--yes")
    damaged = rewritten("damaged.tar", lambda name, data: data[:-1] + b"!" if name.startswith("database") else data)
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), "--yes")
    newer = rewritten("newer.tar", lambda name, data: json.dumps(
        {**json.loads(data), "migrations": {**json.loads(data)["migrations"], "people": ["9999_future"]}}
    ).encode() if name == "manifest.json" else data)
    with pytest.raises(CommandError, match="newer version of SOCEC"):
        call_command("restore", str(newer), "--yes")
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_bytes(b"hello")
    with pytest.raises(CommandError, match="cannot be read as a SOCEC backup"):
        call_command("restore", str(not_a_backup), "--yes")
    # Without --yes and without a terminal to ask on: refused.
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert Participation.objects.get(pk=world.alice.pk).isced == 7


# --- an import survives a killed worker --------------------------------------------------------------------

KILL_PARTICIPANTS = 10_000  # enough for the import to take a few seconds


class WorkerDatabase:
    """The database a worker subprocess uses: the test database itself on PostgreSQL (committed data is
    visible to other sessions); on SQLite, whose test database lives in this process's memory, a file
    copied to and from it with the online backup API around each step the subprocess takes."""

    def __init__(self, tmp_path):
        import sqlite3

        from django.db import connection

        self.sqlite3 = sqlite3
        self.connection = connection
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            self.file = None
            auth = settings_dict["USER"] or ""
            if settings_dict.get("PASSWORD"):
                auth += f":{settings_dict['PASSWORD']}"
            self.url = (f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
                        f"{settings_dict['NAME']}")

    def to_worker(self):
        if self.file is not None:
            self.connection.ensure_connection()
            target = self.sqlite3.connect(self.file)
            self.connection.connection.backup(target)
            target.close()

    def from_worker(self):
        if self.file is not None:
            source = self.sqlite3.connect(self.file)
            source.backup(self.connection.connection)
            source.close()


def _worker_env(tmp_path, database_url):
    import os

    from django.conf import settings

    return {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url, "SOCEC_VAR_DIR": str(tmp_path),
            "SECRET_KEY": settings.SECRET_KEY, "SOCEC_ENCRYPTION_KEYS": ",".join(settings.SOCEC_ENCRYPTION_KEYS),
            "SOCEC_PSEUDONYM_KEY": settings.SOCEC_PSEUDONYM_KEY, "LOG_LEVEL": "WARNING"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker sees only committed data
def test_an_import_whose_worker_is_killed_writes_nothing_is_recovered_and_runs_again(tmp_path, private_files,
                                                                                     settings):
    import json
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    from socec.workbook import services
    from socec.workbook.models import ImportRun
    from socec.workbook.synthetic import generate
    from tests.personas import build_world

    assert private_files == tmp_path / "private"  # where the worker's SOCEC_VAR_DIR puts its uploads
    settings.SOCEC_IMPORT_INLINE_MAX_BYTES = 0  # every check and import goes to the background worker
    world = build_world()
    path = tmp_path / "big.zip"
    generate(path, participants=KILL_PARTICIPANTS, seed=7, project_code="KILL")
    run = services.import_run_create(upload=SimpleUploadedFile("big.zip", path.read_bytes()), by=world.admin)
    run = services.import_run_validate(run)  # the check, here: nothing written
    assert run.status == ImportRun.Status.VALIDATED, run.report
    run = services.import_run_confirm(run, by=world.admin)
    assert run.status == ImportRun.Status.IMPORTING and run.task_id

    database = WorkerDatabase(tmp_path)
    database.to_worker()
    env = _worker_env(tmp_path, database.url)
    socec = str(Path(sys.executable).with_name("socec"))
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([socec, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    progress_file = private_files / "imports" / "progress" / f"{run.pk}.json"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until the import is well under way
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            done = 0
            if progress_file.exists():  # SQLite: progress beside the uploads
                try:
                    done = json.loads(progress_file.read_text()).get("done") or 0
                except ValueError:
                    done = 0
            elif database.file is None:  # PostgreSQL: progress on the run's row
                done = ImportRun.objects.get(pk=run.pk).progress_done
            if done > 1_000:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the import made no progress: " + (tmp_path / "worker.log").read_text())
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)
        log.close()

    database.from_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTING  # killed in the middle, not after the end
    assert DBTaskResult.objects.get(pk=run.task_id).status == "RUNNING"  # the row the dead worker left
    assert Participation.objects.count() == 2  # the world's two: nothing of the import was written
    assert not world.project.__class__.objects.filter(code="KILL").exists()

    recovered = subprocess.run([socec, "recover_tasks"], env=env, capture_output=True, text=True, timeout=120)
    assert recovered.returncode == 0, recovered.stderr
    # the command speaks the site's language (LANGUAGE_CODE, Romanian by default)
    assert "1 lost task(s) recovered" in recovered.stdout or "Sarcini pierdute recuperate: 1." in recovered.stdout
    database.from_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "interrupted" in run.report["issues"][0]["message"] and "Run the import again" in \
        run.report["issues"][0]["message"]
    assert DBTaskResult.objects.get(pk=run.task_id).status == "FAILED"
    assert services.can_retry(world.admin, run)

    # The user runs it again; a worker (here one that stops when the queue is empty) imports it all.
    run = services.import_run_retry(run, by=world.admin)
    assert run.status == ImportRun.Status.IMPORTING
    database.to_worker()
    again = subprocess.run([socec, "db_worker", "--no-reload", "--no-startup-delay", "--batch"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    database.from_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE, run.report
    assert Participation.objects.filter(project__code="KILL").count() == KILL_PARTICIPANTS


@pytest.mark.django_db
def test_recovery_tells_dead_from_live_workers_and_the_page_offers_to_run_again(world, tmp_path, private_files,
                                                                                settings):
    import subprocess
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from socec.core import recovery
    from socec.workbook import services
    from socec.workbook.models import ImportRun
    from tests.workbooks import base_sheets, zip_bytes

    run = services.import_run_create(upload=SimpleUploadedFile("w.zip", zip_bytes(base_sheets())), by=world.admin)
    run = services.import_run_validate(run)
    assert run.status == ImportRun.Status.VALIDATED, run.report
    # As if a worker had claimed its import and died: the run importing, the task running.
    ended = subprocess.Popen(["true"])  # a process that has ended (and been reaped): its pid is free
    ended.wait()
    dead = f"{recovery.host_name()}:{ended.pid}:x"
    now = timezone.now()

    def task_row(worker, started):
        return DBTaskResult.objects.create(status="RUNNING", args_kwargs={"args": [run.pk], "kwargs": {}},
                                           task_path="socec.workbook.tasks.run_import", backend_name="default",
                                           run_after=now, worker_ids=[worker], started_at=started,
                                           exception_class_path="", traceback="")

    lost = task_row(dead, now)
    alive = task_row(recovery.new_worker_id(), now - timedelta(hours=5))  # this very process: alive
    elsewhere_old = task_row("another-machine-worker", now - timedelta(hours=1))
    elsewhere_new = task_row("another-machine-worker-2", now - timedelta(seconds=30))
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.IMPORTING, task_id=str(lost.pk),
                                               confirmed_by=world.admin)

    recovered = {r.task_id for r in recovery.recover_lost_tasks(older_than=600)}
    assert recovered == {str(lost.pk), str(elsewhere_old.pk)}
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert (statuses[lost.pk], statuses[alive.pk], statuses[elsewhere_old.pk], statuses[elsewhere_new.pk]) == (
        "FAILED", "RUNNING", "FAILED", "RUNNING")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and services.was_interrupted(run)

    client = client_for(world.admin, settings)
    page = client.get(reverse("staff:workbook_run", args=[run.pk])).content.decode()
    assert "The import was interrupted" in page and "Nothing of this file was written" in page
    assert "Run the import again" in page
    # Another user may not run it again; the uploader does (a small file: imported in the request).
    other = client_for(world.a_field, settings)
    assert other.post(reverse("staff:workbook_retry", args=[run.pk])).status_code == 404
    response = client.post(reverse("staff:workbook_retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert Participation.objects.filter(project__code="NEWP").exists()
