"""Importing a programme workbook (workbook.md; `socec import` in interfaces.md): all or nothing,
every error located by sheet, row as the spreadsheet shows it (the header is row 1) and column.

The workbooks are built here (tests/workbooks.py): a valid base workbook for a new project NEWP,
spoilt one cell at a time, and workbooks for the world's project P1 (tests/personas.py)."""

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from socec.audit.models import AuditEntry
from socec.jobs.models import Employment, Job
from socec.orgs.models import Organisation
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.people.models import Identity, Participation, Person
from socec.programmes.models import Partnership, Project, Target
from socec.training.models import Attendance, Course, CourseSession, Enrolment
from socec.workbook.importer import import_workbook
from socec.workbook.report import ERROR, WARNING
from tests.personas import ALICE_CNP, BOB_CNP
from tests.workbooks import (
    BASE_CREATED,
    CARMEN,
    IOANA_CNP,
    LEAD_CUI,
    NEW_PARTNER_ROW,
    P1_PARTICIPANT_HEADER,
    base_sheets,
    drop_column,
    make_cnp,
    make_cui,
    make_xlsx,
    make_zip,
    p1_sheets,
    p1_with_new_partner,
    save_xlsx,
    set_cell,
    spoilt,
    trimmed,
    xlsx_book,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

COUNTED = (Participation, Person, Identity, Organisation, Project, Partnership, Target, Course, CourseSession,
           Enrolment, Attendance, Job, Employment, Event, EventAttendance, Campaign, Publication, AuditEntry)
FORMATS = ("zip", "xlsx")
ELENA = 4  # participants row of N-003, whom no other sheet names


def db_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}


def build(tmp_path, sheets, fmt="zip"):
    return (make_zip if fmt == "zip" else make_xlsx)(tmp_path, sheets)


def locations(report, level=ERROR) -> Counter:
    return Counter((i.sheet, i.row, i.column) for i in report.issues if i.level == level)


def rejected(path, expected: list[tuple]):
    """Imports `path`, which must fail with errors exactly at `expected` and write nothing."""
    before = db_counts()
    report = import_workbook(path)
    assert not report.ok
    assert locations(report) == Counter(expected), report.lines()
    assert report.summary == {}
    assert db_counts() == before
    return report


def imported(path):
    report = import_workbook(path)
    assert report.ok, report.lines()
    return report


def only_error(report):
    assert len(report.errors) == 1, report.lines()
    return report.errors[0]


def created(counts: dict[str, int]) -> dict:
    return {sheet: {"created": n, "updated": 0, "unchanged": 0} for sheet, n in counts.items()}


def participation(ref, project="NEWP") -> Participation:
    return Participation.objects.select_related("person", "person__identity").get(project__code=project,
                                                                                   person_ref=ref)


@pytest.fixture
def newp(world, tmp_path):
    """The base workbook imported once: NEWP and all its rows exist."""
    imported(make_zip(tmp_path, base_sheets(), name="first.zip"))


