"""Export of a project as a programme workbook (.xlsx, .zip of CSV), the blank template, and
the `socec export` / `socec template` commands."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from socec.audit.models import AuditEntry
from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.outreach.models import Event
from socec.outreach.services import event_attendance_add, event_save
from socec.people.models import Identity, VulnerableCategory
from socec.people.services import participant_register, participant_update
from socec.places.models import County, Region
from socec.programmes.services import project_save, target_set
from socec.training.models import Course, CourseSession, Enrolment
from socec.training.services import attendance_record, course_save, enrolment_save, session_save
from socec.workbook import schema
from socec.workbook.export import export_project
from socec.workbook.rows import row_key, sheet_rows
from socec.workbook.template import write_template
from tests.personas import ALICE_CNP, BOB_CNP, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world):
    """The world with activities: a course both participants attend, a job held by each and by a
    person who is not a participant, an event Bob and the funder attend, a target and regions."""
    p = world.project
    participant_update(participation=world.alice, by=None, data={"vulnerable": ["roma", "disability"]})
    project_save(project=p, by=None, regions=list(Region.objects.filter(code__in=["RO32", "RO11"])))
    target_set(project=p, indicator="EECO01", value=Decimal("120.50"), by=None)
    ilfov = County.objects.get(pk="IF")
    course = course_save(course=Course(project=p), by=None, code="C-01", title="=1+2", kind="training",
                         hours=Decimal("40"), start_date=dt.date(2024, 4, 1), county=ilfov)
    session = session_save(session=CourseSession(course=course), by=None, date=dt.date(2024, 4, 2))
    job = job_save(job=Job(project=p), by=None, code="J-01", employer=world.org_a, created_on=dt.date(2024, 5, 1),
                   hours_per_week=40)
    for who in (world.alice, world.bob):
        enrolment_save(enrolment=Enrolment(course=course, participation=who), by=None,
                       enrolled_on=dt.date(2024, 4, 1))
        attendance_record(session=session, participation=who, present=True, by=None, hours=Decimal("4"))
        employment_save(employment=Employment(job=job), by=None, participation=who, start_date=dt.date(2024, 5, 2))
    employment_save(employment=Employment(job=job), by=None, person_name="Maria Stan", start_date=dt.date(2024, 5, 3),
                    vulnerable_category=VulnerableCategory.objects.get(code="roma"))
    event = event_save(event=Event(project=p), by=None, code="E-01", kind="conference", title="Conferința",
                       date=dt.date(2024, 6, 1), county=ilfov)
    event_attendance_add(event=event, by=None, participation=world.bob)
    event_attendance_add(event=event, by=None, organisation=world.funder)
    return world


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def read_export(path) -> dict[str, list[list[str]]]:
    """{sheet: rows (header first) of cell texts}, from either format, as a person would read them."""
    if str(path).endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            return {name[:-4]: list(csv.reader(io.TextIOWrapper(zf.open(name), encoding="utf-8", newline="")))
                    for name in zf.namelist()}
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=False)) for row in body]


@pytest.mark.parametrize("suffix", [".xlsx", ".zip"])
def test_every_sheet_is_written_in_schema_order_with_its_headers(busy, tmp_path, suffix):
    path = tmp_path / f"p1{suffix}"
    counts = export_project(busy.project, path)
    book = read_export(path)
    assert list(book) == schema.SHEET_NAMES
    for sheet in schema.SHEETS:
        assert book[sheet.name][0] == sheet.column_names
        assert len(book[sheet.name]) - 1 == counts[sheet.name]
    assert counts["participants"] == 2 and counts["enrolments"] == 2 and counts["employments"] == 3


@pytest.mark.parametrize("suffix", [".xlsx", ".zip"])
def test_participants_carry_decrypted_identifiers_and_canonical_values(busy, tmp_path, suffix):
    export_project(busy.project, tmp_path / f"p1{suffix}")
    alice, bob = as_dicts(read_export(tmp_path / f"p1{suffix}")["participants"])
    assert (alice["person_ref"], alice["first_name"], alice["last_name"]) == ("A-001", "Alice", "Ionescu")
    assert alice["cnp"] == ALICE_CNP and alice["phone"] == "0722000111"
    assert alice["vulnerable"] == "disability;roma"  # the order of the category codes, not of entry
    assert alice["birth_date"] == "1990-05-12" and alice["isced"] == "2" and alice["organisation"] == "ORG-A"
    assert bob["cnp"] == BOB_CNP and bob["vulnerable"] == "" and bob["county"] == "CL"


def test_other_sheets_name_their_records_by_workbook_codes(busy, tmp_path):
    export_project(busy.project, tmp_path / "p1.zip")
    book = {name: as_dicts(rows) for name, rows in read_export(tmp_path / "p1.zip").items()}
    assert book["project"] == [{"code": "P1", "title": "Proiect unu", "programme": "", "funder": "",
                                "start_date": "2024-01-01", "end_date": "2025-12-31", "lead_organisation": "LEAD",
                                "regions": "RO11;RO32", "description": ""}]
    roles = {o["code"]: o["project_role"] for o in book["organisations"]}
    assert roles == {"FUND": "none", "LEAD": "lead", "ORG-A": "partner", "ORG-B": "partner"}
    assert book["targets"] == [{"indicator": "EECO01", "target": "120.5", "region": "", "county": ""}]
    assert [(a["course"], a["session_date"], a["person_ref"], a["present"], a["hours"])
            for a in book["attendance"]] == [("C-01", "2024-04-02", "A-001", "yes", "4"),
                                             ("C-01", "2024-04-02", "B-001", "yes", "4")]
    assert [(e["person_ref"], e["person_name"], e["vulnerable"], e["vulnerable_category"])
            for e in book["employments"]] == [("", "Maria Stan", "yes", "roma"), ("A-001", "", "yes", ""),
                                              ("B-001", "", "no", "")]
    assert [(a["event"], a["person_ref"], a["organisation"]) for a in book["event_attendance"]] == [
        ("E-01", "", "FUND"), ("E-01", "B-001", "")]
    assert book["jobs"][0]["employer"] == "ORG-A"


def test_a_partner_exports_only_its_own_participants_and_what_points_at_them(busy, tmp_path):
    export_project(busy.project, tmp_path / "a.zip", by=busy.a_manager)
    book = {name: as_dicts(rows) for name, rows in read_export(tmp_path / "a.zip").items()}
    assert [p["person_ref"] for p in book["participants"]] == ["A-001"]
    assert [e["person_ref"] for e in book["enrolments"]] == ["A-001"]
    assert [a["person_ref"] for a in book["attendance"]] == ["A-001"]
    # Bob's job is left out; the person who is not a participant is not anyone's to hide.
    assert [(e["person_ref"], e["person_name"]) for e in book["employments"]] == [("", "Maria Stan"), ("A-001", "")]
    assert [a["organisation"] for a in book["event_attendance"]] == ["FUND"]
    assert BOB_CNP not in (tmp_path / "a.zip").read_bytes().decode("latin-1")
    assert [c["code"] for c in book["courses"]] == ["C-01"]  # activities are the whole project's


def test_an_erased_person_is_exported_without_names(busy, tmp_path):
    Identity.objects.filter(person_id=busy.bob.person_id).delete()
    rows = {r["person_ref"]: r for r in sheet_rows("participants", busy.project)}
    assert rows["B-001"]["first_name"] == rows["B-001"]["cnp"] == ""
    assert rows["B-001"]["birth_date"] == "1985-11-03" and rows["A-001"]["first_name"] == "Alice"


def test_rows_come_in_key_order_the_same_on_every_database(busy):
    rows = list(sheet_rows("attendance", busy.project))
    assert [row_key("attendance", r) for r in rows] == [("C-01", "2024-04-02", "A-001"),
                                                        ("C-01", "2024-04-02", "B-001")]
    participant_register(project=busy.project, by=busy.a_field, data=person_data(
        "a-002", "Ana", "Dinu", "F", dt.date(1999, 1, 2)))
    refs = [row_key("participants", r) for r in sheet_rows("participants", busy.project)]
    assert refs == [("A-001",), ("B-001",), ("a-002",)]  # by code point, whatever the database's collation


@pytest.mark.parametrize("persona", ["auditor", "outsider"])
def test_who_may_not_see_identifiers_cannot_export(busy, tmp_path, persona):
    path = tmp_path / "p1.xlsx"
    with pytest.raises(PermissionDenied):
        export_project(busy.project, path, by=getattr(busy, persona))
    assert not path.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).exists()


def test_the_export_is_in_the_audit_log(busy, tmp_path):
    export_project(busy.project, tmp_path / "p1.xlsx", by=busy.a_manager)
    export_project(busy.project, tmp_path / "p1.zip")
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).order_by("id")
    assert [(e.actor_name, e.project, e.object_id, e.reason) for e in entries] == [
        ("a_manager", busy.project, str(busy.project.pk), "workbook export"),
        ("system", busy.project, str(busy.project.pk), "workbook export"),
    ]


def test_xlsx_has_date_cells_and_keeps_codes_and_formulas_as_text(busy, tmp_path):
    export_project(busy.project, tmp_path / "p1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "p1.xlsx")
    people = wb["participants"]
    header = [c.value for c in people[1]]
    birth, cnp, phone = (people.cell(2, header.index(name) + 1) for name in ("birth_date", "cnp", "phone"))
    assert birth.is_date and birth.value == dt.datetime(1990, 5, 12) and birth.number_format == "yyyy-mm-dd"
    assert (cnp.data_type, cnp.value) == ("s", ALICE_CNP)
    assert (phone.data_type, phone.value) == ("s", "0722000111")
    title = wb["courses"].cell(2, 2)
    assert (title.data_type, title.value) == ("s", "=1+2")  # a text, never run as a formula
    assert wb["participants"].freeze_panes == "A2"


def test_an_unknown_file_kind_is_refused_before_anything_is_written(busy, tmp_path):
    with pytest.raises(ValueError, match=r"\.xlsx.*\.zip"):
        export_project(busy.project, tmp_path / "p1.csv")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).exists()
    assert list(tmp_path.iterdir()) == []


# --- Template --------------------------------------------------------------------------------------


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, language="ro")
    return openpyxl.load_workbook(path)


def test_template_has_instructions_then_an_empty_sheet_per_table_and_a_hidden_lists_sheet(template):
    assert template.sheetnames == ["instructions", *schema.SHEET_NAMES, "lists"]
    assert template["lists"].sheet_state == "hidden"
    for sheet in schema.SHEETS:
        ws = template[sheet.name]
        assert [c.value for c in ws[1]] == sheet.column_names and ws.max_row == 1
        assert ws.freeze_panes == "A2"
        assert [c.value for c in ws[1] if c.font.bold] == sheet.required_columns


def test_template_instructions_are_in_romanian_and_english(template):
    text = "\n".join(str(v) for row in template["instructions"].iter_rows(values_only=True) for v in row if v)
    # Romanian first (the template's language), with its diacritics; then English.
    assert text.index("Totul sau nimic") < text.index("All or nothing")
    assert "foaie obligatorie" in text and "required sheet" in text
    assert "YYYY-MM-DD" in text and "AAAA-LL-ZZ" in text
    # One row per sheet and column, with what the column allows.
    assert "one of: F, M, X" in text and "una dintre: F, M, X" in text


def test_template_offers_drop_downs_for_coded_columns_and_checks_dates(template):
    ws = template["participants"]
    header = [c.value for c in ws[1]]
    lists = template["lists"]

    def validation(column):
        letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
        found = [dv for dv in ws.data_validations.dataValidation if f"{letter}2:{letter}10000" in str(dv.sqref)]
        assert len(found) == 1, column
        return found[0]

    sex = validation("sex")
    assert sex.type == "list" and sex.showErrorMessage
    sheet_name, cells = sex.formula1.replace("$", "").split("!")
    assert sheet_name.strip("'") == "lists"
    assert [row[0].value for row in lists[cells]] == ["F", "M", "X"]
    assert validation("homeless").type == "list"  # yes/no
    assert validation("labour_status").type == "list"
    assert validation("birth_date").type == "date" and validation("birth_date").error


# --- Commands -----------------------------------------------------------------------------------


def test_export_command_writes_the_file_and_prints_rows_per_sheet(busy, tmp_path):
    out = StringIO()
    call_command("export", project="P1", output=str(tmp_path / "p1.zip"), stdout=out)
    assert "participants: 2" in out.getvalue() and "event_attendance: 2" in out.getvalue()
    assert list(read_export(tmp_path / "p1.zip")) == schema.SHEET_NAMES

    call_command("export", "--project", "P1", "-o", str(tmp_path / "a.xlsx"), "--as", "a_manager", stdout=out)
    assert [r[0] for r in read_export(tmp_path / "a.xlsx")["participants"]] == ["person_ref", "A-001"]


@pytest.mark.parametrize("args, message", [
    (["--project", "NOPE", "-o", "x.xlsx"], "NOPE"),
    (["--project", "P1", "-o", "x.xlsx", "--as", "nobody"], "nobody"),
    (["--project", "P1", "-o", "x.xlsx", "--as", "auditor"], "P1"),
    (["--project", "P1", "-o", "x.pdf"], ".xlsx"),
])
def test_export_command_errors_are_clear(busy, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("export", *args)


def test_template_command(tmp_path):
    call_command("template", "-o", str(tmp_path / "t.xlsx"), "--language", "en", stdout=StringIO())
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    first = wb["instructions"].cell(1, 1).value
    assert "instructions" in first.lower() and "English" in first
