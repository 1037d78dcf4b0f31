"""Property-based fuzzing of the REST API (/api/v1/) from its own OpenAPI description, with schemathesis.

Every operation of the live description (what /api/v1/openapi.json serves, read from the mounted API at
collection time; test_openapi_served_is_the_one_fuzzed checks they are the same) is called in-process
through Django's request handler with requests schemathesis generates from the schema, valid and invalid,
and every answer must pass:
- not_a_server_error: never a 5xx (the API's catch-all answers 500 to any unexpected exception);
- status_code_conformance: the status is one the operation declares;
- content_type_conformance: the Content-Type is the declared one;
- response_schema_conformance: the body matches the declared schema of that status.

Staff pass: with a token of lead_manager (manager of P1's lead: may change everything in P1), or for the
/organisations/ operations of `public` (who speaks for the social enterprise SES-P1); the path parameters
point at real objects (P1, alice, a course, a job, an event, SES-P1's product, ...) so that most requests
get past the 404 to validation and the services; one case in five keeps the generated path values, to try
the 404s too. Anonymous passes: the public operations without credentials, and every other operation,
which must answer 401 (or 404 for a path that cannot exist) with the declared error body.

The objects are made once for the module (through the API, inside a transaction rolled back at the end);
each test runs in a savepoint of it, so the writes of one operation's examples do not leak into the next.

Bounded for `make test`: a few examples per operation, derandomized (the same cases every run). The long
profile: `SOCEC_FUZZ_EXAMPLES=200 .venv/bin/pytest tests/test_fuzz_api.py` (`make fuzz-api`): random, that
many examples per operation; a failure prints the request as a curl line and the seed to replay it.
"""

import datetime as dt
import io
import json
import os
import re
import struct
import zlib

import hypothesis
import pytest
import schemathesis
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import ClientHandler
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from socec.api.api import api
from socec.api.tokens import api_token_create
from tests.personas import add_public_persona, build_world, person_data

pytestmark = pytest.mark.django_db

API = "/api/v1"
EXAMPLES = int(os.environ.get("SOCEC_FUZZ_EXAMPLES", "0") or 0)
LONG = EXAMPLES > 0
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_handler = ClientHandler(enforce_csrf_checks=True)


def django_wsgi(environ, start_response):
    """Django as a WSGI application the way its test client runs it: the request shares the test's
    database connection and transaction (the production WSGIHandler would close that connection after
    each request); CSRF enforced as in production."""
    response = _handler(environ)
    headers = list(response.items())
    headers += [("Set-Cookie", morsel.output(header="").strip()) for morsel in response.cookies.values()]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return response


def live_schema() -> dict:
    """The description /api/v1/openapi.json serves."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=f"{API}/")))


def load_schema(**config):
    loaded = schemathesis.openapi.from_dict(live_schema(), config=schemathesis.Config.from_dict(config))
    loaded.app = django_wsgi
    return loaded


# Every phase: the schema's examples, "coverage" (boundary and invalid values of every parameter, deterministic,
# a hundred or more requests per operation; most of the run) and "fuzzing" (max_examples random requests).
schema = load_schema()
# Without credentials the answer is decided before any input is read: random requests are enough.
fuzzing_only = load_schema(phases={"coverage": {"enabled": False}})
PUBLIC = r"^/api/v1/public/"


def _settings(examples: int):
    return hypothesis.settings(
        max_examples=EXAMPLES or examples, deadline=None, derandomize=not LONG, database=None,
        suppress_health_check=list(hypothesis.HealthCheck), print_blob=LONG)


# -- the objects the path parameters point at ------------------------------------------------------------------


def png_bytes() -> bytes:
    """A 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    return response.json()


