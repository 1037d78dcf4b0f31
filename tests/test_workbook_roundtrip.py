"""Export, then import into an empty database: the same records, the same export, the same report."""

import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from socec.audit.models import AuditEntry
from socec.demo.builder import build
from socec.jobs.models import Employment, Job
from socec.orgs.models import Organisation, Product
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.people.models import EvidenceDocument, Identity, Participation, Person
from socec.programmes.models import Membership, Partnership, Project, Target
from socec.training.models import Attendance, Course, CourseSession, Enrolment
from socec.workbook.export import export_project
from socec.workbook.importer import import_workbook

pytestmark = pytest.mark.django_db


def _wipe():
    """Every programme record, in the order their references allow: an empty database but for
    the reference data (places, categories) the migrations load."""
    for model in (AuditEntry, Attendance, CourseSession, Enrolment, Course, EventAttendance, Event, Employment, Job,
                  Campaign, Publication, Target, Membership, Partnership, EvidenceDocument):
        model.objects.all().delete()
    Participation.vulnerable.through.objects.all().delete()
    Participation.objects.all().delete()
    Identity.objects.all().delete()
    Person.objects.all().delete()
    Project.objects.all().delete()
    Product.objects.all().delete()
    Organisation.objects.all().delete()


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _counts():
    return {m.__name__: m.objects.count() for m in (Organisation, Project, Partnership, Target, Participation,
                                                   Person, Identity, Course, CourseSession, Enrolment, Attendance,
                                                   Job, Employment, Event, EventAttendance, Campaign, Publication)}


def test_demo_export_imports_into_an_empty_database_to_the_same_records(tmp_path):
    build()
    first = {}
    for code in ("SOCEC.NET", "SES11"):
        export_project(Project.objects.get(code=code), tmp_path / f"{code}.zip")
        first[code] = _members(tmp_path / f"{code}.zip")
    export_project(Project.objects.get(code="SOCEC.NET"), tmp_path / "SOCEC.NET.xlsx")
    before = _counts()
    _wipe()
    assert Participation.objects.count() == 0

    reports = {code: import_workbook(tmp_path / f"{code}.zip") for code in ("SOCEC.NET", "SES11")}
    for code, report in reports.items():
        assert report.ok, report.lines()[:5]
        assert report.warnings == []
        assert report.summary["participants"]["created"] == Participation.objects.filter(project__code=code).count()
    # Every record comes back; organisations are those the projects involve (the demo's funder,
    # which is in no project, is not in either export).
    exported_orgs = {line.split(b",")[0] for code in first for line in
                     first[code]["organisations.csv"].splitlines()[1:]}
    assert _counts() == {**before, "Organisation": len(exported_orgs)}

    for code in ("SOCEC.NET", "SES11"):
        export_project(Project.objects.get(code=code), tmp_path / f"{code}-again.zip")
        assert _members(tmp_path / f"{code}-again.zip") == first[code]

    # Importing the export again, as a zip or as an .xlsx, changes nothing.
    audit = AuditEntry.objects.count()
    for name in ("SOCEC.NET.zip", "SOCEC.NET.xlsx"):
        again = import_workbook(tmp_path / name)
        assert again.ok, again.lines()[:5]
        assert all(c["created"] == 0 and c["updated"] == 0 for c in again.summary.values()), again.summary
        assert again.summary["participants"]["unchanged"] == Participation.objects.filter(
            project__code="SOCEC.NET").count()
    assert _counts() == {**before, "Organisation": len(exported_orgs)}
    # One entry per import run (the import itself), nothing per unchanged record.
    assert AuditEntry.objects.count() == audit + 2


def test_import_command_prints_the_summary_of_the_demo_export(tmp_path):
    build()
    export_project(Project.objects.get(code="SES11"), tmp_path / "ses11.zip")
    out = StringIO()
    call_command("import", str(tmp_path / "ses11.zip"), stdout=out)
    text = out.getvalue()
    assert "participants: 0 created, 0 updated, 47 unchanged" in text
    assert "jobs: 0 created, 0 updated, 58 unchanged" in text