def run_command(tmp_path, path, *args):
    """`socec import` -> (exit code, stdout, stderr, rows of the --errors-out CSV)."""
    out, err = StringIO(), StringIO()
    errors_csv = tmp_path / "errors.csv"
    code = 0
    try:
        call_command("import", str(path), *args, "--errors-out", str(errors_csv), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    rows = list(csv.reader(io.StringIO(errors_csv.read_text(encoding="utf-8"))))
    return code, out.getvalue(), err.getvalue(), rows


def csv_errors(rows) -> Counter:
    assert rows[0] == ["level", "sheet", "row", "column", "value", "message"]
    return Counter((r[1], int(r[2]) if r[2] else None, r[3]) for r in rows[1:] if r[0] == ERROR)


# --- success, idempotence, the audit trail -----------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_project_is_imported_with_a_summary_per_sheet(world, tmp_path, fmt):
    report = imported(build(tmp_path, base_sheets(), fmt))
    assert report.summary == created(BASE_CREATED)
    assert report.project_code == "NEWP" and report.warnings == []

    project = Project.objects.get(code="NEWP")
    assert project.lead_organisation.code == "NLEAD" and project.end_date == dt.date(2025, 12, 31)
    assert sorted(project.regions.values_list("code", flat=True)) == ["RO12", "RO32"]
    assert dict(Partnership.objects.filter(project=project).values_list("organisation__code", "role")) == {
        "NLEAD": "lead", "NPART": "partner", "NSES": "supported"}
    assert Organisation.objects.get(code="NLEAD").cui == LEAD_CUI
    assert Organisation.objects.get(code="NSES").is_ses is True
    assert Target.objects.filter(project=project).count() == 2

    ioana = participation("N-001")
    assert ioana.person.identity.cnp == IOANA_CNP and ioana.person.identity.first_name == "Ioana"
    assert ioana.person.birth_date == dt.date(1995, 6, 15) and ioana.county_id == "B"
    assert list(ioana.vulnerable.values_list("code", flat=True)) == ["roma"]
    assert participation("N-002").labour_status == "long_term_unemployed"
    assert participation("N-003").person.identity.cnp == ""

    c1 = Course.objects.get(project=project, code="C1")
    assert c1.accredited is True and c1.min_attendance_pct == 80 and c1.hours == Decimal("40")
    done = Enrolment.objects.get(course=c1, participation=ioana)
    assert done.completed is True and done.completed_on == dt.date(2024, 4, 30) and done.certificate_no == "CERT-1"
    assert CourseSession.objects.filter(course=c1).count() == 2
    assert Attendance.objects.filter(session__course=c1, present=True).count() == 3
    assert Employment.objects.filter(job__project=project, participation=ioana).count() == 1
    maria = Employment.objects.get(job__project=project, participation=None)
    assert maria.person_name == "Maria Vasile" and maria.vulnerable is True and maria.hours_per_week == 20
    assert EventAttendance.objects.filter(event__project=project).count() == 2
    assert Campaign.objects.get(project=project, code="K1").reach == 100000
    assert Publication.objects.get(project=project, code="S1").url == "https://example.org/studiu"
    # Without --as the import acts as the system, and says so in the audit trail.
    entries = AuditEntry.objects.filter(project=project, model="people.participation")
    assert entries.count() == 3 and set(entries.values_list("actor_name", flat=True)) == {"system"}
    assert not entries.exclude(actor=None).exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_twice_changes_nothing(world, tmp_path, fmt):
    path = build(tmp_path, base_sheets(), fmt)
    imported(path)
    before = db_counts()
    last_audit = AuditEntry.objects.order_by("-pk").first().pk

    report = imported(path)
    assert report.summary == {sheet: {"created": 0, "updated": 0, "unchanged": n} for sheet, n in
                              BASE_CREATED.items()}
    after = db_counts()
    assert after.pop("AuditEntry") == before.pop("AuditEntry") + 1
    assert after == before
    # The one new audit entry is the import itself, on the project, with its summary.
    entry = AuditEntry.objects.get(pk__gt=last_audit)
    assert entry.model == "programmes.project" and entry.object_id == str(Project.objects.get(code="NEWP").pk)
    assert entry.action == AuditEntry.Action.UPDATE and entry.actor_name == "system"
    assert entry.changes["workbook_import"][1]["summary"] == report.summary


def test_a_changed_row_is_updated_and_the_others_are_unchanged(world, tmp_path):
    imported(make_zip(tmp_path, base_sheets()))
    sheets = set_cell(base_sheets(), "participants", 3, "labour_status", "employed")
    set_cell(sheets, "courses", 2, "title", "Operator date (nivel 2)")
    report = imported(make_zip(tmp_path, sheets, name="second.zip"))
    assert report.summary["participants"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert report.summary["courses"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert participation("N-002").labour_status == "employed"
    assert Course.objects.get(code="C1", project__code="NEWP").title == "Operator date (nivel 2)"
    assert Participation.objects.filter(project__code="NEWP").count() == 3


def test_reimporting_the_worlds_project_changes_nothing(world, tmp_path):
    before = db_counts()
    report = imported(make_zip(tmp_path, p1_sheets()))
    assert report.summary == {"project": {"created": 0, "updated": 0, "unchanged": 1},
                              "organisations": {"created": 0, "updated": 0, "unchanged": 3}}
    after = db_counts()
    assert after.pop("AuditEntry") == before.pop("AuditEntry") + 1 and after == before


def test_an_error_rolls_back_the_changes_of_the_valid_rows(newp, tmp_path):
    sheets = set_cell(base_sheets(), "participants", 2, "labour_status", "employed")  # a valid change
    set_cell(sheets, "courses", 2, "title", "Operator date (nivel 2)")  # another
    set_cell(sheets, "publications", 2, "published_on", "2024-06-31")  # an error, in the last sheet
    rejected(make_zip(tmp_path, sheets), [("publications", 2, "published_on")])
    assert participation("N-001").labour_status == "unemployed"
    assert Course.objects.get(project__code="NEWP", code="C1").title == "Operator date"


def test_a_dry_run_reports_updates_without_making_them(newp, tmp_path):
    sheets = set_cell(base_sheets(), "participants", 2, "labour_status", "employed")
    before = db_counts()
    report = import_workbook(make_zip(tmp_path, sheets), dry_run=True)
    assert report.ok and report.dry_run, report.lines()
    assert report.summary["participants"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert db_counts() == before
    assert participation("N-001").labour_status == "unemployed"


# --- the command: exit codes, --errors-out, --dry-run, --as --------------------------------------------


def test_command_prints_the_summary_and_exits_0(world, tmp_path):
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, base_sheets()))
    assert code == 0, err
    assert "participants: 3 created, 0 updated, 0 unchanged" in out
    assert "attendance: 4 created, 0 updated, 0 unchanged" in out
    assert "NEWP:" in out and "imported." in out
    assert rows == [["level", "sheet", "row", "column", "value", "message"]]
    assert Participation.objects.filter(project__code="NEWP").count() == 3


def test_command_exits_1_with_every_error_located_and_writes_nothing(world, tmp_path):
    sheets = spoilt("participants", ELENA, "cnp", "123")
    set_cell(sheets, "publications", 2, "kind", "blog")
    before = db_counts()
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, sheets))
    assert code == 1
    assert "error: participants, row 4, column cnp: '123' A CNP has exactly 13 digits." in err
    assert "error: publications, row 2, column kind: 'blog' Not an allowed value." in err
    assert "2 error(s), 0 warning(s): nothing was written." in err
    assert "created" not in out
    assert rows[1:] == [
        ["error", "participants", "4", "cnp", "123", "A CNP has exactly 13 digits."],
        ["error", "publications", "2", "kind", "blog",
         "Not an allowed value. Allowed: study, research, report, guide, film, other."]]
    assert db_counts() == before


def test_command_dry_run_with_an_error_exits_1(world, tmp_path):
    sheets = set_cell(p1_sheets(CARMEN), "participants", 2, "isced", "9")
    before = db_counts()
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, sheets), "--dry-run")
    assert code == 1
    assert csv_errors(rows) == Counter([("participants", 2, "isced")])
    assert db_counts() == before


def test_command_dry_run_reports_the_summary_and_writes_nothing(world, tmp_path):
    before = db_counts()
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, p1_sheets(CARMEN)), "--dry-run")
    assert code == 0, err
    assert "participants: 1 created, 0 updated, 0 unchanged" in out
    assert "dry run: nothing was written" in out
    assert db_counts() == before
    assert not Participation.objects.filter(person_ref="A-002").exists()


def test_dry_run_of_a_new_project_reports_what_the_import_would_do(world, tmp_path):
    before = db_counts()
    report = import_workbook(make_zip(tmp_path, base_sheets()), dry_run=True)
    assert report.ok, report.lines()
    assert report.summary == created(BASE_CREATED)
    assert db_counts() == before


