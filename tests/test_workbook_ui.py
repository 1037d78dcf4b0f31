"""The staff pages that bring a workbook in (upload, check, confirm) and take it out (export, template)."""

import io
import zipfile
from collections import Counter
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from socec.audit.models import AuditEntry
from socec.people.models import Participation
from socec.workbook import services
from socec.workbook.models import ImportRun
from tests.personas import make_user

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

PROJECT = [["code", "title", "start_date", "end_date", "lead_organisation"],
           ["P1", "Proiect unu", "2024-01-01", "2025-12-31", "LEAD"]]
ORGANISATIONS = [["code", "name", "legal_form", "county", "project_role"],
                 ["LEAD", "Consiliul Judetean Test", "public_authority", "IF", "lead"],
                 ["ORG-A", "Asociatia A", "association", "IF", "partner"],
                 ["ORG-B", "Asociatia B", "association", "CL", "partner"]]
PARTICIPANT_HEADER = ["person_ref", "first_name", "last_name", "sex", "birth_date", "county", "entry_date",
                      "labour_status", "isced", "consent_on"]
CARMEN = ["C-001", "Carmen", "Dobre", "F", "1992-02-02", "IF", "2024-04-01", "unemployed", "3", "2024-04-01"]
DAN = ["C-002", "Dan", "Marin", "M", "1980-07-07", "IF", "2024-04-02", "long_term_unemployed", "2", "2024-04-02"]


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bytes(sheets: dict[str, list[list]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, rows in sheets.items():
            zf.writestr(f"{name}.csv", "\n".join(",".join(row) for row in rows) + "\n")
    return buf.getvalue()


def valid_sheets(*participants) -> dict:
    return {"project": PROJECT, "organisations": ORGANISATIONS,
            "participants": [PARTICIPANT_HEADER, *(participants or (CARMEN, DAN))]}


def upload(name="p1.xlsx", content=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(valid_sheets()) if content is None else content)


def post_upload(client, file, url=None):
    return client.post(url or reverse("staff:workbook_upload"), {"file": file}, **EN)


def duplicate_ids(html: str) -> list[str]:
    ids = Counter()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            ids.update(v for k, v in attrs if k == "id")

    Parser().feed(html)
    return [i for i, n in ids.items() if n > 1]


def headings(html: str) -> list[int]:
    levels = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("h1", "h2", "h3", "h4"):
                levels.append(int(tag[1]))

    Parser().feed(html)
    return levels


def new_refs(project) -> set[str]:
    return set(Participation.objects.filter(project=project, person_ref__startswith="C-").values_list(
        "person_ref", flat=True))


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploads go to a temporary private folder, not var/private."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    settings.MEDIA_ROOT = tmp_path / "private"


# --- access ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/staff/workbook/", "/staff/workbook/template.xlsx", "/staff/p/P1/workbook/",
                                 "/staff/p/P1/workbook/export.xlsx", "/staff/workbook/1/",
                                 "/staff/workbook/1/errors.csv"])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_anonymous_post_is_sent_to_login_and_nothing_is_stored(client, world):
    response = post_upload(client, upload())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))
    assert not ImportRun.objects.exists()


def test_staff_without_a_project_may_not_upload(world, login):
    loner = make_user("loner")
    assert login(loner).get(reverse("staff:workbook_upload")).status_code == 403


def test_project_page_is_404_for_outsiders(world, login):
    assert login(world.outsider).get(reverse("staff:workbook_project", args=["P1"])).status_code == 404
    assert login(world.a_field).get(reverse("staff:workbook_project", args=["P1"])).status_code == 200


def test_the_project_page_links_to_the_workbook(world, login):
    content = login(world.a_field).get(reverse("staff:project", args=["P1"]), **EN).content.decode()
    assert reverse("staff:workbook_project", args=["P1"]) in content


def test_upload_page(world, login):
    response = login(world.lead_manager).get(reverse("staff:workbook_upload"), **EN)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content and 'accept=".xlsx,.zip"' in content
    assert "csrfmiddlewaretoken" in content
    assert "Check the file" in content
    assert reverse("staff:workbook_template") in content
    assert 'for="id_file"' in content  # a real label


# --- the whole path ------------------------------------------------------------------------------

