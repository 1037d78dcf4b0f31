"""The authorisation matrix: every persona x every staff page (and every API operation) x objects of
its own and of other partners, with the expected outcome written out in one table.

How to read the tables
- PERSONAS are the columns, in this order: anonymous, public (signed in, speaks for a social
  enterprise, no role in any project), A's field worker, manager and monitoring officer, B's
  manager, the lead organisation's manager, the funder's auditor, an outsider (manager of another
  project, P2) and the administrator.
- RULES name a column of outcomes, written out for every persona (never computed from the code
  under test). A row of STAFF_ROWS (or API_ROWS) is: URL name, method, the object it is applied to
  (TARGETS) and the rule.
- Outcomes:
    200  allowed: the page or file, a redirect after a success, or the form again with its errors;
    400  the page answers (200, 302 or 400) but NOTHING is written: the persona typed a reference to
         a participant of another partner into a form it may use;
    401  not signed in: HTML pages redirect to the sign-in page, the API answers 401;
    403  the persona sees the object but may not do this;
    404  the persona may not see the object (no difference with "does not exist").
- Every request that should not write (401, 403, 404, 400) is checked to have written nothing (rows
  of every table and the audit log counted before and after); a POST row with `writes=True` is also
  checked to write for the personas allowed (so that its data is valid and the refusal means it).
- Every page a partner's staff may open is checked not to show the names or references of another
  partner's participants (nor of another project's).
- Completeness: every URL pattern under /staff/ must have a row (test_every_staff_url_has_a_row), and
  every operation of the API's OpenAPI description too (test_every_api_operation_has_a_row), except
  the writes listed in API_ROWS_TO_WRITE (empty: every write has a row with a valid body, JSON or, for
  an upload, multipart with a small valid PDF, PNG or .zip made in the test).
- API writes are sent on the persona's own partner's object and on the other partner's (Alice of A,
  Bob of B), on P2's objects addressed under P1, and with a body naming the other partner's participant
  or organisation. Alice and Bob left P1 on 2024-08-30, so their six-month follow-up can be recorded.

Each request runs in a savepoint rolled back after it, so every row starts from the same world.
"""

import datetime as dt
import io
import json
import re
import time
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from PIL import Image

from socec.indicators.services import snapshot_take
from socec.jobs.models import Job
from socec.jobs.services import employment_hire, job_save
from socec.market import spam
from socec.market.services import manage_token, request_post
from socec.orgs.models import Product, SupportGrant
from socec.orgs.services import grant_save, product_save
from socec.outreach.models import Campaign, Event, Publication
from socec.outreach.services import (
    campaign_save,
    event_attendance_add,
    event_photo_add,
    event_save,
    publication_save,
)
from socec.people.services import evidence_add, participant_exit, participant_register
from socec.places.models import County
from socec.programmes.services import partnership_set
from socec.training.models import CounsellingSession, Course, CourseSession, Enrolment
from socec.training.services import (
    certificate_issue,
    counselling_save,
    course_save,
    enrolment_decide,
    enrolment_save,
    session_save,
)
from socec.workbook.models import ImportRun
from tests.personas import add_public_persona, build_world, make_org, person_data

pytestmark = pytest.mark.django_db

# --- the personas (columns) -------------------------------------------------------------------------------

PERSONAS = ("anon", "public", "a_field", "a_manager", "a_monitor", "b_manager", "lead", "auditor", "outsider",
            "admin")
WORLD_ATTRIBUTE = {"anon": None, "lead": "lead_manager"}  # the others are the World's attribute of that name

# --- the rules (one outcome per persona, in the order of PERSONAS) ----------------------------------------

# fmt: off
RULES: dict[str, tuple[int, ...]] = {
    #                    anon public a_fld a_mgr a_mon b_mgr lead  audit outsd admin
    # Pages outside any project.
    "anyone":           (200, 200,  200,  200,  200,  200,  200,  200,  200,  200),
    "signs_out":        (401, 401,  401,  401,  401,  401,  401,  401,  401,  401),  # ends on the sign-in page
    "signed_in":        (401, 200,  200,  200,  200,  200,  200,  200,  200,  200),
    "has_a_project":    (401, 403,  200,  200,  200,  200,  200,  200,  200,  200),  # workbook upload
    "sees_reports":     (401, 403,  403,  200,  200,  200,  200,  200,  200,  200),  # reports of all projects
    # Project P1 (lead LEAD, partners A and B, audited by FUND) and its shared objects (courses,
    # events, campaigns, publications, enterprises, jobs, snapshots).
    "P1_read":          (401, 404,  200,  200,  200,  200,  200,  200,  404,  200),
    "P1_change_people": (401, 404,  200,  200,  200,  200,  200,  403,  404,  200),
    "P1_identifiers":   (401, 404,  200,  200,  200,  200,  200,  403,  404,  200),  # bulk identifiers
    "P1_activities":    (401, 404,  200,  200,  403,  200,  200,  403,  404,  200),
    "P1_manage":        (401, 404,  403,  200,  403,  200,  200,  403,  404,  200),
    "P1_lead_manage":   (401, 404,  403,  403,  403,  403,  200,  403,  404,  200),  # the whole project's settings
    "A_staff":          (401, 404,  403,  200,  403,  403,  200,  403,  404,  200),  # roles given for A's staff
    "P1_audit":         (401, 404,  403,  200,  200,  200,  200,  200,  404,  200),
    "P1_reports":       (401, 404,  403,  200,  200,  200,  200,  200,  404,  200),
    "P1_snapshot":      (401, 404,  403,  200,  403,  200,  200,  403,  404,  200),  # reports, then manage
    # Project P2 (lead B's organisation; only the outsider is in it).
    "P2_read":          (401, 404,  404,  404,  404,  404,  404,  404,  200,  200),
    # An object of P2 (or a partner) addressed under P1's code: nobody finds it there.
    "nowhere":          (401, 404,  404,  404,  404,  404,  404,  404,  404,  404),
    # ... the same where the role is checked in P1 first (403 whatever the object: it tells nothing).
    "nowhere_activity": (401, 404,  404,  404,  403,  404,  404,  403,  404,  404),
    "nowhere_reports":  (401, 404,  403,  404,  404,  404,  404,  404,  404,  404),
    "nowhere_change":   (401, 404,  404,  404,  404,  404,  404,  403,  404,  404),  # Bob's document at Alice's
    # Alice, registered by A: A's staff, the lead's and the auditor see her; B's manager does not.
    "A_read":           (401, 404,  200,  200,  200,  404,  200,  200,  404,  200),
    "A_change":         (401, 404,  200,  200,  200,  404,  200,  403,  404,  200),
    "A_activity":       (401, 404,  200,  200,  403,  404,  200,  403,  404,  200),
    "A_ref_typed":      (401, 404,  200,  200,  403,  400,  200,  403,  404,  200),
    # Bob, registered by B: the mirror image.
    "B_read":           (401, 404,  404,  404,  404,  200,  200,  200,  404,  200),
    "B_change":         (401, 404,  404,  404,  404,  200,  200,  403,  404,  200),
    "B_activity":       (401, 404,  404,  404,  404,  200,  200,  403,  404,  200),
    "B_ref_typed":      (401, 404,  400,  400,  403,  200,  200,  403,  404,  200),
    "B_row":            (401, 404,  404,  404,  403,  200,  200,  403,  404,  200),  # role checked first
    # Erasing a person's identifiers: a project manager's decision, then the person must be visible.
    "A_erase":          (401, 404,  403,  200,  403,  404,  200,  403,  404,  200),
    "B_erase":          (401, 404,  403,  404,  403,  200,  200,  403,  404,  200),
    # Workbook imports: only the uploader (and the administrator) see a run.
    "run_of_a_manager": (401, 404,  404,  200,  404,  404,  404,  404,  404,  200),
    "run_of_b_manager": (401, 404,  404,  404,  404,  200,  404,  404,  404,  200),
    # Organisation pages: changed by the organisation's own managers and members (and, for an
    # enterprise the project supports, the project's managers); seen by the project's staff.
    "org_A":            (401, 404,  403,  200,  403,  403,  403,  403,  404,  200),
    "org_B":            (401, 404,  403,  403,  403,  200,  403,  403,  200,  200),
    "org_SES_P1":       (401, 200,  403,  200,  403,  200,  200,  403,  404,  200),
    "A_product_at_B":   (401, 404,  403,  403,  403,  404,  403,  403,  404,  404),  # A's product, B's address
    # API writes whose body names an organisation or a participant of the other partner.
    "B_org_typed":      (401, 404,  403,  403,  403,  200,  403,  403,  404,  200),  # register one for B
    "A_row_B_ref":      (401, 404,  400,  400,  403,  404,  200,  403,  404,  200),  # Alice's session -> Bob
}
# fmt: on
OUTCOMES = {200, 400, 401, 403, 404}
NO_WRITE = {400, 401, 403, 404}

# --- the objects rows are applied to ----------------------------------------------------------------------

