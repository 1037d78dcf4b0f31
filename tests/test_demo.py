"""`socec demo`: the seeds' figures, reached under the definitions of indicators.md; idempotent.

One full build is slow-ish (a few seconds: ~1,600 audited writes), so the main test builds once
and checks everything on that build.
"""

import datetime as dt
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max, Q

from socec.audit.models import AuditEntry
from socec.core.validators import parse_cnp
from socec.demo import data
from socec.demo.builder import make_cnp, plan
from socec.jobs.models import Job
from socec.orgs.models import Organisation
from socec.outreach.models import Campaign, Event, Publication
from socec.people.models import Participation
from socec.programmes.models import Membership, Partnership, Project, Target
from socec.programmes.services import project_save
from socec.training.models import Enrolment
from tests.personas import make_org

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-parola-2015"
NINE = {"disability", "child_protection_leaver", "single_parent_family", "large_family", "minimum_income",
        "domestic_violence_victim", "women_at_risk", "roma", "early_school_leaver"}


def run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> dict:
    """Row count of every model, and the latest updated_at where a model has one."""
    result = {}
    for model in apps.get_models():
        result[model._meta.label] = model.objects.count()
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            result[model._meta.label + ".updated_at"] = model.objects.aggregate(m=Max("updated_at"))["m"]
    return result


# --- Indicators, as indicators.md defines them, as of D ---------------------------------------

def supported(project):
    return Partnership.objects.filter(project=project, role="supported").values("organisation")


def se01(project, on):
    return Enrolment.objects.filter(
        course__project=project, course__kind="training", completed=True, completed_on__lte=on,
        participation__entry_date__lte=on).values("participation").distinct().count()


def se03(project, on):
    return Organisation.objects.filter(pk__in=supported(project), is_ses=True,
                                       founded_on__range=(project.start_date, on)).count()


def se04(project, on):
    return Job.objects.filter(project=project, employer__in=supported(project),
                              created_on__range=(project.start_date, on))


def se05(project, on):
    held_by_vulnerable = Q(employments__start_date__lte=on) & (
        Q(employments__participation__vulnerable__isnull=False)
        | Q(employments__participation__isnull=True, employments__vulnerable=True))
    return se04(project, on).filter(held_by_vulnerable).distinct().count()


