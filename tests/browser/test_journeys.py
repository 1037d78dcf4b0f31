"""Whole journeys through the staff application in a real browser, one test each, with a screenshot at
every step (var/screenshots/<test>/NN-step.png):

1. a partner's field worker takes attendance on a phone: project page, courses, course, attendance
   sheet, one tap on Present (saved at once with HTMX), reload: the mark is still there;
2. the lead organisation's manager hires a vulnerable participant into an enterprise the project
   supports and watches the Law 219/2015 art. 10 check go from "does not qualify" to "qualifies";
3. the lead organisation's manager records a caravan stop on a phone: it appears in the route list,
   on the schematic map and as an outreach event of kind caravan_stop.
"""

import datetime as dt
import re
from importlib import import_module

import pytest

from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_hire, job_save
from socec.orgs.services import enterprise_add
from socec.outreach.models import Event
from socec.places.models import County, Locality
from socec.training.models import Attendance, Course, CourseSession, Enrolment
from socec.training.services import course_save, enrolment_save, session_save
from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations, login_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def reference_data(db):
    """The migrations' reference data (counties, localities, vulnerable categories): serialized rollback
    brings it back after a transactional test's flush; loaded again here should it be missing."""
    from django.apps import apps

    if not Locality.objects.exists():
        from socec.places.loaders import load_builtin

        load_builtin(apps.get_model("places", "Region"), County, Locality)
    vulnerable = import_module("socec.people.migrations.0002_vulnerable_categories")
    vulnerable.load(apps, None)


def _htmx_ready(tab):
    tab.wait_for_function("() => typeof window.htmx === 'object'")


# --- 1. attendance on a phone -------------------------------------------------------------------------


def test_field_worker_takes_attendance_on_a_phone(live_server, phone, world, screenshot):
    course = course_save(course=Course(project=world.project), by=world.a_field, code="CURS-1",
                         title="Bucătar – curs de calificare", kind="training", hours=40, min_attendance_pct=80,
                         start_date=TODAY - dt.timedelta(days=7), end_date=TODAY + dt.timedelta(days=30))
    session = session_save(session=CourseSession(course=course), by=world.a_field, date=TODAY, hours=4,
                           topic="Igiena în bucătărie")
    enrolment_save(enrolment=Enrolment(course=course, participation=world.alice), by=world.a_field,
                   enrolled_on=TODAY - dt.timedelta(days=7))
    alice = world.alice.pk

    login_as(phone, world.a_field)
    phone.goto("/staff/p/P1/")
    assert "Proiect unu" in phone.get_by_role("heading", level=1).inner_text()
    screenshot(phone, "01-project")

    with phone.expect_navigation():
        phone.get_by_role("link", name="Courses and attendance").click()
    assert phone.url.endswith("/staff/p/P1/courses/")
    screenshot(phone, "02-courses")

    with phone.expect_navigation():
        phone.get_by_role("link", name="CURS-1", exact=True).click()
    assert phone.url.endswith(f"/staff/p/P1/courses/{course.pk}/")
    screenshot(phone, "03-course")

    with phone.expect_navigation():
        phone.get_by_role("link", name=re.compile(r"^Attendance sheet")).first.click()
    assert phone.url.endswith(f"/staff/p/P1/sessions/{session.pk}/attendance/")
    _htmx_ready(phone)
    person = phone.locator(f"#person-{alice}")
    assert "Alice Ionescu" in person.inner_text()  # the field worker's organisation registered her
    assert "not marked yet" in person.inner_text()
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "04-sheet-before")

    with phone.expect_response(lambda r: f"/attendance/{alice}/" in r.url and r.request.method == "POST") as info:
        phone.locator(f"label[for=p{alice}-1]").tap()
    assert info.value.status == 200
    status = phone.locator(f"#status-{alice}")
    status.get_by_text("Saved: present.").wait_for()
    assert phone.locator(f"#p{alice}-1").is_checked()
    screenshot(phone, "05-tapped-present")
    row = Attendance.objects.get(session=session, participation=world.alice)
    assert row.present is True

    phone.reload()
    assert phone.locator(f"#p{alice}-1").is_checked()  # the mark comes from the database
    assert not phone.locator(f"#p{alice}-0").is_checked()
    assert "not marked yet" not in phone.locator(f"#person-{alice}").inner_text()
    assert "On this page: 1 present, 0 absent, 0 not marked." in phone.locator("main").inner_text()
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "06-sheet-after-reload")
    assert Attendance.objects.filter(session=session).count() == 1


# --- 2. hiring a vulnerable person and the art. 10 check ---------------------------------------------


