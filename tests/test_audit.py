import datetime as dt

import pytest

from socec.audit.models import AuditEntry
from socec.people.services import participant_update
from socec.training.models import Course
from socec.training.services import course_save

pytestmark = pytest.mark.django_db


def test_registration_is_audited_with_masked_identifiers(world):
    entry = AuditEntry.objects.get(model="people.participation", object_id=str(world.alice.pk), action="create")
    assert entry.actor == world.a_field and entry.project == world.project
    assert entry.changes["isced"] == [None, 2]
    assert entry.changes["vulnerable"] == [None, ["roma"]]
    assert entry.changes["cnp"] == ["", "•••"]
    serialized = str(entry.changes)
    assert "Alice" not in serialized and "2900512230011" not in serialized and "0722000111" not in serialized


def test_update_records_old_and_new_values_of_changed_fields_only(world):
    participant_update(participation=world.alice, by=world.a_manager,
                       data={"isced": 4, "exit_date": dt.date(2024, 9, 1), "exit_status": "employed",
                             "first_name": "Alicia"})
    entry = AuditEntry.objects.filter(action="update", model="people.participation").latest("id")
    assert entry.actor == world.a_manager
    assert entry.changes["isced"] == [2, 4]
    assert entry.changes["exit_date"] == [None, "2024-09-01"]
    assert entry.changes["exit_status"] == ["", "employed"]
    assert entry.changes["first_name"] == ["•••", "•••"]  # that it changed, never the name
    assert "labour_status" not in entry.changes
    assert "Alicia" not in str(entry.changes)


def test_an_update_that_changes_nothing_writes_no_entry(world):
    before = AuditEntry.objects.count()
    participant_update(participation=world.alice, by=world.a_manager, data={"isced": 2})
    assert AuditEntry.objects.count() == before


def test_system_changes_are_audited_as_system(world):
    course_save(course=Course(project=world.project), by=None, code="C9", title="Curs", kind="training")
    entry = AuditEntry.objects.get(model="training.course", action="create")
    assert entry.actor is None and entry.actor_name == "system"
    assert entry.changes["code"] == [None, "C9"]
