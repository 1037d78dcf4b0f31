"""Staff pages for social economy structures and jobs (issue 5, points 3 and 4)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from socec.audit.models import AuditEntry
from socec.indicators.engine import Scope, add_months, insertion_enterprises
from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_hire, job_save
from socec.orgs.models import Organisation, Product, SupportGrant
from socec.orgs.services import organisation_save
from socec.places.models import County
from socec.programmes.models import Partnership
from socec.programmes.services import partnership_set
from tests.test_indicators import D as HAND_WORKED_D
from tests.test_indicators import build_h1

TODAY = dt.date.today()
D = dt.date(2024, 7, 1)
VALID_CUI = "18547290"  # control digit checked


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def ses(world):
    org = organisation_save(organisation=Organisation(code="SES-1"), by=None, name="Cooperativa Unu",
                            legal_form="cooperative", county=County.objects.get(pk="IF"), is_ses=True,
                            founded_on=dt.date(2024, 2, 1))
    partnership_set(project=world.project, organisation=org, role="supported", by=None)
    return org


@pytest.fixture
def job(world, ses):
    return job_save(job=Job(project=world.project, employer=ses), by=None, code="J1", title="Cook",
                    created_on=dt.date(2024, 5, 1), hours_per_week=40)


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def audits(model):
    return AuditEntry.objects.filter(model=model)


# --- list, scoping, export ----------------------------------------------------------------------


def test_list_shows_supported_enterprises_with_filters(world, ses, login):
    client = login(world.lead_manager)
    page = client.get(url("enterprises", "P1"))
    assert page.status_code == 200
    assert "Cooperativa Unu" in page.text
    assert "Asociatia A" not in page.text  # a partner, not a supported enterprise
    assert "Cooperativa Unu" not in client.get(url("enterprises", "P1"), {"county": "CL"}).text
    assert "Cooperativa Unu" in client.get(url("enterprises", "P1"), {"legal_form": "cooperative"}).text
    assert "Cooperativa Unu" not in client.get(url("enterprises", "P1"), {"attested": "yes"}).text
    assert "Cooperativa Unu" in client.get(url("enterprises", "P1"), {"insertion": "no"}).text
    assert "Cooperativa Unu" not in client.get(url("enterprises", "P1"), {"insertion": "yes"}).text


def test_list_exports_same_columns_and_filters(world, ses, login):
    client = login(world.auditor)
    rows = csv_rows(client.get(url("enterprises", "P1"), {"format": "csv"}))
    assert rows[0][:3] == ["Code", "Name", "Legal form"]
    assert [r[0] for r in rows[1:]] == ["SES-1"]
    assert len(csv_rows(client.get(url("enterprises", "P1"), {"format": "csv", "county": "CL"}))) == 1
    xlsx = client.get(url("enterprises", "P1"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')


def test_outsiders_and_strangers_get_404(world, ses, login):
    assert login(world.outsider).get(url("enterprises", "P1")).status_code == 404
    assert login(world.outsider).get(url("enterprise", "P1", "SES-1")).status_code == 404
    # a partner organisation is not an enterprise of the project
    assert login(world.lead_manager).get(url("enterprise", "P1", "ORG-A")).status_code == 404
    assert login(None).get(url("enterprises", "P1")).status_code == 302


# --- lifecycle ----------------------------------------------------------------------------------


def lifecycle(**extra):
    data = {"name": "Cooperativa Unu", "legal_form": "cooperative", "county": "IF", "is_ses": "on",
            "business_plan_on": "2024-01-15", "founded_on": "2024-02-01", "registered_on": "2024-02-20",
            "cui": VALID_CUI, "attestation_no": "", "attested_on": "", "social_mark_no": "", "social_mark_on": ""}
    data.update(extra)
    return data


def test_manager_records_lifecycle_and_it_is_audited(world, ses, login):
    client = login(world.lead_manager)
    response = client.post(url("enterprise_edit", "P1", "SES-1"), lifecycle(
        attestation_no="AT-7", attested_on="2024-03-01"))
    assert response.status_code == 302
    ses.refresh_from_db()
    assert ses.registered_on == dt.date(2024, 2, 20) and ses.cui == VALID_CUI and ses.attestation_no == "AT-7"
    entry = audits("orgs.organisation").filter(action=AuditEntry.Action.UPDATE).latest("at")
    assert entry.actor == world.lead_manager and "cui" in entry.changes
    page = client.get(url("enterprise", "P1", "SES-1"))
    assert "2029-03-01" in page.text  # valid 5 years


def test_lifecycle_errors_are_shown_next_to_fields_and_nothing_is_written(world, ses, login):
    client = login(world.lead_manager)
    before = audits("orgs.organisation").count()
    bad_cui = client.post(url("enterprise_edit", "P1", "SES-1"), lifecycle(cui="18547291"))
    assert bad_cui.status_code == 400 and "control digit" in bad_cui.text
    no_date = client.post(url("enterprise_edit", "P1", "SES-1"), lifecycle(attestation_no="AT-1"))
    assert no_date.status_code == 400 and "Give the date of this certificate too." in no_date.text
    order = client.post(url("enterprise_edit", "P1", "SES-1"), lifecycle(registered_on="2024-01-01"))
    assert "The registration date is before the founding date." in order.text
    ses.refresh_from_db()
    assert ses.cui == "" and ses.attestation_no == "" and ses.registered_on is None
    assert audits("orgs.organisation").count() == before


def test_auditor_and_field_worker_cannot_change_an_enterprise(world, ses, login):
    assert login(world.auditor).get(url("enterprise", "P1", "SES-1")).status_code == 200
    assert login(world.auditor).get(url("enterprise_edit", "P1", "SES-1")).status_code == 403
    assert login(world.auditor).post(url("enterprise_edit", "P1", "SES-1"), lifecycle()).status_code == 403
    assert login(world.a_field).post(url("enterprise_edit", "P1", "SES-1"), lifecycle()).status_code == 403
    ses.refresh_from_db()
    assert ses.cui == ""


def test_validity_status_and_reminders(world, ses, login):
    soon = add_months(TODAY, -60) + dt.timedelta(days=30)  # attestation ends in 30 days
    expired = add_months(TODAY, -36) - dt.timedelta(days=1)  # the social mark ended yesterday
    organisation_save(organisation=ses, by=None, founded_on=None, attestation_no="AT-1", attested_on=soon,
                      social_mark_no="SM-1", social_mark_on=expired)
    other = organisation_save(organisation=Organisation(code="SES-2"), by=None, name="Firma Doi",
                              legal_form="company", county=County.objects.get(pk="CL"), is_ses=True,
                              attestation_no="AT-2", attested_on=TODAY)
    partnership_set(project=world.project, organisation=other, role="supported", by=None)
    client = login(world.auditor)
    page = client.get(url("enterprise", "P1", "SES-1"))
    assert "expires soon" in page.text and "expired" in page.text and "Reminder:" in page.text
    reminders = client.get(url("enterprise_reminders", "P1"))
    assert reminders.status_code == 200
    assert "Cooperativa Unu" in reminders.text and "Firma Doi" not in reminders.text
    rows = csv_rows(client.get(url("enterprise_reminders", "P1"), {"format": "csv"}))
    assert [(r[0], r[5]) for r in rows[1:]] == [("Cooperativa Unu", "expired"), ("Cooperativa Unu", "expires soon")]
    listing = client.get(url("enterprises", "P1"), {"attested": "yes"}).text
    assert "Cooperativa Unu" in listing and "Firma Doi" in listing
    assert login(world.outsider).get(url("enterprise_reminders", "P1")).status_code == 404


def test_manager_adds_an_enterprise_with_its_partnership(world, login):
    client = login(world.lead_manager)
    data = lifecycle(code="SES-9", name="Atelier Nou")
    response = client.post(url("enterprise_add", "P1"), data)
    assert response.status_code == 302
    org = Organisation.objects.get(code="SES-9")
    assert org.is_ses and Partnership.objects.get(project=world.project, organisation=org).role == "supported"
    assert audits("orgs.organisation").filter(object_id=str(org.pk), action="create").exists()
    assert audits("programmes.partnership").filter(project=world.project, action="create").exists()
    again = client.post(url("enterprise_add", "P1"), lifecycle(code="SES-10", name="Alt", cui=VALID_CUI))
    assert again.status_code == 400 and "Another organisation already has this CUI." in again.text
    assert not Organisation.objects.filter(code="SES-10").exists()
    assert login(world.a_field).get(url("enterprise_add", "P1")).status_code == 403


# --- support and products -----------------------------------------------------------------------


def test_support_grants(world, ses, login):
    client = login(world.lead_manager)
    response = client.post(url("enterprise_grants", "P1", "SES-1"), {
        "granted_on": "2024-04-01", "amount": "99500.50", "de_minimis": "on", "description": "start-up grant"})
    assert response.status_code == 302
    grant = SupportGrant.objects.get()
    assert grant.amount == Decimal("99500.50") and grant.de_minimis and grant.project == world.project
    assert audits("orgs.supportgrant").filter(action="create", actor=world.lead_manager).exists()
    bad = client.post(url("enterprise_grants", "P1", "SES-1"), {"granted_on": "2024-04-01", "amount": "0"})
    assert bad.status_code == 400 and "Ensure this value is greater than or equal to 0.01" in bad.text
    assert SupportGrant.objects.count() == 1
    assert login(world.auditor).post(url("enterprise_grants", "P1", "SES-1"), {
        "granted_on": "2024-04-01", "amount": "10"}).status_code == 403
    assert SupportGrant.objects.count() == 1
    rows = csv_rows(login(world.auditor).get(url("enterprise_grants", "P1", "SES-1"), {"format": "csv"}))
    assert rows[1][:3] == ["2024-04-01", "99500.50", "yes"]


def test_products(world, ses, login):
    client = login(world.lead_manager)
    assert client.post(url("enterprise_products", "P1", "SES-1"), {
        "kind": "service", "name": "Catering", "description": ""}).status_code == 302
    assert "Catering" in client.get(url("enterprise", "P1", "SES-1")).text
    duplicate = client.post(url("enterprise_products", "P1", "SES-1"), {"kind": "product", "name": "Catering"})
    assert duplicate.status_code == 400
    assert Product.objects.filter(organisation=ses).count() == 1
    assert audits("orgs.product").filter(action="create").count() == 1
    assert login(world.auditor).post(url("enterprise_products", "P1", "SES-1"), {
        "kind": "product", "name": "Jam"}).status_code == 403
    assert Product.objects.filter(organisation=ses).count() == 1


# --- jobs, hiring and leaving -------------------------------------------------------------------


def test_jobs_list_create_and_export(world, ses, job, login):
    client = login(world.a_field)
    response = client.post(url("enterprise_jobs", "P1", "SES-1"), {
        "code": "J2", "title": "Driver", "created_on": "2024-06-01", "hours_per_week": "20"})
    assert response.status_code == 302
    assert Job.objects.get(code="J2").employer == ses
    assert audits("jobs.job").filter(action="create", actor=world.a_field).exists()
    duplicate = client.post(url("enterprise_jobs", "P1", "SES-1"), {
        "code": "J2", "title": "Other", "created_on": "2024-06-01", "hours_per_week": "50"})
    assert duplicate.status_code == 400 and "Ensure this value is less than or equal to 40." in duplicate.text
    duplicate = client.post(url("enterprise_jobs", "P1", "SES-1"), {
        "code": "J2", "title": "Other", "created_on": "2024-06-01", "hours_per_week": "10"})
    assert duplicate.status_code == 400 and "already used in the project" in duplicate.text
    assert Job.objects.filter(project=world.project).count() == 2
    assert login(world.auditor).post(url("enterprise_jobs", "P1", "SES-1"), {
        "code": "J3", "created_on": "2024-06-01", "hours_per_week": "10"}).status_code == 403
    assert not Job.objects.filter(code="J3").exists()
    rows = csv_rows(login(world.auditor).get(url("enterprise_jobs", "P1", "SES-1"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["J1", "J2"]


def hire(client, **data):
    payload = {"person_ref": "", "person_name": "", "vulnerable": "", "vulnerable_category": "",
               "start_date": "2024-06-01", "hours_per_week": ""}
    payload.update(data)
    return client.post(url("job", "P1", "SES-1", "J1"), payload)


def test_hiring_a_vulnerable_participant_changes_the_art10_check_at_once(world, ses, job, login):
    client = login(world.lead_manager)
    assert hire(client, person_ref="B-001").status_code == 302  # Bob: no vulnerable category
    page = client.get(url("enterprise", "P1", "SES-1"), {"on": D.isoformat()})
    assert "Does not qualify on 2024-07-01: 0.0% of staff and 0.0% of hours are vulnerable persons" in page.text
    assert "B-001" in page.text
    assert hire(client, person_ref="A-001", hours_per_week="20").status_code == 302  # Alice: Roma
    employment = Employment.objects.get(participation=world.alice)
    assert employment.vulnerable is True
    page = client.get(url("enterprise", "P1", "SES-1"), {"on": D.isoformat()})
    assert "Qualifies as a social insertion enterprise on 2024-07-01: 50.0% of staff and 33.3% of hours" in page.text
    partnership = Partnership.objects.get(project=world.project, organisation=ses)
    assert insertion_enterprises(Scope(world.project), D) == [partnership.pk]  # the indicator agrees
    before = client.get(url("enterprise", "P1", "SES-1"), {"on": "2024-05-15"})
    assert "Does not qualify on 2024-05-15: no employees" in before.text
    assert insertion_enterprises(Scope(world.project), dt.date(2024, 5, 15)) == []
    assert audits("jobs.employment").filter(action="create").count() == 2


def test_art10_counts_a_person_once_and_needs_30_percent_of_hours_too(world, ses, job, login):
    second = job_save(job=Job(project=world.project, employer=ses), by=None, code="J2", created_on=dt.date(2024, 5, 1),
                      hours_per_week=40)
    for name in ("Ion Pop", "Dan Ene", "Radu Mic"):
        employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), person_name=name, vulnerable=False)
    employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), participation=world.alice, hours_per_week=5)
    employment_hire(job=second, by=None, start_date=dt.date(2024, 6, 1), participation=world.alice, hours_per_week=5)
    page = login(world.lead_manager).get(url("enterprise", "P1", "SES-1"), {"on": D.isoformat()})
    # 1 of 4 people (Alice once, with 10 h) and 10 of 130 hours
    assert "Does not qualify on 2024-07-01: 25.0% of staff and 7.7% of hours" in page.text
    assert "needed" in page.text
    assert insertion_enterprises(Scope(world.project), D) == []


def test_vulnerable_status_of_a_participant_cannot_be_typed(world, ses, job, login):
    client = login(world.lead_manager)
    response = hire(client, person_ref="B-001", vulnerable="yes")
    assert response.status_code == 400 and "follows from the participant" in response.text
    missing = hire(client, person_name="Ion Pop")
    assert missing.status_code == 400 and "Say whether this person belongs to a vulnerable group." in missing.text
    neither = hire(client)
    assert neither.status_code == 400 and "Give a participant reference" in neither.text
    early = hire(client, person_ref="B-001", start_date="2024-04-01")
    assert early.status_code == 400 and "cannot start before" in early.text
    assert not Employment.objects.exists()
    assert not audits("jobs.employment").exists()
    assert hire(client, person_name="Ion Pop", vulnerable="yes").status_code == 302
    assert Employment.objects.get().vulnerable is True
    twice = hire(client, person_name="ion  pop", vulnerable="yes", start_date="2024-07-01")
    assert twice.status_code == 400 and "already holds this job" in twice.text
    assert Employment.objects.count() == 1


def test_partner_staff_hire_only_their_own_participants(world, ses, job, login):
    response = hire(login(world.a_field), person_ref="B-001")
    assert response.status_code == 400 and "No participant with this reference" in response.text
    assert not Employment.objects.exists()
    assert hire(login(world.a_field), person_ref="A-001").status_code == 302
    assert hire(login(world.auditor), person_ref="A-001", start_date="2025-01-01").status_code == 403
    assert Employment.objects.count() == 1


def test_job_page_hides_other_partners_people_and_leaving(world, ses, job, login):
    bob_job = employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), participation=world.bob)
    alice_job = employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), participation=world.alice)
    page = login(world.a_field).get(url("job", "P1", "SES-1", "J1"))
    assert "A-001" in page.text and "B-001" not in page.text
    assert "1 more employment, of a participant registered by another partner, is not shown." in page.text
    leave = url("employment_leave", "P1", "SES-1", "J1", bob_job.pk)
    prefix = f"e{bob_job.pk}-end_date"
    assert login(world.a_field).post(leave, {prefix: "2024-08-01"}).status_code == 404
    assert login(world.auditor).post(leave, {prefix: "2024-08-01"}).status_code == 403
    bob_job.refresh_from_db()
    assert bob_job.end_date is None
    alice_leave = url("employment_leave", "P1", "SES-1", "J1", alice_job.pk)
    prefix = f"e{alice_job.pk}-end_date"
    early = login(world.a_field).post(alice_leave, {prefix: "2024-05-01"})
    assert early.status_code == 400 and "The end date is before the start date (2024-06-01)." in early.text
    alice_job.refresh_from_db()
    assert alice_job.end_date is None
    assert login(world.a_field).post(alice_leave, {prefix: "2024-08-01"}).status_code == 302
    alice_job.refresh_from_db()
    assert alice_job.end_date == dt.date(2024, 8, 1)
    entry = audits("jobs.employment").filter(action="update").get()
    assert entry.changes == {"end_date": [None, "2024-08-01"]}
    # names of non-participants only for roles that see identifiers
    employment_hire(job=job, by=None, start_date=dt.date(2024, 6, 1), person_name="Ion Pop", vulnerable=False)
    assert "Ion Pop" in login(world.lead_manager).get(url("job", "P1", "SES-1", "J1")).text
    auditor_page = login(world.auditor).get(url("job", "P1", "SES-1", "J1")).text
    assert "Ion Pop" not in auditor_page and "I. P." in auditor_page
    assert login(world.outsider).get(url("job", "P1", "SES-1", "J1")).status_code == 404


# --- sustainability -----------------------------------------------------------------------------


def test_jobs_sustainability(world, ses, job, login):
    kept = job
    lost = job_save(job=Job(project=world.project, employer=ses), by=None, code="J2", created_on=dt.date(2024, 5, 1),
                    hours_per_week=40)
    employment_hire(job=kept, by=None, start_date=dt.date(2024, 6, 1), person_name="Ion Pop", vulnerable=False)
    employment_hire(job=lost, by=None, start_date=dt.date(2024, 6, 1), person_name="Dan Ene", vulnerable=False)
    Employment.objects.filter(job=lost).update(end_date=dt.date(2026, 3, 1))
    client = login(world.auditor)
    page = client.get(url("jobs_sustainability", "P1"))
    assert page.status_code == 200
    assert "2026-06-30" in page.text  # 31 December 2025 + 6 months
    rows = csv_rows(client.get(url("jobs_sustainability", "P1"), {"format": "csv"}))
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [("J1", "yes", "1"), ("J2", "no", "0")]
    rows = csv_rows(client.get(url("jobs_sustainability", "P1"), {"format": "csv", "months": "2"}))
    assert [(r[1], r[5]) for r in rows[1:]] == [("J1", "yes"), ("J2", "yes")]
    page = client.get(url("jobs_sustainability", "P1"), {"months": "2"})
    assert "50%" not in page.text and "100%" in page.text
    assert "50%" in client.get(url("jobs_sustainability", "P1")).text
    assert client.get(url("jobs_sustainability", "P1"), {"months": "abc"}).status_code == 200
    assert login(world.outsider).get(url("jobs_sustainability", "P1")).status_code == 404


# --- the staff page and the indicator share one rule ---------------------------------------------


def test_art10_rule_agrees_with_se07_on_the_hand_worked_project(db):
    """H1 of tests/test_indicators.py: S2 qualifies, S3 has 30% of staff but 9.7% of hours."""
    from socec.staff.enterprises.selectors import art10_by_organisation

    project, _p = build_h1()
    checks = art10_by_organisation(project, HAND_WORKED_D)
    supported = Partnership.objects.filter(project=project, role="supported")
    by_rule = sorted(p.pk for p in supported if checks.get(p.organisation_id) and checks[p.organisation_id].qualifies)
    assert by_rule == insertion_enterprises(Scope(project), HAND_WORKED_D)
    assert len(by_rule) == 1
    s3 = checks[Organisation.objects.get(code="H-S3").pk]
    assert (s3.staff_share, s3.hours_share, s3.qualifies) == (Decimal("30.0"), Decimal("9.7"), False)
