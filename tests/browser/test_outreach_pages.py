"""The outreach pages in a real browser: axe-core finds no serious problem, nothing scrolls sideways at
360 px, and the county select refreshes the locality suggestions (HTMX). Skipped without Playwright or
Debian's Chromium, like tests/browser/."""

import datetime as dt
import io
from importlib import import_module

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from socec.outreach.models import Campaign, Event, Publication
from socec.outreach.services import (
    campaign_save,
    event_attendance_add,
    event_photo_add,
    event_save,
    publication_save,
)
from socec.places.models import County, Locality
from tests.browser.conftest import NO_CHROMIUM, NO_PLAYWRIGHT, chromium_path, sync_playwright
from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations, login_as

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason=NO_PLAYWRIGHT),
    pytest.mark.skipif(chromium_path() is None, reason=NO_CHROMIUM),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data(db):
    """The migrations' reference data (counties, localities, vulnerable categories), loaded again if an
    earlier transactional test flushed it and serialized rollback did not bring it back."""
    from django.apps import apps

    if not County.objects.exists():
        from socec.places.loaders import load_builtin

        load_builtin(apps.get_model("places", "Region"), County, Locality)
    vulnerable = import_module("socec.people.migrations.0002_vulnerable_categories")
    vulnerable.load(apps, None)


@pytest.fixture
def outreach(reference_data, world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    county = {c: County.objects.get(pk=c) for c in ("IF", "CL", "B", "CT", "BV")}
    conference = event_save(event=Event(project=world.project, code="CONF-1"), by=None, kind="conference",
                            title="Conferința de lansare", date=dt.date(2024, 3, 1), county=county["B"],
                            venue="Hotel Central", theme="Economia socială în Sud-Muntenia", participants=80,
                            conclusions="Parteneri noi.")
    event_attendance_add(event=conference, by=None, participation=world.alice)
    event_attendance_add(event=conference, by=None, organisation=world.org_b)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(buffer, "PNG")
    event_photo_add(event=conference, by=None, file=SimpleUploadedFile("p.png", buffer.getvalue()),
                    caption="Sala conferinței, plină")
    for n, (code, day) in enumerate([("IF", 1), ("CL", 2), ("CT", 3), ("BV", 5), ("IF", 6)], start=1):
        event_save(event=Event(project=world.project), by=None, kind="caravan_stop", title=f"Caravana {n}",
                   date=dt.date(2024, 6, day), county=county[code], participants=10 + n)
    campaign_save(campaign=Campaign(project=world.project), by=None, channel="radio", title="Spot radio",
                  start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 4, 1), reach=50000)
    publication_save(publication=Publication(project=world.project), by=None, kind="study",
                     title="Studiu despre economia socială", published_on=dt.date(2024, 9, 1),
                     url="https://example.org/a-very-long-address/that-should-wrap/on-a-phone/study.pdf")
    return world


PAGES = ["/staff/p/P1/events/", "/staff/p/P1/events/CONF-1/", "/staff/p/P1/events/+new/",
         "/staff/p/P1/events/CONF-1/edit/", "/staff/p/P1/caravan/", "/staff/p/P1/campaigns/",
         "/staff/p/P1/campaigns/+new/", "/staff/p/P1/publications/", "/staff/p/P1/publications/+new/",
         "/staff/p/P1/publications/PUB-001/edit/"]


def test_outreach_pages_are_accessible_and_fit_a_phone(outreach, page, phone, screenshot):  # noqa: F811
    login_as(page, outreach.lead_manager)
    login_as(phone, outreach.lead_manager)
    for path in PAGES:
        for tab in (page, phone):
            response = tab.goto(path)
            assert response.status == 200, path
            assert_no_serious_violations(tab)
        assert_fits_phone(phone)
    page.goto("/staff/p/P1/caravan/")
    screenshot(page, "caravan-desktop")
    phone.goto("/staff/p/P1/caravan/")
    screenshot(phone, "caravan-phone")
    assert page.locator("svg.county-grid .stop").count() == 5
    assert page.locator("ol.caravan-route li").count() == 5
    assert page.locator("img[alt='Sala conferinței, plină']").count() == 0  # on the event page, not here
    page.goto("/staff/p/P1/events/CONF-1/")
    screenshot(page, "event-desktop")
    image = page.locator("img[alt='Sala conferinței, plină']")
    assert image.count() == 1 and image.evaluate("img => img.naturalWidth") == 40


def test_the_county_select_refreshes_the_locality_suggestions(outreach, page):  # noqa: F811
    login_as(page, outreach.a_field)
    page.goto("/staff/p/P1/events/+new/")
    assert page.locator("#locality-options option").count() == 0
    with page.expect_response(lambda r: "/localities/" in r.url):
        page.select_option("select[name=county]", "CL")
    page.wait_for_function("document.querySelectorAll('#locality-options option').length > 0")
    expected = Locality.objects.filter(county_id="CL", level=3).count()
    assert page.locator("#locality-options option").count() == expected
