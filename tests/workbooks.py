"""Programme workbooks (workbook.md) built in tests: a .zip of CSV files or an .xlsx, from
{sheet: [header, row, ...]}, plus valid base workbooks to spoil one cell at a time."""

import copy
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

from socec.core.validators import CUI_WEIGHTS, cnp_control_digit

Sheets = dict[str, list[list]]


def make_cnp(sex: str, birth: dt.date, county: int = 40, serial: int = 1) -> str:
    """A valid CNP: sex digit, birth date, county digits, serial, control digit."""
    digit = {("M", False): "1", ("F", False): "2", ("M", True): "5", ("F", True): "6"}[(sex, birth.year >= 2000)]
    first12 = f"{digit}{birth:%y%m%d}{county:02d}{serial:03d}"
    return first12 + str(cnp_control_digit(first12))


def make_cui(body: str) -> str:
    """A CUI with its correct control digit after `body` (1 to 9 digits)."""
    padded = body.zfill(9)
    total = sum(int(d) * int(w) for d, w in zip(padded, CUI_WEIGHTS, strict=True)) * 10 % 11
    return body + str(0 if total == 10 else total)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def zip_bytes(sheets: Sheets, encoding: str = "utf-8") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in sheets.items():
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows([[_cell_text(c) for c in row] for row in rows])
            zf.writestr(f"{name}.csv", text.getvalue().encode(encoding))
    return buf.getvalue()


