"""The report of several projects adds up cached per-project parts: after any write, the next
report is the one counted afresh, and only the projects the write touched are counted again."""

import datetime as dt

import pytest

from socec.indicators import cache, engine
from socec.indicators.engine import Scope, report
from socec.indicators.models import ReportPart
from socec.jobs.models import Employment
from socec.jobs.services import employment_save
from socec.orgs.models import Organisation
from socec.orgs.services import organisation_save
from socec.outreach.models import Event
from socec.outreach.services import event_attendance_add, event_save
from socec.people.models import VulnerableCategory
from socec.people.services import participant_update
from socec.places.models import County
from socec.programmes.models import Project
from socec.programmes.services import project_save
from socec.training.models import Enrolment
from socec.training.services import enrolment_save
from socec.workbook.importer import import_workbook
from tests.test_indicators import D, build_h1, register
from tests.workbooks import base_sheets, make_cnp, make_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def h1(db):
    return build_h1()


@pytest.fixture
def counted(monkeypatch):
    """The project ids counted afresh by each cached report since the last call."""
    seen: list[int] = []
    real = engine.project_parts

    def spy(scope, as_of):
        parts = real(scope, as_of)
        seen.extend(parts)
        return parts

    monkeypatch.setattr(cache, "project_parts", spy)

    def take():
        found = sorted(seen)
        seen.clear()
        return found

    return take


def same_as_fresh():
    cached = report(Scope(), D)
    assert cached == report(Scope(), D, cached=False)
    return cached


def test_a_second_report_counts_nothing_again(h1, counted):
    project, _p = h1
    first = same_as_fresh()
    assert counted() == sorted(Project.objects.values_list("pk", flat=True))
    assert ReportPart.objects.filter(as_of=D).count() == 2
    assert report(Scope(), D) == first
    assert counted() == []
    # another date is another set of parts
    report(Scope(), D - dt.timedelta(days=100))
    assert len(counted()) == 2


def test_several_projects_by_code_use_the_same_parts(h1, counted):
    project, _p = h1
    same_as_fresh()
    counted()
    both = report(Scope(projects=("H1", "H2")), D)
    assert counted() == []
    assert both["indicators"] == report(Scope(projects=("H1", "H2")), D, cached=False)["indicators"]


WRITES = {
    "a participant's labour status": lambda project, p, other: participant_update(
        participation=p["P2"], data={"labour_status": "unemployed"}, by=None),
    "a shared person's sex, from the other project": lambda project, p, other: participant_update(
        participation=p["Q1"], data={"sex": "X"}, by=None),
    "a new participant": lambda project, p, other: register(other, "Q2", "M", dt.date(1980, 1, 1)),
    "a training completed": lambda project, p, other: enrolment_save(
        enrolment=Enrolment.objects.get(participation=p["P3"]), by=None, completed=True,
        completed_on=dt.date(2024, 9, 1)),
    "a vulnerable category taken away, from the category's side": lambda project, p, other: (
        VulnerableCategory.objects.get(code="roma").participations.remove(p["P1"])),
    "a vulnerable category removed": lambda project, p, other: p["P1"].vulnerable.clear(),
    "an employee hired": lambda project, p, other: employment_save(
        employment=Employment(job=project.jobs.get(code="J2")), by=None, participation=p["P1"],
        start_date=dt.date(2024, 11, 1)),
    "an attendance row": lambda project, p, other: event_attendance_add(
        event=Event.objects.get(project=project, code="E1"), by=None, participation=p["P3"]),
    "an event deleted": lambda project, p, other: Event.objects.get(project=project, code="E4").delete(),
    "an event moved": lambda project, p, other: event_save(
        event=Event.objects.get(project=project, code="E2"), by=None, county=County.objects.get(pk="CL")),
    "an enterprise's seat moved": lambda project, p, other: organisation_save(
        organisation=Organisation.objects.get(code="H-S1"), by=None, county=County.objects.get(pk="B")),
    "the project's start": lambda project, p, other: project_save(
        project=project, by=None, start_date=dt.date(2024, 3, 1)),
}