def test_demo_reaches_the_seeds_figures_and_is_idempotent(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SOCEC_DEMO_PASSWORD = ""
    out = run()
    generated = re.search(r"password: (\S+)", out).group(1)
    assert "Demo accounts: demo.manager, demo.field, demo.monitor, demo.partner, demo.auditor, demo.ses11" in out

    # SOCEC.NET ------------------------------------------------------------------------------
    sn = Project.objects.get(code="SOCEC.NET")
    end = sn.end_date
    assert (sn.start_date, end) == (dt.date(2014, 9, 1), dt.date(2015, 8, 31))
    assert sn.lead_organisation.name == "Consiliul Judetean Ilfov"
    assert set(sn.regions.values_list("code", flat=True)) == {"RO31", "RO32"}
    partners = set(Partnership.objects.filter(project=sn, role="partner").values_list("organisation__name",
                                                                                        flat=True))
    assert partners == {"Consiliul Judetean Calarasi", "Centrul de Resurse pentru Cetatenie Activa",
                        "Asociatia „Laboratorul de solidaritate”", "Asociatia „Viitorul lor depinde de tine”"}
    assert {t.indicator: int(t.value) for t in Target.objects.filter(project=sn)} == {
        "SE01": 145, "SE03": 11, "SE04": 80, "SE05": 59}

    people = Participation.objects.filter(project=sn)
    assert people.count() >= 145
    assert set(people.values_list("county__region", flat=True)) == {"RO31", "RO32"}
    assert set(people.values_list("area", flat=True)) == {"urban", "rural"}
    assert set(people.values_list("person__sex", flat=True)) == {"F", "M"}
    assert people.values("organisation").distinct().count() == 5
    assert se01(sn, end) == 145
    assert Enrolment.objects.filter(course__project=sn, course__kind="training", completed=True).exclude(
        completed_on__range=(sn.start_date, end)).count() == 0
    # Every person trained is vulnerable (the seed's "145 de persoane vulnerabile").
    trained = Enrolment.objects.filter(course__project=sn, course__kind="training", completed=True)
    assert not trained.filter(participation__vulnerable__isnull=True).exists()

    assert se03(sn, end) == 11
    ses = Organisation.objects.filter(pk__in=supported(sn))
    assert set(ses.values_list("county__region", flat=True)) <= {"RO31", "RO32"}
    assert ses.values("legal_form").distinct().count() >= 5 and ses.values("caen").distinct().count() >= 9
    assert ses.filter(public=True).exclude(description="").filter(products__isnull=False).exists()
    assert se04(sn, end).count() == Job.objects.filter(project=sn).count() == 80
    assert se05(sn, end) == 59

    conference = Event.objects.get(project=sn, kind="conference")
    assert (conference.date, conference.title) == (dt.date(2014, 12, 4),
                                                   "Acționăm responsabil pentru promovarea economiei sociale!")
    assert conference.theme == "Dificultati si oportunitati pentru dezvoltarea initiativelor de economie sociala"
    tables = Event.objects.filter(project=sn, kind="round_table")
    assert tables.count() == 10
    assert not tables.exclude(date__range=(dt.date(2015, 1, 1), dt.date(2015, 7, 31))).exists()
    assert set(tables.values_list("county__region", flat=True)) == {"RO31", "RO32"}
    assert Campaign.objects.filter(project=sn, channel="event").exists()
    report = "Responsabilitatea sociala in Romania. Probleme si solutii"
    assert Publication.objects.filter(project=sn, kind="report", title=report).exists()

    # SES11 ----------------------------------------------------------------------------------
    s11 = Project.objects.get(code="SES11")
    end = s11.end_date
    assert (s11.start_date, end) == (dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert s11.lead_organisation.name == "Fundatia Aequilibrium"
    assert s11.regions.count() == 8
    assert Partnership.objects.get(project=s11, role="partner").organisation.name == "Media One"
    assert se03(s11, end) == 11
    ses = Organisation.objects.filter(pk__in=supported(s11))
    assert ses.values("county__region").distinct().count() == 8
    assert set(ses.values_list("area", flat=True)) == {"urban", "rural"}
    assert {"4791", "1413"} <= set(ses.values_list("caen", flat=True))
    assert se04(s11, end).count() == 58
    assert se05(s11, end) == 47
    categories = set(Participation.objects.filter(project=s11).values_list("vulnerable__code", flat=True))
    assert categories == NINE

    caravan = Event.objects.filter(project=s11, kind="caravan_stop", date__lte=end)
    assert caravan.exclude(locality=None).values("locality").distinct().count() == 16  # SE09
    assert not caravan.exclude(date__range=(dt.date(2015, 5, 1), dt.date(2015, 10, 31))).exists()
    for stop in caravan:
        kinds = set(Event.objects.filter(project=s11, date=stop.date, locality=stop.locality).values_list(
            "kind", flat=True))
        assert kinds == {"caravan_stop", "counselling_session", "round_table"}
    campaigns = Campaign.objects.filter(project=s11)
    assert set(campaigns.values_list("channel", flat=True)) == {"press", "radio", "outdoor"}
    assert not campaigns.filter(Q(start_date=None) | Q(reach=None)).exists()
    assert Publication.objects.filter(project=s11, kind="film").exists()

    # Staff ------------------------------------------------------------------------------------
    roles = set(Membership.objects.filter(user__username__startswith="demo.").values_list(
        "user__username", "project__code", "organisation__code", "role"))
    assert roles == {
        ("demo.manager", "SOCEC.NET", "CJ-IF", "manager"), ("demo.field", "SOCEC.NET", "CRCA", "field_worker"),
        ("demo.monitor", "SOCEC.NET", "CJ-IF", "monitoring"),
        ("demo.partner", "SOCEC.NET", "LAB-SOLIDARITATE", "manager"),
        ("demo.auditor", "SOCEC.NET", "AM-POSDRU", "auditor"), ("demo.auditor", "SES11", "AM-POSDRU", "auditor"),
        ("demo.ses11", "SES11", "AEQUILIBRIUM", "manager")}

    # A second run writes nothing, changes nothing, and keeps the generated password.
    before = fingerprint()
    audit = AuditEntry.objects.count()
    again = run()
    assert "nothing written" in again
    assert "passwords unchanged" in again
    assert fingerprint() == before
    assert AuditEntry.objects.count() == audit
    assert client.login(username="demo.manager", password=generated)

    # With SOCEC_DEMO_PASSWORD set, every demo account takes it (and nothing else changes).
    settings.SOCEC_DEMO_PASSWORD = DEMO_PASSWORD
    before = {k: v for k, v in fingerprint().items() if not k.startswith("sessions.")}
    run()
    assert {k: v for k, v in fingerprint().items() if not k.startswith("sessions.")} == before
    for username, *_rest in data.DEMO_USERS:
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD), username

    # --if-empty: projects exist, so nothing at all happens.
    before = fingerprint()
    assert "already exist" in run("--if-empty")
    assert fingerprint() == before


def test_if_empty_leaves_an_existing_installation_alone():
    lead = make_org("REAL", "Asociatia Reala")
    project_save(project=Project(code="REAL-1"), by=None, title="Proiect real", start_date=dt.date(2024, 1, 1),
                 end_date=dt.date(2024, 12, 31), lead_organisation=lead)
    before = fingerprint()
    out = run("--if-empty")
    assert "demo data not loaded" in out
    assert fingerprint() == before
    assert not get_user_model().objects.filter(username__startswith="demo.").exists()


def test_plan_is_deterministic_and_cnps_are_valid():
    first, second = plan(), plan()
    assert [[p.data for p in x.people] for x in first] == [[p.data for p in x.people] for x in second]
    cnps = [p.data["cnp"] for x in first for p in x.people]
    assert len(set(cnps)) == len(cnps)
    for x in first:
        for p in x.people:
            facts = parse_cnp(p.data["cnp"])
            assert (facts.birth_date, facts.sex) == (p.data["birth_date"], p.data["sex"])
    assert parse_cnp(make_cnp("F", dt.date(2001, 2, 3), 51, 7)).sex == "F"