def test_as_a_field_worker_registers_participants_for_their_own_organisation(world, tmp_path):
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, p1_sheets(CARMEN)), "--as", "a_field")
    assert code == 0, err
    carmen = participation("A-002", "P1")
    assert carmen.organisation == world.org_a
    entry = AuditEntry.objects.get(model="people.participation", object_id=str(carmen.pk))
    assert entry.actor == world.a_field


def test_as_a_field_worker_of_a_cannot_register_for_partner_b(world, tmp_path):
    row = list(CARMEN)
    row[P1_PARTICIPANT_HEADER.index("organisation")] = "ORG-B"
    before = db_counts()
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, p1_sheets(row)), "--as", "a_field")
    assert code == 1
    assert csv_errors(rows) == Counter([("participants", 2, "organisation")])
    assert "error: participants, row 2, column organisation: 'ORG-B'" in err
    assert db_counts() == before


def test_as_an_auditor_participants_are_refused(world, tmp_path):
    row = list(CARMEN)
    row[P1_PARTICIPANT_HEADER.index("organisation")] = ""
    before = db_counts()
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, p1_sheets(row)), "--as", "auditor")
    assert code == 1
    assert csv_errors(rows) == Counter([("participants", None, "")])
    assert "does not allow" in err
    assert db_counts() == before


ALICE_ROW = ["A-001", ALICE_CNP, "Alice", "Ionescu", "F", "1990-05-12", "IF", "2024-03-01", "unemployed", "2",
             "2024-03-01", "ORG-A"]
BOB_ROW = ["B-001", BOB_CNP, "Bob", "Popescu", "M", "1985-11-03", "CL", "2024-03-01", "unemployed", "2", "2024-03-01",
           "ORG-B"]


def test_reimporting_the_worlds_participants_changes_nothing(world, tmp_path):
    before = db_counts()
    report = imported(make_zip(tmp_path, p1_sheets(ALICE_ROW, BOB_ROW)))
    assert report.summary["participants"] == {"created": 0, "updated": 0, "unchanged": 2}
    after = db_counts()
    assert after.pop("AuditEntry") == before.pop("AuditEntry") + 1 and after == before


def test_as_a_field_worker_of_a_cannot_change_a_participant_of_b(world, tmp_path):
    bob = list(BOB_ROW)
    bob[P1_PARTICIPANT_HEADER.index("labour_status")] = "employed"
    bob[P1_PARTICIPANT_HEADER.index("organisation")] = ""
    before = db_counts()
    code, out, err, rows = run_command(tmp_path, make_zip(tmp_path, p1_sheets(bob)), "--as", "a_field")
    assert code == 1
    assert csv_errors(rows) == Counter([("participants", 2, "")])
    assert db_counts() == before
    assert participation("B-001", "P1").labour_status == "unemployed"


def test_as_a_user_that_does_not_exist(world, tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        call_command("import", str(make_zip(tmp_path, p1_sheets())), "--as", "nobody")


# --- structure: sheets and headers ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_sheet_names_and_headers_ignore_case_and_surrounding_spaces(world, tmp_path, fmt):
    sheets = {}
    for i, (name, rows) in enumerate(base_sheets().items()):
        header = [f"  {h.upper()} " if n % 2 else f" {h.title()}" for n, h in enumerate(rows[0])]
        sheets[name.upper() if i % 2 else name.title()] = [header, *rows[1:]]
    report = imported(build(tmp_path, sheets, fmt))
    assert report.summary == created(BASE_CREATED)
    assert report.warnings == []
    assert participation("N-001").person.identity.cnp == IOANA_CNP


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sheet", ["project", "organisations"])
def test_a_missing_required_sheet(world, tmp_path, fmt, sheet):
    sheets = p1_sheets(CARMEN)
    del sheets[sheet]
    report = rejected(build(tmp_path, sheets, fmt), [(sheet, None, "")])
    assert only_error(report).message == "The sheet is missing; it is required."


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_required_column(world, tmp_path, fmt):
    sheets = drop_column(p1_sheets(CARMEN), "participants", "consent_on")
    report = rejected(build(tmp_path, sheets, fmt), [("participants", 1, "consent_on")])
    assert only_error(report).message == "The required column is missing."


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_column_is_a_warning(world, tmp_path, fmt):
    sheets = base_sheets()
    sheets["participants"] = [row + [value] for row, value in zip(sheets["participants"], ["Shoe size", "38", "44",
                                                                                          "39"], strict=True)]
    report = imported(build(tmp_path, sheets, fmt))
    assert locations(report, WARNING) == Counter([("participants", 1, "Shoe size")])
    assert report.summary["participants"]["created"] == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_sheet_is_a_warning(world, tmp_path, fmt):
    sheets = {**base_sheets(), "notes": [["text"], ["de verificat"]]}
    report = imported(build(tmp_path, sheets, fmt))
    assert locations(report, WARNING) == Counter([("notes", None, "")])
    assert report.summary == created(BASE_CREATED)


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_rows_keep_the_row_numbers_of_the_spreadsheet(world, tmp_path, fmt):
    sheets = base_sheets()
    blank = [""] * len(sheets["participants"][0])
    sheets["participants"][3:3] = [blank, list(blank)]  # rows 4 and 5 blank: Elena is on row 6
    sheets = spoilt("participants", ELENA + 2, "isced", "9", sheets)
    report = rejected(build(tmp_path, sheets, fmt), [("participants", ELENA + 2, "isced")])
    assert only_error(report).value == "9"


def test_the_project_sheet_has_exactly_one_row(world, tmp_path):
    sheets = p1_sheets()
    sheets["project"].append(["P9", "Alt proiect", "2024-01-01", "2025-12-31", "LEAD"])
    rejected(make_zip(tmp_path, sheets), [("project", 3, "")])


# --- cell types -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("value", "message"), [("10.03.2024", "Not a date"), ("2024-02-30", "no such date"),
                                                ("martie", "Not a date")])
def test_a_bad_date(world, tmp_path, fmt, value, message):
    sheets = spoilt("events", 3, "date", value)
    report = rejected(build(tmp_path, sheets, fmt), [("events", 3, "date")])
    assert message in only_error(report).message and only_error(report).value == value


