"""The REST API (/api/v1/): the same rules as the staff pages, for scripts (tokens) and the browser
(session with CSRF); errors as JSON naming the field; cursor pages; rate limits; the OpenAPI document."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from socec.api.models import ApiToken
from socec.audit.models import AuditEntry
from socec.jobs.models import Employment, Job
from socec.orgs.models import Organisation, SupportGrant
from socec.outreach.models import Campaign, Event, EventAttendance
from socec.people.models import EvidenceDocument, Participation
from socec.training.models import Attendance, Course, Enrolment
from tests.personas import person_data

pytestmark = pytest.mark.django_db
API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_token(user, name="script") -> str:
    out = io.StringIO()
    call_command("api_token", "create", user.username, "--name", name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def body(**data):
    return {"data": json.dumps(data, default=str), "content_type": "application/json"}


def error_fields(response) -> set:
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    return {e["field"] for e in data["errors"]}


# --- authentication ----------------------------------------------------------------------------------------


def test_anonymous_gets_401_json_and_tokens_work_until_revoked(world, client):
    response = client.get(f"{API}/projects")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"] == [] and response.json()["detail"]

    raw = new_token(world.lead_manager)
    token = ApiToken.objects.get(user=world.lead_manager)
    assert raw.startswith("socec_") and token.digest != raw and raw not in token.digest  # only the digest is kept
    assert token.last_used_at is None
    response = client.get(f"{API}/projects", headers=bearer(raw))
    assert response.status_code == 200 and [p["code"] for p in response.json()["items"]] == ["P1"]
    token.refresh_from_db()
    assert token.last_used_at is not None

    out = io.StringIO()
    call_command("api_token", "list", world.lead_manager.username, stdout=out)
    assert "script" in out.getvalue() and raw not in out.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    response = client.get(f"{API}/projects", headers={**bearer(raw), "Accept-Language": "en"})
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    assert client.get(f"{API}/projects", headers=bearer("socec_made-up")).status_code == 401
    assert AuditEntry.objects.filter(model="api.apitoken", action=AuditEntry.Action.CREATE).count() == 1


def test_failed_authentication_is_rate_limited_per_ip(world, client, settings):
    settings.SOCEC_API_AUTH_FAILURES_PER_MINUTE = 3
    raw = new_token(world.lead_manager)
    statuses = [client.get(f"{API}/projects", headers=bearer(f"wrong-{n}")).status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = client.get(f"{API}/projects", headers=bearer(raw))  # even a good token, from that IP, this minute
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60 and limited.json()["detail"]


def test_session_writes_need_the_csrf_token(world, login):
    login(world.a_field)
    session_cookie = login(world.a_field).cookies
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = session_cookie
    assert browser.get(f"{API}/projects/P1").status_code == 200  # reads need no token
    data = body(participant_id=world.alice.pk, kind="counselling", date="2024-04-02", counsellor="Dana")
    refused = browser.post(f"{API}/projects/P1/counselling", **data)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token = "k" * 32  # what the csrftoken cookie of a staff page holds
    browser.cookies["csrftoken"] = token
    accepted = browser.post(f"{API}/projects/P1/counselling", headers={"X-CSRFToken": token}, **data)
    assert accepted.status_code == 201, accepted.content


# --- projects and participants -----------------------------------------------------------------------------


def test_projects_are_the_users_own(world, login):
    api = login(world.outsider)
    assert [p["code"] for p in api.get(f"{API}/projects").json()["items"]] == ["P2"]
    assert api.get(f"{API}/projects/P1").status_code == 404
    detail = login(world.a_manager).get(f"{API}/projects/P1").json()
    assert detail["role"] == "manager" and detail["whole_project"] is False and detail["overview"]["participants"] == 1
    assert {p["organisation"] for p in detail["partners"]} >= {"LEAD", "ORG-A", "ORG-B"}


def test_participants_are_scoped_like_the_staff_pages(world, login):
    api = login(world.a_manager)
    listed = api.get(f"{API}/projects/P1/participants").json()
    assert [p["person_ref"] for p in listed["items"]] == ["A-001"] and listed["next_cursor"] is None
    assert listed["items"][0]["vulnerable"] == ["roma"] and "first_name" not in listed["items"][0]
    assert api.get(f"{API}/projects/P1/participants/{world.bob.pk}").status_code == 404  # partner B's
    assert login(world.b_manager).get(f"{API}/projects/P1/participants/{world.alice.pk}").status_code == 404
    assert login(world.outsider).get(f"{API}/projects/P2/participants/{world.alice.pk}").status_code == 404
    lead = login(world.lead_manager)
    assert [p["person_ref"] for p in lead.get(f"{API}/projects/P1/participants?county=CL").json()["items"]] == [
        "B-001"]
    assert [p["person_ref"] for p in lead.get(
        f"{API}/projects/P1/participants?organisation=ORG-A&entry_from=2024-03-01&entry_to=2024-03-01&person_ref=A-001"
    ).json()["items"]] == ["A-001"]
    assert lead.get(f"{API}/projects/P1/participants?entry_from=2024-03-02").json()["items"] == []


def test_register_update_exit_consent_and_the_auditor_only_reads(world, login):
    api = login(world.a_field)
    new = {"person_ref": "A-002", "first_name": "Ana", "last_name": "Marin", "sex": "F", "birth_date": "1999-01-02",
           "county": "IF", "entry_date": "2024-04-01", "labour_status": "inactive", "isced": 3,
           "consent_on": "2024-04-01", "vulnerable": ["roma"]}
    created = api.post(f"{API}/projects/P1/participants", **body(**new))
    assert created.status_code == 201, created.content
    p = created.json()
    assert p["organisation"] == "ORG-A" and p["vulnerable"] == ["roma"] and p["version"] == 1
    again = api.post(f"{API}/projects/P1/participants", **body(**new))
    assert again.status_code == 400 and error_fields(again) == {"person_ref"}
    bad = api.post(f"{API}/projects/P1/participants", **body(**{**new, "person_ref": "A-003", "isced": 12,
                                                                 "county": "ZZ"}))
    assert bad.status_code == 400 and "isced" in error_fields(bad)
    assert not Participation.objects.filter(person_ref="A-003").exists()

    url = f"{API}/projects/P1/participants/{p['id']}"
    changed = api.patch(url, **body(area="rural", version=1))
    assert changed.status_code == 200 and changed.json()["area"] == "rural" and changed.json()["version"] == 2
    stale = api.patch(url, **body(area="urban", version=1))
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Participation.objects.get(pk=p["id"]).area == "rural"
    exited = api.post(f"{url}/exit", **body(exit_date="2024-06-30", exit_status="employed",
                                            qualification_gained=True))
    assert exited.status_code == 200 and exited.json()["follow_up_due_on"] == "2024-12-30"
    future = api.post(f"{url}/consent", **body(consent_on=(dt.date.today() + dt.timedelta(days=3)).isoformat()))
    assert future.status_code == 400 and error_fields(future) == {"consent_on"}

    auditor = login(world.auditor)
    assert auditor.get(url).status_code == 200
    before = AuditEntry.objects.count()
    assert auditor.patch(url, **body(area="urban")).status_code == 403
    assert auditor.post(f"{API}/projects/P1/participants", **body(**{**new, "person_ref": "X-1"})).status_code == 403
    assert AuditEntry.objects.count() == before and Participation.objects.get(pk=p["id"]).area == "rural"


def test_identifiers_come_only_through_the_logged_reveal(world, login):
    url = f"{API}/projects/P1/participants/{world.alice.pk}/identity"
    auditor = login(world.auditor)
    no_reason = auditor.post(url, **body(reason=""))
    assert no_reason.status_code == 400 and error_fields(no_reason) == {"reason"}
    revealed = auditor.post(url, **body(reason="Verificare dosar"))
    assert revealed.status_code == 200 and revealed.json()["first_name"] == "Alice"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, reason="Verificare dosar").count() == 1
    assert login(world.b_manager).post(url, **body()).status_code == 404
    manager = login(world.a_manager)
    assert manager.post(url, **body()).json()["cnp"] == "2900512230011"
    assert manager.patch(f"{API}/projects/P1/participants/{world.alice.pk}",
                         **body(phone="0722999888")).status_code == 200
    erase = manager.post(f"{API}/projects/P1/participants/{world.alice.pk}/erase", **body(reason="Cererea din 1.06"))
    assert erase.status_code == 200 and erase.json()["erased"] is True
    assert manager.post(url, **body()).json()["erased"] is True


def test_pages_walk_the_whole_list_once(world, login):
    from socec.people.services import participant_register

    for n in range(5):
        participant_register(project=world.project, by=None, data=person_data(f"L-{n}", "Ion", f"Pop{n}", "M",
                                                                                dt.date(1980, 1, n + 1)))
    api = login(world.lead_manager)
    seen, cursor, pages = [], None, 0
    while True:
        page = api.get(f"{API}/projects/P1/participants", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [p["id"] for p in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 4 and len(seen) == len(set(seen)) == 7 and seen == sorted(seen)
    for bad in ("not-a-cursor", "%%%", "cGs6LTE"):
        response = api.get(f"{API}/projects/P1/participants", {"cursor": bad})
        assert response.status_code == 400 and error_fields(response) == {"cursor"}
    for limit in ("0", "501", "x"):
        response = api.get(f"{API}/projects/P1/participants", {"limit": limit})
        assert response.status_code == 400 and error_fields(response) == {"limit"}


def test_evidence_documents(world, login):
    api = login(world.a_manager)
    url = f"{API}/projects/P1/participants/{world.alice.pk}/documents"
    wrong = api.post(url, {"file": io.BytesIO(b"MZ not a pdf")})
    assert wrong.status_code == 400 and error_fields(wrong) == {"file"}
    upload = io.BytesIO(PDF)
    upload.name = "adeverinta.pdf"
    created = api.post(url, {"file": upload, "category": "roma", "description": "Adeverinta"})
    assert created.status_code == 201, created.content
    doc = created.json()
    assert api.get(url).json()["items"][0]["original_name"] == "adeverinta.pdf"
    download = api.get(f"{url}/{doc['id']}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(world.auditor).delete(f"{url}/{doc['id']}").status_code == 403
    assert login(world.b_manager).get(f"{url}/{doc['id']}/file").status_code == 404
    assert login(world.a_manager).delete(f"{url}/{doc['id']}").status_code == 204
    assert not EvidenceDocument.objects.exists()


# --- activities ------------------------------------------------------------------------------------------------


def test_training_courses_sessions_enrolments_attendance_certificates(world, login):
    api = login(world.a_field)
    created = api.post(f"{API}/projects/P1/courses", **body(code="C1", title="Croitorie", kind="training",
                                                            min_attendance_pct=80))
    assert created.status_code == 201, created.content
    course = created.json()
    assert api.get(f"{API}/projects/P1/courses").json()["items"][0]["code"] == "C1"
    assert api.patch(f"{API}/projects/P1/courses/{course['id']}", **body(title="Croitorie 2")).json()["title"] == \
        "Croitorie 2"
    dup = api.post(f"{API}/projects/P1/courses", **body(code="C1", title="x", kind="training"))
    assert dup.status_code == 400 and dup.json()["detail"] and Course.objects.count() == 1
    session = api.post(f"{API}/projects/P1/courses/{course['id']}/sessions", **body(date="2024-04-10", hours=4))
    assert session.status_code == 201
    enrol = api.post(f"{API}/projects/P1/courses/{course['id']}/enrolments",
                     **body(participant_id=world.alice.pk, enrolled_on="2024-04-01"))
    assert enrol.status_code == 201
    other = api.post(f"{API}/projects/P1/courses/{course['id']}/enrolments",
                     **body(participant_id=world.bob.pk, enrolled_on="2024-04-01"))
    assert other.status_code == 400 and error_fields(other) == {"participant_id"}  # partner B's person
    mark = api.post(f"{API}/projects/P1/sessions/{session.json()['id']}/attendance",
                    **body(participant_id=world.alice.pk, present=True))
    assert mark.status_code == 200 and Attendance.objects.get().present is True
    eid = enrol.json()["id"]
    decided = api.post(f"{API}/projects/P1/enrolments/{eid}/decision", **body(completed=True,
                                                                              completed_on="2024-04-10"))
    assert decided.status_code == 200 and decided.json()["completed"] is True
    issued = api.post(f"{API}/projects/P1/enrolments/{eid}/certificate")
    assert issued.json()["certificate_no"] == "P1-C-000001"
    assert login(world.b_manager).get(f"{API}/projects/P1/courses/{course['id']}/enrolments").json()["items"] == []
    assert login(world.auditor).post(f"{API}/projects/P1/courses", **body(code="C2", title="x",
                                                                          kind="training")).status_code == 403
    assert Enrolment.objects.count() == 1
    api = login(world.a_field)
    counselled = api.post(f"{API}/projects/P1/counselling", **body(participant_id=world.alice.pk, kind="mentoring",
                                                                   date="2024-04-02", counsellor="Dana"))
    assert counselled.status_code == 201, counselled.content
    assert [s["person_ref"] for s in api.get(f"{API}/projects/P1/counselling").json()["items"]] == ["A-001"]


def test_enterprises_grants_products_jobs_and_employments(world, login):
    manager = login(world.lead_manager)
    created = manager.post(f"{API}/projects/P1/enterprises", **body(code="SES-1", name="Atelier Social",
                                                                    legal_form="cooperative", county="IF"))
    assert created.status_code == 201, created.content
    ent = created.json()
    url = f"{API}/projects/P1/enterprises/{ent['id']}"
    assert manager.get(url).json()["code"] == "SES-1"
    assert manager.patch(url, **body(description="Croitorie", version=ent["version"])).json()["description"] == \
        "Croitorie"
    assert manager.post(f"{url}/grants", **body(granted_on="2024-05-01", amount="10000.00")).status_code == 201
    assert manager.post(f"{url}/products", **body(name="Uniforme")).status_code == 201
    assert manager.get(f"{url}/products").json()["items"][0]["name"] == "Uniforme"
    field = login(world.a_field)
    assert field.post(f"{url}/grants", **body(granted_on="2024-05-01", amount="1")).status_code == 403
    assert SupportGrant.objects.count() == 1
    job = field.post(f"{API}/projects/P1/jobs", **body(code="J1", employer_id=ent["id"], created_on="2024-05-02",
                                                       hours_per_week=40))
    assert job.status_code == 201, job.content
    jurl = f"{API}/projects/P1/jobs/{job.json()['id']}"
    hired = field.post(f"{jurl}/employments", **body(start_date="2024-05-03", participant_id=world.alice.pk))
    assert hired.status_code == 201 and hired.json()["holder"] == "A-001" and hired.json()["vulnerable"] is True
    left = field.post(f"{jurl}/employments/{hired.json()['id']}/leave", **body(end_date="2024-06-01"))
    assert left.status_code == 200 and left.json()["end_date"] == "2024-06-01"
    b = login(world.b_manager)
    assert b.get(f"{jurl}/employments").json()["items"] == []
    assert b.post(f"{jurl}/employments/{hired.json()['id']}/leave", **body(end_date="2024-06-02")).status_code == 404
    assert login(world.outsider).get(url).status_code == 404
    assert Job.objects.count() == 1 and Employment.objects.get().end_date == dt.date(2024, 6, 1)
    assert Organisation.objects.filter(code="SES-1").count() == 1


def test_events_attendance_campaigns_publications(world, login):
    api = login(world.a_field)
    event = api.post(f"{API}/projects/P1/events", **body(kind="workshop", title="Sesiune", date="2024-05-05",
                                                         county="IF"))
    assert event.status_code == 201, event.content
    eurl = f"{API}/projects/P1/events/{event.json()['id']}"
    assert event.json()["code"] == "EV-001"
    row = api.post(f"{eurl}/attendance", **body(participant_id=world.alice.pk))
    assert row.status_code == 201
    assert api.post(f"{eurl}/attendance", **body(participant_id=world.bob.pk)).status_code == 400
    assert [r["person_ref"] for r in api.get(f"{eurl}/attendance").json()["items"]] == ["A-001"]
    assert login(world.b_manager).get(f"{eurl}/attendance").json()["items"] == []
    assert login(world.a_field).delete(f"{eurl}/attendance/{row.json()['id']}").status_code == 204
    assert not EventAttendance.objects.exists()
    campaign = api.post(f"{API}/projects/P1/campaigns", **body(channel="radio", title="Spot", reach=1000))
    assert campaign.status_code == 201
    changed = api.patch(f"{API}/projects/P1/campaigns/{campaign.json()['id']}", **body(reach=2000))
    assert changed.json()["reach"] == 2000 and Campaign.objects.get().reach == 2000
    publication = api.post(f"{API}/projects/P1/publications", **body(kind="guide", title="Ghid",
                                                                     url="https://example.org/ghid"))
    assert publication.status_code == 201
    assert login(world.auditor).patch(f"{eurl}", **body(title="x")).status_code == 403
    assert Event.objects.get().title == "Sesiune"


def test_report_audit_workbook(world, login):
    monitor = login(world.a_monitor)
    assert monitor.get(f"{API}/projects/P1/report?as_of=2024-12-31").json()["indicators"]["EECO01"]["value"] == 2
    entries = monitor.get(f"{API}/projects/P1/audit", {"limit": 500}).json()["items"]
    assert "people.participation" in {e["model"] for e in entries}
    assert all("Alice" not in json.dumps(e) for e in entries)
    assert login(world.a_field).get(f"{API}/projects/P1/audit").status_code == 403
    bad = login(world.a_manager).post(f"{API}/imports", {"file": io.BytesIO(b"not a workbook")})
    assert bad.status_code == 400 and error_fields(bad) == {"file"}
    from socec.workbook.models import ImportRun

    assert not ImportRun.objects.exists()
    assert login(world.auditor).get(f"{API}/projects/P1/export").status_code == 403


# --- public ------------------------------------------------------------------------------------------------------


def test_public_requests_with_the_forms_spam_checks_and_the_anonymous_limit(world, client, settings, monkeypatch):
    from socec.market import spam
    from socec.market.models import Request

    request = {"kind": "buy", "title": "Catering", "description": "Pentru 50 de persoane",
               "organisation_name": "SRL", "poster_kind": "company", "contact_email": "a@example.org"}
    stamp = client.get(f"{API}/public/requests/stamp").json()["started"]
    too_fast = client.post(f"{API}/public/requests", **body(**request, started=stamp))
    assert too_fast.status_code == 400 and error_fields(too_fast) == {"started"}
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    trap = client.post(f"{API}/public/requests", **body(**request, started=stamp, homepage="http://spam"))
    assert trap.status_code == 400 and error_fields(trap) == {"homepage"}
    invalid = client.post(f"{API}/public/requests", **body(**{**request, "contact_email": "nope"}, started=stamp))
    assert invalid.status_code == 400 and error_fields(invalid) == {"contact_email"}
    assert not Request.objects.exists()
    posted = client.post(f"{API}/public/requests", **body(**request, started=stamp))
    assert posted.status_code == 201 and "contact_email" not in posted.json()
    assert [r["title"] for r in client.get(f"{API}/public/requests").json()["items"]] == ["Catering"]

    settings.SOCEC_API_PUBLIC_PER_MINUTE = 2
    statuses = [client.get(f"{API}/public/impact").status_code for _ in range(3)]
    assert statuses[-1] == 429


# --- robustness and the description ------------------------------------------------------------------------------


def test_bad_input_never_gives_a_500(world, login):
    api = login(world.lead_manager)
    for method, url, data in [
        ("post", f"{API}/projects/P1/participants", {"person_ref": "X\x00", "first_name": 5}),
        ("post", f"{API}/projects/P1/participants", "[1, 2"),
        ("patch", f"{API}/projects/P1/participants/{world.alice.pk}", {"county": "\x00"}),
        ("patch", f"{API}/projects/P1/participants/{world.alice.pk}", {"locality": 999999999}),
        ("get", f"{API}/projects/P1/participants?person_ref=%00&entry_from=yesterday", None),
        ("get", f"{API}/projects/P1/participants/99999999999999999999999", None),
        ("post", f"{API}/projects/P1/courses", {"code": "bad code!", "title": "x", "kind": "training"}),
        ("get", f"{API}/nowhere", None),
    ]:
        if data is None:
            response = getattr(api, method)(url)
        else:
            raw = data if isinstance(data, str) else json.dumps(data)
            response = getattr(api, method)(url, data=raw, content_type="application/json")
        assert 400 <= response.status_code < 500, (url, response.status_code, response.content[:300])
        assert "detail" in response.json()


def test_openapi_lists_every_operation_with_its_errors(world, client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 60
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    for op in operations:
        assert op["summary"] and op["tags"], op["operationId"]
        assert {"400", "404", "429"} <= set(op["responses"]), op["operationId"]
    for expected in ("participant_register", "participant_identity", "document_upload", "course_create",
                     "employment_create", "event_attendance_add", "import_confirm", "report_records",
                     "public_request_post", "audit_list"):
        assert expected in ids
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    assert client.get(f"{API}/docs").status_code == 404  # no docs page loading from a CDN
