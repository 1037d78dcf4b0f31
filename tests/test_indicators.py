"""The indicator engine against a small project whose every figure is worked out here by hand.

Project H1 starts on 2024-01-01; the report date D is 2024-12-31. Each participant, job and event
below is there for one rule of indicators.md, and the comment says which.
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from socec.indicators.definitions import CODES
from socec.indicators.engine import Scope, add_months, left_six_months_by, report
from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.outreach.models import Campaign, Event, Publication
from socec.outreach.services import campaign_save, event_attendance_add, event_save, publication_save
from socec.people.models import Identity
from socec.people.services import participant_erase, participant_register, participant_update
from socec.places.models import County, Locality, Region
from socec.programmes.models import Project
from socec.programmes.services import partnership_set, project_save, target_set
from socec.training.models import Course, Enrolment
from socec.training.services import course_save, enrolment_save
from tests.personas import make_org
from tests.workbooks import make_cnp

D = dt.date(2024, 12, 31)
ENTRY = dt.date(2024, 3, 1)
pytestmark = pytest.mark.django_db


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def register(project, ref, sex, birth, *, county="IF", area="urban", cnp="", entry=ENTRY, **facts):
    data = {"person_ref": ref, "first_name": "Ana" if sex == "F" else "Ion", "last_name": ref, "sex": sex,
            "birth_date": birth, "cnp": cnp, "county": county, "area": area, "entry_date": entry,
            "labour_status": "unemployed", "isced": 3, "consent_on": entry}
    data.update(facts)
    return participant_register(project=project, data=data, by=None)


def job(project, code, employer, created="2024-03-01", hours=40):
    return job_save(job=Job(project=project, code=code), by=None, employer=employer, created_on=d(created),
                    hours_per_week=hours, title=code)


def employ(job_, *, participation=None, name="", start="2024-03-01", end=None, hours=None, vulnerable=None):
    return employment_save(employment=Employment(job=job_), by=None, participation=participation, person_name=name,
                           start_date=d(start), end_date=d(end) if end else None, hours_per_week=hours,
                           vulnerable=vulnerable)


@pytest.fixture
def h1(db):
    return build_h1()


def build_h1():
    """Project H1 (and H2, sharing P1 as Q1): returns (H1, {ref: participation})."""
    lead = make_org("H-LEAD", "Asociatia Lider")
    s1 = make_org("H-S1", "Cooperativa Unu", county="CL", is_ses=True, founded_on=d("2024-02-01"), area="rural")
    s2 = make_org("H-S2", "Intreprindere Doi", county="CL", is_ses=True, founded_on=d("2023-12-31"), area="urban")
    s3 = make_org("H-S3", "Firma Trei", county="IF", founded_on=d("2024-05-01"), area="urban")
    project = project_save(project=Project(code="H1"), by=None, title="Proiect H", start_date=d("2024-01-01"),
                           end_date=d("2025-12-31"), lead_organisation=lead)
    other = project_save(project=Project(code="H2"), by=None, title="Proiect H doi", start_date=d("2024-01-01"),
                         end_date=d("2025-12-31"), lead_organisation=lead)
    for org in (s1, s2, s3):
        partnership_set(project=project, organisation=org, role="supported", by=None)

    p = {}
    # Ages on the entry date (2024-03-01): exactly 18 is young (EECO07), not a child (EECO06).
    p["P1"] = register(project, "P1", "F", d("2006-03-01"), cnp=make_cnp("F", d("2006-03-01"), serial=11),
                       disability="yes", vulnerable=["roma"], exit_date=D, exit_status="job_searching")
    p["P2"] = register(project, "P2", "M", d("2006-03-02"), area="rural", labour_status="inactive",
                       disability="refused", minority="yes", isced=2)                     # 17: a child
    p["P3"] = register(project, "P3", "F", d("1994-03-02"), foreign_background="refused", isced=6,
                       labour_status="long_term_unemployed")                             # 29: young
    p["P4"] = register(project, "P4", "F", d("1994-03-01"), third_country_national=True, homeless=True,
                       foreign_background="yes", labour_status="employed")                # 30: not young
    # Exactly 55 counts (EECO08); left on 2024-06-30: six months later is 2024-12-30 <= D (EECR05, EECR06).
    p["P5"] = register(project, "P5", "M", d("1969-03-01"), labour_status="long_term_unemployed", isced=0,
                       exit_date=d("2024-06-30"), exit_status="employed", qualification_gained=True,
                       status_6m="employed", improved_6m=True)
    # 54; left on 2024-07-01, six months minus one day before D: not yet a longer-term result.
    p["P6"] = register(project, "P6", "F", d("1969-03-02"), labour_status="self_employed", isced=8,
                       exit_date=d("2024-07-01"), exit_status="self_employed", status_6m="employed",
                       improved_6m=True)
    # Enters after D: in no output indicator.
    p["P7"] = register(project, "P7", "M", d("1990-01-01"), entry=d("2025-01-10"))
    # P1 again, in the other project (same CNP: one person).
    p["Q1"] = register(other, "Q1", "F", d("2006-03-01"), cnp=make_cnp("F", d("2006-03-01"), serial=11))

    t1 = course_save(course=Course(project=project, code="T1"), by=None, title="Antreprenoriat", kind="training")
    t2 = course_save(course=Course(project=project, code="T2"), by=None, title="Contabilitate", kind="training")
    c1 = course_save(course=Course(project=project, code="C1"), by=None, title="Consiliere", kind="counselling")

    def enrol(part, course, **values):
        enrolment_save(enrolment=Enrolment(participation=part, course=course), by=None, **values)

    # P1: two trainings completed: one person trained and certified (SE01, SE02).
    enrol(p["P1"], t1, enrolled_on=d("2024-03-05"), completed=True, completed_on=d("2024-05-01"), certified=True)
    enrol(p["P1"], t2, enrolled_on=d("2024-03-05"), completed=True, completed_on=d("2024-06-01"))
    enrol(p["P2"], t1, enrolled_on=d("2024-03-05"), completed=True, completed_on=d("2025-01-05"))  # after D
    enrol(p["P3"], t1, enrolled_on=d("2024-03-05"), completed=False)
    enrol(p["P4"], c1, enrolled_on=d("2024-04-01"))  # counselled (SE10)

    # Jobs. SE04 counts jobs of supported employers created from the project's start to D.
    j1 = job(project, "J1", s1)
    employ(j1, participation=p["P1"], end="2024-06-30")          # held by vulnerable P1, then
    employ(j1, name="Ion Vasile", start="2024-07-01", vulnerable=False)  # by someone else: one job
    j2 = job(project, "J2", s1)
    employ(j2, name="Maria Stan", start="2024-04-01", end="2024-10-31", vulnerable=True)  # ended before D
    job(project, "J3", s2, created="2025-02-01")                  # created after D
    job(project, "J4", lead)                                      # the lead is not supported
    j5 = job(project, "J5", s2, created="2024-06-01", hours=20)
    employ(j5, name="Elena Dinu", start="2024-06-01", vulnerable=True)
    j6 = job(project, "J6", s2, created="2024-06-01", hours=10)
    employ(j6, name="elena  DINU", start="2024-06-01", vulnerable=True)  # the same person: counted once
    # S3: 3 of 10 employees vulnerable (exactly 30%), but 30 of 310 hours: not an insertion enterprise.
    for i in range(10):
        vulnerable = i < 3
        j = job(project, f"K{i}", s3, created="2024-05-01", hours=10 if vulnerable else 40)
        employ(j, name=f"Angajat {i}", start="2024-05-01", vulnerable=vulnerable)

    # Events: two caravan stops in one locality, one in a county without SIRUTA, one after D.
    place = Locality.objects.filter(county="IF", level=3).order_by("siruta").first()

    def event(code, kind, date, county="IF", **values):
        return event_save(event=Event(project=project, code=code), by=None, kind=kind, title=values.pop(
            "title", code), date=d(date), county_id=county, **values)

    event("E1", "caravan_stop", "2024-04-01", locality=place, participants=30)   # no rows: head count 30
    e2 = event("E2", "counselling_session", "2024-05-01", participants=50)       # 2 rows: 2
    event_attendance_add(event=e2, by=None, participation=p["P5"])
    event_attendance_add(event=e2, by=None, participation=p["P6"])
    event("E3", "caravan_stop", "2024-05-01", locality=place)                   # same place; no count
    event("E4", "caravan_stop", "2024-06-01", county="CL", title="Oltenița", participants=10)
    event("E5", "caravan_stop", "2025-03-01", county="CL", title="Lehliu", participants=99)  # after D

    campaign_save(campaign=Campaign(project=project, code="K1"), by=None, channel="tv", title="Spot",
                  start_date=d("2024-02-01"), reach=1000)
    campaign_save(campaign=Campaign(project=project, code="K2"), by=None, channel="online", title="Fara data")
    campaign_save(campaign=Campaign(project=project, code="K3"), by=None, channel="radio", title="Tarziu",
                  start_date=d("2025-01-01"), reach=500)
    publication_save(publication=Publication(project=project, code="PB1"), by=None, kind="study", title="Studiu",
                     published_on=d("2024-09-01"))
    publication_save(publication=Publication(project=project, code="PB2"), by=None, kind="guide", title="Ghid")

    target_set(project=project, indicator="EECO01", value=10, by=None)
    target_set(project=project, indicator="EECO01", value=6, county=County.objects.get(pk="IF"), by=None)
    target_set(project=project, indicator="SE04", value=12, region=Region.objects.get(pk="RO31"), by=None)
    return project, p


def figures(rep) -> dict:
    return {code: entry["value"] for code, entry in rep["indicators"].items()}


EXPECTED = {
    # P1-P6 entered by D; P7 enters later.
    "EECO01": 6, "EECO02": 3,  # P1, P3 (long-term), P5 (long-term)
    "EECO03": 2, "EECO04": 1, "EECO05": 2,  # P4 employed, P6 self-employed
    "EECO06": 1, "EECO07": 2, "EECO08": 1,  # P2 | P1 (18), P3 (29) | P5 (55)
    "EECO09": 2, "EECO10": 2, "EECO11": 2,  # P2 (2), P5 (0) | P1, P4 (3) | P3 (6), P6 (8)
    "EECO12": 1, "EECO13": 1, "EECO14": 1, "EECO15": 1, "EECO16": 1, "EECO17": 1,
    "EECO19": 3,  # S1, S2, S3 supported
    "EECR01": 1,  # P1 left on D itself
    "EECR02": 0, "EECR03": 1, "EECR04": 2,  # P5 employed, P6 self-employed
    "EECR05": 1, "EECR06": 1,  # P5 only: P6 left six months minus one day before D
    "SE01": 1, "SE02": 1,  # P1 once, with two trainings; P2 completed after D; P3 not completed
    "SE03": 1,  # S1 (S2 founded before the project, S3 not a SES)
    "SE04": 14,  # J1, J2, J5, J6, K0-K9
    "SE05": 7,  # J1 (P1), J2, J5, J6, K0-K2
    "SE06": 13,  # all but J2
    "SE07": 1,  # S2 (one vulnerable employee in two jobs, 30 h); S3 has 30% of staff but 9.7% of hours
    "SE08": 4, "SE09": 2, "SE10": 3,  # P4 (course), P5 and P6 (session)
    "SE11": 42,  # 30 + 2 + 0 + 10
    "SE12": 1, "SE13": 1,
}


def test_every_figure_of_the_hand_worked_project(h1):
    project, _p = h1
    rep = report(Scope(project), D)
    assert rep["scope"] == "H1" and rep["as_of"] == "2024-12-31"
    assert list(rep["indicators"]) == CODES
    assert figures(rep) == EXPECTED


def test_breakdowns_add_up_and_place_people_where_they_live(h1):
    project, _p = h1
    ind = report(Scope(project), D)["indicators"]
    assert ind["EECO01"]["by"] == {"sex": {"F": 4, "M": 2}, "region": {"RO32": 6}, "county": {"IF": 6},
                                   "area": {"rural": 1, "urban": 5}}
    assert ind["SE04"]["by"] == {"region": {"RO31": 4, "RO32": 10}, "county": {"CL": 4, "IF": 10},
                                 "area": {"rural": 2, "urban": 12}}
    assert ind["SE08"]["by"] == {"kind": {"caravan_stop": 3, "counselling_session": 1},
                                 "region": {"RO31": 1, "RO32": 3}, "county": {"CL": 1, "IF": 3}}
    assert ind["SE11"]["by"]["kind"] == {"caravan_stop": 40, "counselling_session": 2}
    assert ind["SE12"]["reach"] == 1000 and ind["SE12"]["by"] == {"channel": {"tv": 1}}
    assert ind["SE13"]["by"] == {"kind": {"study": 1}}
    for code, entry in ind.items():
        for kind, parts in entry.get("by", {}).items():
            assert sum(parts.values()) == entry["value"], (code, kind)


def test_refused_answers_are_counted_beside_the_indicator(h1):
    project, _p = h1
    ind = report(Scope(project), D)["indicators"]
    assert (ind["EECO12"]["value"], ind["EECO12"]["refused"]) == (1, 1)  # P1 yes, P2 refused
    assert (ind["EECO14"]["value"], ind["EECO14"]["refused"]) == (1, 1)  # P4 yes, P3 refused
    assert (ind["EECO15"]["value"], ind["EECO15"]["refused"]) == (1, 0)


def test_targets_project_wide_and_by_place(h1):
    project, _p = h1
    ind = report(Scope(project), D)["indicators"]
    assert ind["EECO01"]["target"] == 10 and ind["EECO01"]["targets_by"] == {"county": {"IF": 6}}
    assert "target" not in ind["SE04"] and ind["SE04"]["targets_by"] == {"region": {"RO31": 12}}


def test_all_projects_sum_participations_and_count_each_person_once(h1):
    _project, _p = h1
    rep = report(Scope(), D)
    ind = rep["indicators"]
    assert rep["scope"] == "ALL"
    assert ind["EECO01"]["value"] == 7  # six in H1, P1 again in H2 as Q1
    assert ind["EECO01"]["distinct_persons"] == 6
    assert ind["EECO07"]["value"] == 3 and ind["EECO07"]["distinct_persons"] == 2
    assert ind["SE01"]["distinct_persons"] == 1


def test_an_earlier_date_gives_earlier_figures(h1):
    project, _p = h1
    ind = report(Scope(project), d("2024-06-30"))["indicators"]
    assert ind["EECR01"]["value"] == 0  # P1 has not left yet
    assert ind["EECR04"]["value"] == 1  # P5 left that day
    assert ind["EECR05"]["value"] == 0
    assert ind["SE01"]["value"] == 1
    assert ind["SE06"]["value"] == 14  # every job: J1 still held by P1 that day, J2 not ended yet
    assert report(Scope(project), d("2024-01-31"))["indicators"]["EECO01"]["value"] == 0


def test_a_change_to_a_record_shows_in_the_next_report(h1):
    project, p = h1
    participant_update(participation=p["P2"], data={"labour_status": "unemployed"}, by=None)
    assert figures(report(Scope(project), D))["EECO02"] == EXPECTED["EECO02"] + 1


def test_an_erasure_keeps_every_figure(h1):
    project, p = h1
    before_one, before_all = report(Scope(project), D), report(Scope(), D)
    participant_erase(participation=p["P1"], by=None, reason="cererea persoanei din 2024-12-01")
    assert not Identity.objects.filter(person_id=p["P1"].person_id).exists()
    assert report(Scope(project), D) == before_one
    assert report(Scope(), D) == before_all


def test_six_months_after_leaving_takes_the_last_day_of_a_shorter_month():
    assert add_months(d("2024-08-31"), 6) == d("2025-02-28")
    assert add_months(d("2023-08-31"), 6) == d("2024-02-29")
    # D = 2025-02-28: exits of 29, 30 and 31 August 2024 all reach 28 February
    assert left_six_months_by(d("2025-02-28")) == d("2024-08-31")
    assert left_six_months_by(d("2024-12-31")) == d("2024-06-30")
    assert left_six_months_by(d("2025-03-01")) == d("2024-09-01")


def test_every_code_appears_even_in_an_empty_database():
    rep = report(Scope(), D)
    assert list(rep["indicators"]) == CODES
    assert all(entry["value"] == 0 for entry in rep["indicators"].values())


def test_report_command_prints_json_and_refuses_bad_input(h1):
    out = io.StringIO()
    call_command("report", "--project", "H1", "--as-of", "2024-12-31", "--format", "json", stdout=out)
    # the command writes JSON to standard output itself; call_command's stdout is not used for it
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", "--project", "H1", "--as-of", "31.12.2024", "--format", "json")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("report", "--project", "NOPE", "--format", "json")
    with pytest.raises(CommandError, match="-o"):
        call_command("report", "--all", "--format", "pdf")


def test_report_command_writes_the_json_of_indicators_md(h1, tmp_path):
    target = tmp_path / "r.json"
    call_command("report", "--project", "H1", "--as-of", "2024-12-31", "--format", "json", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert figures(data) == EXPECTED
    assert data["indicators"]["EECO01"]["name"]


def test_the_demo_projects_reach_the_seeds_figures(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=io.StringIO())
    sn = Project.objects.get(code="SOCEC.NET")
    ind = report(Scope(sn), sn.end_date)["indicators"]
    assert {c: ind[c]["value"] for c in ("SE01", "SE03", "SE04", "SE05")} == {
        "SE01": 145, "SE03": 11, "SE04": 80, "SE05": 59}
    assert {c: ind[c]["target"] for c in ("SE01", "SE03", "SE04", "SE05")} == {
        "SE01": 145, "SE03": 11, "SE04": 80, "SE05": 59}
    ses11 = Project.objects.get(code="SES11")
    ind = report(Scope(ses11), ses11.end_date)["indicators"]
    assert {c: ind[c]["value"] for c in ("SE03", "SE04", "SE05", "SE09")} == {
        "SE03": 11, "SE04": 58, "SE05": 47, "SE09": 16}
