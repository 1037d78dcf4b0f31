"""The public events, caravan, publications, impact and open data pages in a real browser: axe-core
finds no serious problem and nothing scrolls sideways at 360 px. Skipped without Playwright or
Debian's Chromium, like tests/browser/."""

import datetime as dt
from importlib import import_module

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.outreach.models import Event, Publication
from socec.outreach.services import event_attendance_add, event_save, publication_save
from socec.places.models import County, Locality
from socec.programmes.services import partnership_set
from socec.training.models import Course, Enrolment
from socec.training.services import course_save, enrolment_save
from tests.browser.conftest import NO_CHROMIUM, NO_PLAYWRIGHT, chromium_path, sync_playwright
from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations
from tests.personas import make_org

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason=NO_PLAYWRIGHT),
    pytest.mark.skipif(chromium_path() is None, reason=NO_CHROMIUM),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def reference_data(db):
    """The migrations' reference data, loaded again if an earlier transactional test flushed it."""
    from django.apps import apps

    if not County.objects.exists():
        from socec.places.loaders import load_builtin

        load_builtin(apps.get_model("places", "Region"), County, Locality)
    vulnerable = import_module("socec.people.migrations.0002_vulnerable_categories")
    vulnerable.load(apps, None)


@pytest.fixture
def public_activities(reference_data, world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    p1 = world.project
    county = {c: County.objects.get(pk=c) for c in ("IF", "CL", "B", "CT", "BV")}
    conference = event_save(event=Event(project=p1, code="CONF-1"), by=None, kind="conference",
                            title="Conferința de lansare a rețelei regionale de economie socială",
                            date=dt.date(2024, 3, 1), county=county["B"], venue="Hotel Central",
                            theme="Economia socială în Sud-Muntenia", participants=80,
                            conclusions="Parteneri noi.\n\nO a doua întâlnire în toamnă.")
    event_attendance_add(event=conference, by=None, participation=world.alice)
    event_save(event=Event(project=p1, code="FAIR-1"), by=None, kind="fair", title="Târgul de Crăciun",
               date=dt.date.today() + dt.timedelta(days=20), county=county["CT"])
    for n, (code, day) in enumerate([("IF", 1), ("CL", 2), ("CT", 3), ("BV", 5), ("IF", 6)], start=1):
        event_save(event=Event(project=p1), by=None, kind="caravan_stop", title=f"Caravana {n}",
                   date=dt.date(2024, 6, day), county=county[code], participants=10 + n)
    publication_save(publication=Publication(project=p1), by=None, kind="study",
                     title="Studiu despre economia socială", published_on=dt.date(2024, 9, 1),
                     url="https://example.org/a-very-long-address/that-should-wrap/on-a-phone/study.pdf",
                     file=SimpleUploadedFile("s.pdf", PDF))
    publication_save(publication=Publication(project=p1), by=None, kind="guide", title="Ghid practic",
                     published_on=dt.date(2025, 1, 15))
    ses = make_org("S-1", "Cooperativa Unu", county="CL", is_ses=True, founded_on=dt.date(2024, 6, 1))
    partnership_set(project=p1, organisation=ses, role="supported", by=None)
    course = course_save(course=Course(project=p1, code="T1"), by=None, title="Antreprenoriat", kind="training")
    enrolment_save(enrolment=Enrolment(participation=world.alice, course=course), by=None,
                   enrolled_on=dt.date(2024, 3, 5), completed=True, completed_on=dt.date(2024, 5, 1))
    job = job_save(job=Job(project=p1, code="J1"), by=None, employer=ses, created_on=dt.date(2024, 7, 1),
                   hours_per_week=40, title="Lucrător")
    employment_save(employment=Employment(job=job), by=None, participation=world.alice,
                    start_date=dt.date(2024, 7, 1))
    return world


PAGES = ["/events/", "/events/?kind=nonsense&year=abc", "/events/P1/CONF-1/", "/events/caravan/",
         "/publications/", "/publications/?kind=guide", "/impact/", "/open-data/"]


def test_public_activity_pages_are_accessible_and_fit_a_phone(public_activities, page, phone, screenshot):
    for path in PAGES:
        for tab in (page, phone):
            response = tab.goto(path)
            assert response.status == 200, path
            assert tab.locator("h1").count() == 1, path
            assert_no_serious_violations(tab)
        assert_fits_phone(phone)
    for path, name in [("/events/", "events"), ("/events/P1/CONF-1/", "event"), ("/events/caravan/", "caravan"),
                       ("/publications/", "publications"), ("/impact/", "impact"), ("/open-data/", "open-data")]:
        page.goto(path)
        screenshot(page, f"{name}-desktop")
        phone.goto(path)
        screenshot(phone, f"{name}-phone")
    page.goto("/events/caravan/")
    assert page.locator("svg.county-grid .stop").count() == 5
    assert page.locator("ol.caravan-route li").count() == 5
    page.goto("/events/P1/CONF-1/")
    assert page.get_by_text("Alice").count() == 0


def test_a_visitor_filters_the_events_and_downloads_a_publication(public_activities, page):
    page.goto("/events/")
    page.select_option("select[name=kind]", "caravan_stop")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "kind=caravan_stop" in page.url
    assert page.get_by_text("Caravana 3").count() == 1 and page.get_by_text("Târgul de Crăciun").count() == 0
    page.goto("/publications/")
    with page.expect_download() as info:
        page.locator("a[href='/publications/P1/PUB-001/file']").click()
    assert info.value.suggested_filename == "P1-PUB-001.pdf"