def test_real_date_cells_in_xlsx_are_accepted(world, tmp_path):
    sheets = base_sheets()
    for column, day in (("birth_date", dt.date(1995, 6, 15)), ("entry_date", dt.date(2024, 3, 1)),
                        ("consent_on", dt.datetime(2024, 3, 1, 0, 0))):
        set_cell(sheets, "participants", 2, column, day)
    set_cell(sheets, "events", 3, "date", dt.datetime(2024, 3, 10))
    imported(make_xlsx(tmp_path, sheets))
    ioana = participation("N-001")
    assert ioana.person.birth_date == dt.date(1995, 6, 15)
    assert ioana.entry_date == dt.date(2024, 3, 1) and ioana.consent_on == dt.date(2024, 3, 1)
    assert Event.objects.get(project__code="NEWP", code="E2").date == dt.date(2024, 3, 10)


@pytest.mark.parametrize("number", [45000, 45000.5])
def test_a_number_in_a_date_column_is_an_error(world, tmp_path, number):
    sheets = spoilt("events", 3, "date", number)
    report = rejected(make_xlsx(tmp_path, sheets), [("events", 3, "date")])
    assert "A number, not a date" in only_error(report).message


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("yes", "no"), [("yes", "no"), ("da", "nu"), ("true", "false"), ("1", "0"), ("DA", "Nu"),
                                         ("Yes", "NO")])
def test_booleans_in_every_accepted_spelling(world, tmp_path, fmt, yes, no):
    sheets = set_cell(base_sheets(), "courses", 2, "accredited", yes)
    set_cell(sheets, "courses", 3, "accredited", no)
    set_cell(sheets, "organisations", 3, "is_ses", yes)
    set_cell(sheets, "organisations", 4, "public", no)
    set_cell(sheets, "enrolments", 2, "certified", yes)
    imported(build(tmp_path, sheets, fmt))
    assert Course.objects.get(project__code="NEWP", code="C1").accredited is True
    assert Course.objects.get(project__code="NEWP", code="C2").accredited is False
    assert Organisation.objects.get(code="NPART").is_ses is True
    assert Organisation.objects.get(code="NSES").public is False
    assert Enrolment.objects.get(participation=participation("N-001")).certified is True


def test_real_boolean_cells_in_xlsx(world, tmp_path):
    sheets = set_cell(base_sheets(), "courses", 2, "accredited", False)
    set_cell(sheets, "courses", 3, "accredited", True)
    imported(make_xlsx(tmp_path, sheets))
    assert Course.objects.get(project__code="NEWP", code="C1").accredited is False
    assert Course.objects.get(project__code="NEWP", code="C2").accredited is True


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", ["poate", "2", "y es"])
def test_a_bad_boolean(world, tmp_path, fmt, value):
    sheets = spoilt("courses", 3, "accredited", value)
    report = rejected(build(tmp_path, sheets, fmt), [("courses", 3, "accredited")])
    assert "yes or no" in only_error(report).message


@pytest.mark.parametrize(("sheet", "row", "column", "value"), [
    ("organisations", NEW_PARTNER_ROW, "legal_form", "srl"),
    ("participants", ELENA, "labour_status", "somer"),
    ("participants", ELENA, "sex", "female"),
    ("events", 3, "kind", "party"),
    ("courses", 3, "kind", "course"),
    ("targets", 2, "indicator", "EECO99"),
    ("campaigns", 2, "channel", "tiktok"),
])
def test_a_value_outside_an_enumeration(world, tmp_path, sheet, row, column, value):
    sheets = spoilt(sheet, row, column, value, p1_with_new_partner() if sheet == "organisations" else None)
    report = rejected(make_zip(tmp_path, sheets), [(sheet, row, column)])
    assert only_error(report).message.startswith("Not an allowed value. Allowed: ")


def test_enumerations_ignore_case(world, tmp_path):
    sheets = set_cell(base_sheets(), "organisations", 3, "legal_form", "FOUNDATION")
    set_cell(sheets, "participants", ELENA, "labour_status", "Long_Term_Unemployed")
    set_cell(sheets, "participants", ELENA, "sex", "f")
    set_cell(sheets, "participants", ELENA, "county", "cl")
    set_cell(sheets, "events", 3, "kind", "WorkShop")
    imported(make_zip(tmp_path, sheets))
    assert Organisation.objects.get(code="NPART").legal_form == "foundation"
    elena = participation("N-003")
    assert elena.labour_status == "long_term_unemployed" and elena.person.sex == "F" and elena.county_id == "CL"
    assert Event.objects.get(project__code="NEWP", code="E2").kind == "workshop"


@pytest.mark.parametrize("value", ["roma; disability", "Roma;DISABILITY;", " disability ; roma ; roma"])
def test_a_list_of_vulnerable_categories(world, tmp_path, value):
    sheets = set_cell(base_sheets(), "participants", ELENA, "vulnerable", value)
    imported(make_zip(tmp_path, sheets))
    assert sorted(participation("N-003").vulnerable.values_list("code", flat=True)) == ["disability", "roma"]


def test_an_unknown_code_in_a_list(world, tmp_path):
    sheets = spoilt("participants", ELENA, "vulnerable", "roma; saraci")
    report = rejected(make_zip(tmp_path, sheets), [("participants", ELENA, "vulnerable")])
    assert "saraci is not an allowed value" in only_error(report).message


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", ["9", "-1", "2.5", "liceu"])
def test_isced_outside_0_to_8(world, tmp_path, fmt, value):
    sheets = spoilt("participants", ELENA, "isced", value)
    rejected(build(tmp_path, sheets, fmt), [("participants", ELENA, "isced")])


@pytest.mark.parametrize("value", ["0", "8"])
def test_isced_bounds_are_accepted(world, tmp_path, value):
    imported(make_zip(tmp_path, set_cell(base_sheets(), "participants", ELENA, "isced", value)))
    assert participation("N-003").isced == int(value)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("value", "message"), [("0", "Must be at least 1."), ("41", "Must be at most 40.")])