D1, D2 = dt.date(2024, 4, 1), dt.date(2024, 4, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zip_of_csv() -> bytes:
    """A .zip of CSV files the import accepts to check (a run is stored, whatever its report says)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("participants.csv", "person_ref,first_name,last_name\n")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def build_matrix_world():
    """The personas' world (tests/personas.py) with one object of every kind for A and for B, shared
    objects of P1, and objects of P2 for the addresses that mix projects."""
    w = add_public_persona(build_world())
    p1, p2 = w.project, w.other_project
    if_county = County.objects.get(pk="IF")
    w.carol = participant_register(project=p2, by=w.outsider, data=person_data(
        "C-001", "Carol", "Dumitrescu", "F", dt.date(1992, 1, 2), county="CL"))
    # Alice and Bob left P1 more than six months ago: their six-month follow-up can be recorded.
    for p in (w.alice, w.bob):
        participant_exit(participation=p, by=None, exit_date=dt.date(2024, 8, 30), exit_status="job_searching",
                         qualification_gained=False)
    # training
    w.course = course_save(course=Course(project=p1, code="TR1"), by=None, title="Antreprenoriat social",
                           kind="training", hours=Decimal("8"), min_attendance_pct=75, start_date=D1, end_date=D2)
    w.course_empty = course_save(course=Course(project=p1, code="TR2"), by=None, title="Contabilitate",
                                 kind="training", hours=Decimal("4"), min_attendance_pct=75, start_date=D1,
                                 end_date=D2)
    w.session = session_save(session=CourseSession(course=w.course), by=None, date=D1, hours=Decimal("4"),
                             topic="Intro")
    w.enr_alice, w.enr_bob = (enrolment_save(enrolment=Enrolment(course=w.course, participation=p), by=None,
                                             enrolled_on=D1) for p in (w.alice, w.bob))
    for enrolment in (w.enr_alice, w.enr_bob):
        enrolment_decide(enrolment=enrolment, completed=True, completed_on=D2, by=None)
        certificate_issue(enrolment=enrolment, by=None)
    w.cs_alice, w.cs_bob = (counselling_save(session=CounsellingSession(project=p1), by=None, participation=p,
                                             kind="counselling", date=D1, hours=Decimal("1"), counsellor="Maria Pop",
                                             topic="Plan") for p in (w.alice, w.bob))
    w.p2_course = course_save(course=Course(project=p2, code="TR9"), by=None, title="Alt curs", kind="training",
                              hours=Decimal("2"), min_attendance_pct=50, start_date=D1, end_date=D2)
    w.p2_session = session_save(session=CourseSession(course=w.p2_course), by=None, date=D1, hours=Decimal("2"),
                                topic="Unu")
    w.p2_enrolment = enrolment_save(enrolment=Enrolment(course=w.p2_course, participation=w.carol), by=None,
                                    enrolled_on=D1)
    w.p2_counselling = counselling_save(session=CounsellingSession(project=p2), by=None, participation=w.carol,
                                        kind="mentoring", date=D1, hours=Decimal("1"), counsellor="Ion",
                                        topic="Piata")
    # outreach
    w.event = event_save(event=Event(project=p1, code="EV1"), by=None, kind="conference", title="Conferinta",
                         date=dt.date(2024, 5, 10), county=if_county)
    w.event_empty = event_save(event=Event(project=p1, code="EV2"), by=None, kind="workshop", title="Atelier",
                               date=dt.date(2024, 5, 11), county=if_county)
    w.att_alice, w.att_bob = (event_attendance_add(event=w.event, by=None, participation=p)
                              for p in (w.alice, w.bob))
    w.photo = event_photo_add(event=w.event, by=None, caption="Sala",
                              file=SimpleUploadedFile("sala.png", png_bytes(), content_type="image/png"))
    w.p2_event = event_save(event=Event(project=p2, code="EV9"), by=None, kind="fair", title="Targ",
                            date=dt.date(2024, 6, 1), county=if_county)
    w.campaign = campaign_save(campaign=Campaign(project=p1, code="CA1"), by=None, channel="press", title="Presa")
    w.p2_campaign = campaign_save(campaign=Campaign(project=p2, code="CA9"), by=None, channel="radio", title="Radio")
    w.publication = publication_save(publication=Publication(project=p1, code="PU1"), by=None, kind="guide",
                                     title="Ghid", file=SimpleUploadedFile("ghid.pdf", PDF,
                                                                           content_type="application/pdf"))
    w.p2_publication = publication_save(publication=Publication(project=p2, code="PU9"), by=None, kind="study",
                                        title="Studiu")
    # enterprises and jobs (SES-P1 is supported by P1, SES-P2 by P2)
    w.ses_p2 = make_org("SES-P2", "Cooperativa P2", county="CL", legal_form="cooperative", is_ses=True)
    partnership_set(project=p2, organisation=w.ses_p2, role="supported", by=None)
    w.job = job_save(job=Job(project=p1, employer=w.ses_p1), by=None, code="J1", title="Bucatar",
                     created_on=dt.date(2024, 5, 1), hours_per_week=40)
    w.job_empty = job_save(job=Job(project=p1, employer=w.ses_p1), by=None, code="J2", title="Ospatar",
                           created_on=dt.date(2024, 5, 1), hours_per_week=40)
    w.emp_alice, w.emp_bob = (employment_hire(job=w.job, by=None, start_date=dt.date(2024, 6, 1), participation=p)
                              for p in (w.alice, w.bob))
    w.p2_job = job_save(job=Job(project=p2, employer=w.ses_p2), by=None, code="J9", title="Croitor",
                        created_on=dt.date(2024, 5, 1), hours_per_week=20)
    # evidence documents
    w.doc_alice, w.doc_bob = (evidence_add(participation=p, by=by, file=SimpleUploadedFile(
        "dovada.pdf", PDF, content_type="application/pdf")) for p, by in ((w.alice, w.a_field), (w.bob, w.b_manager)))
    # organisations: products, and a buyer's request that SES-P1 matches
    w.product_a, w.product_b, w.product_ses = (
        product_save(product=Product(organisation=org), by=None, kind="service", name=f"Serviciu {org.code}")
        for org in (w.org_a, w.org_b, w.ses_p1))
    w.grant = grant_save(grant=SupportGrant(project=p1, organisation=w.ses_p1), by=None, granted_on=D1,
                         amount=Decimal("5000"), description="Echipamente")
    w.market_request = request_post(kind="buy", title="Uniforme", description="500 de bucati.", county=if_county,
                                    caen_section="C", caen="1413", organisation_name="Spitalul Judetean",
                                    poster_kind="public_body", contact_email="achizitii@spital.example")
    # workbook imports (finished) and report snapshots
    w.run_a, w.run_b = (ImportRun.objects.create(created_by=user, project=p1, original_name="lucru.xlsx", size=10,
                                                 sha256="0" * 64, status=ImportRun.Status.DONE)
                        for user in (w.a_manager, w.b_manager))
    w.snapshot = snapshot_take(project=p1, as_of=D2, by=None)
    w.p2_snapshot = snapshot_take(project=p2, as_of=D2, by=None)
    return w


TARGETS = {
    "-": lambda w: {},
    "P1": lambda w: {"code": "P1"},
    "P2": lambda w: {"code": "P2"},
    "alice": lambda w: {"code": "P1", "ref": "A-001"},
    "bob": lambda w: {"code": "P1", "ref": "B-001"},
    "carol@P2": lambda w: {"code": "P2", "ref": "C-001"},
    "carol@P1": lambda w: {"code": "P1", "ref": "C-001"},
    "alice doc": lambda w: {"code": "P1", "ref": "A-001", "pk": w.doc_alice.pk},
    "bob doc": lambda w: {"code": "P1", "ref": "B-001", "pk": w.doc_bob.pk},
    "bob doc@alice": lambda w: {"code": "P1", "ref": "A-001", "pk": w.doc_bob.pk},
    "course": lambda w: {"code": "P1", "pk": w.course.pk},
    "course empty": lambda w: {"code": "P1", "pk": w.course_empty.pk},
    "P2 course@P2": lambda w: {"code": "P2", "pk": w.p2_course.pk},
    "P2 course@P1": lambda w: {"code": "P1", "pk": w.p2_course.pk},
    "session": lambda w: {"code": "P1", "pk": w.session.pk},
    "P2 session@P1": lambda w: {"code": "P1", "pk": w.p2_session.pk},
    "session alice": lambda w: {"code": "P1", "pk": w.session.pk, "participation_pk": w.alice.pk},
    "session bob": lambda w: {"code": "P1", "pk": w.session.pk, "participation_pk": w.bob.pk},
    "enrolment alice": lambda w: {"code": "P1", "pk": w.enr_alice.pk},
    "enrolment bob": lambda w: {"code": "P1", "pk": w.enr_bob.pk},
    "P2 enrolment@P1": lambda w: {"code": "P1", "pk": w.p2_enrolment.pk},
    "counselling alice": lambda w: {"code": "P1", "pk": w.cs_alice.pk},
    "counselling bob": lambda w: {"code": "P1", "pk": w.cs_bob.pk},
    "P2 counselling@P1": lambda w: {"code": "P1", "pk": w.p2_counselling.pk},
    "event": lambda w: {"code": "P1", "event_code": "EV1"},
    "event empty": lambda w: {"code": "P1", "event_code": "EV2"},
    "P2 event@P2": lambda w: {"code": "P2", "event_code": "EV9"},
    "P2 event@P1": lambda w: {"code": "P1", "event_code": "EV9"},
    "attendance alice": lambda w: {"code": "P1", "event_code": "EV1", "pk": w.att_alice.pk},
    "attendance bob": lambda w: {"code": "P1", "event_code": "EV1", "pk": w.att_bob.pk},
    "photo": lambda w: {"code": "P1", "event_code": "EV1", "pk": w.photo.pk},
    "campaign": lambda w: {"code": "P1", "campaign_code": "CA1"},
    "P2 campaign@P1": lambda w: {"code": "P1", "campaign_code": "CA9"},
    "publication": lambda w: {"code": "P1", "publication_code": "PU1"},
    "P2 publication@P1": lambda w: {"code": "P1", "publication_code": "PU9"},
    "SES-P1": lambda w: {"code": "P1", "org_code": "SES-P1"},
    "SES-P2@P1": lambda w: {"code": "P1", "org_code": "SES-P2"},
    "ORG-A as enterprise": lambda w: {"code": "P1", "org_code": "ORG-A"},
    "job": lambda w: {"code": "P1", "org_code": "SES-P1", "job_code": "J1"},
    "job empty": lambda w: {"code": "P1", "org_code": "SES-P1", "job_code": "J2"},
    "P2 job@P1": lambda w: {"code": "P1", "org_code": "SES-P2", "job_code": "J9"},
    "employment alice": lambda w: {"code": "P1", "org_code": "SES-P1", "job_code": "J1", "pk": w.emp_alice.pk},
    "employment bob": lambda w: {"code": "P1", "org_code": "SES-P1", "job_code": "J1", "pk": w.emp_bob.pk},
    "run of a_manager": lambda w: {"pk": w.run_a.pk},
    "run of b_manager": lambda w: {"pk": w.run_b.pk},
    "indicator": lambda w: {"code": "P1", "indicator": "EECO01"},
    "snapshot": lambda w: {"code": "P1", "pk": w.snapshot.pk},
    "P2 snapshot@P1": lambda w: {"code": "P1", "pk": w.p2_snapshot.pk},
    "ORG-A": lambda w: {"code": "ORG-A"},
    "ORG-B": lambda w: {"code": "ORG-B"},
    "SES-P1 org": lambda w: {"code": "SES-P1"},
    "A product": lambda w: {"code": "ORG-A", "pk": w.product_a.pk},
    "B product": lambda w: {"code": "ORG-B", "pk": w.product_b.pk},
    "SES product": lambda w: {"code": "SES-P1", "pk": w.product_ses.pk},
    "A product@B": lambda w: {"code": "ORG-B", "pk": w.product_a.pk},
    "SES request": lambda w: {"code": "SES-P1", "pk": w.market_request.pk},
    "A request": lambda w: {"code": "ORG-A", "pk": w.market_request.pk},
    "reset token": lambda w: {"uidb64": "MQ", "token": "set-password"},
}


# --- what the forms are sent (valid: an allowed persona's POST writes) ------------------------------------

def _register(w):
    return {"person_ref": "N-900", "first_name": "Nou", "last_name": "Venit", "birth_date": "1991-02-03",
            "sex": "F", "county": "IF", "entry_date": "2024-03-01", "consent_on": "2024-03-01",
            "labour_status": "unemployed", "isced": "2"}


def _facts(w):
    return {"county": "IF", "area": "urban", "entry_date": "2024-03-02", "labour_status": "inactive", "isced": "3"}


POST_DATA = {
    "register": _register,
    "cnp check": lambda w: {"cnp": "2900512230011"},
    "facts": _facts,
    "identity": lambda w: {"first_name": "Nume", "last_name": "Schimbat", "cnp": "", "phone": "0722000999"},
    "consent": lambda w: {"consent_on": "2024-03-05"},
    "exit": lambda w: {"exit_date": "2024-09-30", "exit_status": "employed", "qualification_gained": "yes"},
    "follow-up": lambda w: {"status_6m": "employed", "improved_6m": "yes"},
    "reveal": lambda w: {"reason": "Verificare dosar de plata"},
    "evidence": lambda w: {"file": SimpleUploadedFile("adeverinta.pdf", PDF, content_type="application/pdf"),
                           "description": "Adeverinta"},
    "course": lambda w: {"code": "TR7", "title": "Marketing", "kind": "training", "hours": "6",
                         "min_attendance_pct": "80", "start_date": "2024-05-01", "end_date": "2024-05-03"},
    "session": lambda w: {"date": "2024-04-03", "hours": "2", "topic": "Practica"},
    "enrol A-001": lambda w: {"person_ref": "A-001", "enrolled_on": "2024-04-01"},
    "enrol B-001": lambda w: {"person_ref": "B-001", "enrolled_on": "2024-04-01"},
    "decide alice": lambda w: {f"e{w.enr_alice.pk}-completed": "yes", f"e{w.enr_alice.pk}-completed_on": "2024-04-03"},
    "decide bob": lambda w: {f"e{w.enr_bob.pk}-completed": "yes", f"e{w.enr_bob.pk}-completed_on": "2024-04-03"},
    "sheet alice": lambda w: {f"p{w.alice.pk}": "0"},
    "sheet bob": lambda w: {f"p{w.bob.pk}": "0"},
    "mark alice": lambda w: {f"p{w.alice.pk}": "0"},
    "mark bob": lambda w: {f"p{w.bob.pk}": "0"},
    "counselling A-001": lambda w: {"person_ref": "A-001", "kind": "mentoring", "date": "2024-04-10", "hours": "2",
                                    "counsellor": "Ana", "topic": "Vanzari"},
    "counselling B-001": lambda w: {"person_ref": "B-001", "kind": "mentoring", "date": "2024-04-10", "hours": "2",
                                    "counsellor": "Ana", "topic": "Vanzari"},
    "event": lambda w: {"kind": "debate", "title": "Dezbatere", "date": "2024-07-01", "county": "IF"},
    "attend A-001": lambda w: {"attendee": "person", "person_ref": "A-001"},
    "attend B-001": lambda w: {"attendee": "person", "person_ref": "B-001"},
    "attend ORG-A": lambda w: {"attendee": "organisation", "organisation": "ORG-A"},
    "photo": lambda w: {"file": SimpleUploadedFile("poza.png", png_bytes(), content_type="image/png"),
                        "caption": "Participanti"},
    "caravan stop": lambda w: {"date": "2024-08-01", "county": "IF", "title": "Oprire"},
    "campaign": lambda w: {"channel": "online", "title": "Pe net"},
    "publication": lambda w: {"kind": "report", "title": "Raport"},
    "enterprise add": lambda w: {"code": "SES-NEW", "name": "Cooperativa Noua", "legal_form": "cooperative",
                                 "county": "IF", "is_ses": "on"},
    "enterprise": lambda w: {"name": "Cooperativa Sociala P1 redenumita", "legal_form": "cooperative",
                             "county": "IF", "caen": "1413", "is_ses": "on", "founded_on": "2024-02-01"},
    "grant": lambda w: {"granted_on": "2024-06-01", "amount": "10000", "description": "Echipamente"},
    "product": lambda w: {"kind": "product", "name": "Sapun", "description": "Natural"},
    "job": lambda w: {"code": "J5", "title": "Casier", "created_on": "2024-06-01", "hours_per_week": "40"},
    "hire A-001": lambda w: {"person_ref": "A-001", "start_date": "2024-06-02"},
    "hire B-001": lambda w: {"person_ref": "B-001", "start_date": "2024-06-02"},
    "leave alice": lambda w: {f"e{w.emp_alice.pk}-end_date": "2024-12-31"},
    "leave bob": lambda w: {f"e{w.emp_bob.pk}-end_date": "2024-12-31"},
    "upload not a workbook": lambda w: {"file": SimpleUploadedFile("lucru.xlsx", b"not a workbook")},
    "snapshot": lambda w: {"as_of": "2024-12-31", "note": "Raport anual"},
    "profile": lambda w: {"description": "Descriere noua", "website": "", "contact_email": "", "contact_phone": ""},
    "member": lambda w: {"username": "a_field"},
    "answer": lambda w: {f"r{w.market_request.pk}-message": "Putem livra in doua saptamani."},
    "password reset": lambda w: {"email": "nobody@example.org"},
    "wrong old password": lambda w: {"old_password": "not-the-password", "new_password1": "Another-horse-77x",
                                     "new_password2": "Another-horse-77x"},
    "request": lambda w: {"reason": "Cererea scrisa a persoanei"},
    "erase": lambda w: {"reason": "Cererea scrisa a persoanei", "confirm": "on"},
    "retention": lambda w: {"retention_until": "2031-12-31"},
    # bodies of API operations (sent as JSON)
    "api partner": lambda w: {"organisation_id": w.ses_p2.pk, "role": "supported"},
    "api target": lambda w: {"indicator": "EECO01", "value": "25"},
    "api member": lambda w: {"username": "public", "organisation_id": w.org_a.pk, "role": "field_worker"},
    "api grant": lambda w: {"amount": "7500.00"},
    "api product": lambda w: {"kind": "product", "name": "Sapun lichid"},
    "api profile": lambda w: {"description": "Descriere noua"},
    "api org member": lambda w: {"username": "a_field"},
    "api answer": lambda w: {"message": "Putem livra in doua saptamani."},
    "api close": lambda w: {"token": manage_token(w.market_request)},
    "api register": lambda w: {"person_ref": "N-900", "first_name": "Nou", "last_name": "Venit", "sex": "F",
                               "birth_date": "1991-02-03", "county": "IF", "entry_date": "2024-03-01",
                               "labour_status": "unemployed", "isced": 2, "consent_on": "2024-03-01"},
    "api register for B": lambda w: {**POST_DATA["api register"](w), "organisation_id": w.org_b.pk},
    "api facts": lambda w: {"county": "IF", "area": "urban", "labour_status": "inactive", "isced": 3},
    "api exit": lambda w: {"exit_date": "2024-09-30", "exit_status": "employed", "qualification_gained": True},
    "api follow-up": lambda w: {"status_6m": "employed", "improved_6m": True},
    "api consent": lambda w: {"consent_on": "2024-03-05"},
    "api reason": lambda w: {"reason": "Cererea scrisa a persoanei"},
    "api course": lambda w: {"code": "TR7", "title": "Marketing", "kind": "training", "hours": "6",
                             "min_attendance_pct": 80, "start_date": "2024-05-01", "end_date": "2024-05-03"},
    "api session": lambda w: {"date": "2024-04-03", "hours": "2", "topic": "Practica"},
    "api enrol alice": lambda w: {"participant_id": w.alice.pk, "enrolled_on": "2024-04-01"},
    "api enrol bob": lambda w: {"participant_id": w.bob.pk, "enrolled_on": "2024-04-01"},
    "api decide": lambda w: {"completed": True, "completed_on": "2024-04-03"},
    "api present alice": lambda w: {"participant_id": w.alice.pk, "present": False},
    "api present bob": lambda w: {"participant_id": w.bob.pk, "present": False},
    "api counselling alice": lambda w: {"participant_id": w.alice.pk, "kind": "mentoring", "date": "2024-04-10",
                                        "hours": "2", "counsellor": "Ana", "topic": "Vanzari"},
    "api counselling bob": lambda w: {**POST_DATA["api counselling alice"](w), "participant_id": w.bob.pk},
    "api counselling topic": lambda w: {"topic": "Vanzari online"},
    "api enterprise add": lambda w: {"code": "SES-NEW", "name": "Cooperativa Noua", "legal_form": "cooperative",
                                     "county": "IF"},
    "api enterprise": lambda w: {"name": "Cooperativa Sociala P1 redenumita", "caen": "1414"},
    "api new grant": lambda w: {"granted_on": "2024-06-01", "amount": "10000", "description": "Echipamente"},
    "api job at SES-P1": lambda w: {"code": "J5", "employer_id": w.ses_p1.pk, "title": "Casier",
                                    "created_on": "2024-06-01", "hours_per_week": 40},
    "api job at SES-P2": lambda w: {**POST_DATA["api job at SES-P1"](w), "employer_id": w.ses_p2.pk},
    "api job": lambda w: {"title": "Casier", "hours_per_week": 30},
    "api hire alice": lambda w: {"participant_id": w.alice.pk, "start_date": "2024-06-02"},
    "api hire bob": lambda w: {"participant_id": w.bob.pk, "start_date": "2024-06-02"},
    "api leave": lambda w: {"end_date": "2024-12-31"},
    "api event": lambda w: {"kind": "debate", "title": "Dezbatere", "date": "2024-07-01", "county": "IF"},
    "api attend alice": lambda w: {"participant_id": w.alice.pk},
    "api attend bob": lambda w: {"participant_id": w.bob.pk},
    "api attend ORG-A": lambda w: {"organisation_id": w.org_a.pk},
    "api campaign": lambda w: {"channel": "online", "title": "Pe net"},
    "api publication": lambda w: {"kind": "report", "title": "Raport"},
    "api publication file": lambda w: {"file": SimpleUploadedFile("raport.pdf", PDF, content_type="application/pdf")},
    "api workbook": lambda w: {"file": SimpleUploadedFile("lucru.zip", zip_of_csv(), content_type="application/zip")},
    "api market request": lambda w: {
        "kind": "buy", "title": "Mese", "description": "20 de mese.", "county": "IF", "organisation_name": "Scoala 1",
        "poster_kind": "public_body", "contact_email": "scoala@example.org", "homepage": "",
        "started": signing.dumps(time.time() - 60, salt=spam.STAMP_SALT)},  # the form shown a minute ago
}


# --- the staff table ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    name: str
    method: str
    target: str
    rule: str
    data: str | None = None
    writes: bool = False  # the personas allowed write (the data is valid)
    query: str = ""

    def __str__(self):
        name = self.name if " " in self.name else f"{self.method} {self.name}"
        return f"{name} [{self.target}]{'?' + self.query if self.query else ''}"


def get(name, target, rule, query=""):
    return Row(name, "GET", target, rule, query=query)


def post(name, target, rule, data=None, writes=True):
    return Row(name, "POST", target, rule, data, writes=writes)


def patch(name, target, rule, data, writes=True):
    return Row(name, "PATCH", target, rule, data, writes=writes)


STAFF_ROWS = [
    # sign-in and the user's projects
    get("staff:home", "-", "signed_in"),
    get("accounts:account", "-", "signed_in"),
    get("accounts:verify", "-", "signed_in"),
    get("accounts:enrol", "-", "signed_in"),
    post("accounts:recovery_codes", "-", "signed_in", writes=False),  # refused without a second factor
    get("accounts:password_change", "-", "signed_in"),
    post("accounts:password_change", "-", "signed_in", "wrong old password", writes=False),
    get("staff:login", "-", "anyone"),
    get("staff:password_reset", "-", "anyone"),
    post("staff:password_reset", "-", "anyone", "password reset", writes=False),
    get("staff:password_reset_done", "-", "anyone"),
    get("staff:password_reset_confirm", "reset token", "anyone"),
    get("staff:password_reset_complete", "-", "anyone"),
    post("staff:logout", "-", "signs_out", writes=False),
    get("staff:project", "P1", "P1_read"),
    get("staff:project", "P2", "P2_read"),
    get("staff:audit", "P1", "P1_audit"),
    get("staff:audit", "P2", "P2_read"),
    # organisations a user speaks for
    get("staff:organisations", "-", "signed_in"),
    get("staff:organisation_profile", "ORG-A", "org_A"),
    get("staff:organisation_profile", "ORG-B", "org_B"),
    get("staff:organisation_profile", "SES-P1 org", "org_SES_P1"),
    post("staff:organisation_profile", "ORG-A", "org_A", "profile"),
    post("staff:organisation_profile", "ORG-B", "org_B", "profile"),
    post("staff:organisation_profile", "SES-P1 org", "org_SES_P1", "profile"),
    post("staff:organisation_product_add", "ORG-A", "org_A", "product"),
    post("staff:organisation_product_add", "ORG-B", "org_B", "product"),
    post("staff:organisation_product_add", "SES-P1 org", "org_SES_P1", "product"),
    get("staff:organisation_product", "A product", "org_A"),
    post("staff:organisation_product", "A product", "org_A", "product"),
    post("staff:organisation_product", "B product", "org_B", "product"),
    post("staff:organisation_product", "SES product", "org_SES_P1", "product"),
    get("staff:organisation_product", "A product@B", "A_product_at_B"),
    post("staff:organisation_product_delete", "A product", "org_A", "product"),
    post("staff:organisation_product_delete", "B product", "org_B", "product"),
    post("staff:organisation_product_delete", "A product@B", "A_product_at_B", "product"),
    post("staff:organisation_member_add", "ORG-A", "org_A", "member"),
    post("staff:organisation_member_add", "ORG-B", "org_B", "member"),
    post("staff:organisation_member_add", "SES-P1 org", "org_SES_P1", "member"),
    get("staff:organisation_requests", "ORG-A", "org_A"),
    get("staff:organisation_requests", "SES-P1 org", "org_SES_P1"),
    post("staff:organisation_answer", "SES request", "org_SES_P1", "answer"),
    post("staff:organisation_answer", "A request", "org_A", "answer", writes=False),  # A does not match it
    # participants
    get("staff:participants", "P1", "P1_read"),
    get("staff:participants", "P1", "P1_read", query="format=csv"),
    get("staff:participants", "P2", "P2_read"),
    get("staff:participants_missing", "P1", "P1_read"),
    get("staff:participants_missing", "P1", "P1_read", query="format=csv"),
    get("staff:participant_register", "P1", "P1_change_people"),
    post("staff:participant_register", "P1", "P1_change_people", "register"),
    post("staff:participant_register", "P2", "P2_read", "register"),
    post("staff:participant_check", "P1", "P1_change_people", "cnp check", writes=False),
    get("staff:participant", "alice", "A_read"),
    get("staff:participant", "bob", "B_read"),
    get("staff:participant", "carol@P2", "P2_read"),
    get("staff:participant", "carol@P1", "nowhere"),
    get("staff:participant_edit", "alice", "A_change"),
    get("staff:participant_edit", "bob", "B_change"),
    post("staff:participant_edit", "alice", "A_change", "facts"),
    post("staff:participant_edit", "bob", "B_change", "facts"),
    get("staff:participant_identity", "alice", "A_change"),
    get("staff:participant_identity", "bob", "B_change"),
    post("staff:participant_identity", "alice", "A_change", "identity"),
    post("staff:participant_identity", "bob", "B_change", "identity"),
    get("staff:participant_consent", "alice", "A_change"),
    post("staff:participant_consent", "alice", "A_change", "consent"),
    post("staff:participant_consent", "bob", "B_change", "consent"),
    get("staff:participant_exit", "alice", "A_change"),
    post("staff:participant_exit", "alice", "A_change", "exit"),
    post("staff:participant_exit", "bob", "B_change", "exit"),
    get("staff:participant_follow_up", "alice", "A_change"),
    get("staff:participant_follow_up", "bob", "B_change"),
    post("staff:participant_follow_up", "alice", "A_change", "follow-up"),
    post("staff:participant_follow_up", "bob", "B_change", "follow-up"),
    post("staff:participant_reveal", "alice", "A_read", "reveal", writes=False),  # logged for the auditor only
    post("staff:participant_reveal", "bob", "B_read", "reveal", writes=False),
    post("staff:participant_document_add", "alice", "A_change", "evidence"),
    post("staff:participant_document_add", "bob", "B_change", "evidence"),
    get("staff:participant_document", "alice doc", "A_read"),
    get("staff:participant_document", "bob doc", "B_read"),
    get("staff:participant_document", "bob doc@alice", "nowhere"),
    post("staff:participant_document_delete", "alice doc", "A_change"),
    post("staff:participant_document_delete", "bob doc", "B_change"),
    post("staff:participant_document_delete", "bob doc@alice", "nowhere_change"),
    get("staff:participant_export", "alice", "A_read"),
    get("staff:participant_export", "bob", "B_read"),
    post("staff:participant_export", "alice", "A_read", "request"),
    post("staff:participant_export", "bob", "B_read", "request"),
    get("staff:participant_erase", "alice", "A_erase"),
    get("staff:participant_erase", "bob", "B_erase"),
    post("staff:participant_erase", "alice", "A_erase", "erase"),
    post("staff:participant_erase", "bob", "B_erase", "erase"),
    get("staff:participants_retention", "P1", "P1_manage"),
    post("staff:participants_retention", "P1", "P1_lead_manage", "retention"),
    # training and counselling
    get("staff:courses", "P1", "P1_read"),
    get("staff:courses", "P2", "P2_read"),
    get("staff:course_create", "P1", "P1_activities"),
    post("staff:course_create", "P1", "P1_activities", "course"),
    get("staff:course", "course", "P1_read"),
    get("staff:course", "course", "P1_read", query="format=csv"),
    get("staff:course", "P2 course@P2", "P2_read"),
    get("staff:course", "P2 course@P1", "nowhere"),
    get("staff:course_edit", "course", "P1_activities"),
    post("staff:course_edit", "course", "P1_activities", "course"),
    post("staff:course_edit", "P2 course@P1", "nowhere_activity", "course"),
    get("staff:session_create", "course", "P1_activities"),
    post("staff:session_create", "course", "P1_activities", "session"),
    get("staff:session_edit", "session", "P1_activities"),
    post("staff:session_edit", "session", "P1_activities", "session"),
    post("staff:session_edit", "P2 session@P1", "nowhere_activity", "session"),
    get("staff:enrolment_create", "course empty", "P1_activities"),
    post("staff:enrolment_create", "course empty", "A_ref_typed", "enrol A-001"),
    post("staff:enrolment_create", "course empty", "B_ref_typed", "enrol B-001"),
    get("staff:enrolment_decide", "enrolment alice", "A_activity"),
    get("staff:enrolment_decide", "enrolment bob", "B_activity"),
    post("staff:enrolment_decide", "enrolment alice", "A_activity", "decide alice"),
    post("staff:enrolment_decide", "enrolment bob", "B_activity", "decide bob"),
    post("staff:enrolment_decide", "P2 enrolment@P1", "nowhere", "decide alice"),
    post("staff:certificate_issue", "enrolment alice", "A_activity", writes=False),  # issued already
    post("staff:certificate_issue", "enrolment bob", "B_activity", writes=False),
    get("staff:certificate_pdf", "enrolment alice", "A_change"),  # names the person: roles that see names
    get("staff:certificate_pdf", "enrolment bob", "B_change"),
    get("staff:attendance", "session", "P1_read"),
    get("staff:attendance", "P2 session@P1", "nowhere"),
    post("staff:attendance", "session", "A_ref_typed", "sheet alice"),
    post("staff:attendance", "session", "B_ref_typed", "sheet bob"),
    post("staff:attendance_mark", "session alice", "A_activity", "mark alice"),
    post("staff:attendance_mark", "session bob", "B_activity", "mark bob"),
    get("staff:counselling", "P1", "P1_read"),
    get("staff:counselling", "P1", "P1_read", query="format=csv"),
    get("staff:counselling_create", "P1", "P1_activities"),
    post("staff:counselling_create", "P1", "A_ref_typed", "counselling A-001"),
    post("staff:counselling_create", "P1", "B_ref_typed", "counselling B-001"),
    get("staff:counselling_edit", "counselling alice", "A_activity"),
    get("staff:counselling_edit", "counselling bob", "B_activity"),
    post("staff:counselling_edit", "counselling alice", "A_activity", "counselling A-001"),
    post("staff:counselling_edit", "counselling bob", "B_activity", "counselling B-001"),
    get("staff:counselling_edit", "P2 counselling@P1", "nowhere"),
    # events, caravan, campaigns, publications
    get("staff:events", "P1", "P1_read"),
    get("staff:events", "P2", "P2_read"),
    get("staff:event_new", "P1", "P1_activities"),
    post("staff:event_new", "P1", "P1_activities", "event"),
    get("staff:event", "event", "P1_read"),
    get("staff:event", "P2 event@P2", "P2_read"),
    get("staff:event", "P2 event@P1", "nowhere"),
    get("staff:event_edit", "event", "P1_activities"),
    post("staff:event_edit", "event", "P1_activities", "event"),
    post("staff:event_edit", "P2 event@P1", "nowhere", "event"),
    post("staff:event_attendance_add", "event empty", "A_ref_typed", "attend A-001"),
    post("staff:event_attendance_add", "event empty", "B_ref_typed", "attend B-001"),
    post("staff:event_attendance_add", "event empty", "P1_activities", "attend ORG-A"),
    post("staff:event_attendance_remove", "attendance alice", "A_activity"),
    post("staff:event_attendance_remove", "attendance bob", "B_row"),
    post("staff:event_photo_add", "event", "P1_activities", "photo"),
    get("staff:event_photo", "photo", "P1_read"),
    post("staff:event_photo_delete", "photo", "P1_activities"),
    get("staff:outreach_localities", "P1", "P1_read", query="county=IF"),
    get("staff:caravan", "P1", "P1_read"),
    post("staff:caravan", "P1", "P1_activities", "caravan stop"),
    get("staff:campaigns", "P1", "P1_read"),
    get("staff:campaign_new", "P1", "P1_activities"),
    post("staff:campaign_new", "P1", "P1_activities", "campaign"),
    get("staff:campaign_edit", "campaign", "P1_activities"),
    post("staff:campaign_edit", "campaign", "P1_activities", "campaign"),
    post("staff:campaign_edit", "P2 campaign@P1", "nowhere", "campaign"),
    get("staff:publications", "P1", "P1_read"),
    get("staff:publication_new", "P1", "P1_activities"),
    post("staff:publication_new", "P1", "P1_activities", "publication"),
    get("staff:publication_edit", "publication", "P1_activities"),
    post("staff:publication_edit", "publication", "P1_activities", "publication"),
    post("staff:publication_edit", "P2 publication@P1", "nowhere", "publication"),
    get("staff:publication_file", "publication", "P1_read"),
    get("staff:publication_file", "P2 publication@P1", "nowhere"),
    # enterprises and jobs
    get("staff:enterprises", "P1", "P1_read"),
    get("staff:enterprises", "P2", "P2_read"),
    get("staff:enterprise_add", "P1", "P1_manage"),
    post("staff:enterprise_add", "P1", "P1_manage", "enterprise add"),
    get("staff:enterprise_reminders", "P1", "P1_read"),
    get("staff:jobs_sustainability", "P1", "P1_read"),
    get("staff:enterprise", "SES-P1", "P1_read"),
    get("staff:enterprise", "SES-P2@P1", "nowhere"),
    get("staff:enterprise", "ORG-A as enterprise", "nowhere"),
    get("staff:enterprise_edit", "SES-P1", "P1_manage"),
    post("staff:enterprise_edit", "SES-P1", "P1_manage", "enterprise"),
    post("staff:enterprise_edit", "ORG-A as enterprise", "nowhere", "enterprise"),
    get("staff:enterprise_grants", "SES-P1", "P1_read", query="format=csv"),
    post("staff:enterprise_grants", "SES-P1", "P1_manage", "grant"),
    post("staff:enterprise_products", "SES-P1", "P1_manage", "product"),
    get("staff:enterprise_jobs", "SES-P1", "P1_read"),
    post("staff:enterprise_jobs", "SES-P1", "P1_activities", "job"),
    get("staff:job", "job", "P1_read"),
    get("staff:job", "P2 job@P1", "nowhere"),
    post("staff:job", "job empty", "A_ref_typed", "hire A-001"),
    post("staff:job", "job empty", "B_ref_typed", "hire B-001"),
    post("staff:employment_leave", "employment alice", "A_activity", "leave alice"),
    post("staff:employment_leave", "employment bob", "B_activity", "leave bob"),
    # workbook
    get("staff:workbook_upload", "-", "has_a_project"),
    post("staff:workbook_upload", "-", "has_a_project", "upload not a workbook", writes=False),
    get("staff:workbook_template", "-", "signed_in"),
    get("staff:workbook_project", "P1", "P1_read"),
    get("staff:workbook_project", "P2", "P2_read"),
    get("staff:workbook_run", "run of a_manager", "run_of_a_manager"),
    get("staff:workbook_run", "run of b_manager", "run_of_b_manager"),
    get("staff:workbook_progress", "run of a_manager", "run_of_a_manager"),
    get("staff:workbook_progress", "run of b_manager", "run_of_b_manager"),
    post("staff:workbook_confirm", "run of a_manager", "run_of_a_manager", writes=False),  # imported already
    post("staff:workbook_confirm", "run of b_manager", "run_of_b_manager", writes=False),
    post("staff:workbook_retry", "run of a_manager", "run_of_a_manager", writes=False),  # nothing to retry
    post("staff:workbook_retry", "run of b_manager", "run_of_b_manager", writes=False),
    get("staff:workbook_errors", "run of a_manager", "run_of_a_manager"),
    get("staff:workbook_errors", "run of b_manager", "run_of_b_manager"),
    get("staff:workbook_export_xlsx", "P1", "P1_identifiers"),
    get("staff:workbook_export_zip", "P1", "P1_identifiers"),
    get("staff:workbook_export_zip", "P2", "P2_read"),
    # indicators
    get("staff:report_overview", "-", "sees_reports"),
    get("staff:report", "P1", "P1_reports"),
    get("staff:report", "P2", "P2_read"),
    get("staff:report_behind", "indicator", "P1_reports"),
    get("staff:report_json", "P1", "P1_reports"),
    get("staff:report_csv", "P1", "P1_reports"),
    get("staff:report_xlsx", "P1", "P1_reports"),
    get("staff:report_pdf", "P1", "P1_reports"),
    post("staff:report_snapshot_create", "P1", "P1_snapshot", "snapshot"),
    get("staff:report_snapshot", "snapshot", "P1_reports"),
    get("staff:report_snapshot", "P2 snapshot@P1", "nowhere_reports"),
]

# --- the API table (same personas and rules) ---------------------------------------------------------------

# The API addresses objects by numeric id: {code}, {pk} and the like fill the OpenAPI path.
API_TARGETS = {
    "-": lambda w: {},
    "P1": lambda w: {"code": "P1"},
    "P2": lambda w: {"code": "P2"},
    "alice": lambda w: {"code": "P1", "pk": w.alice.pk},
    "bob": lambda w: {"code": "P1", "pk": w.bob.pk},
    "carol@P1": lambda w: {"code": "P1", "pk": w.carol.pk},
    "alice doc": lambda w: {"code": "P1", "pk": w.alice.pk, "document_pk": w.doc_alice.pk},
    "bob doc": lambda w: {"code": "P1", "pk": w.bob.pk, "document_pk": w.doc_bob.pk},
    "bob doc@alice": lambda w: {"code": "P1", "pk": w.alice.pk, "document_pk": w.doc_bob.pk},
    "course": lambda w: {"code": "P1", "pk": w.course.pk},
    "P2 course@P1": lambda w: {"code": "P1", "pk": w.p2_course.pk},
    "session": lambda w: {"code": "P1", "pk": w.session.pk},
    "P2 session@P1": lambda w: {"code": "P1", "pk": w.p2_session.pk},
    "enrolment alice": lambda w: {"code": "P1", "pk": w.enr_alice.pk},
    "enrolment bob": lambda w: {"code": "P1", "pk": w.enr_bob.pk},
    "P2 enrolment@P1": lambda w: {"code": "P1", "pk": w.p2_enrolment.pk},
    "course empty": lambda w: {"code": "P1", "pk": w.course_empty.pk},
    "counselling alice": lambda w: {"code": "P1", "pk": w.cs_alice.pk},
    "counselling bob": lambda w: {"code": "P1", "pk": w.cs_bob.pk},
    "P2 counselling@P1": lambda w: {"code": "P1", "pk": w.p2_counselling.pk},
    "SES-P1": lambda w: {"code": "P1", "pk": w.ses_p1.pk},
    "SES-P2@P1": lambda w: {"code": "P1", "pk": w.ses_p2.pk},
    "ORG-A as enterprise": lambda w: {"code": "P1", "pk": w.org_a.pk},
    "job": lambda w: {"code": "P1", "pk": w.job.pk},
    "P2 job@P1": lambda w: {"code": "P1", "pk": w.p2_job.pk},
    "job empty": lambda w: {"code": "P1", "pk": w.job_empty.pk},
    "employment alice": lambda w: {"code": "P1", "pk": w.job.pk, "employment_pk": w.emp_alice.pk},
    "employment bob": lambda w: {"code": "P1", "pk": w.job.pk, "employment_pk": w.emp_bob.pk},
    "event": lambda w: {"code": "P1", "pk": w.event.pk},
    "event empty": lambda w: {"code": "P1", "pk": w.event_empty.pk},
    "P2 event@P1": lambda w: {"code": "P1", "pk": w.p2_event.pk},
    "attendance alice": lambda w: {"code": "P1", "pk": w.event.pk, "attendance_pk": w.att_alice.pk},
    "attendance bob": lambda w: {"code": "P1", "pk": w.event.pk, "attendance_pk": w.att_bob.pk},
    "run of a_manager": lambda w: {"pk": w.run_a.pk},
    "run of b_manager": lambda w: {"pk": w.run_b.pk},
    "indicator": lambda w: {"code": "P1", "indicator": "EECO01"},
    "publication": lambda w: {"code": "P1", "pk": w.publication.pk},
    "P2 publication@P1": lambda w: {"code": "P1", "pk": w.p2_publication.pk},
    "campaign": lambda w: {"code": "P1", "pk": w.campaign.pk},
    "P2 campaign@P1": lambda w: {"code": "P1", "pk": w.p2_campaign.pk},
    "photo": lambda w: {"code": "P1", "pk": w.event.pk, "photo_pk": w.photo.pk},
    "grant": lambda w: {"code": "P1", "pk": w.ses_p1.pk, "grant_pk": w.grant.pk},
    "SES product": lambda w: {"code": "P1", "pk": w.ses_p1.pk, "product_pk": w.product_ses.pk},
    "ORG-A": lambda w: {"pk": w.org_a.pk},
    "ORG-B": lambda w: {"pk": w.org_b.pk},
    "SES-P1 org": lambda w: {"pk": w.ses_p1.pk},
    "A product": lambda w: {"pk": w.org_a.pk, "product_pk": w.product_a.pk},
    "A product@B": lambda w: {"pk": w.org_b.pk, "product_pk": w.product_a.pk},
    "SES request": lambda w: {"pk": w.ses_p1.pk, "request_pk": w.market_request.pk},
    "request": lambda w: {"pk": w.market_request.pk},
}

# name: "METHOD /api/v1/path" as in the OpenAPI description, or the URL name of a plain view under /api/v1/.
API_ROWS: list[Row] = [
    get("GET /api/v1/projects", "-", "signed_in"),
    get("GET /api/v1/projects/{code}", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}", "P2", "P2_read"),
    get("GET /api/v1/projects/{code}/participants", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/participants", "P2", "P2_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}", "alice", "A_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}", "bob", "B_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}", "carol@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/participants/{pk}/documents", "alice", "A_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}/documents", "bob", "B_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}/documents/{document_pk}/file", "alice doc", "A_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}/documents/{document_pk}/file", "bob doc", "B_read"),
    get("GET /api/v1/projects/{code}/participants/{pk}/documents/{document_pk}/file", "bob doc@alice", "nowhere"),
    Row("DELETE /api/v1/projects/{code}/participants/{pk}/documents/{document_pk}", "DELETE", "alice doc",
        "A_change", writes=True),
    Row("DELETE /api/v1/projects/{code}/participants/{pk}/documents/{document_pk}", "DELETE", "bob doc",
        "B_change", writes=True),
    get("GET /api/v1/projects/{code}/courses", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/courses/{pk}", "course", "P1_read"),
    get("GET /api/v1/projects/{code}/courses/{pk}", "P2 course@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/courses/{pk}/sessions", "course", "P1_read"),
    get("GET /api/v1/projects/{code}/courses/{pk}/enrolments", "course", "P1_read"),
    post("POST /api/v1/projects/{code}/enrolments/{pk}/certificate", "enrolment alice", "A_activity", writes=False),
    post("POST /api/v1/projects/{code}/enrolments/{pk}/certificate", "enrolment bob", "B_activity", writes=False),
    get("GET /api/v1/projects/{code}/sessions/{pk}/attendance", "session", "P1_read"),
    get("GET /api/v1/projects/{code}/sessions/{pk}/attendance", "P2 session@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/counselling", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/enterprises", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}", "SES-P1", "P1_read"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}", "SES-P2@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}", "ORG-A as enterprise", "nowhere"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}/grants", "SES-P1", "P1_read"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}/products", "SES-P1", "P1_read"),
    get("GET /api/v1/projects/{code}/jobs", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/jobs/{pk}", "job", "P1_read"),
    get("GET /api/v1/projects/{code}/jobs/{pk}", "P2 job@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/jobs/{pk}/employments", "job", "P1_read"),
    get("GET /api/v1/projects/{code}/events", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/events/{pk}", "event", "P1_read"),
    get("GET /api/v1/projects/{code}/events/{pk}", "P2 event@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/events/{pk}/attendance", "event", "P1_read"),
    Row("DELETE /api/v1/projects/{code}/events/{pk}/attendance/{attendance_pk}", "DELETE", "attendance alice",
        "A_activity", writes=True),
    Row("DELETE /api/v1/projects/{code}/events/{pk}/attendance/{attendance_pk}", "DELETE", "attendance bob",
        "B_row", writes=True),
    get("GET /api/v1/projects/{code}/campaigns", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/publications", "P1", "P1_read"),
    get("GET /api/v1/imports", "-", "signed_in"),  # the user's own runs (none for the public persona)
    get("GET /api/v1/imports/{pk}", "run of a_manager", "run_of_a_manager"),
    get("GET /api/v1/imports/{pk}", "run of b_manager", "run_of_b_manager"),
    post("POST /api/v1/imports/{pk}/confirm", "run of a_manager", "run_of_a_manager", writes=False),
    post("POST /api/v1/imports/{pk}/confirm", "run of b_manager", "run_of_b_manager", writes=False),
    get("GET /api/v1/projects/{code}/export", "P1", "P1_identifiers"),
    get("GET /api/v1/projects/{code}/export", "P2", "P2_read"),
    get("GET /api/v1/projects/{code}/report", "P1", "P1_reports"),
    get("GET /api/v1/projects/{code}/report/{indicator}/records", "indicator", "P1_reports"),
    get("GET /api/v1/projects/{code}/audit", "P1", "P1_audit"),
    get("GET /api/v1/projects/{code}/audit", "P2", "P2_read"),
    get("GET /api/v1/public/organisations", "-", "anyone"),
    get("GET /api/v1/public/impact", "-", "anyone"),
    get("GET /api/v1/public/requests", "-", "anyone"),
    get("GET /api/v1/public/requests/stamp", "-", "anyone"),
    # files, the caravan
    get("GET /api/v1/projects/{code}/publications/{pk}", "publication", "P1_read"),
    get("GET /api/v1/projects/{code}/publications/{pk}", "P2 publication@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/publications/{pk}/file", "publication", "P1_read"),
    get("GET /api/v1/projects/{code}/publications/{pk}/file", "P2 publication@P1", "nowhere"),
    Row("DELETE /api/v1/projects/{code}/publications/{pk}/file", "DELETE", "publication", "P1_activities",
        writes=True),
    Row("DELETE /api/v1/projects/{code}/publications/{pk}/file", "DELETE", "P2 publication@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/events/{pk}/photos", "event", "P1_read"),
    get("GET /api/v1/projects/{code}/events/{pk}/photos", "P2 event@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/events/{pk}/photos/{photo_pk}/file", "photo", "P1_read"),
    Row("DELETE /api/v1/projects/{code}/events/{pk}/photos/{photo_pk}", "DELETE", "photo", "P1_activities",
        writes=True),
    get("GET /api/v1/projects/{code}/caravan", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/caravan", "P2", "P2_read"),
    # enterprises: grants and products changed, reminders, art. 10, sustainability
    Row("PATCH /api/v1/projects/{code}/enterprises/{pk}/grants/{grant_pk}", "PATCH", "grant", "P1_manage",
        "api grant", writes=True),
    Row("DELETE /api/v1/projects/{code}/enterprises/{pk}/grants/{grant_pk}", "DELETE", "grant", "P1_manage",
        writes=True),
    Row("PATCH /api/v1/projects/{code}/enterprises/{pk}/products/{product_pk}", "PATCH", "SES product",
        "P1_manage", "api product", writes=True),
    Row("DELETE /api/v1/projects/{code}/enterprises/{pk}/products/{product_pk}", "DELETE", "SES product",
        "P1_manage", writes=True),
    get("GET /api/v1/projects/{code}/enterprise-reminders", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}/art10", "SES-P1", "P1_read"),
    get("GET /api/v1/projects/{code}/enterprises/{pk}/art10", "SES-P2@P1", "nowhere"),
    get("GET /api/v1/projects/{code}/jobs-sustainability", "P1", "P1_read"),
    # certificates, the workbook's template and an import's errors
    get("GET /api/v1/projects/{code}/enrolments/{pk}/certificate", "enrolment alice", "A_change"),
    get("GET /api/v1/projects/{code}/enrolments/{pk}/certificate", "enrolment bob", "B_change"),
    get("GET /api/v1/workbook/template", "-", "signed_in"),
    get("GET /api/v1/imports/{pk}/errors", "run of a_manager", "run_of_a_manager"),
    get("GET /api/v1/imports/{pk}/errors", "run of b_manager", "run_of_b_manager"),
    # the project's partners, targets and staff
    get("GET /api/v1/projects/{code}/partners", "P1", "P1_read"),
    get("GET /api/v1/projects/{code}/partners", "P2", "P2_read"),
    post("POST /api/v1/projects/{code}/partners", "P1", "P1_lead_manage", "api partner"),
    get("GET /api/v1/projects/{code}/targets", "P1", "P1_read"),
    post("POST /api/v1/projects/{code}/targets", "P1", "P1_lead_manage", "api target"),
    get("GET /api/v1/projects/{code}/members", "P1", "P1_manage"),
    get("GET /api/v1/projects/{code}/members", "P2", "P2_read"),
    post("POST /api/v1/projects/{code}/members", "P1", "A_staff", "api member"),
    # organisations a user speaks for, and the market
    get("GET /api/v1/organisations", "-", "signed_in"),
    get("GET /api/v1/organisations/{pk}", "ORG-A", "org_A"),
    get("GET /api/v1/organisations/{pk}", "ORG-B", "org_B"),
    get("GET /api/v1/organisations/{pk}", "SES-P1 org", "org_SES_P1"),
    Row("PATCH /api/v1/organisations/{pk}", "PATCH", "ORG-A", "org_A", "api profile", writes=True),
    Row("PATCH /api/v1/organisations/{pk}", "PATCH", "SES-P1 org", "org_SES_P1", "api profile", writes=True),
    get("GET /api/v1/organisations/{pk}/products", "ORG-A", "org_A"),
    post("POST /api/v1/organisations/{pk}/products", "ORG-A", "org_A", "api product"),
    post("POST /api/v1/organisations/{pk}/products", "ORG-B", "org_B", "api product"),
    get("GET /api/v1/organisations/{pk}/products/{product_pk}", "A product", "org_A"),
    get("GET /api/v1/organisations/{pk}/products/{product_pk}", "A product@B", "A_product_at_B"),
    Row("PATCH /api/v1/organisations/{pk}/products/{product_pk}", "PATCH", "A product", "org_A", "api product",
        writes=True),
    Row("DELETE /api/v1/organisations/{pk}/products/{product_pk}", "DELETE", "A product", "org_A", writes=True),
    Row("DELETE /api/v1/organisations/{pk}/products/{product_pk}", "DELETE", "A product@B", "A_product_at_B"),
    get("GET /api/v1/organisations/{pk}/members", "ORG-A", "org_A"),
    post("POST /api/v1/organisations/{pk}/members", "ORG-A", "org_A", "api org member"),
    post("POST /api/v1/organisations/{pk}/members", "SES-P1 org", "org_SES_P1", "api org member"),
    get("GET /api/v1/organisations/{pk}/requests", "SES-P1 org", "org_SES_P1"),
    get("GET /api/v1/organisations/{pk}/requests", "ORG-A", "org_A"),
    post("POST /api/v1/organisations/{pk}/requests/{request_pk}/answers", "SES request", "org_SES_P1",
         "api answer"),
    post("POST /api/v1/public/requests/{pk}/close", "request", "anyone", "api close"),
    # writes with a JSON body (or an upload): every allowed persona's request writes
    # ... participants: the one registered by the persona's own partner, and the other partner's
    post("POST /api/v1/projects/{code}/participants", "P1", "P1_change_people", "api register"),
    post("POST /api/v1/projects/{code}/participants", "P2", "P2_read", "api register"),
    post("POST /api/v1/projects/{code}/participants", "P1", "B_org_typed", "api register for B"),
    patch("PATCH /api/v1/projects/{code}/participants/{pk}", "alice", "A_change", "api facts"),
    patch("PATCH /api/v1/projects/{code}/participants/{pk}", "bob", "B_change", "api facts"),
    patch("PATCH /api/v1/projects/{code}/participants/{pk}", "carol@P1", "nowhere", "api facts"),
    post("POST /api/v1/projects/{code}/participants/{pk}/exit", "alice", "A_change", "api exit"),
    post("POST /api/v1/projects/{code}/participants/{pk}/exit", "bob", "B_change", "api exit"),
    post("POST /api/v1/projects/{code}/participants/{pk}/follow-up", "alice", "A_change", "api follow-up"),
    post("POST /api/v1/projects/{code}/participants/{pk}/follow-up", "bob", "B_change", "api follow-up"),
    post("POST /api/v1/projects/{code}/participants/{pk}/consent", "alice", "A_change", "api consent"),
    post("POST /api/v1/projects/{code}/participants/{pk}/consent", "bob", "B_change", "api consent"),
    post("POST /api/v1/projects/{code}/participants/{pk}/erase", "alice", "A_erase", "api reason"),
    # (Bob: the API looks the person up before the role, so A's staff get 404 where the page answers 403)
    post("POST /api/v1/projects/{code}/participants/{pk}/erase", "bob", "B_change", "api reason"),
    # reading the identifiers writes its audit entry
    post("POST /api/v1/projects/{code}/participants/{pk}/identity", "alice", "A_read", "api reason"),
    post("POST /api/v1/projects/{code}/participants/{pk}/identity", "bob", "B_read", "api reason"),
    post("POST /api/v1/projects/{code}/participants/{pk}/identity", "carol@P1", "nowhere", "api reason"),
    post("POST /api/v1/projects/{code}/participants/{pk}/documents", "alice", "A_change", "evidence"),
    post("POST /api/v1/projects/{code}/participants/{pk}/documents", "bob", "B_change", "evidence"),
    # ... training and counselling
    post("POST /api/v1/projects/{code}/courses", "P1", "P1_activities", "api course"),
    patch("PATCH /api/v1/projects/{code}/courses/{pk}", "course", "P1_activities", "api course"),
    patch("PATCH /api/v1/projects/{code}/courses/{pk}", "P2 course@P1", "nowhere_activity", "api course"),
    post("POST /api/v1/projects/{code}/courses/{pk}/sessions", "course", "P1_activities", "api session"),
    post("POST /api/v1/projects/{code}/courses/{pk}/sessions", "P2 course@P1", "nowhere_activity", "api session"),
    patch("PATCH /api/v1/projects/{code}/sessions/{pk}", "session", "P1_activities", "api session"),
    patch("PATCH /api/v1/projects/{code}/sessions/{pk}", "P2 session@P1", "nowhere_activity", "api session"),
    post("POST /api/v1/projects/{code}/courses/{pk}/enrolments", "course empty", "A_ref_typed", "api enrol alice"),
    post("POST /api/v1/projects/{code}/courses/{pk}/enrolments", "course empty", "B_ref_typed", "api enrol bob"),
    post("POST /api/v1/projects/{code}/enrolments/{pk}/decision", "enrolment alice", "A_activity", "api decide"),
    post("POST /api/v1/projects/{code}/enrolments/{pk}/decision", "enrolment bob", "B_activity", "api decide"),
    post("POST /api/v1/projects/{code}/enrolments/{pk}/decision", "P2 enrolment@P1", "nowhere", "api decide"),
    post("POST /api/v1/projects/{code}/sessions/{pk}/attendance", "session", "A_activity", "api present alice"),
    post("POST /api/v1/projects/{code}/sessions/{pk}/attendance", "session", "B_activity", "api present bob"),
    post("POST /api/v1/projects/{code}/sessions/{pk}/attendance", "P2 session@P1", "nowhere", "api present alice"),
    post("POST /api/v1/projects/{code}/counselling", "P1", "A_ref_typed", "api counselling alice"),
    post("POST /api/v1/projects/{code}/counselling", "P1", "B_ref_typed", "api counselling bob"),
    patch("PATCH /api/v1/projects/{code}/counselling/{pk}", "counselling alice", "A_activity", "api counselling topic"),
    patch("PATCH /api/v1/projects/{code}/counselling/{pk}", "counselling bob", "B_activity", "api counselling topic"),
    patch("PATCH /api/v1/projects/{code}/counselling/{pk}", "counselling alice", "A_row_B_ref", "api counselling bob"),
    patch("PATCH /api/v1/projects/{code}/counselling/{pk}", "P2 counselling@P1", "nowhere", "api counselling topic"),
    # ... enterprises and jobs
    post("POST /api/v1/projects/{code}/enterprises", "P1", "P1_manage", "api enterprise add"),
    patch("PATCH /api/v1/projects/{code}/enterprises/{pk}", "SES-P1", "P1_manage", "api enterprise"),
    patch("PATCH /api/v1/projects/{code}/enterprises/{pk}", "SES-P2@P1", "nowhere", "api enterprise"),
    patch("PATCH /api/v1/projects/{code}/enterprises/{pk}", "ORG-A as enterprise", "nowhere", "api enterprise"),
    post("POST /api/v1/projects/{code}/enterprises/{pk}/grants", "SES-P1", "P1_manage", "api new grant"),
    post("POST /api/v1/projects/{code}/enterprises/{pk}/grants", "SES-P2@P1", "nowhere", "api new grant"),
    post("POST /api/v1/projects/{code}/enterprises/{pk}/products", "SES-P1", "P1_manage", "api product"),
    post("POST /api/v1/projects/{code}/enterprises/{pk}/products", "ORG-A as enterprise", "nowhere", "api product"),
    post("POST /api/v1/projects/{code}/jobs", "P1", "P1_activities", "api job at SES-P1"),
    post("POST /api/v1/projects/{code}/jobs", "P1", "nowhere", "api job at SES-P2"),
    patch("PATCH /api/v1/projects/{code}/jobs/{pk}", "job", "P1_activities", "api job"),
    patch("PATCH /api/v1/projects/{code}/jobs/{pk}", "P2 job@P1", "nowhere", "api job"),
    post("POST /api/v1/projects/{code}/jobs/{pk}/employments", "job empty", "A_ref_typed", "api hire alice"),
    post("POST /api/v1/projects/{code}/jobs/{pk}/employments", "job empty", "B_ref_typed", "api hire bob"),
    post("POST /api/v1/projects/{code}/jobs/{pk}/employments/{employment_pk}/leave", "employment alice",
         "A_activity", "api leave"),
    post("POST /api/v1/projects/{code}/jobs/{pk}/employments/{employment_pk}/leave", "employment bob", "B_row",
         "api leave"),
    # ... events, campaigns, publications (and their files)
    post("POST /api/v1/projects/{code}/events", "P1", "P1_activities", "api event"),
    patch("PATCH /api/v1/projects/{code}/events/{pk}", "event", "P1_activities", "api event"),
    patch("PATCH /api/v1/projects/{code}/events/{pk}", "P2 event@P1", "nowhere", "api event"),
    post("POST /api/v1/projects/{code}/events/{pk}/attendance", "event empty", "A_ref_typed", "api attend alice"),
    post("POST /api/v1/projects/{code}/events/{pk}/attendance", "event empty", "B_ref_typed", "api attend bob"),
    post("POST /api/v1/projects/{code}/events/{pk}/attendance", "event empty", "P1_activities", "api attend ORG-A"),
    post("POST /api/v1/projects/{code}/events/{pk}/photos", "event", "P1_activities", "photo"),
    post("POST /api/v1/projects/{code}/events/{pk}/photos", "P2 event@P1", "nowhere", "photo"),
    post("POST /api/v1/projects/{code}/campaigns", "P1", "P1_activities", "api campaign"),
    patch("PATCH /api/v1/projects/{code}/campaigns/{pk}", "campaign", "P1_activities", "api campaign"),
    patch("PATCH /api/v1/projects/{code}/campaigns/{pk}", "P2 campaign@P1", "nowhere", "api campaign"),
    post("POST /api/v1/projects/{code}/publications", "P1", "P1_activities", "api publication"),
    patch("PATCH /api/v1/projects/{code}/publications/{pk}", "publication", "P1_activities", "api publication"),
    patch("PATCH /api/v1/projects/{code}/publications/{pk}", "P2 publication@P1", "nowhere", "api publication"),
    post("POST /api/v1/projects/{code}/publications/{pk}/file", "publication", "P1_activities", "api publication file"),
    post("POST /api/v1/projects/{code}/publications/{pk}/file", "P2 publication@P1", "nowhere", "api publication file"),
    # ... a workbook upload (checked at once, imported only when confirmed) and a market request
    post("POST /api/v1/imports", "-", "has_a_project", "api workbook"),
    post("POST /api/v1/public/requests", "-", "anyone", "api market request"),
    # the plain views kept at their old URL names
    get("api_report", "P1", "P1_reports"),
    get("api_report_records", "indicator", "P1_reports"),
    get("api_public_organisations", "-", "anyone"),
    get("api_public_impact", "-", "anyone"),
]

# Operations of the OpenAPI description that have no row yet (none now: every write has its body above).
# The completeness test fails for any operation that is neither in API_ROWS nor here, and for an entry
# here that has a row or no longer exists.
API_ROWS_TO_WRITE: set[str] = set()


# --- running a table ---------------------------------------------------------------------------------------

def _fingerprint() -> tuple:
    """How many rows every table holds (the audit log included): one query. Services audit every change,
    so an update shows as a new audit entry."""
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy
                     and m._meta.app_label not in ("sessions",)})
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables))
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def _outcome(response) -> int:
    status = response.status_code
    if status in (301, 302, 303) and urlparse(response["Location"]).path == reverse("staff:login"):
        return 401
    if status == 204 and response.get("HX-Refresh") == "true":
        return 401  # the polled import progress tells a signed-out browser to reload (to the sign-in page)
    if status in (401, 403, 404):
        return status
    if status in (200, 201, 204, 301, 302, 303, 400):
        return 200
    return status  # 405, 500...: never expected


BINARY = ("application/pdf", "application/vnd", "application/zip", "image/")


def _foreign_markers(w, persona) -> list[str]:
    """What a persona must never read: names and references of participants it may not see."""
    alice, bob, carol = ["Ionescu", "A-001"], ["Popescu", "B-001"], ["Dumitrescu", "C-001"]
    return {"anon": alice + bob + carol, "public": alice + bob + carol, "a_field": bob + carol,
            "a_manager": bob + carol, "a_monitor": bob + carol, "b_manager": alice + carol, "lead": carol,
            "auditor": carol, "outsider": alice + bob, "admin": []}[persona]


def _drain(response) -> None:
    """Reads a streamed response to its end: the test client then closes it (and its file) itself.
    (Calling response.close() here would send request_finished, which closes the database connection.)"""
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass


HELP_TEXT = re.compile(r'<div class="helptext"[^>]*>.*?</div>', re.S)  # "e.g. A-001" is an example


def _body(response) -> str:
    if any(response.get("Content-Type", "").startswith(b) for b in BINARY):
        return ""
    if getattr(response, "streaming", False):
        text = b"".join(response.streaming_content).decode("utf-8", "replace")
        response.streaming_content = []  # read: nothing left for _drain
    else:
        text = response.content.decode("utf-8", "replace")
    return HELP_TEXT.sub("", text)


def run_table(rows, w, persona, sign_in, *, url_for, send) -> list[str]:
    """Every row for one persona; the list of what differs from the table."""
    column = PERSONAS.index(persona)
    client = sign_in()
    markers = _foreign_markers(w, persona)
    problems = []
    for row in rows:
        expected = RULES[row.rule][column]
        url = url_for(row, w)
        data = POST_DATA[row.data](w) if row.data else {}
        try:
            with transaction.atomic():
                before = _fingerprint()
                response = send(client, row, url, data)
                got = _outcome(response)
                body = _body(response) if got == 200 and expected == 200 else ""
                _drain(response)
                after = _fingerprint()
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - a 500: reported with the row, the other rows still run
            problems.append(f"{row}: expected {expected}, raised {type(exc).__name__}: {exc}")
            continue
        if got != (200 if expected == 400 else expected):
            problems.append(f"{row}: expected {expected}, got {got} (HTTP {response.status_code})")
        changed = [f"{t} {n}->{m}" for (t, n), (_t, m) in zip(before, after, strict=True) if n != m]
        if expected in NO_WRITE and changed:
            problems.append(f"{row}: expected nothing written, but {', '.join(changed)}")
        if expected == 200 and row.writes and got == 200 and not changed:
            problems.append(f"{row}: allowed, but nothing was written (is the test's data valid?)")
        leaked = [m for m in markers if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", body)]
        if leaked:
            problems.append(f"{row}: shows {', '.join(leaked)} of a participant it may not see")
        if row.name in ("staff:logout",):
            client = sign_in()
    return problems


def _staff_url(row, w):
    return reverse(row.name, kwargs=TARGETS[row.target](w)) + (f"?{row.query}" if row.query else "")


def _send_html(client, row, url, data):
    if row.method == "GET":
        return client.get(url)
    return client.post(url, data)


def _api_url(row, w):
    kwargs = API_TARGETS[row.target](w)
    if " " not in row.name:  # a plain view, by URL name
        return reverse(row.name, kwargs=kwargs)
    return row.name.split(" ", 1)[1].format(**kwargs) + (f"?{row.query}" if row.query else "")


def _send_api(client, row, url, data):
    if not data:
        return client.generic(row.method, url)
    if any(isinstance(value, SimpleUploadedFile) for value in data.values()):
        return client.post(url, data)  # an upload: multipart/form-data
    return client.generic(row.method, url, json.dumps(data), content_type="application/json")


def _api_operations(client) -> set[str] | None:
    """Every operation of the API's OpenAPI description as "METHOD /path"; None when there is no API."""
    response = client.get("/api/v1/openapi.json")
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/json"):
        return None
    return {f"{method.upper()} {path}" for path, operations in response.json().get("paths", {}).items()
            for method in operations if method.lower() in ("get", "post", "put", "patch", "delete")}


# --- the tests ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end; uploaded files go to a
    temporary private directory, never into var/."""
    storage = tmp_path_factory.mktemp("private")
    overrides = override_settings(
        STORAGES={**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                   "OPTIONS": {"location": str(storage), "base_url": None}}},
        MEDIA_ROOT=storage, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with overrides, django_db_blocker.unblock(), translation.override("en"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _signer(w, persona, login):
    attribute = WORLD_ATTRIBUTE.get(persona, persona)
    user = getattr(w, attribute) if attribute else None
    return lambda: login(user)


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_pages(matrix_world, db, login, persona):
    problems = run_table(STAFF_ROWS, matrix_world, persona, _signer(matrix_world, persona, login),
                         url_for=_staff_url, send=_send_html)
    assert not problems, f"{persona}: {len(problems)} differences from the table:\n" + "\n".join(problems)


def test_the_table_is_well_formed():
    assert all(len(outcomes) == len(PERSONAS) and set(outcomes) <= OUTCOMES for outcomes in RULES.values())
    for rows, targets in ((STAFF_ROWS, TARGETS), (API_ROWS, API_TARGETS)):
        for row in rows:
            assert row.rule in RULES and row.target in targets and (row.data is None or row.data in POST_DATA), row
        assert len(set(rows)) == len(rows), "a row is written twice"
    assert {r.rule for r in STAFF_ROWS + API_ROWS} == set(RULES), "a rule no row uses"


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (f"{namespace}{pattern.name}" if pattern.name else None)


def test_every_staff_url_has_a_row():
    """A new page under /staff/ cannot ship without its row in the table."""
    found = {(route, name) for route, name in _walk(get_resolver()) if route.startswith("staff/")}
    unnamed = sorted(route for route, name in found if name is None)
    assert not unnamed, f"URL patterns under /staff/ without a name (cannot be in the table): {unnamed}"
    covered = {row.name for row in STAFF_ROWS}
    missing = sorted(name for _route, name in found if name not in covered)
    assert not missing, f"staff URLs without a row in STAFF_ROWS: {missing}"
    unknown = sorted(covered - {name for _route, name in found})
    assert not unknown, f"rows for URLs that do not exist: {unknown}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_operations(matrix_world, db, client, login, persona):
    if _api_operations(client) is None:
        pytest.skip("API not built yet: /api/v1/openapi.json answers no description")
    problems = run_table(API_ROWS, matrix_world, persona, _signer(matrix_world, persona, login),
                         url_for=_api_url, send=_send_api)
    assert not problems, f"{persona}: {len(problems)} differences from the API table:\n" + "\n".join(problems)


def test_every_api_operation_has_a_row(client):
    """A new API operation cannot ship without its row (or, for a write, an entry in API_ROWS_TO_WRITE)."""
    operations = _api_operations(client)
    if operations is None:
        pytest.skip("API not built yet: /api/v1/openapi.json answers no description")
    plain = {name for route, name in _walk(get_resolver())
             if route.startswith("api/v1/") and name and not name.startswith("api:")}
    covered = {row.name for row in API_ROWS}
    missing = sorted((operations | plain) - covered - API_ROWS_TO_WRITE)
    assert not missing, f"API operations without a row in API_ROWS: {missing}"
    unknown = sorted(covered - operations - plain)
    assert not unknown, f"rows for API operations that do not exist: {unknown}"
    stale = sorted(API_ROWS_TO_WRITE & covered) + sorted(API_ROWS_TO_WRITE - operations)
    assert not stale, f"API_ROWS_TO_WRITE entries that have a row or no longer exist: {stale}"
