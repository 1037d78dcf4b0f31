"""The REST API's second round: files (publications, event photos), grants and products changed and deleted,
a project's partners, targets and staff, the organisation pages and the market, the enterprise reads
(reminders, art. 10, sustainability), the caravan, the workbook's template and error CSV, certificates,
and a registration that takes the birth date and sex from the CNP. Each: the right persona succeeds, the
other partner (or another project's staff) gets 404, a read-only role 403, anonymous 401, bad input 400
naming the field, with nothing written."""

import datetime as dt
import io

import pytest
from PIL import Image

from socec.audit.models import AuditEntry
from socec.core.validators import cnp_control_digit
from socec.jobs.models import Job
from socec.jobs.services import employment_hire, job_save
from socec.market.models import Answer, Request
from socec.market.services import manage_token, request_post
from socec.orgs.models import Organisation, OrganisationMember, Product, SupportGrant
from socec.orgs.services import enterprise_add
from socec.outbox.models import OutboxMessage
from socec.outreach.models import Event, EventPhoto, Publication
from socec.outreach.services import event_save
from socec.people.models import Participation
from socec.places.models import County
from socec.programmes.models import Membership, Partnership, Target
from socec.training.models import Course, Enrolment
from socec.training.services import certificate_issue, course_save, enrolment_decide, enrolment_save
from socec.workbook.models import ImportRun
from tests.personas import add_public_persona, make_org, make_user
from tests.test_api import API, PDF, body, error_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded files go to a temporary directory, never into var/."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def upload(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (20, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def streamed(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def enterprise(world, code="SES-1", **extra):
    return enterprise_add(project=world.project, by=None, code=code, name=f"Cooperativa {code}",
                          legal_form="cooperative", county=County.objects.get(pk="IF"), **extra)


# --- files ---------------------------------------------------------------------------------------------------


def test_publication_files_and_event_photos(world, login):
    api = login(world.a_field)
    publication = api.post(f"{API}/projects/P1/publications", **body(kind="guide", title="Ghid")).json()
    url = f"{API}/projects/P1/publications/{publication['id']}/file"
    before = AuditEntry.objects.count()
    wrong = api.post(url, {"file": upload(b"MZ\x90\x00 not a document", "ghid.pdf")})
    assert wrong.status_code == 400 and error_fields(wrong) == {"file"}
    assert AuditEntry.objects.count() == before and not Publication.objects.get().file
    assert login(world.auditor).post(url, {"file": upload(PDF, "ghid.pdf")}).status_code == 403
    assert login(world.outsider).post(url, {"file": upload(PDF, "ghid.pdf")}).status_code == 404
    assert login(None).post(url, {"file": upload(PDF, "ghid.pdf")}).status_code == 401
    assert not Publication.objects.get().file
    api = login(world.a_field)
    stale = api.post(url, {"file": upload(PDF, "ghid.pdf"), "version": publication["version"] + 5})
    assert stale.status_code == 409 and not Publication.objects.get().file
    stored = api.post(url, {"file": upload(PDF, "ghid.pdf"), "version": publication["version"]})
    assert stored.status_code == 200 and stored.json()["has_file"] is True, stored.content
    assert not Publication.objects.get().file.name.endswith("ghid.pdf")  # a random stored name
    download = login(world.b_manager).get(url)  # shared by the project: any partner reads it
    assert download.status_code == 200 and streamed(download) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert login(world.outsider).get(url).status_code == 404
    removed = login(world.a_field).delete(url)
    assert removed.status_code == 200 and removed.json()["has_file"] is False
    assert login(world.a_field).get(url).status_code == 404

    event = event_save(event=Event(project=world.project), by=None, kind="workshop", title="Atelier",
                       date=dt.date(2024, 5, 5), county=County.objects.get(pk="IF"))
    photos = f"{API}/projects/P1/events/{event.pk}/photos"
    api = login(world.a_field)
    no_caption = api.post(photos, {"file": upload(png(), "poza.png")})
    assert no_caption.status_code == 400 and error_fields(no_caption) == {"caption"}
    not_an_image = api.post(photos, {"file": upload(PDF, "poza.png"), "caption": "Sala"})
    assert not_an_image.status_code == 400 and error_fields(not_an_image) == {"file"}
    assert login(world.a_monitor).post(photos, {"file": upload(png(), "p.png"), "caption": "Sala"}).status_code == 403
    assert not EventPhoto.objects.exists()
    added = login(world.a_field).post(photos, {"file": upload(png(), "poza.png"), "caption": "Sala plina"})
    assert added.status_code == 201 and added.json()["content_type"] == "image/png", added.content
    photo = added.json()["id"]
    assert [p["caption"] for p in login(world.auditor).get(photos).json()["items"]] == ["Sala plina"]
    shown = login(world.b_manager).get(f"{photos}/{photo}/file")
    assert shown.status_code == 200 and streamed(shown) == png()
    assert login(world.outsider).get(f"{photos}/{photo}/file").status_code == 404
    assert login(world.auditor).delete(f"{photos}/{photo}").status_code == 403
    assert login(world.a_field).delete(f"{photos}/{photo}").status_code == 204
    assert not EventPhoto.objects.exists()