def test_hours_per_week_outside_1_to_40(world, tmp_path, fmt, value, message):
    sheets = spoilt("jobs", 3, "hours_per_week", value)
    report = rejected(build(tmp_path, sheets, fmt), [("jobs", 3, "hours_per_week")])
    assert only_error(report).message == message


def test_hours_per_week_bounds_are_accepted(world, tmp_path):
    sheets = set_cell(base_sheets(), "jobs", 2, "hours_per_week", "1")
    set_cell(sheets, "jobs", 3, "hours_per_week", "40")
    imported(make_zip(tmp_path, sheets))
    assert dict(Job.objects.filter(project__code="NEWP").values_list("code", "hours_per_week")) == {"J1": 1, "J2": 40}


def test_a_required_cell_left_empty(world, tmp_path):
    sheets = spoilt("participants", ELENA, "first_name", "  ")
    set_cell(sheets, "campaigns", 2, "title", "")
    report = rejected(make_zip(tmp_path, sheets), [("participants", ELENA, "first_name"), ("campaigns", 2, "title")])
    assert {i.message for i in report.errors} == {"Required: this cell cannot be empty."}


def test_every_error_is_listed_not_only_the_first(world, tmp_path):
    sheets = spoilt("participants", ELENA, "isced", "9")
    set_cell(sheets, "participants", ELENA, "labour_status", "somer")
    set_cell(sheets, "courses", 3, "kind", "course")
    set_cell(sheets, "publications", 2, "published_on", "ieri")
    rejected(make_zip(tmp_path, sheets), [("participants", ELENA, "isced"), ("participants", ELENA, "labour_status"),
                                          ("courses", 3, "kind"), ("publications", 2, "published_on")])


def test_an_error_in_the_project_row_does_not_hide_the_other_errors(world, tmp_path):
    sheets = set_cell(base_sheets(), "project", 2, "end_date", "2023-12-31")
    set_cell(sheets, "participants", ELENA, "isced", "9")
    rejected(make_zip(tmp_path, sheets), [("project", 2, "end_date"), ("participants", ELENA, "isced")])


# --- references between sheets ----------------------------------------------------------------------------


def test_an_enrolment_in_a_course_that_does_not_exist(world, tmp_path):
    sheets = spoilt("enrolments", 3, "course", "C9")
    report = rejected(make_zip(tmp_path, sheets), [("enrolments", 3, "course")])
    assert only_error(report).value == "C9"


def test_a_job_whose_employer_is_not_in_organisations(world, tmp_path):
    sheets = spoilt("jobs", 3, "employer", "NOPE")
    report = rejected(make_zip(tmp_path, sheets), [("jobs", 3, "employer")])
    assert only_error(report).message == "Not in the organisations sheet."


@pytest.mark.parametrize("sheet", ["enrolments", "attendance", "event_attendance"])
def test_an_unknown_person_ref(world, tmp_path, sheet):
    sheets = spoilt(sheet, 3 if sheet != "event_attendance" else 2, "person_ref", "N-999")
    rejected(make_zip(tmp_path, sheets), [(sheet, 3 if sheet != "event_attendance" else 2, "person_ref")])


def test_a_person_ref_of_another_project_is_unknown(world, tmp_path):
    # B-001 is Bob in P1; NEWP has no such participant.
    sheets = spoilt("enrolments", 3, "person_ref", "B-001")
    rejected(make_zip(tmp_path, sheets), [("enrolments", 3, "person_ref")])


@pytest.mark.parametrize(("person_ref", "organisation"), [("N-001", "NSES"), ("", "")])
def test_event_attendance_needs_exactly_one_of_person_ref_and_organisation(world, tmp_path, person_ref,
                                                                          organisation):
    sheets = set_cell(base_sheets(), "event_attendance", 2, "person_ref", person_ref)
    set_cell(sheets, "event_attendance", 2, "organisation", organisation)
    report = rejected(make_zip(tmp_path, sheets), [("event_attendance", 2, "person_ref")])
    assert "exactly one" in only_error(report).message


def test_an_error_in_a_participant_row_is_not_repeated_where_the_participant_is_named(world, tmp_path):
    sheets = {name: rows for name, rows in base_sheets().items()
              if name in ("project", "organisations", "participants", "courses", "enrolments")}
    set_cell(sheets, "participants", 3, "isced", "9")  # N-002, enrolled in C1 on enrolments row 3
    rejected(make_zip(tmp_path, sheets), [("participants", 3, "isced")])


CASCADE = ("BUG: once the import has found an error it stops writing new rows (importer.py Importer.write; "
           "sheets/common.py Creator.flush, participants.py _ParticipantWriter.flush), yet later steps still save "
           "records pointing at them through the services, so every later row that names a course, job, event, "
           "participant or organisation created earlier in the same file gets an untrue error of its own "
           "('This field cannot be null.', 'participant instance with id N is not a valid choice.')")


def test_one_error_in_a_new_projects_workbook_is_reported_once(world, tmp_path):
    sheets = set_cell(base_sheets(), "participants", ELENA, "isced", "9")  # N-003 is named nowhere else
    rejected(make_zip(tmp_path, sheets), [("participants", ELENA, "isced")])


def test_an_organisation_error_in_a_new_project_is_reported_once(world, tmp_path):
    good = make_cui("2345678")
    sheets = set_cell(base_sheets(), "organisations", 3, "cui", good[:-1] + str((int(good[-1]) + 1) % 10))
    rejected(make_zip(tmp_path, sheets), [("organisations", 3, "cui")])


@pytest.mark.parametrize(("sheet", "row", "column", "value"), [
    ("participants", 3, "isced", "9"),  # N-002, named by other sheets
    ("participants", 2, "cnp", IOANA_CNP[:12]),
    ("courses", 2, "end_date", "2024-03-01"),  # C1, named by other sheets
    ("jobs", 2, "hours_per_week", "41"),
    ("events", 2, "county", "XX"),
    ("organisations", 2, "cui", LEAD_CUI[:-1] + str((int(LEAD_CUI[-1]) + 1) % 10)),
    ("enrolments", 2, "completed_on", ""),
    ("attendance", 2, "present", "poate"),
    ("employments", 3, "vulnerable_category", "saraci"),
])
def test_a_spoilt_row_in_a_reimport_changes_nothing(newp, tmp_path, sheet, row, column, value):
    sheets = set_cell(base_sheets(), sheet, row, column, value)
    rejected(make_zip(tmp_path, sheets), [(sheet, row, column)])


