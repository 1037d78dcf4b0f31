"""Property-based fuzzing of the workbook importer (workbook.md) with hypothesis.

Random and malformed workbooks, as a .zip of CSV files and as an .xlsx, built from the valid base
workbook of tests/workbooks.py spoilt by a list of random mutations (cells set to random text,
unicode, control characters, very long values, wrong types, odd dates, out-of-range numbers,
formula-like text, CNP-like digits; rows duplicated, removed or left blank; columns removed,
added, repeated or reordered; rows with missing or extra cells; sheets removed), imported into a
new project and over an existing one. Whatever the file holds:

- the import ends in its own report, never in an unexpected exception (the importer's catch-all
  logs one and reports "an unexpected problem": that is a server error in disguise);
- every error names its sheet, and the row and column wherever it is about a cell;
- an import with any error writes nothing at all (every socec table counted, the programme
  tables compared row by row).

And a valid generated workbook imports, and exports back (.zip and .xlsx) to the same data.

The number of examples is bounded for the test suite (about 40 s on SQLite, derandomized so
CI is stable); HYPOTHESIS_PROFILE=long runs many more, random each time:

    HYPOTHESIS_PROFILE=long DEBUG=1 .venv/bin/pytest -q -p no:cacheprovider tests/test_fuzz_workbook.py

Each minimal failing example found so far is kept below as an explicit @example.
"""

import copy
import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from socec.indicators.definitions import CODES as INDICATOR_CODES
from socec.people.categories import CATEGORY_CODES
from socec.programmes.models import Project
from socec.workbook import schema
from socec.workbook.cells import CellError, parser_for
from socec.workbook.columns import fast_parser_for
from socec.workbook.export import export_project
from socec.workbook.importer import import_workbook
from socec.workbook.reader import open_workbook
from tests.workbooks import LEAD_CUI, _cell_text, base_sheets, make_cnp, make_cui, make_xlsx, make_zip

pytestmark = pytest.mark.django_db

settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")), deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True)
settings.register_profile(
    "long", max_examples=2_000, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True)
PROFILE = settings.get_profile("long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz")

FORMATS = ("zip", "xlsx")
SHEET_NAMES = tuple(schema.SHEET_NAMES)


# --- the state of the database ---------------------------------------------------------------------

# Programme data, compared row by row: small in these tests. The rest (reference data, caches,
# counters) is counted.
COMPARED_APPS = ("orgs", "programmes", "people", "training", "jobs", "outreach", "audit", "market")


def socec_models():
    tables = set(connection.introspection.table_names())
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_config.name.startswith("socec.")
            and m._meta.managed and m._meta.db_table in tables]