@pytest.mark.parametrize("what", WRITES)
def test_after_any_write_the_report_is_the_one_counted_afresh(h1, counted, what):
    project, p = h1
    other = Project.objects.get(code="H2")
    before = same_as_fresh()
    counted()
    WRITES[what](project, p, other)
    after = same_as_fresh()
    assert after != before, "the write should change a figure"
    assert set(counted()) <= {project.pk, other.pk}


def test_only_the_changed_project_is_counted_again(h1, counted):
    project, p = h1
    other = Project.objects.get(code="H2")
    same_as_fresh()
    counted()
    register(other, "Q3", "F", dt.date(1999, 9, 9))
    report(Scope(), D)
    assert counted() == [other.pk]


def test_a_write_that_fails_changes_no_version(h1, counted):
    project, p = h1
    same_as_fresh()
    counted()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        participant_update(participation=p["P2"], data={"exit_date": dt.date(2000, 1, 1)}, by=None)
    report(Scope(), D)
    assert counted() == []


def test_an_import_counts_its_project_again(h1, counted, tmp_path):
    same_as_fresh()
    counted()
    assert import_workbook(make_zip(tmp_path, base_sheets())).ok
    after = same_as_fresh()
    assert counted() == [Project.objects.get(code="NEWP").pk]
    assert after["indicators"]["EECO01"]["value"] > 7


def test_the_cache_can_be_switched_off(h1, counted, settings):
    settings.SOCEC_REPORT_CACHE = False
    same_as_fresh()
    assert ReportPart.objects.count() == 0


@pytest.mark.parametrize("same", ["by CNP: the same person", "by name and birth date: a second person record"])
def test_a_person_joining_a_third_project_is_counted_once_without_counting_everything_again(h1, counted, same):
    project, p = h1
    cnp = make_cnp("M", dt.date(1980, 5, 5), serial=77) if same.startswith("by CNP") else ""
    register(project, "P9", "M", dt.date(1980, 5, 5), cnp=cnp)  # in H1 only
    first = same_as_fresh()
    counted()
    third = project_save(project=Project(code="H3"), by=None, title="Proiect H trei", start_date=D.replace(year=2024),
                         end_date=D.replace(year=2026), lead_organisation=project.lead_organisation)
    register(third, "P9", "M", dt.date(1980, 5, 5), cnp=cnp)  # H1's part must learn that P9 is shared
    after = same_as_fresh()
    assert project.pk in counted()
    entries = after["indicators"]["EECO01"]
    assert entries["value"] == first["indicators"]["EECO01"]["value"] + 1
    assert entries["distinct_persons"] == first["indicators"]["EECO01"]["distinct_persons"]


def test_the_shared_persons_are_the_same_found_either_way(h1, monkeypatch):
    project, p = h1
    other = Project.objects.get(code="H2")
    scope = Scope(ids=(project.pk, other.pk))
    monkeypatch.setattr(engine, "SHARED_BY_GROUPING", 0)
    grouped = engine.project_parts(scope, D)
    monkeypatch.setattr(engine, "SHARED_BY_GROUPING", 100)
    looked_up = engine.project_parts(scope, D)
    assert grouped == looked_up
    shared = grouped[project.pk][engine.SHARED]
    assert len(shared) == 1 and shared.keys() == grouped[other.pk][engine.SHARED].keys()  # P1 = Q1


def test_a_part_stored_by_another_engine_is_counted_again(h1, counted, monkeypatch):
    same_as_fresh()
    counted()
    monkeypatch.setattr(cache, "LAYOUT", "an older engine")
    same_as_fresh()
    assert len(counted()) == 2


def test_one_project_s_report_is_cached_too_and_its_part_never_misleads_the_distinct_persons(h1, counted):
    project, p = h1
    first = report(Scope(project), D)
    assert counted() == [project.pk]
    assert report(Scope(project), D) == first
    assert counted() == []  # read back
    # that part was counted without the persons H1 shares with H2: the report of both counts it again
    both = same_as_fresh()
    assert project.pk in counted()
    assert both["indicators"]["EECO01"]["distinct_persons"] == both["indicators"]["EECO01"]["value"] - 1
    # and a part counted for every project serves one project's report as it is
    assert report(Scope(project), D) == first
    assert counted() == []