# --- CNP, CUI, places ---------------------------------------------------------------------------------------


ELENA_BIRTH = dt.date(2001, 9, 9)
ELENA_CNP = make_cnp("F", ELENA_BIRTH, 51, 7)


@pytest.mark.parametrize(("cnp", "message"), [
    (ELENA_CNP[:12], "A CNP has exactly 13 digits."),
    (ELENA_CNP + "0", "A CNP has exactly 13 digits."),
    ("6O10909510075", "A CNP has exactly 13 digits."),
    (ELENA_CNP[:12] + str((int(ELENA_CNP[12]) + 1) % 10), "The CNP's control digit is wrong"),
    (make_cnp("F", dt.date(2001, 9, 10), 51, 7), "The CNP encodes the birth date 2001-09-10, but birth_date is "
                                                 "2001-09-09."),
    (make_cnp("M", ELENA_BIRTH, 51, 7), "The CNP encodes sex M, but sex is F."),
])
def test_a_wrong_cnp(world, tmp_path, cnp, message):
    sheets = spoilt("participants", ELENA, "cnp", cnp)
    report = rejected(make_zip(tmp_path, sheets), [("participants", ELENA, "cnp")])
    assert only_error(report).message.startswith(message) and only_error(report).value == cnp


def test_a_cnp_issued_in_another_county_than_the_residence_is_accepted(world, tmp_path):
    cluj = make_cnp("F", ELENA_BIRTH, 12, 7)  # county digits 12: Cluj; Elena lives in Calarasi (CL)
    imported(make_zip(tmp_path, set_cell(base_sheets(), "participants", ELENA, "cnp", cluj)))
    elena = participation("N-003")
    assert elena.person.identity.cnp == cluj and elena.county_id == "CL"


def test_a_cnp_written_as_a_number_in_xlsx(world, tmp_path):
    sheets = set_cell(base_sheets(), "participants", ELENA, "cnp", int(ELENA_CNP))
    imported(make_xlsx(tmp_path, sheets))
    assert participation("N-003").person.identity.cnp == ELENA_CNP


def test_a_cui_with_a_wrong_control_digit(world, tmp_path):
    good = make_cui("2345678")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    sheets = set_cell(p1_with_new_partner(), "organisations", NEW_PARTNER_ROW, "cui", bad)
    report = rejected(make_zip(tmp_path, sheets), [("organisations", NEW_PARTNER_ROW, "cui")])
    assert "control digit" in only_error(report).message


def test_a_valid_cui_is_accepted_with_or_without_ro(world, tmp_path):
    cui = make_cui("2345678")
    imported(make_zip(tmp_path, set_cell(base_sheets(), "organisations", 3, "cui", f"RO{cui}")))
    assert Organisation.objects.get(code="NPART").cui == cui
    assert Organisation.objects.get(code="NLEAD").cui == LEAD_CUI


@pytest.mark.parametrize(("sheet", "row"), [("participants", ELENA), ("organisations", NEW_PARTNER_ROW),
                                            ("events", 3), ("courses", 3)])
def test_an_unknown_siruta_code(world, tmp_path, sheet, row):
    sheets = spoilt(sheet, row, "siruta", "999999", p1_with_new_partner() if sheet == "organisations" else None)
    report = rejected(make_zip(tmp_path, sheets), [(sheet, row, "siruta")])
    assert only_error(report).message == "Not a known SIRUTA locality code."


@pytest.mark.parametrize(("sheet", "row"), [("participants", ELENA), ("organisations", NEW_PARTNER_ROW),
                                            ("events", 3)])
@pytest.mark.parametrize("county", ["XX", "RO-IF", "Ilfov"])
def test_a_bad_county_code(world, tmp_path, sheet, row, county):
    sheets = spoilt(sheet, row, "county", county, p1_with_new_partner() if sheet == "organisations" else None)
    rejected(make_zip(tmp_path, sheets), [(sheet, row, "county")])


def test_a_known_siruta_decides_the_county(world, tmp_path):
    # 179132 is Bucharest (county B); the rows say Calarasi (CL) or Ilfov (IF).
    sheets = set_cell(base_sheets(), "participants", ELENA, "siruta", "179132")
    set_cell(sheets, "organisations", 3, "siruta", "179132")
    set_cell(sheets, "events", 3, "siruta", "179132")
    imported(make_zip(tmp_path, sheets))
    elena = participation("N-003")
    assert elena.locality_id == 179132 and elena.county_id == "B"
    assert Organisation.objects.get(code="NPART").county_id == "B"
    assert Event.objects.get(project__code="NEWP", code="E2").county_id == "B"


# --- dates in order ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sheet", "row", "column", "value"), [
    ("participants", ELENA, "exit_date", "2024-03-02"),  # entry 2024-03-03
    ("courses", 3, "end_date", "2024-04-30"),  # start 2024-05-01
    ("project", 2, "end_date", "2023-12-31"),  # start 2024-01-01
    ("campaigns", 2, "end_date", "2024-01-31"),  # start 2024-02-01
    ("enrolments", 3, "completed", "yes"),  # no completed_on
])
def test_dates_out_of_order(world, tmp_path, sheet, row, column, value):
    sheets = spoilt(sheet, row, column, value)
    where = (sheet, row, "completed_on" if column == "completed" else column)
    rejected(make_zip(tmp_path, sheets), [where])


# --- duplicates --------------------------------------------------------------------------------------------


def test_the_same_person_ref_twice(world, tmp_path):
    sheets = base_sheets()
    sheets["participants"].append(["N-003", "", "Vasile", "Lungu", "M", "1970-01-01", "", "IF", "", "2024-03-05",
                                   "unemployed", "2", "", "", "2024-03-05"])
    report = rejected(make_zip(tmp_path, trimmed(sheets, "participants")), [("participants", 5, "person_ref")])
    assert "row 4" in only_error(report).message


