"""The synthetic workbook generator: valid by the schema, consistent, realistic, deterministic."""

import csv
import datetime as dt
import importlib.util
import io
import re
import zipfile
from collections import Counter
from decimal import Decimal, InvalidOperation
from io import StringIO

import pytest
from django.core.management import call_command

from socec.core.crypto import normalise_name
from socec.core.validators import parse_cnp, validate_caen, validate_cui
from socec.workbook import schema
from socec.workbook.synthetic import cui_with_control, generate

N = 300


def read_zip(path) -> dict[str, tuple[list[str], list[dict]]]:
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            with zf.open(name) as raw:
                rows = list(csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
            out[name.removesuffix(".csv")] = (rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]])
    return out


def read_xlsx(path) -> dict[str, tuple[list[str], list[dict]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
        out[ws.title] = (rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]])
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    base = tmp_path_factory.mktemp("synthetic")
    zip_path, xlsx_path = base / "syn.zip", base / "syn.xlsx"
    counts_zip = generate(zip_path, participants=N, seed=1, enrolments_per_participant=2, attendance=True)
    counts_xlsx = generate(xlsx_path, participants=N, seed=1, project_code="SYNX")
    return {"zip": (zip_path, counts_zip, read_zip(zip_path)), "xlsx": (xlsx_path, counts_xlsx, read_xlsx(xlsx_path))}