def test_hiring_a_vulnerable_participant_makes_the_enterprise_qualify(live_server, page, world, screenshot):
    assert world.alice.vulnerable.exists()  # registered as Roma (tests/personas.py)
    org = enterprise_add(project=world.project, by=world.lead_manager, code="SES-1", name="Cooperativa Unu",
                         legal_form="cooperative", county=County.objects.get(pk="IF"),
                         founded_on=dt.date(2024, 2, 1))
    cook = job_save(job=Job(project=world.project, employer=org), by=world.lead_manager, code="J1", title="Cook",
                    created_on=dt.date(2024, 5, 1), hours_per_week=40)
    job_save(job=Job(project=world.project, employer=org), by=world.lead_manager, code="J2",
             title="Kitchen helper", created_on=dt.date(2024, 5, 1), hours_per_week=40)
    employment_hire(job=cook, by=world.lead_manager, start_date=dt.date(2024, 5, 1), person_name="Ion Vasile",
                    vulnerable=False)

    login_as(page, world.lead_manager)
    page.goto("/staff/p/P1/")
    with page.expect_navigation():
        page.get_by_role("link", name="Social economy structures").click()
    screenshot(page, "01-enterprises")
    with page.expect_navigation():
        page.get_by_role("link", name="Cooperativa Unu").click()
    assert page.url.endswith("/staff/p/P1/enterprises/SES-1/")
    verdict = page.locator("#art10-verdict").inner_text()
    assert re.match(rf"Does not qualify on {TODAY.isoformat()}: 0(\.0)?% of staff and 0(\.0)?% of hours",
                    verdict), verdict
    assert "alert-error" in page.locator("#art10-verdict").get_attribute("class")
    assert_no_serious_violations(page)
    screenshot(page, "02-enterprise-does-not-qualify")

    with page.expect_navigation():
        page.get_by_role("link", name="2 jobs in the project").click()
    with page.expect_navigation():
        page.get_by_role("link", name="J2", exact=True).click()
    assert page.url.endswith("/staff/p/P1/enterprises/SES-1/jobs/J2/")
    assert "Nobody holds this job yet." in page.locator("main").inner_text()
    screenshot(page, "03-job-vacant")

    page.get_by_label("Participant reference").fill("A-001")
    assert page.get_by_label("Start date").input_value() == TODAY.isoformat()  # proposed: today
    screenshot(page, "04-hire-form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the employment").click()
    main = page.locator("main").inner_text()
    assert "Employment recorded." in page.content()
    assert "A-001 (participant)" in main  # a participant is shown by reference
    employment = Employment.objects.get(job__code="J2", participation=world.alice)
    assert employment.vulnerable is True and employment.start_date == TODAY
    assert_no_serious_violations(page)
    screenshot(page, "05-job-hired")

    with page.expect_navigation():
        page.get_by_role("link", name="Social insertion check of the enterprise").click()
    verdict = page.locator("#art10-verdict").inner_text()
    assert re.match(rf"Qualifies as a social insertion enterprise on {TODAY.isoformat()}: "
                    r"50(\.0)?% of staff and 50(\.0)?% of hours are vulnerable persons", verdict), verdict
    assert "alert-ok" in page.locator("#art10-verdict").get_attribute("class")
    figures = " ".join(page.locator("dl.figures[aria-labelledby=art10-title]").inner_text().split())
    assert re.search(r"Employees 2 Vulnerable employees 1 \(50(\.0)?%\)", figures), figures
    assert_no_serious_violations(page)
    screenshot(page, "06-enterprise-qualifies")


# --- 3. a caravan stop on a phone ---------------------------------------------------------------------


def test_manager_records_a_caravan_stop_on_a_phone(live_server, phone, world, screenshot):
    bragadiru = Locality.objects.filter(county_id="IF", name__iexact="Bragadiru",
                                        level=Locality.Level.LOCALITY).first()
    assert bragadiru is not None, "the reference data has no Bragadiru in Ilfov"

    login_as(phone, world.lead_manager)
    phone.goto("/staff/p/P1/")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Caravan route").click()
    assert phone.url.endswith("/staff/p/P1/caravan/")
    assert "No caravan stops recorded yet." in phone.locator("main").inner_text()
    assert phone.locator("svg.county-grid .stop").count() == 0
    _htmx_ready(phone)
    screenshot(phone, "01-caravan-empty")

    phone.get_by_label("Date").fill(TODAY.isoformat())
    with phone.expect_response(lambda r: "/localities/" in r.url):
        phone.get_by_label("County").select_option("IF")
    phone.wait_for_function("document.querySelectorAll('#locality-options option').length > 0")
    suggestion = f"{bragadiru.name} ({bragadiru.siruta})"
    assert phone.locator(f"#locality-options option[value='{suggestion}']").count() == 1
    phone.get_by_label("Locality").fill(suggestion)
    phone.get_by_label("Title").fill("Caravana în Bragadiru")
    phone.get_by_label("Head count").fill("27")
    assert_fits_phone(phone)
    screenshot(phone, "02-form-filled")

    with phone.expect_navigation():
        phone.get_by_role("button", name="Record the stop").click()
    assert phone.url.endswith("/staff/p/P1/caravan/")
    stop = Event.objects.get(project=world.project, kind=Event.Kind.CARAVAN_STOP)
    assert (stop.title, stop.date, stop.county_id, stop.locality_id, stop.participants) == (
        "Caravana în Bragadiru", TODAY, "IF", bragadiru.pk, 27)
    assert f"Caravan stop {stop.code} recorded." in phone.content()
    route = phone.locator("ol.caravan-route li")
    assert route.count() == 1
    text = " ".join(route.first.inner_text().split())
    assert "Caravana în Bragadiru" in text and TODAY.isoformat() in text and "Bragadiru" in text, text
    assert "27 people" in text, text
    assert "Stops so far: 1; counties reached: 1." in phone.locator("main").inner_text()
    assert phone.locator("svg.county-grid .stop").count() == 1
    assert phone.locator("svg.county-grid .stop text").text_content() == "1"
    assert phone.locator("svg.county-grid .tile-visited text").text_content() == "IF"
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "03-stop-recorded")

    with phone.expect_navigation():
        route.first.get_by_role("link").click()
    assert phone.url.endswith(f"/staff/p/P1/events/{stop.code}/")
    screenshot(phone, "04-stop-page")