def _upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def make_targets() -> dict:
    """P1 with one of everything an operation's path can name, made through the API, and the tokens."""
    from socec.market.services import request_post

    world = add_public_persona(build_world())
    _, staff = api_token_create(user=world.lead_manager, name="fuzz", by=None)
    _, member = api_token_create(user=world.public, name="fuzz", by=None)
    client = Client(headers={"Authorization": f"Bearer {staff}"})
    p1 = f"{API}/projects/P1"

    def post(path, **data):
        return _json(client.post(path, data=json.dumps(data), content_type="application/json"), 201)

    course = post(f"{p1}/courses", code="C1", title="Croitorie", kind="training", min_attendance_pct=80)
    session = post(f"{p1}/courses/{course['id']}/sessions", date="2024-04-10", hours=4)
    enrolment = post(f"{p1}/courses/{course['id']}/enrolments", participant_id=world.alice.pk,
                     enrolled_on="2024-04-01")
    counselling = post(f"{p1}/counselling", participant_id=world.alice.pk, kind="mentoring", date="2024-04-02",
                       counsellor="Dana")
    enterprise = post(f"{p1}/enterprises", code="SES-1", name="Atelier Social", legal_form="cooperative",
                      county="IF")
    grant = post(f"{p1}/enterprises/{enterprise['id']}/grants", granted_on="2024-05-01", amount="10000.00")
    product = post(f"{p1}/enterprises/{enterprise['id']}/products", name="Uniforme")
    job = post(f"{p1}/jobs", code="J1", employer_id=enterprise["id"], created_on="2024-05-02", hours_per_week=40)
    employment = post(f"{p1}/jobs/{job['id']}/employments", start_date="2024-05-03", participant_id=world.alice.pk)
    event = post(f"{p1}/events", kind="workshop", title="Sesiune", date="2024-05-05", county="IF")
    attendance = post(f"{p1}/events/{event['id']}/attendance", participant_id=world.alice.pk)
    photo = _json(client.post(f"{p1}/events/{event['id']}/photos",
                              {"file": _upload(png_bytes(), "poza.png"), "caption": "Participanti"}), 201)
    campaign = post(f"{p1}/campaigns", channel="radio", title="Spot", reach=1000)
    publication = post(f"{p1}/publications", kind="guide", title="Ghid", url="https://example.org/ghid")
    document = _json(client.post(f"{p1}/participants/{world.alice.pk}/documents",
                                 {"file": _upload(PDF, "adeverinta.pdf"), "category": "roma",
                                  "description": "Adeverinta"}), 201)
    exported = client.get(f"{p1}/export", {"format": "zip"})
    assert exported.status_code == 200, exported.content[:500]
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    imported = _json(client.post(f"{API}/imports", {"file": _upload(content, "P1.zip")}), 201)
    member_client = Client(headers={"Authorization": f"Bearer {member}"})
    ses_product = _json(member_client.post(f"{API}/organisations/{world.ses_p1.pk}/products",
                                           data=json.dumps({"name": "Ștergare", "kind": "product"}),
                                           content_type="application/json"), 201)
    market_request = request_post(kind="buy", title="Uniforme", description="50 de bucati", county=None,
                                  caen_section="", caen="", organisation_name="SRL", poster_kind="company",
                                  contact_email="a@example.org")
    ids = {
        "projects": "P1",
        "projects/participants": world.alice.pk,
        "projects/participants/documents": document["id"],
        "projects/courses": course["id"],
        "projects/sessions": session["id"],
        "projects/enrolments": enrolment["id"],
        "projects/counselling": counselling["id"],
        "projects/enterprises": enterprise["id"],
        "projects/enterprises/grants": grant["id"],
        "projects/enterprises/products": product["id"],
        "projects/jobs": job["id"],
        "projects/jobs/employments": employment["id"],
        "projects/events": event["id"],
        "projects/events/attendance": attendance["id"],
        "projects/events/photos": photo["id"],
        "projects/campaigns": campaign["id"],
        "projects/publications": publication["id"],
        "projects/report": "EECO01",
        "imports": imported["id"],
        "organisations": world.ses_p1.pk,
        "organisations/products": ses_product["id"],
        "organisations/requests": market_request.pk,
        "public/requests": market_request.pk,
    }
    return {"staff": staff, "member": member, "ids": ids, "world": world}


@pytest.fixture(scope="module")
def targets(django_db_setup, django_db_blocker, tmp_path_factory):
    """make_targets() once for the module, in a transaction rolled back at the end (each test then runs in
    a savepoint of it). Files go to a temporary directory; the API rate limits are lifted (the fuzzer sends
    hundreds of requests a minute from one address)."""
    from django.conf import settings
    from django.utils import translation

    storages = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {
        **settings.STORAGES["default"].get("OPTIONS", {}), "location": str(tmp_path_factory.mktemp("fuzz-files"))}}}
    with (django_db_blocker.unblock(), translation.override("en"),
          override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], STORAGES=storages,
                            SOCEC_API_PUBLIC_PER_MINUTE=10**9, SOCEC_API_AUTH_FAILURES_PER_MINUTE=10**9)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_targets()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def collection_of(path: str, param: str) -> str:
    """The key of `targets`' ids for a path parameter: the path's fixed segments up to it, without the
    prefix: /api/v1/projects/{code}/enterprises/{pk}/products/{product_pk}, product_pk ->
    projects/enterprises/products."""
    before = path.split("{" + param + "}")[0].removeprefix(f"{API}/")
    return "/".join(s for s in before.strip("/").split("/") if s and not s.startswith("{"))


def point_at_real_objects(case, ids: dict) -> None:
    """Path parameters -> the objects of `targets`, except for one case in five (chosen by the generated
    values, so a derandomized run is the same every time), which keeps what was generated."""
    params = case.path_parameters or {}
    if not params or zlib.crc32(repr(sorted(params.items())).encode()) % 5 == 0:
        return
    for name in params:
        key = collection_of(case.path, name)
        if key in ids:
            params[name] = ids[key]


def call_as_staff(case, targets: dict):
    point_at_real_objects(case, targets["ids"])
    token = targets["member"] if case.path.startswith(f"{API}/organisations") else targets["staff"]
    return case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


# -- the fuzzing -----------------------------------------------------------------------------------------------