@pytest.fixture(scope="module")
def larger(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "syn5000.zip"
    generate(path, participants=5000, seed=3)
    return read_zip(path)


def cell_problem(column: schema.Column, value: str) -> str | None:
    """What the schema would refuse in this cell (None: acceptable)."""
    if value == "":
        return "required" if column.required else None
    if column.max_length and len(value) > column.max_length:
        return "too long"
    kind = column.kind
    if kind == schema.DATE:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "not YYYY-MM-DD"
        dt.date.fromisoformat(value)
    elif kind == schema.BOOL:
        if value not in ("yes", "no"):
            return "not yes/no"
    elif kind in (schema.INT, schema.DECIMAL):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return "not a number"
        if kind == schema.INT and number != int(number):
            return "not an integer"
        if column.min_value is not None and number < column.min_value:
            return "too small"
        if column.max_value is not None and number > column.max_value:
            return "too large"
    elif kind == schema.ENUM:
        if value not in column.choices:
            return "not a choice"
    elif kind == schema.LIST and any(item not in column.choices for item in value.split(";")):
        return "an item is not a choice"
    if kind in (schema.LIST, schema.DECIMAL, schema.INT, schema.DATE) and schema.format_value(column, value) != value:
        return "not the canonical text"
    return None


@pytest.mark.parametrize("fmt", ["zip", "xlsx"])
def test_every_sheet_with_the_schema_headers_and_valid_cells(files, fmt):
    _, counts, sheets = files[fmt]
    assert list(sheets) == schema.SHEET_NAMES
    assert list(counts) == schema.SHEET_NAMES
    for sheet in schema.SHEETS:
        header, rows = sheets[sheet.name]
        assert header == sheet.column_names, sheet.name
        assert len(rows) == counts[sheet.name], sheet.name
        for number, row in enumerate(rows, start=2):
            for column in sheet.columns:
                problem = cell_problem(column, row[column.name])
                assert problem is None, (sheet.name, number, column.name, row[column.name], problem)
        keys = [tuple(row[k] for k in sheet.key) for row in rows]
        assert len(keys) == len(set(keys)), f"{sheet.name}: duplicate keys"
    assert counts["participants"] == N
    assert len(sheets["project"][1]) == 1


def test_counts_follow_the_options(files):
    _, counts, _ = files["zip"]
    assert counts["enrolments"] == 2 * N
    assert counts["attendance"] == 4 * counts["enrolments"]
    _, counts, _ = files["xlsx"]
    assert counts["enrolments"] == N and counts["attendance"] == 0


@pytest.mark.parametrize("fmt", ["zip", "xlsx"])
def test_cnps_are_valid_unique_and_agree_with_birth_date_and_sex(files, fmt):
    people = files[fmt][2]["participants"][1]
    cnps = [p["cnp"] for p in people]
    assert all(cnps) and len(set(cnps)) == len(cnps)
    for p in people:
        facts = parse_cnp(p["cnp"])
        assert facts.birth_date.isoformat() == p["birth_date"], p
        if p["sex"] in ("F", "M"):
            assert facts.sex == p["sex"], p
        jj = int(p["cnp"][7:9])  # the county of issue: 01-40 counties, 41-46 Bucharest sectors, 51, 52
        assert 1 <= jj <= 46 or jj in (51, 52)
    refs = [p["person_ref"] for p in people]
    assert len(set(refs)) == len(refs)
    assert refs == [f"P{i:07d}" for i in range(1, N + 1)]


def test_no_two_participants_share_name_and_birth_date(larger):
    people = larger["participants"][1]
    keys = Counter((normalise_name(p["first_name"]), normalise_name(p["last_name"]), p["birth_date"])
                   for p in people)
    assert max(keys.values()) == 1


def test_places_organisations_and_references_are_consistent(files):
    sheets = files["zip"][2]
    counties = set(schema.COUNTY_CODES)
    for name, (_, rows) in sheets.items():
        for row in rows:
            assert row.get("county", "") in counties | {""}, (name, row)
            assert row.get("siruta", "") == ""
    orgs = {o["code"]: o for o in sheets["organisations"][1]}
    project = sheets["project"][1][0]
    assert orgs[project["lead_organisation"]]["project_role"] == "lead"
    cuis = [o["cui"] for o in orgs.values() if o["cui"]]
    assert len(cuis) == len(set(cuis)) and len(cuis) >= len(orgs) * 0.8
    for cui in cuis:
        validate_cui(cui)
    for o in orgs.values():
        if o["caen"]:
            validate_caen(o["caen"])
        assert bool(o["attestation_no"]) == bool(o["attested_on"])
        assert bool(o["social_mark_no"]) == bool(o["social_mark_on"])
    registrars = {c for c, o in orgs.items() if o["project_role"] in ("lead", "partner")}
    people = {p["person_ref"]: p for p in sheets["participants"][1]}
    assert {p["organisation"] for p in people.values()} <= registrars
    courses = {c["code"]: c for c in sheets["courses"][1]}
    for e in sheets["enrolments"][1]:
        assert e["person_ref"] in people and e["course"] in courses
        assert e["enrolled_on"] >= people[e["person_ref"]]["entry_date"]
        if e["completed"] == "yes":
            assert e["enrolled_on"] <= e["completed_on"] == courses[e["course"]]["end_date"]
        else:
            assert e["completed_on"] == "" and e["certified"] in ("", "no")
    enrolled = {(e["course"], e["person_ref"]) for e in sheets["enrolments"][1]}
    for a in sheets["attendance"][1]:
        assert (a["course"], a["person_ref"]) in enrolled
        assert courses[a["course"]]["start_date"] <= a["session_date"] <= courses[a["course"]]["end_date"]
    jobs = {j["code"]: j for j in sheets["jobs"][1]}
    for j in jobs.values():
        employer = orgs[j["employer"]]
        assert employer["is_ses"] == "yes" and employer["founded_on"] <= j["created_on"]
    for e in sheets["employments"][1]:
        assert e["job"] in jobs and e["start_date"] >= jobs[e["job"]]["created_on"]
        assert bool(e["person_ref"]) != bool(e["person_name"])
        if e["person_ref"]:
            assert e["person_ref"] in people and e["vulnerable"] == "" and e["vulnerable_category"] == ""
        if e["vulnerable_category"]:
            assert e["vulnerable"] == "yes"
        assert not e["end_date"] or e["end_date"] >= e["start_date"]
    events = {e["code"] for e in sheets["events"][1]}
    for a in sheets["event_attendance"][1]:
        assert a["event"] in events and bool(a["person_ref"]) != bool(a["organisation"])
        assert a["person_ref"] in people or a["organisation"] in orgs


def test_participant_facts_are_consistent(files):
    sheets = files["zip"][2]
    start = dt.date.fromisoformat(sheets["project"][1][0]["start_date"])
    end = dt.date.fromisoformat(sheets["project"][1][0]["end_date"])
    for p in sheets["participants"][1]:
        entry, birth = dt.date.fromisoformat(p["entry_date"]), dt.date.fromisoformat(p["birth_date"])
        assert start <= entry <= end and p["consent_on"] == p["entry_date"]
        age = entry.year - birth.year - ((entry.month, entry.day) < (birth.month, birth.day))
        assert 16 <= age <= 64, p
        assert (p["exit_date"] == "") == (p["exit_status"] == "")
        assert not p["exit_date"] or p["entry_date"] < p["exit_date"] <= end.isoformat()
        assert not p["status_6m"] or p["exit_date"]
        vulnerable = set(p["vulnerable"].split(";")) - {""}
        assert ("disability" in vulnerable) == (p["disability"] == "yes")
        assert "roma" not in vulnerable or p["minority"] == "yes"
        assert ("homeless" in vulnerable) == (p["homeless"] == "yes")


def test_distributions_are_realistic(larger):
    people = larger["participants"][1]
    n = len(people)

    def share(pred):
        return sum(1 for p in people if pred(p)) / n

    assert 0.48 <= share(lambda p: p["sex"] == "F") <= 0.56
    assert 0 < share(lambda p: p["sex"] == "X") < 0.01
    assert 0.50 <= share(lambda p: p["area"] == "urban") <= 0.58
    assert 0.40 <= share(lambda p: p["vulnerable"]) <= 0.50
    assert 0.75 <= share(lambda p: p["exit_date"]) <= 0.86
    assert Counter(p["isced"] for p in people).most_common(2)[0][0] in ("2", "3")
    by_county = Counter(p["county"] for p in people)
    assert len(by_county) == 42 and by_county.most_common(1)[0][0] == "B"
    vulnerable = Counter(c for p in people for c in p["vulnerable"].split(";") if c)
    assert {"roma", "minimum_income", "disability", "single_parent_family", "large_family",
            "early_school_leaver"} <= set(vulnerable)
    assert 0.025 <= len(larger["courses"][1]) / n <= 0.1  # about one course per 25 participants at scale
    assert 0.04 <= len(larger["jobs"][1]) / n <= 0.06


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    def participants_csv(name, seed):
        path = tmp_path / name
        generate(path, participants=200, seed=seed)
        with zipfile.ZipFile(path) as zf:
            return zf.read("participants.csv"), path.read_bytes()

    one, one_zip = participants_csv("a.zip", 7)
    again, again_zip = participants_csv("b.zip", 7)
    other, _ = participants_csv("c.zip", 8)
    assert one == again and one_zip == again_zip
    assert one != other


def test_cui_control_digit():
    for body in (1, 1234567, 10_000_001, 99_999_999):
        validate_cui(cui_with_control(body))


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path / "x.csv", participants=10)
    with pytest.raises(ValueError):
        generate(tmp_path / "x.zip", participants=0)
    with pytest.raises(ValueError):
        generate(tmp_path / "x.zip", participants=10, project_code="no spaces")