def test_the_same_course_code_twice(world, tmp_path):
    sheets = base_sheets()
    sheets["courses"].append(["C1", "Alt curs", "training", "20", "", "", "", "", "", "", ""])
    report = rejected(make_zip(tmp_path, trimmed(sheets, "courses")), [("courses", 4, "code")])
    assert "row 2" in only_error(report).message


def test_the_same_cnp_on_two_rows(world, tmp_path):
    sheets = base_sheets()
    sheets["participants"].append(["N-004", IOANA_CNP, "Ioana Maria", "Stan", "F", "1995-06-15", "", "B", "",
                                   "2024-03-06", "unemployed", "3", "", "", "2024-03-06"])
    report = rejected(make_zip(tmp_path, trimmed(sheets, "participants")), [("participants", 5, "cnp")])
    assert "row 2" in only_error(report).message


def test_a_person_already_in_the_project_under_another_ref(world, tmp_path):
    alice_again = ["A-009", ALICE_CNP, "Alice", "Ionescu", "F", "1990-05-12", "IF", "2024-05-01", "unemployed", "2",
                   "2024-05-01", "ORG-A"]
    report = rejected(make_zip(tmp_path, p1_sheets(alice_again)), [("participants", 2, "cnp")])
    assert "A-001" in only_error(report).message


def test_the_same_name_and_birth_date_under_two_refs_is_a_warning(world, tmp_path):
    sheets = base_sheets()
    for ref, first, last in (("N-004", "Ștefan", "Popescu"), ("N-005", "STEFAN ", "  popescu")):
        sheets["participants"].append([ref, "", first, last, "M", "1990-01-01", "", "IF", "", "2024-03-07",
                                       "unemployed", "3", "", "", "2024-03-07"])
    report = imported(make_zip(tmp_path, sheets))
    assert locations(report, WARNING) == Counter([("participants", 6, "last_name")])
    assert "N-004" in report.warnings[0].message
    assert report.summary["participants"]["created"] == 5


def test_the_same_name_and_birth_date_as_a_participant_already_in_the_project_is_a_warning(world, tmp_path):
    alice_no_cnp = ["A-009", "", "ALICE", "ionescu", "F", "1990-05-12", "IF", "2024-05-01", "unemployed", "2",
                    "2024-05-01", "ORG-A"]
    report = imported(make_zip(tmp_path, p1_sheets(alice_no_cnp)))
    assert locations(report, WARNING) == Counter([("participants", 2, "last_name")])
    assert "A-001" in report.warnings[0].message
    assert participation("A-009", "P1")


# --- attendance and completion -----------------------------------------------------------------------------


def test_completed_with_too_little_attendance_is_a_warning(world, tmp_path):
    # N-001 is completed in C1 (minimum 80%) but present at one of its two sessions.
    sheets = set_cell(base_sheets(), "attendance", 4, "present", "no")
    report = imported(make_zip(tmp_path, sheets))
    assert locations(report, WARNING) == Counter([("enrolments", 2, "completed")])
    assert "50%" in report.warnings[0].message and "80%" in report.warnings[0].message
    assert Enrolment.objects.get(participation=participation("N-001")).completed is True


# --- files that are not good workbooks ----------------------------------------------------------------------


def file_error(path, *keywords, sheet=""):
    """The import of `path` fails with one error about the file (or a sheet) as a whole, never an exception."""
    report = rejected(path, [(sheet, None, "")])
    message = only_error(report).message
    for word in keywords:
        assert word in message, message
    return message


@pytest.mark.parametrize(("content", "keywords"), [
    (b"", ["empty", "0 bytes"]),
    (b"code,title\nP1,Proiect\n", ["not an .xlsx workbook or a .zip"]),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", ["not a workbook"]),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), ["password-protected"]),
    (b"PK\x05\x06" + bytes(18), ["empty"]),
])
def test_a_file_that_is_not_a_workbook(world, tmp_path, content, keywords):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    file_error(path, *keywords)