def test_upload_check_confirm_import(world, login):
    client = login(world.lead_manager)
    response = post_upload(client, upload())
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("staff:workbook_run", args=[run.pk])
    assert run.status == ImportRun.Status.VALIDATED, run.report
    assert run.created_by == world.lead_manager and run.project == world.project
    assert run.original_name == "p1.xlsx" and run.size > 0 and len(run.sha256) == 64
    assert run.file.name.startswith("imports/") and run.file.name.endswith(".xlsx")
    assert "p1" not in run.file.name  # a name of our own
    assert AuditEntry.objects.filter(model="workbook.importrun", object_id=str(run.pk), action="create").exists()
    assert new_refs(world.project) == set()  # checking writes nothing

    page = client.get(response["Location"], **EN)
    content = page.content.decode()
    assert page.status_code == 200
    assert "The file is correct" in content
    assert "Import now" in content and reverse("staff:workbook_confirm", args=[run.pk]) in content
    rows = {r["sheet"]: r for r in page.context["summary_rows"]}
    assert rows["participants"]["created"] == 2
    assert "hx-get" not in content  # nothing to poll

    response = client.post(reverse("staff:workbook_confirm", args=[run.pk]), **EN)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE, run.report
    assert run.confirmed_by == world.lead_manager
    assert new_refs(world.project) == {"C-001", "C-002"}
    page = client.get(reverse("staff:workbook_run", args=[run.pk]), **EN)
    content = page.content.decode()
    assert "The workbook has been imported" in content
    assert reverse("staff:project", args=["P1"]) in content
    assert "Import now" not in content


def test_a_zip_of_csv_files_is_accepted(world, login):
    client = login(world.lead_manager)
    post_upload(client, upload("p1.zip", zip_bytes(valid_sheets(CARMEN))))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.VALIDATED, run.report
    client.post(reverse("staff:workbook_confirm", args=[run.pk]))
    assert new_refs(world.project) == {"C-001"}


def test_errors_are_grouped_by_sheet_with_row_and_column(world, login):
    client = login(world.lead_manager)
    bad = [*DAN]
    bad[3] = "Q"  # sex
    post_upload(client, upload(content=xlsx_bytes(valid_sheets(CARMEN, bad))))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID
    assert new_refs(world.project) == set()

    page = client.get(reverse("staff:workbook_run", args=[run.pk]), **EN)
    content = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in content
    assert "Nothing was written" in content
    assert "Import now" not in content
    groups = {g["sheet"]: g for g in page.context["error_groups"]}
    assert set(groups) == {"participants"}
    item = groups["participants"]["items"][0]
    assert (item["issue"].row, item["issue"].column, item["issue"].value) == (3, "sex", "Q")
    # a section per sheet with its heading and count, each row linkable and linked
    assert 'id="sheet-participants"' in content and 'href="#sheet-participants"' in content
    assert 'id="err-participants-3"' in content and 'href="#err-participants-3"' in content
    assert "1 error" in content
    assert reverse("staff:workbook_errors", args=[run.pk]) in content
    # a confirm is refused: the file has errors
    response = client.post(reverse("staff:workbook_confirm", args=[run.pk]), **EN)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    assert new_refs(world.project) == set()


def test_several_errors_on_one_row_keep_unique_anchors(world, login):
    client = login(world.lead_manager)
    bad = [*DAN]
    bad[3], bad[8] = "Q", "12"  # sex, isced
    post_upload(client, upload(content=xlsx_bytes(valid_sheets(bad))))
    run = ImportRun.objects.get()
    page = client.get(reverse("staff:workbook_run", args=[run.pk]), **EN)
    anchors = [i["anchor"] for g in page.context["error_groups"] for i in g["items"]]
    assert len(anchors) == len(set(anchors)) >= 2
    assert "err-participants-2" in anchors
    content = page.content.decode()
    assert duplicate_ids(content) == []
    levels = headings(content)
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))  # no level skipped


def test_a_missing_sheet_is_a_file_level_error(world, login):
    client = login(world.lead_manager)
    post_upload(client, upload(content=xlsx_bytes({"project": PROJECT})))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID
    content = client.get(reverse("staff:workbook_run", args=[run.pk]), **EN).content.decode()
    assert 'id="sheet-organisations"' in content