# --- enterprises: grants and products, reads ---------------------------------------------------------------------


def test_grants_and_products_are_changed_and_deleted_by_managers(world, login):
    org = enterprise(world)
    manager = login(world.lead_manager)
    url = f"{API}/projects/P1/enterprises/{org.pk}"
    grant = manager.post(f"{url}/grants", **body(granted_on="2024-05-01", amount="1000.00")).json()
    product = manager.post(f"{url}/products", **body(name="Uniforme")).json()
    gurl, purl = f"{url}/grants/{grant['id']}", f"{url}/products/{product['id']}"

    changed = manager.patch(gurl, **body(amount="1500.50", description="Echipamente", version=grant["version"]))
    assert changed.status_code == 200 and changed.json()["amount"] == "1500.50"
    stale = manager.patch(gurl, **body(amount="1.00", version=grant["version"]))
    assert stale.status_code == 409
    negative = manager.patch(gurl, **body(amount="-5"))
    assert negative.status_code == 400 and error_fields(negative) == {"amount"}
    empty = manager.patch(gurl, **body(granted_on=None))
    assert empty.status_code == 400 and error_fields(empty) == {"granted_on"}
    assert login(world.a_field).patch(gurl, **body(amount="2.00")).status_code == 403
    assert login(world.a_field).delete(gurl).status_code == 403
    assert login(world.outsider).patch(gurl, **body(amount="2.00")).status_code == 404
    assert login(None).delete(gurl).status_code == 401
    assert str(SupportGrant.objects.get().amount) == "1500.50"

    renamed = login(world.a_manager).patch(purl, **body(name="Uniforme de lucru", kind="service"))
    assert renamed.status_code == 200 and renamed.json()["kind"] == "service"
    assert login(world.a_manager).patch(purl, **body(kind="gadget")).status_code == 400
    assert login(world.auditor).delete(purl).status_code == 403
    other = Product.objects.create(organisation=world.org_a, name="Altceva")  # A's, not the enterprise's
    assert login(world.lead_manager).delete(f"{url}/products/{other.pk}").status_code == 404
    assert login(world.lead_manager).delete(purl).status_code == 204
    assert login(world.lead_manager).delete(gurl).status_code == 204
    assert list(Product.objects.values_list("name", flat=True)) == ["Altceva"] and not SupportGrant.objects.exists()


def test_reminders_art10_sustainability_and_caravan(world, login):
    today = dt.date.today()
    org = enterprise(world, attestation_no="AT-1", attested_on=today - dt.timedelta(days=5 * 365 - 30),
                     founded_on=today - dt.timedelta(days=6 * 365))
    job = job_save(job=Job(project=world.project, employer=org), by=None, code="J1", title="Bucatar",
                   created_on=dt.date(2024, 5, 1), hours_per_week=40)
    employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), participation=world.alice)
    employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), participation=world.bob)
    event_save(event=Event(project=world.project, kind=Event.Kind.CARAVAN_STOP), by=None, title="Oprire",
               date=dt.date(2024, 8, 1), county=County.objects.get(pk="IF"), participants=30)

    reminders = login(world.auditor).get(f"{API}/projects/P1/enterprise-reminders").json()
    assert [(r["organisation"], r["certificate"], r["status"]) for r in reminders["items"]] == [
        ("SES-1", "attestation", "expires_soon")]
    assert login(world.outsider).get(f"{API}/projects/P1/enterprise-reminders").status_code == 404

    url = f"{API}/projects/P1/enterprises/{org.pk}/art10"
    check = login(world.a_field).get(url, {"on": "2024-07-01"}).json()
    assert check["qualifies"] is True and check["employees"] == 2 and check["vulnerable"] == 1
    assert [r["holder"] for r in check["rows"]] == ["A-001"] and check["hidden"] == 1  # Bob is B's
    assert "A-001" not in login(world.b_manager).get(url, {"on": "2024-07-01"}).content.decode()
    bad = login(world.a_field).get(url, {"on": "mâine"})
    assert bad.status_code == 400 and error_fields(bad) == {"on"}
    assert login(world.outsider).get(url).status_code == 404
    assert login(None).get(url).status_code == 401

    kept = login(world.a_monitor).get(f"{API}/projects/P1/jobs-sustainability", {"months": 6}).json()
    assert kept["check_on"] == "2026-06-30" and kept["total"] == 1 and kept["jobs"][0]["holders"] == 2
    too_far = login(world.a_monitor).get(f"{API}/projects/P1/jobs-sustainability", {"months": 500})
    assert too_far.status_code == 400 and error_fields(too_far) == {"months"}

    caravan = login(world.b_manager).get(f"{API}/projects/P1/caravan").json()
    assert caravan["count"] == 1 and caravan["stops"][0]["code"] == "CAR-001"
    assert caravan["stops"][0]["attendance"] == 30
    assert login(world.outsider).get(f"{API}/projects/P1/caravan").status_code == 404


