"""The indicators in the staff application: dashboard, the records behind a figure, downloads,
all projects, snapshots; each for the personas of tests/personas.py."""

import json

import pytest
from django.urls import reverse

from socec.audit.models import AuditEntry
from socec.indicators.models import Snapshot
from socec.people.services import participant_update

pytestmark = pytest.mark.django_db
AS_OF = "2024-12-31"


def url(name, *args, **query):
    base = reverse(f"staff:{name}", args=args)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(("persona", "status"), [
    ("lead_manager", 200), ("a_manager", 200), ("a_monitor", 200), ("auditor", 200), ("admin", 200),
    ("a_field", 403),  # a field worker does not see reports
    ("outsider", 404),  # not in the project
])
def test_who_may_open_the_dashboard(world, login, persona, status):
    response = login(getattr(world, persona)).get(url("report", "P1", as_of=AS_OF))
    assert response.status_code == status
    if status == 200:
        assert b"EECO01" in response.content and b"<svg" in response.content


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(url("report", "P1"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_dashboard_shows_the_figures_and_links_each_to_its_records(world, login):
    page = login(world.lead_manager).get(url("report", "P1", as_of=AS_OF)).content.decode()
    assert url("report_behind", "P1", "EECO01") + f"?as_of={AS_OF}" in page
    assert "Participants by county" in page or "Participanți pe județe" in page


def test_behind_a_figure_the_lead_sees_every_participant_by_name_and_the_view_is_logged(world, login):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).count()
    page = login(world.lead_manager).get(url("report_behind", "P1", "EECO01", as_of=AS_OF)).content.decode()
    assert "A-001" in page and "B-001" in page
    assert "Alice Ionescu" in page and "Bob Popescu" in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).count() == before + 1


def test_a_partner_sees_only_its_own_participants_and_how_many_are_hidden(world, login):
    page = login(world.a_manager).get(url("report_behind", "P1", "EECO01", as_of=AS_OF)).content.decode()
    assert "A-001" in page and "B-001" not in page
    assert "1 more participant" in page or "1 participant" in page


def test_the_auditor_sees_initials_not_names(world, login):
    page = login(world.auditor).get(url("report_behind", "P1", "EECO01", as_of=AS_OF)).content.decode()
    assert "A-001" in page and "B-001" in page
    assert "Alice" not in page and "A. I." in page


def test_one_part_of_a_breakdown_lists_only_its_records(world, login):
    page = login(world.lead_manager).get(url("report_behind", "P1", "EECO01", as_of=AS_OF, by="county",
                                             part="CL")).content.decode()
    assert "B-001" in page and "A-001" not in page


@pytest.mark.parametrize("query", [{"by": "planet", "part": "x"}, {}])
def test_an_unknown_figure_is_404(world, login, query):
    client = login(world.lead_manager)
    assert client.get(url("report_behind", "P1", "XX99", **query)).status_code == 404
    if query:
        assert client.get(url("report_behind", "P1", "EECO01", **query)).status_code == 404


def test_a_bad_date_falls_back_to_today_instead_of_failing(world, login):
    assert login(world.lead_manager).get(url("report", "P1", as_of="31.12.2024")).status_code == 200


def test_the_json_download_is_the_report_of_indicators_md(world, login):
    response = login(world.lead_manager).get(url("report_json", "P1", as_of=AS_OF))
    data = json.loads(response.content)
    assert data["scope"] == "P1" and data["as_of"] == AS_OF
    assert data["indicators"]["EECO01"]["value"] == 2
    assert login(world.a_field).get(url("report_json", "P1")).status_code == 403


def test_all_projects_for_a_user_who_sees_reports(world, login):
    page = login(world.lead_manager).get(url("report_overview", as_of=AS_OF)).content.decode()
    assert "P1" in page and "EECO01" in page
    assert login(world.a_field).get(url("report_overview")).status_code == 403


def test_a_snapshot_keeps_what_was_reported_and_shows_what_changed(world, login):
    client = login(world.lead_manager)
    response = client.post(url("report_snapshot_create", "P1"), {"as_of": AS_OF, "note": "Raport intermediar 1"})
    snapshot = Snapshot.objects.get(project=world.project)
    assert response.status_code == 302 and response["Location"] == url("report_snapshot", "P1", snapshot.pk)
    assert snapshot.data["indicators"]["EECO05"]["value"] == 0
    participant_update(participation=world.bob, data={"labour_status": "employed"}, by=None)
    snapshot.refresh_from_db()
    assert snapshot.data["indicators"]["EECO05"]["value"] == 0  # frozen
    page = client.get(url("report_snapshot", "P1", snapshot.pk)).content.decode()
    assert "EECO05" in page and "EECO02" in page  # employed now, no longer unemployed
    assert AuditEntry.objects.filter(model="indicators.snapshot", action=AuditEntry.Action.CREATE).exists()


def test_only_a_manager_takes_a_snapshot(world, login):
    response = login(world.a_monitor).post(url("report_snapshot_create", "P1"), {"as_of": AS_OF})
    assert response.status_code == 403
    assert not Snapshot.objects.exists()
    assert login(world.outsider).post(url("report_snapshot_create", "P1"), {"as_of": AS_OF}).status_code == 404


# --- the same in the JSON API ---------------------------------------------------------------------


def test_api_report_and_records_are_scoped_like_the_pages(world, login, client):
    assert client.get(f"/api/v1/projects/P1/report?as_of={AS_OF}").status_code == 401
    api = login(world.a_manager)
    data = api.get(f"/api/v1/projects/P1/report?as_of={AS_OF}").json()
    assert data["indicators"]["EECO01"]["value"] == 2
    records = api.get(f"/api/v1/projects/P1/report/EECO01/records?as_of={AS_OF}").json()
    assert (records["count"], records["not_visible"]) == (1, 1)
    assert [r["person_ref"] for r in records["results"]] == ["A-001"]
    assert records["results"][0]["name"] == "A. I."
    assert api.get("/api/v1/projects/P1/report?as_of=yesterday").status_code == 400
    assert api.get("/api/v1/projects/P1/report/NOPE/records").status_code == 404
    assert login(world.a_field).get("/api/v1/projects/P1/report").status_code == 403
    assert login(world.outsider).get("/api/v1/projects/P1/report").status_code == 404