def test_command(tmp_path):
    path = tmp_path / "cmd.zip"
    out = StringIO()
    call_command("synth_workbook", "-o", str(path), "--participants", "50", "--seed", "4", "--attendance",
                 "--enrolments-per-participant", "2", "--project-code", "CMD", stdout=out)
    text = out.getvalue()
    for sheet in schema.SHEET_NAMES:
        assert re.search(rf"^{sheet}\s+[\d,]+$", text, re.M), sheet
    sheets = read_zip(path)
    assert len(sheets["participants"][1]) == 50 and len(sheets["enrolments"][1]) == 100
    assert sheets["project"][1][0]["code"] == "CMD"


importer_missing = importlib.util.find_spec("socec.workbook.importer") is None


@pytest.mark.skipif(importer_missing, reason="the importer (socec/workbook/importer.py) is not there yet")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no transaction around the import
def test_a_generated_workbook_imports_cleanly(tmp_path):
    from socec.people.models import Participation
    from socec.training.models import Enrolment

    path = tmp_path / "imp.zip"
    generate(path, participants=N, seed=5, project_code="IMP", attendance=True)
    out, err = StringIO(), StringIO()
    call_command("import", str(path), stdout=out, stderr=err)  # exits (SystemExit) on any error
    assert not re.search(r"^warning", out.getvalue() + err.getvalue(), re.M)
    assert Participation.objects.filter(project__code="IMP").count() == N
    assert Enrolment.objects.filter(participation__project__code="IMP").count() == N
