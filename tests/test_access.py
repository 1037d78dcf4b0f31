"""Scoping rules, asserted through the access helpers and the services with every persona."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from socec.audit.models import AuditEntry
from socec.people.access import get_participation_for, participations_visible_to
from socec.people.models import Identity, Participation, Person
from socec.people.services import identity_for, participant_register, participant_update
from socec.programmes.access import get_project_for, projects_visible_to
from socec.programmes.roles import Cap
from socec.training.models import Course
from socec.training.services import course_save, enrolment_save
from tests.personas import person_data

pytestmark = pytest.mark.django_db


def refs(user, project=None):
    return sorted(participations_visible_to(user, project).values_list("person_ref", flat=True))


def test_partner_sees_only_its_own_people(world):
    assert refs(world.a_manager, world.project) == ["A-001"]
    assert refs(world.a_field) == ["A-001"]
    assert refs(world.b_manager, world.project) == ["B-001"]


def test_lead_auditor_and_admin_see_the_whole_project(world):
    for user in (world.lead_manager, world.auditor, world.admin):
        assert refs(user, world.project) == ["A-001", "B-001"]


def test_outsider_and_anonymous_see_no_one(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert refs(world.outsider) == []
    assert refs(AnonymousUser()) == []
    assert list(projects_visible_to(AnonymousUser())) == []
    assert [p.code for p in projects_visible_to(world.outsider)] == ["P2"]


def test_partner_b_gets_404_for_partner_a_person(world):
    with pytest.raises(Http404):
        get_participation_for(world.b_manager, world.alice.pk)
    with pytest.raises(Http404):
        get_participation_for(world.outsider, world.alice.pk)
    assert get_participation_for(world.a_field, world.alice.pk)[0] == world.alice


def test_auditor_may_see_but_not_change_403(world):
    participation, access = get_participation_for(world.auditor, world.alice.pk)
    assert participation == world.alice
    with pytest.raises(PermissionDenied):
        get_participation_for(world.auditor, world.alice.pk, change=True)


def test_project_helper_404_for_non_members_403_for_missing_role(world):
    with pytest.raises(Http404):
        get_project_for(world.outsider, "P1")
    with pytest.raises(Http404):
        get_project_for(world.a_manager, "NO-SUCH")
    with pytest.raises(PermissionDenied):
        get_project_for(world.a_field, "P1", Cap.VIEW_AUDIT)
    assert get_project_for(world.a_manager, "P1", Cap.VIEW_AUDIT)[0] == world.project


def test_partner_b_cannot_change_partner_a_person_and_nothing_is_written(world):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        participant_update(participation=world.alice, data={"isced": 5}, by=world.b_manager)
    world.alice.refresh_from_db()
    assert world.alice.isced == 2
    assert AuditEntry.objects.count() == before


def test_auditor_cannot_register_people(world):
    with pytest.raises(PermissionDenied):
        participant_register(project=world.project, by=world.auditor,
                             data=person_data("X-1", "Ana", "Dobre", "F", dt.date(1999, 1, 1)))
    assert not Participation.objects.filter(person_ref="X-1").exists()


def test_partner_cannot_register_for_another_organisation(world):
    with pytest.raises(PermissionDenied):
        participant_register(project=world.project, by=world.a_field, organisation=world.org_b,
                             data=person_data("X-2", "Ana", "Dobre", "F", dt.date(1999, 1, 1)))
    assert not Participation.objects.filter(person_ref="X-2").exists()


def test_outsider_cannot_write_in_a_project_it_is_not_in(world):
    with pytest.raises(PermissionDenied):
        course_save(course=Course(project=world.project), by=world.outsider, code="C1", title="Curs",
                    kind="training")
    assert not Course.objects.filter(code="C1").exists()


def test_partner_cannot_enrol_another_partners_person(world):
    course = course_save(course=Course(project=world.project), by=world.a_manager, code="C1", title="Curs",
                         kind="training")
    from socec.training.models import Enrolment

    with pytest.raises(PermissionDenied):
        enrolment_save(enrolment=Enrolment(course=course, participation=world.alice), by=world.b_manager,
                       enrolled_on=dt.date(2024, 3, 2))
    assert not Enrolment.objects.exists()


def test_field_worker_sees_identifiers_and_the_view_is_logged(world):
    identity = identity_for(participation=world.alice, by=world.a_field)
    assert identity.first_name == "Alice"
    entry = AuditEntry.objects.filter(action="view_identifiers").latest("id")
    assert entry.actor == world.a_field and entry.object_id == str(world.alice.pk)


def test_auditor_sees_identifiers_only_through_a_logged_reveal(world):
    with pytest.raises(ValidationError):
        identity_for(participation=world.alice, by=world.auditor)  # no reason given
    assert not AuditEntry.objects.filter(action="reveal").exists()
    identity = identity_for(participation=world.alice, by=world.auditor, reason="Verificare dosar 12/2024")
    assert identity.cnp == "2900512230011"
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.actor == world.auditor and entry.reason == "Verificare dosar 12/2024"


def test_partner_b_cannot_see_partner_a_identifiers(world):
    with pytest.raises(PermissionDenied):
        identity_for(participation=world.alice, by=world.b_manager)
    assert not AuditEntry.objects.filter(action__in=["view_identifiers", "reveal"]).exists()


def test_same_cnp_in_another_project_is_the_same_person(world):
    from socec.programmes.roles import Role
    from socec.programmes.services import membership_grant

    membership_grant(project=world.other_project, user=world.b_manager, organisation=world.org_b,
                     role=Role.MANAGER, by=None)
    again = participant_register(project=world.other_project, by=world.b_manager, data=person_data(
        "P2-7", "Alice", "Ionescu", "F", dt.date(1990, 5, 12), cnp="2900512230011"))
    assert again.person_id == world.alice.person_id
    assert Person.objects.count() == 2 and Identity.objects.count() == 2


def test_same_person_twice_in_a_project_is_refused_without_revealing_the_other_partner(world):
    with pytest.raises(ValidationError) as exc:
        participant_register(project=world.project, by=world.b_manager, data=person_data(
            "B-009", "Alice", "Ionescu", "F", dt.date(1990, 5, 12), cnp="2900512230011"))
    assert "registered by another partner" in str(exc.value)
    assert "A-001" not in str(exc.value)
    assert not Participation.objects.filter(person_ref="B-009").exists()