def test_errors_csv(world, login):
    client = login(world.lead_manager)
    bad = [*DAN]
    bad[3] = "Q"
    post_upload(client, upload(content=xlsx_bytes(valid_sheets(bad))))
    run = ImportRun.objects.get()
    response = client.get(reverse("staff:workbook_errors", args=[run.pk]), **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "p1-errors.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "level,sheet,row,column,value,message"
    assert any(line.startswith("error,participants,2,sex,Q,") for line in lines)


def test_another_user_gets_404_on_someone_elses_run(world, login):
    post_upload(login(world.lead_manager), upload())
    run = ImportRun.objects.get()
    for persona in (world.a_manager, world.auditor, world.outsider):
        client = login(persona)
        for name in ("workbook_run", "workbook_progress", "workbook_errors"):
            assert client.get(reverse(f"staff:{name}", args=[run.pk])).status_code == 404, (persona, name)
        assert client.post(reverse("staff:workbook_confirm", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALIDATED
    # a superuser may see it
    assert login(world.admin).get(reverse("staff:workbook_run", args=[run.pk])).status_code == 200
    assert login(world.lead_manager).get(reverse("staff:workbook_run", args=[run.pk + 1])).status_code == 404


def test_an_empty_file_gets_a_clear_message(world, login):
    client = login(world.lead_manager)
    response = post_upload(client, SimpleUploadedFile("empty.xlsx", b""))
    assert response.status_code == 200
    content = response.content.decode()
    assert "The file is empty" in content
    assert 'role="alert"' in content
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.txt", b"hello", "Choose an Excel workbook (.xlsx) or a .zip archive"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "not a real .xlsx workbook"),
])
def test_a_file_of_the_wrong_kind_gets_a_clear_message(world, login, name, content, message):
    response = post_upload(login(world.lead_manager), SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_no_file_chosen(world, login):
    response = login(world.lead_manager).post(reverse("staff:workbook_upload"), {}, **EN)
    assert response.status_code == 200
    assert "Choose a file to check" in response.content.decode()


def test_a_file_over_the_limit_is_refused(world, login, settings):
    settings.SOCEC_IMPORT_MAX_BYTES = 100
    response = post_upload(login(world.lead_manager), upload())
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_confirm_twice_imports_once(world, login):
    client = login(world.lead_manager)
    post_upload(client, upload())
    run = ImportRun.objects.get()
    client.post(reverse("staff:workbook_confirm", args=[run.pk]))
    entries = AuditEntry.objects.count()
    response = client.post(reverse("staff:workbook_confirm", args=[run.pk]), follow=True, **EN)
    assert response.status_code == 200
    assert "already been imported" in response.content.decode()
    assert AuditEntry.objects.count() == entries  # nothing more happened
    assert new_refs(world.project) == {"C-001", "C-002"}
    with pytest.raises(ValidationError):
        services.import_run_confirm(ImportRun.objects.get(), by=world.lead_manager)


def test_a_busy_database_gets_a_message_not_a_500(world, login, monkeypatch):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "import_run_create", busy)
    response = post_upload(login(world.lead_manager), upload())
    assert response.status_code == 200
    assert "The server is busy" in response.content.decode()


def test_confirm_is_post_only(world, login):
    client = login(world.lead_manager)
    post_upload(client, upload())
    run = ImportRun.objects.get()
    assert client.get(reverse("staff:workbook_confirm", args=[run.pk])).status_code == 405
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALIDATED


def test_who_may_confirm(world):
    run = ImportRun(created_by=world.a_manager, project=world.project, status=ImportRun.Status.VALIDATED)
    assert services.can_confirm(world.a_manager, run)  # the uploader
    assert services.can_confirm(world.lead_manager, run)  # a project manager
    assert services.can_confirm(world.admin, run)
    assert not services.can_confirm(world.a_field, run)
    assert not services.can_confirm(world.auditor, run)
    assert not services.can_confirm(world.outsider, run)


def test_a_run_whose_uploader_is_gone_never_runs_as_the_system(world):
    run = services.import_run_create(upload=upload(), by=world.lead_manager)
    ImportRun.objects.filter(pk=run.pk).update(created_by=None)
    run.refresh_from_db()
    services.import_run_start(run)
    assert run.status == ImportRun.Status.INVALID
    assert "no longer exists" in run.report["issues"][0]["message"]


# --- progress ---------------------------------------------------------------------------------

def test_progress_while_running_and_reload_when_finished(world, login):
    client = login(world.lead_manager)
    run = services.import_run_create(upload=upload(), by=world.lead_manager)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.VALIDATING, progress_done=20_000,
                                               stage="participants", task_id="abc")
    page = client.get(reverse("staff:workbook_run", args=[run.pk]), **EN)
    content = page.content.decode()
    assert "<progress" in content and 'hx-trigger="every 1s"' in content
    assert 'aria-live="polite"' in content
    assert "20,000 rows so far" in content
    assert "socec db_worker" in content and "<details" in content  # the background notice
    assert duplicate_ids(content) == []

    url = reverse("staff:workbook_progress", args=[run.pk])
    fragment = client.get(url, **EN)
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    assert 'id="run-announce"' in fragment.content.decode()  # the live region gets new words
    key = page.context["announce_key"]
    quiet = client.get(url, {"said": key}, **EN)
    assert 'id="run-announce"' not in quiet.content.decode()  # nothing new to say

    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.VALIDATED)
    finished = client.get(url, **EN)
    assert finished["HX-Refresh"] == "true"
    assert "hx-get" not in finished.content.decode()  # polling stops