# --- the project's partners, targets and staff ---------------------------------------------------------------------


def test_partners_targets_and_members_are_the_lead_managers(world, login):
    newcomer = make_org("NEW", "Asociatia Noua")
    lead = login(world.lead_manager)
    added = lead.post(f"{API}/projects/P1/partners", **body(organisation_id=newcomer.pk, role="partner"))
    assert added.status_code == 200 and added.json()["role"] == "partner", added.content
    assert "NEW" in {p["organisation"] for p in lead.get(f"{API}/projects/P1/partners").json()["items"]}
    unknown = lead.post(f"{API}/projects/P1/partners", **body(organisation_id=999999, role="partner"))
    assert unknown.status_code == 400 and error_fields(unknown) == {"organisation_id"}
    lead_role = lead.post(f"{API}/projects/P1/partners", **body(organisation_id=world.org_a.pk, role="lead"))
    assert lead_role.status_code == 400 and error_fields(lead_role) == {"role"}
    assert login(world.a_manager).post(f"{API}/projects/P1/partners", **body(
        organisation_id=world.org_b.pk, role="none")).status_code == 403  # a partner does not remove another
    assert login(world.auditor).post(f"{API}/projects/P1/partners", **body(
        organisation_id=world.org_b.pk, role="none")).status_code == 403
    assert Partnership.objects.get(project=world.project, organisation=world.org_b).role == "partner"

    lead = login(world.lead_manager)
    first = lead.post(f"{API}/projects/P1/targets", **body(indicator="EECO01", value="120"))
    assert first.status_code == 200, first.content
    again = lead.post(f"{API}/projects/P1/targets", **body(indicator="EECO01", value="150"))
    assert again.json()["id"] == first.json()["id"] and Target.objects.get().value == 150
    county = lead.post(f"{API}/projects/P1/targets", **body(indicator="EECO01", value="10", county="if"))
    assert county.status_code == 200 and county.json()["county"] == "IF"
    for bad, field in [({"indicator": "NOPE", "value": "1"}, "indicator"), ({"indicator": "EECO01", "value": "-1"},
                       "value"), ({"indicator": "EECO01", "value": "1", "county": "ZZ"}, "county"),
                       ({"indicator": "EECO01", "value": "1", "county": "IF", "region": "RO32"}, "county")]:
        response = lead.post(f"{API}/projects/P1/targets", **body(**bad))
        assert response.status_code == 400 and error_fields(response) == {field}, (bad, response.content)
    assert login(world.a_manager).post(f"{API}/projects/P1/targets", **body(indicator="EECO01",
                                                                            value="1")).status_code == 403
    assert login(world.outsider).get(f"{API}/projects/P1/targets").status_code == 404
    assert Target.objects.count() == 2

    newbie = make_user("newbie")
    granted = login(world.a_manager).post(f"{API}/projects/P1/members", **body(
        username="newbie", organisation_id=world.org_a.pk, role="field_worker"))
    assert granted.status_code == 200 and granted.json()["organisation"] == "ORG-A", granted.content
    assert login(world.a_manager).post(f"{API}/projects/P1/members", **body(  # the auditor sees every partner
        username="newbie", organisation_id=world.org_a.pk, role="auditor")).status_code == 403
    assert login(world.a_manager).post(f"{API}/projects/P1/members", **body(  # nor B's staff
        username="b_manager", organisation_id=world.org_a.pk, role="field_worker")).status_code == 403
    nobody = login(world.a_manager).post(f"{API}/projects/P1/members", **body(
        username="nobody", organisation_id=world.org_a.pk, role="field_worker"))
    assert nobody.status_code == 400 and error_fields(nobody) == {"username"}
    assert login(world.a_field).get(f"{API}/projects/P1/members").status_code == 403
    assert "newbie" in {m["username"] for m in login(world.lead_manager).get(f"{API}/projects/P1/members").json()[
        "items"]}
    assert Membership.objects.get(user=newbie).role == "field_worker"
    assert Membership.objects.get(user=world.b_manager).organisation == world.org_b


