"""Found by the API load test (benchmarks/api_load.py): two users creating events at the same moment both took
the next free code (EV-001) and the second answered 409 "duplicate code". The project's row is now locked while a
code is chosen (socec/outreach/services.py next_code), so the second waits and takes the following code. The same
for the project's first counselling sessions, which both created the hidden course IND-COUNSELLING
(socec/training/services.py _individual_enrolment)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from socec.outreach.models import Campaign, Event
from socec.outreach.services import campaign_save, event_save
from socec.training.models import CounsellingSession, Course
from socec.training.services import counselling_save
from tests.personas import build_world


def _in_thread(target):
    """Runs target() in a thread with its own database connection; returns (thread, outcome dict)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as exc:  # the assertion below shows it
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # reference data back after the flush
@pytest.mark.parametrize("kind", ["event", "campaign", "counselling"])
def test_two_records_created_at_once_get_two_codes(kind):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database refuses a second writer at once (shared-cache table lock) "
                    "instead of waiting; SQLite serializes writers anyway (BEGIN IMMEDIATE)")
    world = build_world()

    def create(title):
        if kind == "counselling":  # alice's (partner A) and bob's (partner B) first sessions
            by, person = (world.a_field, world.alice) if title == "first" else (world.b_manager, world.bob)
            counselling_save(session=CounsellingSession(project=world.project), by=by, participation=person,
                             kind="counselling", date=dt.date(2024, 5, 5), counsellor=title)
            return Course.objects.get(project=world.project, code="IND-COUNSELLING").code
        if kind == "event":
            return event_save(event=Event(project=world.project), by=world.a_field, kind="workshop", title=title,
                              date=dt.date(2024, 5, 5), county_id="IF").code
        return campaign_save(campaign=Campaign(project=world.project), by=world.a_field, channel="radio",
                             title=title, reach=10).code

    first_saved, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():  # a request still working after the save: its code is not committed yet
            code = create("first")
            first_saved.set()
            release.wait(10)
        return code

    thread_a, a = _in_thread(first)
    assert first_saved.wait(10)
    thread_b, b = _in_thread(lambda: create("second"))
    thread_b.join(0.5)  # the second request waits for the first to finish (PostgreSQL: the project row's lock)
    release.set()
    thread_a.join(10)
    thread_b.join(10)
    assert "error" not in a and "error" not in b, (a, b)
    if kind == "counselling":
        assert a["value"] == b["value"] == "IND-COUNSELLING" and Course.objects.count() == 1
        assert sorted(CounsellingSession.objects.values_list("counsellor", flat=True)) == ["first", "second"]
        return
    prefix = "EV" if kind == "event" else "CAM"
    assert sorted([a["value"], b["value"]]) == [f"{prefix}-001", f"{prefix}-002"]
    model = Event if kind == "event" else Campaign
    assert sorted(model.objects.values_list("title", flat=True)) == ["first", "second"]