@schema.exclude(path_regex=PUBLIC).parametrize()
@_settings(examples=5)
def test_staff_operations_answer_within_their_description(case, targets):
    call_as_staff(case, targets)


@schema.include(path_regex=PUBLIC).parametrize()
@_settings(examples=15)
def test_public_operations_answer_anonymous_visitors_within_their_description(case, targets):
    point_at_real_objects(case, targets["ids"])
    case.call_and_validate(checks=CHECKS)


@fuzzing_only.exclude(path_regex=PUBLIC).parametrize()
@_settings(examples=2)
def test_staff_operations_refuse_anonymous_visitors(case, targets):
    point_at_real_objects(case, targets["ids"])
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code in (401, 404, 405), (case.method, case.formatted_path, response.status_code)


# -- the fuzzing's own assumptions -------------------------------------------------------------------------------


def test_openapi_served_is_the_one_fuzzed(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.content) == live_schema()


def test_every_path_parameter_points_at_a_real_object(targets):
    """A new operation whose path names something `make_targets` has not made would be fuzzed only
    against 404s: add the object there."""
    missing = {f"{path} {{{name}}} -> {collection_of(path, name)}"
               for path in live_schema()["paths"] for name in re.findall(r"\{(\w+)\}", path)
               if collection_of(path, name) not in targets["ids"]}
    assert not missing, sorted(missing)


def test_the_checks_catch_a_server_error(targets, monkeypatch):
    """What the fuzzing would report if an operation broke: the same call, with the project overview
    failing as a bug would."""
    from schemathesis.core.failures import FailureGroup

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    case = schema["/api/v1/projects/{code}"]["GET"].Case(path_parameters={"code": "P1"})
    call_as_staff(case, targets)  # as it is: 200
    monkeypatch.setattr("socec.api.routes.projects.project_overview", broken)
    with pytest.raises(FailureGroup, match="Server error"):
        call_as_staff(case, targets)


def test_the_staff_token_reaches_the_objects(targets):
    client = Client(headers={"Authorization": f"Bearer {targets['staff']}"})
    ids = targets["ids"]
    alice = client.get(f"{API}/projects/P1/participants/{ids['projects/participants']}")
    assert alice.status_code == 200 and alice.json()["person_ref"] == "A-001"
    assert client.get(f"{API}/projects/P1/jobs/{ids['projects/jobs']}").json()["code"] == "J1"
    member = Client(headers={"Authorization": f"Bearer {targets['member']}"})
    assert member.get(f"{API}/organisations/{ids['organisations']}").json()["code"] == "SES-P1"


# -- what fuzzing found outside the API ------------------------------------------------------------------------


@pytest.mark.parametrize("county", ["", None])
def test_an_empty_county_is_refused_naming_the_field_and_nothing_is_written(targets, county):
    from django.core.exceptions import ValidationError

    from socec.audit.models import AuditEntry
    from socec.people.models import Participation
    from socec.people.services import participant_register, participant_update

    world = targets["world"]  # this module's world (see `targets`)
    before = (Participation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        participant_update(participation=world.alice, data={"county": county, "area": "rural"}, by=world.a_manager)
    assert set(refused.value.message_dict) == {"county"}
    if county == "":
        with pytest.raises(ValidationError) as refused:
            participant_register(project=world.project, by=world.a_manager, data=person_data(
                "A-900", "Ana", "Pop", "F", dt.date(1990, 1, 1), county=""))
        assert set(refused.value.message_dict) == {"county"}
    alice = Participation.objects.get(pk=world.alice.pk)
    assert (alice.county_id, alice.area) == ("IF", world.alice.area)
    assert (Participation.objects.count(), AuditEntry.objects.count()) == before


def test_an_empty_or_malformed_locality_is_no_crash(targets):
    from django.core.exceptions import ValidationError

    from socec.people.models import Participation
    from socec.people.services import participant_update

    world = targets["world"]
    participant_update(participation=world.alice, data={"locality": ""}, by=world.a_manager)  # = no locality
    assert Participation.objects.get(pk=world.alice.pk).locality_id is None
    with pytest.raises(ValidationError) as refused:
        participant_update(participation=world.alice, data={"locality": "abc"}, by=world.a_manager)
    assert set(refused.value.message_dict) == {"locality"}


def test_a_counselling_session_without_a_kind_is_refused_naming_the_field(targets):
    """The long fuzzing profile found this one (POST /counselling with "kind": null answered 500)."""
    from django.core.exceptions import ValidationError

    from socec.training.models import CounsellingSession, Course
    from socec.training.services import counselling_save

    world = targets["world"]
    before = (CounsellingSession.objects.count(), Course.objects.count())
    with pytest.raises(ValidationError) as refused:
        counselling_save(session=CounsellingSession(project=world.project), by=world.a_field,
                         participation=world.alice, kind=None, date=dt.date(2024, 5, 5), counsellor="Dana")
    assert "kind" in refused.value.message_dict
    assert (CounsellingSession.objects.count(), Course.objects.count()) == before