# --- organisations and the market ---------------------------------------------------------------------------------


def test_organisation_profile_products_members_and_answers(world, login):
    add_public_persona(world)
    ses = world.ses_p1
    api = login(world.public)
    assert [o["code"] for o in api.get(f"{API}/organisations").json()["items"]] == ["SES-P1"]
    url = f"{API}/organisations/{ses.pk}"
    profile = api.get(url).json()
    changed = api.patch(url, **body(description="Croitorie sociala", website="atelier.example.org",
                                    version=profile["version"]))
    assert changed.status_code == 200, changed.content
    assert changed.json()["website"] == "https://atelier.example.org" and changed.json()["public"] is True
    bad = api.patch(url, **body(contact_email="nu-i adresa"))
    assert bad.status_code == 400 and error_fields(bad) == {"contact_email"}
    assert Organisation.objects.get(pk=ses.pk).contact_email == ""
    stale = api.patch(url, **body(description="x", version=profile["version"]))
    assert stale.status_code == 409 and Organisation.objects.get(pk=ses.pk).description == "Croitorie sociala"
    a_url = f"{API}/organisations/{world.org_a.pk}"
    assert login(world.a_field).get(a_url).status_code == 403  # sees A (same project), may not change it
    assert login(world.b_manager).patch(a_url, **body(description="x")).status_code == 403
    assert login(world.outsider).get(a_url).status_code == 404
    assert login(world.public).get(a_url).status_code == 404
    assert login(None).get(a_url).status_code == 401

    api = login(world.public)
    product = api.post(f"{url}/products", **body(kind="service", name="Croitorie la comanda"))
    assert product.status_code == 201
    purl = f"{url}/products/{product.json()['id']}"
    assert api.patch(purl, **body(name="Croitorie")).json()["name"] == "Croitorie"
    assert api.post(f"{url}/products", **body(kind="service", name="Croitorie")).status_code == 400  # taken
    a_product = Product.objects.create(organisation=world.org_a, name="Sapun")
    assert api.delete(f"{url}/products/{a_product.pk}").status_code == 404
    assert login(world.a_manager).delete(f"{a_url}/products/{a_product.pk}").status_code == 204
    assert list(Product.objects.values_list("name", flat=True)) == ["Croitorie"]

    make_user("colleague")
    api = login(world.public)
    assert api.post(f"{url}/members", **body(username="colleague")).status_code == 201
    nobody = api.post(f"{url}/members", **body(username="nobody"))
    assert nobody.status_code == 400 and error_fields(nobody) == {"username"}
    assert {m["username"] for m in api.get(f"{url}/members").json()["items"]} == {"public", "colleague"}
    assert login(world.a_field).post(f"{a_url}/members", **body(username="colleague")).status_code == 403
    assert OrganisationMember.objects.count() == 2

    item = request_post(kind="buy", title="Uniforme", description="500 de bucati.",
                        county=County.objects.get(pk="IF"), caen_section="C", caen="1413",
                        organisation_name="Spitalul Judetean", poster_kind="public_body",
                        contact_email="achizitii@spital.example")
    api = login(world.public)
    assert [r["title"] for r in api.get(f"{url}/requests").json()["items"]] == ["Uniforme"]
    empty = api.post(f"{url}/requests/{item.pk}/answers", **body(message="   "))
    assert empty.status_code == 400 and error_fields(empty) == {"message"}
    sent_before = OutboxMessage.objects.count()
    answered = api.post(f"{url}/requests/{item.pk}/answers", **body(message="Putem livra in doua saptamani."))
    assert answered.status_code == 201, answered.content
    assert OutboxMessage.objects.count() == sent_before + 1
    assert api.get(f"{url}/requests").json()["items"][0]["answered"] is True
    assert login(world.a_manager).post(f"{a_url}/requests/{item.pk}/answers",  # A is no public enterprise
                                       **body(message="Si noi")).status_code == 404
    assert Answer.objects.count() == 1

    closing = f"{API}/public/requests/{item.pk}/close"
    assert login(None).post(closing, **body(token="not-the-token")).status_code == 404
    assert login(None).post(f"{API}/public/requests/{item.pk + 1}/close",
                            **body(token=manage_token(item))).status_code == 404
    assert Request.objects.get().is_open
    closed = login(None).post(closing, **body(token=manage_token(item)))
    assert closed.status_code == 200 and closed.json()["is_open"] is False
    assert login(None).get(f"{API}/public/requests").json()["items"] == []
    assert login(world.public).post(f"{url}/requests/{item.pk}/answers", **body(message="Inca")).status_code == 404