def test_a_bad_file_through_the_command_exits_1_without_a_traceback(world, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    code, out, err, rows = run_command(tmp_path, path)
    assert code == 1
    assert "error: file: This is not a workbook." in err and "Traceback" not in err
    assert rows[1][:4] == ["error", "", "", ""]


def test_a_truncated_xlsx(world, tmp_path):
    data = make_xlsx(tmp_path, base_sheets()).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    file_error(path, "damaged")


def test_an_xlsx_whose_sheet_is_corrupt(world, tmp_path):
    """The zip is whole, but one sheet's XML is garbage (a failed copy)."""
    good = make_xlsx(tmp_path, base_sheets())
    path = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet4.xml":  # participants
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    report = import_workbook(path)
    assert not report.ok
    assert report.summary == {} and not Project.objects.filter(code="NEWP").exists()
    assert any("damaged" in i.message or "cannot be read" in i.message for i in report.errors), report.lines()


def test_a_csv_in_cp1250_gets_a_clear_message(world, tmp_path):
    sheets = set_cell(base_sheets(), "participants", ELENA, "first_name", "Ştefania")
    set_cell(sheets, "participants", ELENA, "last_name", "Brădescu")
    path = make_zip(tmp_path, sheets, encoding="cp1250")
    message = file_error(path, "participants.csv is not UTF-8", "CSV UTF-8", sheet="participants")
    assert "UnicodeDecodeError" not in message


def test_a_csv_with_semicolons_is_read(world, tmp_path):
    """Romanian Excel writes CSV with ';' between fields."""
    sheets = base_sheets()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, rows in sheets.items():
            text = io.StringIO()
            csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
            zf.writestr(f"{name}.csv", text.getvalue().encode("utf-8-sig"))
    path = tmp_path / "semicolons.zip"
    path.write_bytes(buf.getvalue())
    report = imported(path)
    assert report.summary == created(BASE_CREATED)
    assert sorted(participation("N-001").vulnerable.values_list("code", flat=True)) == ["roma"]
    assert sorted(Project.objects.get(code="NEWP").regions.values_list("code", flat=True)) == ["RO12", "RO32"]


def test_a_formula_cell_is_an_error_at_that_cell(world, tmp_path):
    wb = xlsx_book(base_sheets())
    wb["publications"]["C2"] = "=1+1"  # title
    report = rejected(save_xlsx(tmp_path, wb), [("publications", 2, "title")])
    assert "formula" in only_error(report).message and "=1+1" in only_error(report).value


def p1_with_publications() -> dict:
    return {**p1_sheets(), "publications": [["code", "kind", "title", "published_on", "url"],
                                            ["S1", "study", "Studiu regional", "2024-06-01", "https://example.org/s"]]}


def test_merged_cells_are_an_error(world, tmp_path):
    wb = xlsx_book(p1_with_publications())
    wb["publications"].merge_cells("C2:D2")
    report = rejected(save_xlsx(tmp_path, wb), [("publications", 2, "")])
    assert "Merged cells" in only_error(report).message and only_error(report).value == "C2:D2"


def test_a_hidden_sheet_is_an_error(world, tmp_path):
    wb = xlsx_book(p1_with_publications())
    wb["publications"].sheet_state = "hidden"
    report = rejected(save_xlsx(tmp_path, wb), [("publications", None, "")])
    assert "hidden" in only_error(report).message


def test_a_zip_bomb_is_not_opened(world, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("project.csv", "code,title,start_date,end_date,lead_organisation\n")
        with zf.open("participants.csv", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB packed
                member.write(block)
    assert path.stat().st_size < 1 << 20
    file_error(path, "zip bomb")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_workbook_that_unpacks_to_more_than_the_limit(world, tmp_path, settings, fmt):
    settings.SOCEC_IMPORT_MAX_UNCOMPRESSED = 1000
    file_error(build(tmp_path, base_sheets(), fmt), "more than", "Split it")


def test_too_many_rows_in_an_xlsx_sheet(world, tmp_path, settings):
    settings.SOCEC_IMPORT_MAX_XLSX_ROWS = 5
    sheets = base_sheets()
    sheets["publications"] = [sheets["publications"][0]] + [[f"S{i}", "study", f"Studiu {i}", "", ""] for i in
                                                             range(10)]
    file_error(make_xlsx(tmp_path, sheets), "more than 5 rows", sheet="publications")


def test_too_many_rows_in_a_csv_file(world, tmp_path, settings):
    settings.SOCEC_IMPORT_MAX_CSV_ROWS = 5
    sheets = base_sheets()
    sheets["publications"] = [sheets["publications"][0]] + [[f"S{i}", "study", f"Studiu {i}", "", ""] for i in
                                                             range(10)]
    file_error(make_zip(tmp_path, sheets), "more than 5 rows", sheet="publications")


def test_a_zip_with_two_files_for_one_sheet(world, tmp_path):
    data = zip_bytes(base_sheets())
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("PROJECT.csv", "code\n")
    path = tmp_path / "twice.zip"
    path.write_bytes(buf.getvalue())
    file_error(path, "two CSV files", "project")


# --- messages in the user's language ---------------------------------------------------------------------


def test_a_message_in_romanian(world, tmp_path):
    sheets = spoilt("participants", ELENA, "cnp", "123")
    with translation.override("ro"):
        report = rejected(make_zip(tmp_path, sheets), [("participants", ELENA, "cnp")])
    assert only_error(report).message == "Un CNP are exact 13 cifre."


def test_the_importers_own_messages_in_romanian(world, tmp_path):
    english = "The sheet is missing; it is required."
    with translation.override("ro"):
        romanian = gettext(english)
    if romanian == english:
        pytest.skip("socec/locale/ro has no Romanian translation of the importer's own messages yet "
                    f"({english!r}); this test runs once it has")
    sheets = p1_sheets()
    del sheets["organisations"]
    with translation.override("ro"):
        report = rejected(make_zip(tmp_path, sheets), [("organisations", None, "")])
    assert only_error(report).message == romanian


def test_a_project_manager_cannot_create_a_new_project_and_is_told_once_per_cause(world, tmp_path):
    """A manager of P1 uploads a workbook for a new project: the project row says only an
    administrator creates projects, the organisations sheet says the role may not add them, and
    nothing else is reported (the rows naming those organisations are not errors of their own)."""
    from socec.workbook.importer import import_workbook as run

    before = db_counts()
    report = run(make_zip(tmp_path, base_sheets()), by=world.lead_manager)
    assert locations(report) == Counter({("project", 2, "code"): 1, ("organisations", None, ""): 1}), report.lines()
    assert db_counts() == before


# --- large loads: secondary indexes dropped and rebuilt -------------------------------------------


def _indexes(table: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cur:
        return {c for c, info in connection.introspection.get_constraints(cur, table).items() if info["index"]}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # reference data back after a flush
def test_a_large_load_rebuilds_the_indexes_it_dropped(world, tmp_path, monkeypatch):
    from socec.workbook import bulk

    monkeypatch.setattr(bulk, "LARGE_LOAD_MIN_ROWS", 1)  # every table this import fills counts as a large load
    tables = ["people_participation", "people_person", "training_enrolment", "audit_auditentry"]
    before = {t: _indexes(t) for t in tables}
    dropped = []
    real = bulk._drop_secondary
    monkeypatch.setattr(bulk, "_drop_secondary", lambda table: dropped.append(table) or real(table))

    sheets = set_cell(base_sheets(), "publications", 2, "published_on", "2024-06-31")
    rejected(make_zip(tmp_path, sheets, name="bad.zip"), [("publications", 2, "published_on")])
    assert {t: _indexes(t) for t in tables} == before

    imported(make_zip(tmp_path, base_sheets()))
    assert {"people_participation", "people_person", "training_enrolment"} <= set(dropped)
    assert {t: _indexes(t) for t in tables} == before
    assert participation("N-001").labour_status == "unemployed"