def make_zip(tmp_path: Path, sheets: Sheets, name: str = "workbook.zip", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(zip_bytes(sheets, encoding))
    return path


def xlsx_book(sheets: Sheets) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    return wb


def save_xlsx(tmp_path: Path, wb: openpyxl.Workbook, name: str = "workbook.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


def make_xlsx(tmp_path: Path, sheets: Sheets, name: str = "workbook.xlsx") -> Path:
    return save_xlsx(tmp_path, xlsx_book(sheets), name)


# --- a new project, every sheet -------------------------------------------------------------------

IOANA_CNP = make_cnp("F", dt.date(1995, 6, 15), 40, 1)
MIHAI_CNP = make_cnp("M", dt.date(1988, 2, 20), 12, 2)
LEAD_CUI = make_cui("1856342")

PARTICIPANT_HEADER = ["person_ref", "cnp", "first_name", "last_name", "sex", "birth_date", "siruta", "county", "area",
                      "entry_date", "labour_status", "isced", "vulnerable", "exit_date", "consent_on"]


def base_sheets() -> Sheets:
    """A valid workbook for a new project NEWP (its own organisations), every sheet filled in.
    N-003 (participants row 4), C2 (courses row 3), J2 (jobs row 3) and E2 (events row 3) are
    named by no other sheet: spoiling them gives exactly one error."""
    return copy.deepcopy({
        "project": [["code", "title", "programme", "funder", "start_date", "end_date", "lead_organisation",
                     "regions", "description"],
                    ["NEWP", "Proiect nou", "PEO", "MIPE", "2024-01-01", "2025-12-31", "NLEAD", "RO32;RO12",
                     "Economie sociala"]],
        "organisations": [["code", "name", "legal_form", "cui", "siruta", "county", "area", "founded_on", "caen",
                           "is_ses", "project_role", "public"],
                          ["NLEAD", "Asociatia Noua", "association", LEAD_CUI, "", "IF", "urban", "2010-03-04",
                           "8899", "no", "lead", "yes"],
                          ["NPART", "Fundatia Partener", "foundation", "", "", "CL", "rural", "", "", "no",
                           "partner", "no"],
                          ["NSES", "Cooperativa Sociala", "cooperative", "", "", "B", "urban", "2019-01-01", "",
                           "yes", "supported", "yes"]],
        "targets": [["indicator", "target", "region", "county"],
                    ["EECO01", "120", "", ""],
                    ["EECO02", "30", "RO32", ""]],
        "participants": [PARTICIPANT_HEADER,
                         ["N-001", IOANA_CNP, "Ioana", "Stan", "F", "1995-06-15", "", "B", "urban", "2024-03-01",
                          "unemployed", "3", "roma", "", "2024-03-01"],
                         ["N-002", MIHAI_CNP, "Mihai", "Radu", "M", "1988-02-20", "", "IF", "rural", "2024-03-02",
                          "long_term_unemployed", "2", "", "", "2024-03-02"],
                         ["N-003", "", "Elena", "Dobre", "F", "2001-09-09", "", "CL", "", "2024-03-03",
                          "inactive", "4", "", "", "2024-03-03"]],
        "courses": [["code", "title", "kind", "hours", "min_attendance_pct", "start_date", "end_date", "siruta",
                     "county", "accredited", "occupation_code"],
                    ["C1", "Operator date", "training", "40", "80", "2024-04-01", "2024-04-30", "", "IF", "yes",
                     "112032"],
                    ["C2", "Consiliere", "counselling", "10", "", "2024-05-01", "2024-05-31", "", "", "no", ""]],
        "enrolments": [["person_ref", "course", "enrolled_on", "completed", "completed_on", "certified",
                        "certificate_no"],
                       ["N-001", "C1", "2024-04-01", "yes", "2024-04-30", "yes", "CERT-1"],
                       ["N-002", "C1", "2024-04-01", "no", "", "no", ""]],
        "attendance": [["course", "session_date", "person_ref", "present", "hours"],
                       ["C1", "2024-04-02", "N-001", "yes", "4"],
                       ["C1", "2024-04-02", "N-002", "yes", "4"],
                       ["C1", "2024-04-03", "N-001", "yes", "4"],
                       ["C1", "2024-04-03", "N-002", "no", ""]],
        "jobs": [["code", "employer", "title", "created_on", "hours_per_week"],
                 ["J1", "NSES", "Lucrator social", "2024-05-01", "40"],
                 ["J2", "NLEAD", "Coordonator", "2024-05-01", "20"]],
        "employments": [["job", "person_ref", "person_name", "start_date", "end_date", "hours_per_week",
                         "vulnerable", "vulnerable_category"],
                        ["J1", "N-001", "", "2024-05-02", "", "", "", ""],
                        ["J1", "", "Maria Vasile", "2024-05-03", "", "20", "yes", "single_parent_family"]],
        "events": [["code", "kind", "title", "date", "siruta", "county", "area", "participants", "theme"],
                   ["E1", "conference", "Conferinta de lansare", "2024-02-01", "", "B", "urban", "50", "lansare"],
                   ["E2", "workshop", "Atelier", "2024-03-10", "", "IF", "rural", "20", ""]],
        "event_attendance": [["event", "person_ref", "organisation"],
                             ["E1", "N-001", ""],
                             ["E1", "", "NSES"]],
        "campaigns": [["code", "channel", "title", "start_date", "end_date", "reach"],
                      ["K1", "radio", "Spot radio", "2024-02-01", "2024-02-28", "100000"]],
        "publications": [["code", "kind", "title", "published_on", "url"],
                         ["S1", "study", "Studiu regional", "2024-06-01", "https://example.org/studiu"]],
    })


BASE_CREATED = {"project": 1, "organisations": 3, "targets": 2, "participants": 3, "courses": 2, "enrolments": 2,
                "attendance": 4, "jobs": 2, "employments": 2, "events": 2, "event_attendance": 2, "campaigns": 1,
                "publications": 1}


# --- the world's project P1 (tests/personas.py) ----------------------------------------------------

P1_PARTICIPANT_HEADER = ["person_ref", "cnp", "first_name", "last_name", "sex", "birth_date", "county",
                         "entry_date", "labour_status", "isced", "consent_on", "organisation"]
CARMEN_CNP = make_cnp("F", dt.date(1992, 2, 2), 23, 5)
CARMEN = ["A-002", CARMEN_CNP, "Carmen", "Dobre", "F", "1992-02-02", "IF", "2024-04-01", "unemployed", "3",
          "2024-04-01", "ORG-A"]


def p1_sheets(*participants) -> Sheets:
    """A workbook for the world's project P1 that changes nothing but adds `participants` (rows of
    P1_PARTICIPANT_HEADER)."""
    sheets = {
        "project": [["code", "title", "start_date", "end_date", "lead_organisation"],
                    ["P1", "Proiect unu", "2024-01-01", "2025-12-31", "LEAD"]],
        "organisations": [["code", "name", "legal_form", "cui", "siruta", "county", "project_role", "is_ses",
                           "public"],
                          ["LEAD", "Consiliul Judetean Test", "public_authority", "", "", "IF", "lead", "", ""],
                          ["ORG-A", "Asociatia A", "association", "", "", "IF", "partner", "", ""],
                          ["ORG-B", "Asociatia B", "association", "", "", "CL", "partner", "", ""]],
    }
    if participants:
        sheets["participants"] = [P1_PARTICIPANT_HEADER, *[list(p) for p in participants]]
    return copy.deepcopy(sheets)


NEW_PARTNER_ROW = 5  # organisations row of NPART in p1_with_new_partner()


def p1_with_new_partner() -> Sheets:
    """P1 joined by a new partner NPART (organisations row 5), named by no other sheet."""
    sheets = p1_sheets()
    sheets["organisations"].append(["NPART", "Fundatia Partener", "foundation", "", "", "CL", "partner", "no",
                                    "no"])
    return sheets


# The order in which the sheets are imported, and the sheets that name rows of earlier sheets.
IMPORT_ORDER = ("organisations", "project", "targets", "participants", "courses", "enrolments", "attendance", "jobs",
                "employments", "events", "event_attendance", "campaigns", "publications")
REFERRING = ("enrolments", "attendance", "employments", "event_attendance")


def trimmed(sheets: Sheets, spoilt: str) -> Sheets:
    """`sheets` without the sheets imported after `spoilt` that name rows of other sheets.

    Once the import has found an error it stops writing new rows, and a later sheet that names a
    row created earlier in the same file then gets errors of its own (see test_workbook_import.py,
    the cascade bug); tests of one check use a workbook where that cannot happen."""
    after = IMPORT_ORDER[IMPORT_ORDER.index(spoilt) + 1:]
    return {name: rows for name, rows in sheets.items() if not (name in REFERRING and name in after)}


def spoilt(sheet: str, row: int, column: str, value, sheets: Sheets | None = None) -> Sheets:
    """The base workbook (or `sheets`) with one cell changed, trimmed as above."""
    return trimmed(set_cell(sheets or base_sheets(), sheet, row, column, value), sheet)


def set_cell(sheets: Sheets, sheet: str, row: int, column: str, value) -> Sheets:
    """Sets the cell at spreadsheet row `row` (the header is row 1) and column `column`."""
    header = sheets[sheet][0]
    sheets[sheet][row - 1][header.index(column)] = value
    return sheets


def drop_column(sheets: Sheets, sheet: str, column: str) -> Sheets:
    i = sheets[sheet][0].index(column)
    sheets[sheet] = [row[:i] + row[i + 1:] for row in sheets[sheet]]
    return sheets