def db_state() -> dict[str, object]:
    """Every socec table's row count; for the programme tables also a digest of every row."""
    state = {}
    for model in socec_models():
        label = model._meta.label
        if model._meta.app_label in COMPARED_APPS:
            rows = list(model.objects.order_by("pk").values_list())
            state[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        else:
            state[label] = model.objects.count()
    return state


@contextmanager
def rolled_back():
    """One example's writes, undone afterwards: every example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def unexpected_failures():
    """The records the importer logs when something in it failed unexpectedly (its catch-all)."""
    handler = _Collect()
    log = logging.getLogger("socec.workbook")
    log.addHandler(handler)
    try:
        yield handler.records
    finally:
        log.removeHandler(handler)


def _traceback(records) -> str:
    formatter = logging.Formatter()
    return "\n".join(formatter.formatException(r.exc_info) if r.exc_info else r.getMessage() for r in records)


# --- building workbooks -------------------------------------------------------------------------------


def build(tmp_path: Path, sheets, fmt: str, name: str = "fuzz") -> tuple[Path, dict]:
    """(the file, the sheets as written to it)."""
    if fmt == "zip":
        # As Excel writes CSV: lines end in CRLF, so a lone CR in a cell is quoted (tests/workbooks.py
        # ends lines in LF and leaves it bare: a line break that really splits the row in two).
        path = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for sheet, rows in sheets.items():
                text = io.StringIO()
                csv.writer(text).writerows([[_cell_text(c) for c in row] for row in rows])
                zf.writestr(f"{sheet}.csv", text.getvalue().encode())
        return path, sheets
    # An .xlsx holds XML 1.0: no spreadsheet program can put a control character in a cell.
    clean = {s: [[ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row] for row in rows]
             for s, rows in sheets.items()}
    return make_xlsx(tmp_path, clean, name=f"{name}.xlsx"), clean


def _width(rows) -> int:
    return max((len(r) for r in rows), default=0)


def apply(sheets, mutations):
    """The workbook with each mutation applied in turn. Indices are taken modulo the sizes, so any
    list of mutations applies to any workbook (and shrinks well)."""
    sheets = copy.deepcopy(sheets)
    for kind, sheet, a, b, value in mutations:
        if sheet not in sheets:
            continue
        rows = sheets[sheet]
        if kind == "drop_sheet":
            del sheets[sheet]
            continue
        if not rows:
            continue
        width = _width(rows)
        r = a % len(rows)
        if kind == "set":  # row 0 is the header
            row = rows[r]
            c = b % max(width, 1)
            row.extend([""] * (c + 1 - len(row)))
            row[c] = value
        elif kind == "cell" and len(rows) > 1:  # a cell of a named column, wherever it is
            columns = schema.BY_NAME[sheet].columns
            name = columns[b % len(columns)].name
            header = [str(h).strip().lower() for h in rows[0]]
            if name in header:
                row = rows[1 + a % (len(rows) - 1)]
                c = header.index(name)
                row.extend([""] * (c + 1 - len(row)))
                row[c] = value
        elif kind == "dup" and len(rows) > 1:
            rows.append(list(rows[1 + a % (len(rows) - 1)]))
        elif kind == "drop_row" and len(rows) > 1:
            del rows[1 + a % (len(rows) - 1)]
        elif kind == "blank_row":
            rows.insert(1 + a % len(rows), [""] * (b % 5))
        elif kind == "drop_col" and width:
            c = b % width
            sheets[sheet] = [row[:c] + row[c + 1:] for row in rows]
        elif kind == "add_col":
            name = value if isinstance(value, str) else str(value)
            if b % 3 == 0 and rows[0]:
                name = str(rows[0][a % len(rows[0])]).upper()  # a column that appears twice
            sheets[sheet] = [[*row, *[""] * (width - len(row)), name if i == 0 else value]
                             for i, row in enumerate(rows)]
        elif kind == "shuffle_cols" and width:
            order = sorted(range(width), key=lambda i: hashlib.md5(f"{a}:{i}".encode()).digest())  # noqa: S324
            sheets[sheet] = [[row[i] if i < len(row) else "" for i in order] for row in rows]
        elif kind == "ragged" and len(rows) > 1:
            row = rows[1 + a % (len(rows) - 1)]
            if b % 2:
                del row[b % max(len(row), 1):]
            else:
                row.extend([value] * (1 + b % 3))
        elif kind == "header_case":
            rows[0] = [f"  {str(h).upper()} " for h in rows[0]]
    return sheets


# --- strategies ----------------------------------------------------------------------------------------

CURATED = [
    "", " ", "  \t ", "ăâîșțĂÂÎȘȚ", "Ştefan Ţăran", "שלום", "مرحبا", "\u202eabc", "\u200b", "\ufeffX", "😀",
    "👩‍👩‍👧", "\x00", "a\x00b", "\x07", "\x1b[31m", "line\nbreak", "\r\n", "\r", "\t", '"', "'", ";", ";;", ",",
    "=1+1", "=HYPERLINK(\"http://x\")", "+40721000000", "-1", "@SUM(A1)", "#N/A", "#REF!",
    "2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31", "31.12.2024", "12/31/2024", "2024/01/01", "20240101",
    "2024-1-1", " 2024-01-01 ", "2024-01-01T10:00:00", "2024-01-01\n2024-01-02",
    "²", "--5", "1e309", "NaN", "inf", "-0", "0x1F", "١٢٣", "１２", "9" * 20, "3.5", "1,5", "1.0", "1.5", "00", "-",
    "yes", "da", "DA", " Nu ", "TRUE", "y", "None", "null", "refuz", "F", "m", "x",
    "RO32", "ro32", "RO32;RO99", "roma;ROMA", "roma;;disability", "B", "b", " IF ",
    "N-001", "n-001", "N-002", "C1", "J1", "E1", "NLEAD", "NSES", "NEWP", "C 1", "ab/cd", "../x",
    "1856342", "RO1856342", LEAD_CUI, f"RO {LEAD_CUI}", "8899", "99999", "112032", "12345",
    "1" * 13, "0" * 13, "2950615400011", "2950615400012", "6000229400013", "1880220120029",
]


def _lengths():
    # Around the limits of the schema (40, 100, 200, 254, 300) and of a cell (10,000).
    return st.sampled_from([39, 40, 41, 100, 101, 200, 201, 255, 301, 10_000, 10_001, 40_000]).map(
        lambda n: "ă" * n)


def _cnp_like():
    wrong = st.builds(lambda sex, day, county, serial, delta: _spoil_last(make_cnp(sex, day, county, serial), delta),
                      st.sampled_from("FM"), st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)),
                      st.integers(1, 52), st.integers(1, 999), st.integers(0, 9))
    return st.one_of(st.text(alphabet="0123456789", min_size=11, max_size=15), wrong)


def _spoil_last(cnp: str, delta: int) -> str:
    return cnp[:-1] + str((int(cnp[-1]) + delta) % 10)


TEXT = st.one_of(
    st.sampled_from(CURATED),
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    _lengths(),
    _cnp_like(),
    st.integers(-10**16, 10**16).map(str),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.strftime("%d.%m.%Y")),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
)
# What only a spreadsheet cell can hold (a CSV cell is text: these reach it as their str()).
TYPED = st.one_of(
    st.integers(-10**20, 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
)
VALUE = st.one_of(TEXT, TEXT, TEXT, TYPED)

KINDS = ("set", "set", "cell", "cell", "cell", "dup", "drop_row", "blank_row", "drop_col", "add_col", "shuffle_cols",
         "ragged", "drop_sheet", "header_case")
MUTATION = st.tuples(st.sampled_from(KINDS), st.sampled_from(SHEET_NAMES), st.integers(0, 50),
                     st.integers(0, 50), VALUE)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=6)


# --- the properties ----------------------------------------------------------------------------------

# Errors about a whole sheet (no row) or a whole row (no column), as the importer words them.
SHEET_LEVEL = (
    r"The sheet is missing; it is required\.",
    r"The project sheet must have exactly one row \(it has 0\)\.",
)
ROW_LEVEL = (
    r"The project sheet must have exactly one row \(it has \d+\)\.",
)


def _matches(patterns, message) -> bool:
    return any(re.fullmatch(p, message) for p in patterns)


def _shape(sheets) -> dict[str, tuple[int, set[str]]]:
    """sheet -> (last row number as the spreadsheet shows it, header names as the importer reads them)."""
    return {name: (len(rows), {str(h if h is not None else "").strip().lower() for h in (rows[0] if rows else [])})
            for name, rows in sheets.items()}


def check_import(built: tuple[Path, dict]) -> object:
    """Imports a built workbook and checks the properties; returns the report."""
    path, sheets = built
    before = db_state()
    with unexpected_failures() as failures:
        report = import_workbook(path)
    assert not failures, "the import failed unexpectedly:\n" + _traceback(failures)
    shape = _shape(sheets)
    for issue in report.errors:
        where = f"{issue.line()}"
        assert "could not be saved" not in issue.message, where  # an IntegrityError the checks let through
        assert issue.sheet in SHEET_NAMES, where
        if issue.row is None:
            assert _matches(SHEET_LEVEL, issue.message), f"no row: {where}"
            continue
        assert issue.sheet in shape, where
        last, header = shape[issue.sheet]
        assert 1 <= issue.row <= last, f"row out of the sheet (1 to {last}): {where}"
        if issue.row == 1:
            assert issue.column, f"a header error without its column: {where}"
            continue
        if not issue.column:
            assert _matches(ROW_LEVEL, issue.message), f"no column: {where}"
            continue
        # a column of the sheet; or one it lacks, that the message asks for (completed_on when completed is yes)
        assert issue.column in header or issue.column in schema.BY_NAME[issue.sheet].by_name, \
            f"a column the sheet does not have: {where}"
    if not report.ok:
        assert report.summary == {}
        assert db_state() == before, "an import with errors wrote something: " + "; ".join(report.lines()[:5])
    return report


# --- malformed workbooks -------------------------------------------------------------------------------

MINIMAL = {"project": base_sheets()["project"], "organisations": base_sheets()["organisations"]}


def _at(sheet: str, column: str) -> int:
    """The `b` of a "cell" mutation that names this column."""
    return [c.name for c in schema.BY_NAME[sheet].columns].index(column)


@PROFILE
@given(fmt=st.sampled_from(FORMATS), mutations=MUTATIONS, full=st.booleans())
# int('²') raised ValueError: "an unexpected problem", at no sheet, row or column
@example(fmt="zip", mutations=[("cell", "participants", 0, _at("participants", "isced"), "²")], full=True)
# two organisations with one CUI: an IntegrityError at the end, at no sheet, row or column
@example(fmt="xlsx", mutations=[("cell", "organisations", 1, _at("organisations", "cui"), LEAD_CUI)], full=False)
def test_a_spoilt_new_project_is_reported_and_writes_nothing(db, tmp_path, fmt, mutations, full):
    sheets = apply(base_sheets() if full else MINIMAL, mutations)
    with rolled_back():
        check_import(build(tmp_path, sheets, fmt))


@pytest.fixture
def newp(db, tmp_path_factory):
    """The base workbook imported once (the examples over it are rolled back)."""
    report = import_workbook(make_zip(tmp_path_factory.mktemp("newp"), base_sheets()))
    assert report.ok, report.lines()


@PROFILE
@given(fmt=st.sampled_from(FORMATS), mutations=MUTATIONS)
# a new code for NLEAD: a new organisation with the CUI of one in the database (an IntegrityError)
@example(fmt="zip", mutations=[("cell", "organisations", 0, _at("organisations", "code"), "NLEAD2")])
def test_a_spoilt_reimport_is_reported_and_changes_nothing(newp, tmp_path, fmt, mutations):
    sheets = apply(base_sheets(), mutations)
    with rolled_back():
        check_import(build(tmp_path, sheets, fmt))


# --- one spoilt cell: its error, and no other ---------------------------------------------------------------

# Columns whose value other rows depend on (keys, references to other sheets): spoiling one rightly
# gives errors elsewhere ("Not in the courses sheet"). Any other cell, spoilt, is an error of its row only.
REFERENCES = {"lead_organisation", "employer", "organisation", "course", "job", "event", "person_ref"}
LOCAL_CELLS = [(sheet.name, column.name) for sheet in schema.SHEETS for column in sheet.columns
               if column.name not in sheet.key and column.name not in REFERENCES]
BASE = base_sheets()
IN_BASE = [(sheet, column) for sheet, column in LOCAL_CELLS if column in BASE[sheet][0]]


@PROFILE
@given(fmt=st.sampled_from(FORMATS), cell=st.sampled_from(IN_BASE), row=st.integers(0, 10), value=VALUE)
@example(fmt="zip", cell=("organisations", "cui"), row=0, value="9" * 8)  # the lead's row failed: the stand-in
@example(fmt="zip", cell=("project", "title"), row=0, value="\r")  # a CR in a cell: still one row
def test_a_spoilt_cell_is_an_error_of_its_own_row_only(db, tmp_path, fmt, cell, row, value):
    sheet, column = cell
    number = 2 + row % (len(BASE[sheet]) - 1)
    sheets = copy.deepcopy(BASE)
    sheets[sheet][number - 1][sheets[sheet][0].index(column)] = value
    with rolled_back():
        report = check_import(build(tmp_path, sheets, fmt))
    assert {(i.sheet, i.row) for i in report.errors} <= {(sheet, number)}, report.lines()


# --- valid workbooks: import, export, the same data ------------------------------------------------------

CODE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,11}", fullmatch=True)
REF = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,11}", fullmatch=True)
# Text as a person types it: letters of any script, digits, punctuation, inner spaces; no
# control characters (no spreadsheet keeps them) and nothing around it (the importer strips it).
WORDS = st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"),
                min_size=1, max_size=30).map(str.strip).filter(bool)
NAME = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=20)
DAY = st.dates(dt.date(2024, 1, 1), dt.date(2025, 6, 30))
COUNTY = st.sampled_from(schema.COUNTY_CODES)


def _unique(strategy, n):
    """n values distinct without regard to case (codes are looked up as written, but a database
    collation might not tell 'a' from 'A')."""
    return st.lists(strategy, min_size=n, max_size=n, unique_by=str.lower)


@st.composite
def valid_workbooks(draw):
    n_orgs = draw(st.integers(1, 4))
    org_codes = draw(_unique(CODE, n_orgs))
    project_code = draw(CODE)
    roles = ["lead", *draw(st.lists(st.sampled_from(("partner", "supported", "none")), min_size=n_orgs - 1,
                                    max_size=n_orgs - 1))]
    yes_no = st.sampled_from(("yes", "no"))
    organisations = [["code", "name", "legal_form", "cui", "county", "area", "founded_on", "is_ses", "project_role",
                      "public", "website", "description"]]
    for i, code in enumerate(org_codes):
        organisations.append([
            code, draw(WORDS), draw(st.sampled_from(schema.LEGAL_FORMS)),
            draw(st.one_of(st.just(""), st.integers(10, 99_999_999).map(lambda n: make_cui(str(n))))),
            draw(COUNTY), draw(st.sampled_from(("", "urban", "rural"))),
            draw(st.one_of(st.just(""), st.dates(dt.date(1990, 1, 1), dt.date(2023, 12, 31)).map(str))),
            draw(yes_no), roles[i], draw(yes_no), draw(st.sampled_from(("", "https://example.org/ă"))),
            draw(st.one_of(st.just(""), WORDS))])
    regions = draw(st.lists(st.sampled_from(schema.REGION_CODES), unique=True, max_size=3))
    project = [["code", "title", "programme", "funder", "start_date", "end_date", "lead_organisation", "regions",
                "description"],
               [project_code, draw(WORDS), draw(st.one_of(st.just(""), WORDS)), "", "2024-01-01", "2026-12-31",
                org_codes[0], ";".join(regions), draw(st.one_of(st.just(""), WORDS))]]
    targets = [["indicator", "target", "region", "county"]]
    for indicator in draw(st.lists(st.sampled_from(sorted(INDICATOR_CODES)), unique=True, max_size=3)):
        where = draw(st.sampled_from(("", "region", "county")))
        targets.append([indicator, str(draw(st.integers(0, 10**6))),
                        draw(st.sampled_from(schema.REGION_CODES)) if where == "region" else "",
                        draw(COUNTY) if where == "county" else ""])

    n_people = draw(st.integers(0, 5))
    refs = draw(_unique(REF, n_people))
    participants = [["person_ref", "cnp", "first_name", "last_name", "sex", "birth_date", "county", "area",
                     "entry_date", "labour_status", "isced", "disability", "minority", "homeless", "vulnerable",
                     "consent_on", "phone", "email"]]
    for serial, ref in enumerate(refs, 1):
        sex = draw(st.sampled_from(("F", "M", "X")))
        birth = draw(st.dates(dt.date(1950, 1, 1), dt.date(2007, 12, 31)))
        cnp = make_cnp(sex, birth, draw(st.integers(1, 46)), serial) if sex != "X" and draw(st.booleans()) else ""
        entry = draw(DAY)
        participants.append([
            ref, cnp, draw(NAME), draw(NAME), sex, birth.isoformat(), draw(COUNTY),
            draw(st.sampled_from(("", "urban", "rural"))), entry.isoformat(),
            draw(st.sampled_from(schema.LABOUR_STATUSES)), str(draw(st.integers(0, 8))),
            draw(st.sampled_from(("", *schema.YES_NO_REFUSED))), draw(st.sampled_from(("", *schema.YES_NO_REFUSED))),
            draw(st.sampled_from(("", "yes", "no"))),
            ";".join(draw(st.lists(st.sampled_from(CATEGORY_CODES), unique=True, max_size=3))),
            entry.isoformat(), draw(st.sampled_from(("", "+40 721 000 000"))),
            draw(st.sampled_from(("", "ana@example.org")))])

    course_codes = draw(_unique(CODE, draw(st.integers(0, 2))))
    courses = [["code", "title", "kind", "hours", "min_attendance_pct", "start_date", "end_date", "county",
                "accredited", "occupation_code"]]
    for code in course_codes:
        courses.append([code, draw(WORDS), draw(st.sampled_from(schema.COURSE_KINDS)),
                        draw(st.sampled_from(("", "40", "12.5"))), draw(st.sampled_from(("", "0", "80", "100"))),
                        "2024-03-01", "2024-06-30", draw(st.one_of(st.just(""), COUNTY)),
                        draw(st.sampled_from(("", "yes", "no"))), draw(st.sampled_from(("", "112032")))])
    enrolments = [["person_ref", "course", "enrolled_on", "completed", "completed_on", "certified", "certificate_no"]]
    attendance = [["course", "session_date", "person_ref", "present", "hours"]]
    for code in course_codes:
        for ref in draw(st.lists(st.sampled_from(refs), unique=True, max_size=3)) if refs else []:
            done = draw(st.booleans())
            enrolments.append([ref, code, "2024-03-01", "yes" if done else "no", "2024-06-30" if done else "",
                               "yes" if done and draw(st.booleans()) else "no", ""])
            for day in draw(st.lists(st.sampled_from(("2024-03-04", "2024-03-11", "2024-03-18")), unique=True,
                                     max_size=2)):
                attendance.append([code, day, ref, draw(st.sampled_from(("yes", "no"))),
                                   draw(st.sampled_from(("", "4", "2.5")))])

    job_codes = draw(_unique(CODE, draw(st.integers(0, 2))))
    jobs = [["code", "employer", "title", "created_on", "hours_per_week"]]
    employments = [["job", "person_ref", "person_name", "start_date", "end_date", "hours_per_week",
                    "vulnerable_category"]]
    for code in job_codes:
        jobs.append([code, draw(st.sampled_from(org_codes)), draw(st.one_of(st.just(""), WORDS)), "2024-02-01",
                     str(draw(st.integers(1, 40)))])
        if refs and draw(st.booleans()):
            employments.append([code, draw(st.sampled_from(refs)), "", "2024-04-01", "", "", ""])
        if draw(st.booleans()):
            employments.append([code, "", f"{draw(NAME)} {draw(NAME)}", "2024-05-01",
                                draw(st.sampled_from(("", "2024-12-31"))), str(draw(st.integers(1, 40))),
                                draw(st.sampled_from(("", *CATEGORY_CODES)))])

    event_codes = draw(_unique(CODE, draw(st.integers(0, 2))))
    events = [["code", "kind", "title", "date", "county", "area", "participants", "theme", "conclusions"]]
    event_attendance = [["event", "person_ref", "organisation"]]
    for code in event_codes:
        events.append([code, draw(st.sampled_from(schema.EVENT_KINDS)), draw(WORDS), draw(DAY).isoformat(),
                       draw(COUNTY), draw(st.sampled_from(("", "urban", "rural"))),
                       draw(st.sampled_from(("", "0", "25"))), draw(st.one_of(st.just(""), WORDS)),
                       draw(st.one_of(st.just(""), WORDS))])
        for ref in draw(st.lists(st.sampled_from(refs), unique=True, max_size=2)) if refs else []:
            event_attendance.append([code, ref, ""])
        for org in draw(st.lists(st.sampled_from(org_codes), unique=True, max_size=2)):
            event_attendance.append([code, "", org])

    campaigns = [["code", "channel", "title", "start_date", "end_date", "reach"]]
    for code in draw(_unique(CODE, draw(st.integers(0, 2)))):
        campaigns.append([code, draw(st.sampled_from(schema.CHANNELS)), draw(WORDS), "2024-02-01",
                          draw(st.sampled_from(("", "2024-02-28"))), draw(st.sampled_from(("", "0", "100000")))])
    publications = [["code", "kind", "title", "published_on", "url"]]
    for code in draw(_unique(CODE, draw(st.integers(0, 2)))):
        publications.append([code, draw(st.sampled_from(schema.PUBLICATION_KINDS)), draw(WORDS),
                             draw(st.one_of(st.just(""), DAY.map(str))),
                             draw(st.sampled_from(("", "https://example.org/studiu")))])
    return {"project": project, "organisations": organisations, "targets": targets, "participants": participants,
            "courses": courses, "enrolments": enrolments, "attendance": attendance, "jobs": jobs,
            "employments": employments, "events": events, "event_attendance": event_attendance,
            "campaigns": campaigns, "publications": publications}


def canonical(sheets) -> dict[str, list[tuple]]:
    """Each sheet's rows as the sorted tuples of (column, canonical text) of the columns the input
    gives (an export has every column; the input only some)."""
    out = {}
    for name, rows in sheets.items():
        sheet = schema.BY_NAME[name]
        header = [str(h).strip().lower() for h in rows[0]]
        out[name] = sorted(tuple((h, schema.format_value(sheet.by_name[h], _typed(sheet.by_name[h], row[i])))
                                 for i, h in enumerate(header)) for row in rows[1:])
    return out


def _typed(column, text):
    if text in ("", None):
        return ""
    if column.kind == schema.LIST:
        return [p.strip() for p in str(text).split(";")]
    if column.kind == schema.DECIMAL:
        from decimal import Decimal

        return Decimal(str(text))
    if column.kind == schema.DATE:
        return text if isinstance(text, dt.date) else dt.date.fromisoformat(str(text)[:10])
    if column.kind == schema.BOOL:
        return str(text).strip().lower() in schema.TRUE_WORDS
    return text


def read_back(path: Path, like) -> dict[str, list[list]]:
    """The sheets of an exported file, reduced to the columns of `like` (the imported workbook)."""
    out = {}
    with open_workbook(path) as wb:
        for name, rows in like.items():
            source = wb.sheets[name]
            index = {str(h).strip().lower(): i for i, h in enumerate(source.header)}
            header = [str(h).strip().lower() for h in rows[0]]
            out[name] = [header] + [[cells[index[h]] if index[h] < len(cells) else "" for h in header]
                                    for _n, cells in source.rows()]
    return out


@settings(PROFILE, max_examples=max(PROFILE.max_examples // 2, 5))
@given(sheets=valid_workbooks(), fmt=st.sampled_from(FORMATS))
def test_a_valid_workbook_imports_and_exports_back_the_same_data(db, tmp_path, sheets, fmt):
    with rolled_back():
        report = check_import(build(tmp_path, sheets, fmt, name="in"))
        assert report.ok, report.lines()
        assert {s: c["created"] for s, c in report.summary.items()} == {s: len(rows) - 1 for s, rows in
                                                                        sheets.items()}
        project = Project.objects.get(code=sheets["project"][1][0])
        expected = canonical(sheets)
        for suffix in (".zip", ".xlsx"):
            path = tmp_path / f"out{suffix}"
            export_project(project, path)
            assert canonical(read_back(path, sheets)) == expected, suffix
        # and importing the export changes nothing
        again = import_workbook(tmp_path / "out.zip")
        assert again.ok, again.lines()
        assert all(c["created"] == c["updated"] == 0 for c in again.summary.values()), again.summary


# --- one cell, one column --------------------------------------------------------------------------------

ALL_COLUMNS = [(sheet.name, column) for sheet in schema.SHEETS for column in sheet.columns]


def near(column) -> st.SearchStrategy:
    """Cells close to what the column takes: its own values respelt, numbers and dates a little
    off, as well as anything at all."""
    own = [*column.choices, *schema.TRUE_WORDS, *schema.FALSE_WORDS]
    respelt = st.sampled_from(own).flatmap(lambda v: st.sampled_from(
        [v, v.upper(), v.title(), f" {v}", f"{v} ", f"{v};{v}", f"{v};", f"{v}\n{v}", v.replace("a", "ă")]))
    numbers = st.one_of(st.integers(-10**17, 10**17).map(str), st.from_regex(r"-{0,3}[0-9]{1,3}(\.[0-9]{0,3})?",
                                                                              fullmatch=True),
                        st.sampled_from(["²", "1²", "--5", "-−5", "5-", "+5", "٣", "１２", "1_000", "1e3", "0e0",
                                         "1E-999999999", "4.0", "4.00", "4.", ".5", "  7  "]))
    dates = st.one_of(st.dates().map(dt.date.isoformat), st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
                      st.sampled_from(["２０２４-01-01", "٢٠٢٤-٠١-٠١", "2024-01-01 ", "+2024-01-01", "2024-W01-1",
                                       "20240101", "2024-001"]))
    return st.one_of(respelt if own else st.nothing(), numbers, dates, TEXT, st.text(max_size=8))


@st.composite
def column_and_cells(draw, typed: bool):
    sheet, column = draw(st.sampled_from(ALL_COLUMNS))
    cell = near(column) if not typed else st.one_of(near(column), TYPED)
    return sheet, column, draw(st.lists(cell, min_size=1, max_size=6))


def _column(sheet: str, name: str) -> tuple:
    return sheet, schema.BY_NAME[sheet].by_name[name]


@settings(PROFILE, max_examples=PROFILE.max_examples * 10)
@given(case=column_and_cells(typed=True))
@example(case=(*_column("participants", "isced"), ["²"]))  # int('²'): ValueError, a server error
@example(case=(*_column("jobs", "hours_per_week"), ["--5"]))  # int('--5'): the same
def test_every_cell_parser_answers_a_value_or_its_own_error(case):
    _sheet, column, cells = case
    parse = parser_for(column)
    for cell in cells:
        try:
            parse(cell)
        except CellError as exc:
            assert str(exc)


def _one_by_one(column, cells):
    """What the importer makes of a column cell by cell: values, or None if any cell is refused."""
    parse, out = parser_for(column), []
    for cell in cells:
        try:
            value = parse(cell)
        except CellError:
            return None
        if column.required and value in (None, "", []):
            return None
        out.append(value)
    return out


@settings(PROFILE, max_examples=PROFILE.max_examples * 10)
@given(case=column_and_cells(typed=False))
def test_a_fast_column_parser_reads_what_the_cell_parser_reads(case):
    _sheet, column, cells = case
    fast = fast_parser_for(column)
    if fast is None:
        return
    values = fast(tuple(cells))
    if values is not None:
        assert values == _one_by_one(column, cells)