def test_progress_of_an_anonymous_poll_reloads_the_page(world, client):
    response = client.get(reverse("staff:workbook_progress", args=[1]))
    assert response["HX-Refresh"] == "true"


def test_progress_is_recorded_beside_the_transaction(world, monkeypatch):
    """The importer works in one transaction; the page polling the run still sees its progress:
    on SQLite through a file beside the uploads, elsewhere through a connection of its own."""
    run = services.import_run_create(upload=upload(), by=world.lead_manager)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.VALIDATING)
    aside = []
    if connection.vendor != "sqlite":  # the test's own transaction hides the row from other connections
        monkeypatch.setattr(services._Progress, "_write_aside", lambda self, *values: aside.append(values))
    progress = services._Progress(run.pk)
    try:
        with transaction.atomic():  # as the importer works
            progress(10_000, None, "participants")
            progress(20_000, None, "participants")  # too soon: skipped
    finally:
        progress.close()
    if connection.vendor == "sqlite":
        seen = services.live_progress(ImportRun.objects.get(pk=run.pk))
        assert (seen.progress_done, seen.progress_total, seen.stage) == (10_000, None, "participants")
    else:
        assert aside == [(10_000, None, "participants")]


# --- background ------------------------------------------------------------------------------

def test_large_files_run_in_the_background(world, login, settings):
    settings.SOCEC_IMPORT_INLINE_MAX_BYTES = 0
    settings.TASKS = IMMEDIATE
    client = login(world.lead_manager)
    post_upload(client, upload())
    run = ImportRun.objects.get()
    assert run.task_id  # it went through the task
    assert run.status == ImportRun.Status.VALIDATED, run.report
    client.post(reverse("staff:workbook_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE, run.report
    assert new_refs(world.project) == {"C-001", "C-002"}


def test_background_without_a_worker_tells_the_user(world, login, settings):
    settings.SOCEC_IMPORT_INLINE_MAX_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = login(world.lead_manager)
    post_upload(client, upload())
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.VALIDATING and run.task_id
    content = client.get(reverse("staff:workbook_run", args=[run.pk]), **EN).content.decode()
    assert "runs in the background" in content
    assert "socec db_worker" in content


# --- downloads -----------------------------------------------------------------------------------

def test_template_download_is_an_xlsx(world, login):
    response = login(world.a_field).get(reverse("staff:workbook_template"), **EN)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "socec-workbook-template-en.xlsx" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "participants" in wb.sheetnames


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_export_as_lead_manager(world, login, fmt):
    response = login(world.lead_manager).get(reverse(f"staff:workbook_export_{fmt}", args=["P1"]))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert f'filename="P1-{today}.{fmt}"' in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data[:2] == b"PK"
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        refs = {row[0] for row in wb["participants"].iter_rows(min_row=2, values_only=True)}
        assert {"A-001", "B-001"} <= refs
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert "participants.csv" in zf.namelist()
    assert AuditEntry.objects.filter(action="view_identifiers", project=world.project,
                                     actor=world.lead_manager).exists()


def test_export_is_403_for_the_auditor_and_404_for_outsiders(world, login):
    assert login(world.auditor).get(reverse("staff:workbook_export_xlsx", args=["P1"])).status_code == 403
    assert login(world.outsider).get(reverse("staff:workbook_export_xlsx", args=["P1"])).status_code == 404


def test_the_project_page_offers_export_only_to_who_may(world, login):
    export = reverse("staff:workbook_export_xlsx", args=["P1"])
    assert export in login(world.lead_manager).get(reverse("staff:workbook_project", args=["P1"])).content.decode()
    assert export not in login(world.auditor).get(reverse("staff:workbook_project", args=["P1"])).content.decode()


def test_upload_from_the_project_page(world, login):
    client = login(world.lead_manager)
    response = post_upload(client, upload(), url=reverse("staff:workbook_project", args=["P1"]))
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("staff:workbook_run", args=[run.pk])
    page = client.get(reverse("staff:workbook_project", args=["P1"]), **EN).content.decode()
    assert reverse("staff:workbook_run", args=[run.pk]) in page  # listed among the latest imports


def test_pages_render_in_romanian(world, login):
    client = login(world.lead_manager)
    post_upload(client, upload())
    run = ImportRun.objects.get()
    for url in (reverse("staff:workbook_upload"), reverse("staff:workbook_project", args=["P1"]),
                reverse("staff:workbook_run", args=[run.pk])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ro")
        assert response.status_code == 200
        assert '<html lang="ro">' in response.content.decode()
