"""Bad input gets a clear message naming the field, and nothing is written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from socec.audit.models import AuditEntry
from socec.core.validators import parse_cnp, validate_cui
from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.orgs.models import Organisation
from socec.people.models import Identity, Participation, Person
from socec.people.services import participant_register, participant_update
from socec.programmes.models import Target
from socec.programmes.services import target_set
from tests.personas import make_org, person_data

pytestmark = pytest.mark.django_db


def messages(exc):
    return exc.value.message_dict


def register(world, **overrides):
    data = person_data("A-100", "Maria", "Stan", "F", dt.date(1990, 5, 12), cnp="", **{})
    data.update(overrides)
    return participant_register(project=world.project, by=world.a_field, data=data)


def assert_nothing_written(counts_before):
    assert (Person.objects.count(), Identity.objects.count(), Participation.objects.count(),
            AuditEntry.objects.count()) == counts_before


def counts():
    return (Person.objects.count(), Identity.objects.count(), Participation.objects.count(),
            AuditEntry.objects.count())


@pytest.mark.parametrize("cnp, field, text", [
    ("290051223001", "cnp", "13 digits"),
    ("2900512230012", "cnp", "control digit"),
    ("1900512230018", "sex", "encodes sex M"),
    ("2900513230012", "birth_date", "1990-05-13"),
])
def test_cnp_problems_name_the_field(world, cnp, field, text):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        register(world, cnp=cnp)
    assert text in " ".join(messages(exc)[field])
    assert_nothing_written(before)


def test_cnp_county_of_issue_is_not_compared_with_residence(world):
    # Issued in Ilfov (23), living in Calarasi: fine.
    p = register(world, cnp="2900512230028", county="CL")
    assert p.county_id == "CL"


def test_exit_before_entry_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        register(world, exit_date=dt.date(2024, 2, 1))
    assert "exit date is before the entry date" in str(messages(exc))
    assert_nothing_written(before)


def test_isced_out_of_range_and_unknown_category(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        register(world, isced=9)
    assert "isced" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        register(world, vulnerable=["roma", "pirates"])
    assert "pirates" in " ".join(messages(exc)["vulnerable"])
    assert_nothing_written(before)


def test_duplicate_person_ref_in_a_project(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        register(world, person_ref="A-001")
    assert "already used in the project" in str(messages(exc))
    assert_nothing_written(before)


def test_unknown_siruta_and_county(world):
    with pytest.raises(ValidationError) as exc:
        register(world, locality=99999999)
    assert "99999999" in " ".join(messages(exc)["locality"])
    with pytest.raises(ValidationError) as exc:
        register(world, county="ZZ")
    assert "ZZ" in " ".join(messages(exc)["county"])


def test_siruta_decides_county(world):
    p = register(world, locality=179132, county="IF")  # Bucharest's UAT code
    assert p.county_id == "B"


def test_update_with_bad_value_leaves_the_record_unchanged(world):
    before = counts()
    with pytest.raises(ValidationError):
        participant_update(participation=world.alice, by=world.a_field,
                           data={"isced": 3, "exit_date": dt.date(2020, 1, 1)})
    world.alice.refresh_from_db()
    assert world.alice.isced == 2 and world.alice.exit_date is None
    assert_nothing_written(before)


def test_cui_control_digit():
    validate_cui("RO 18547290")  # a real-shaped valid CUI
    with pytest.raises(ValidationError, match="control digit"):
        validate_cui("18547291")


def test_cnp_facts():
    facts = parse_cnp("5010203400011")
    assert facts.birth_date == dt.date(2001, 2, 3) and facts.sex == "M"


def test_duplicate_cui_is_refused_with_a_clear_message(world):
    make_org("ORG-C", "C", cui="18547290")
    with pytest.raises(ValidationError) as exc:
        make_org("ORG-D", "D", cui="RO18547290")
    assert "already has this CUI" in str(exc.value)
    assert not Organisation.objects.filter(code="ORG-D").exists()


def test_target_for_region_and_county_at_once(world):
    from socec.places.models import County, Region

    with pytest.raises(ValidationError, match="region or a county"):
        target_set(project=world.project, indicator="SE04", value=10, by=world.lead_manager,
                   region=Region.objects.get(pk="RO32"), county=County.objects.get(pk="IF"))
    assert not Target.objects.exists()


def test_job_hours_and_employment_holder(world):
    with pytest.raises(ValidationError) as exc:
        job_save(job=Job(project=world.project), by=world.a_manager, code="J1", employer=world.org_a,
                 created_on=dt.date(2024, 5, 1), hours_per_week=41)
    assert "hours_per_week" in messages(exc)
    job = job_save(job=Job(project=world.project), by=world.a_manager, code="J1", employer=world.org_a,
                   created_on=dt.date(2024, 5, 1), hours_per_week=40)
    with pytest.raises(ValidationError) as exc:
        employment_save(employment=Employment(job=job), by=world.a_manager, start_date=dt.date(2024, 5, 2))
    assert "person_name" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        employment_save(employment=Employment(job=job), by=world.a_manager, participation=world.alice,
                        start_date=dt.date(2024, 5, 2), vulnerable=False)
    assert "vulnerable" in messages(exc[0] if isinstance(exc, tuple) else exc)
    assert not Employment.objects.exists()
    e = employment_save(employment=Employment(job=job), by=world.a_manager, participation=world.alice,
                        start_date=dt.date(2024, 5, 2))
    assert e.vulnerable is True  # follows from Alice's categories


def test_database_enforces_constraints_even_without_the_services(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=world.alice.pk).update(exit_date=dt.date(2000, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(project=world.project, code="JX", employer=world.org_a, created_on=dt.date(2024, 1, 1),
                           hours_per_week=0)