# --- downloads: template, import errors, certificate --------------------------------------------------------------


def test_template_import_errors_and_certificates(world, login):
    template = login(world.a_field).get(f"{API}/workbook/template", {"language": "en"})
    assert template.status_code == 200 and streamed(template)[:2] == b"PK"
    assert "template-en.xlsx" in template["Content-Disposition"]
    assert login(world.a_field).get(f"{API}/workbook/template", {"language": "fr"}).status_code == 400
    assert login(None).get(f"{API}/workbook/template").status_code == 401

    run = ImportRun.objects.create(created_by=world.a_manager, project=world.project, original_name="lucru.xlsx",
                                   size=10, sha256="0" * 64, status=ImportRun.Status.FAILED, report={
                                       "file_name": "lucru.xlsx", "issues": [{
                                           "level": "error", "sheet": "participants", "row": 3, "column": "cnp",
                                           "value": "=1+1", "message": "A CNP has exactly 13 digits."}]})
    errors = login(world.a_manager).get(f"{API}/imports/{run.pk}/errors")
    text = errors.content.decode("utf-8-sig")
    assert errors.status_code == 200 and errors["Content-Type"].startswith("text/csv")
    assert "participants,3,cnp" in text and "'=1+1" in text  # a formula is made inert
    assert login(world.b_manager).get(f"{API}/imports/{run.pk}/errors").status_code == 404
    assert login(world.lead_manager).get(f"{API}/imports/{run.pk}/errors").status_code == 404

    course = course_save(course=Course(project=world.project, code="C1"), by=None, title="Croitorie",
                         kind="training", hours=8, start_date=dt.date(2024, 4, 1), end_date=dt.date(2024, 4, 5))
    enrolment = enrolment_save(enrolment=Enrolment(course=course, participation=world.alice), by=None,
                               enrolled_on=dt.date(2024, 4, 1))
    url = f"{API}/projects/P1/enrolments/{enrolment.pk}/certificate"
    assert login(world.a_field).get(url).status_code == 404  # not issued yet
    enrolment_decide(enrolment=enrolment, completed=True, completed_on=dt.date(2024, 4, 5), by=None)
    certificate_issue(enrolment=enrolment, by=None)
    views = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).count()
    pdf = login(world.a_monitor).get(url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).count() == views + 1  # logged
    assert login(world.auditor).get(url).status_code == 403  # it names the person
    assert login(world.b_manager).get(url).status_code == 404
    assert login(None).get(url).status_code == 401


# --- registration -----------------------------------------------------------------------------------------------


def cnp(first12: str) -> str:
    return first12 + str(cnp_control_digit(first12))


def test_registration_takes_birth_date_and_sex_from_the_cnp(world, login):
    api = login(world.a_field)
    new = {"person_ref": "A-010", "first_name": "Ioana", "last_name": "Radu", "county": "IF",
           "entry_date": "2024-04-01", "labour_status": "unemployed", "isced": 2, "consent_on": "2024-04-01"}
    missing = api.post(f"{API}/projects/P1/participants", **body(**new))
    assert missing.status_code == 400 and error_fields(missing) == {"birth_date", "sex"}
    good = cnp("295031223001")
    invalid = api.post(f"{API}/projects/P1/participants", **body(**new, cnp=good[:12] + str((int(good[12]) + 1) % 10)))
    assert invalid.status_code == 400 and error_fields(invalid) == {"cnp"}
    assert not Participation.objects.filter(person_ref="A-010").exists()
    created = api.post(f"{API}/projects/P1/participants", **body(**new, cnp=good))
    assert created.status_code == 201, created.content
    assert created.json()["sex"] == "F" and created.json()["birth_date"] == "1995-03-12"
    disagree = api.post(f"{API}/projects/P1/participants", **body(**{**new, "person_ref": "A-011"},
                                                                   cnp=cnp("185070423002"), sex="F"))
    assert disagree.status_code == 400 and error_fields(disagree) == {"sex"}
    assert login(world.auditor).post(f"{API}/projects/P1/participants", **body(
        **{**new, "person_ref": "A-012"}, cnp=cnp("185070423002"))).status_code == 403
    assert Participation.objects.filter(project=world.project).count() == 3
