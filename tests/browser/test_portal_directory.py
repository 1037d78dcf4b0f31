"""The public directory in a real browser: search with and without diacritics, the county map as a filter,
a profile and its contact form, axe-core on every page, and nothing scrolls sideways at 360 px.
Skipped without Playwright or Debian's Chromium, like tests/browser/."""

import re
from importlib import import_module

import pytest

from socec.outbox.models import OutboxMessage
from socec.places.models import County, Locality
from tests.browser.conftest import NO_CHROMIUM, NO_PLAYWRIGHT, chromium_path, sync_playwright
from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations
from tests.test_portal_directory import SECRET_EMAIL, orgs  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason=NO_PLAYWRIGHT),
    pytest.mark.skipif(chromium_path() is None, reason=NO_CHROMIUM),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data(db):
    """The migrations' reference data (counties, localities, vulnerable categories), loaded again if an
    earlier transactional test flushed it."""
    from django.apps import apps

    if not County.objects.exists():
        from socec.places.loaders import load_builtin

        load_builtin(apps.get_model("places", "Region"), County, Locality)
    import_module("socec.people.migrations.0002_vulnerable_categories").load(apps, None)


@pytest.fixture
def directory(reference_data, orgs):  # noqa: F811
    from django.core.cache import cache

    cache.clear()
    return orgs


def codes(tab) -> list[str]:
    hrefs = tab.locator(".directory-results h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [re.sub(r"^/enterprises/|/$", "", h) for h in hrefs]


PAGES = ["/enterprises/", "/enterprises/?q=calarasi&reserved=on&county=ZZ", "/map/", "/map/?metric=jobs",
         "/reserved-contracts/", "/reserved-contracts/?county=CJ", "/enterprises/CL-COOP/", "/enterprises/SHELTER/"]


def test_directory_pages_are_accessible_and_fit_a_phone(directory, page, phone, screenshot):
    for path in PAGES:
        for tab in (page, phone):
            response = tab.goto(path)
            assert response.status == 200, path
            assert_no_serious_violations(tab)
        assert_fits_phone(phone)
    for path, name in (("/enterprises/", "directory"), ("/map/", "map"), ("/enterprises/CL-COOP/", "profile"),
                       ("/reserved-contracts/", "reserved")):
        page.goto(path)
        screenshot(page, f"{name}-desktop")
        phone.goto(path)
        screenshot(phone, f"{name}-phone")


def test_search_with_and_without_diacritics(directory, page):
    for words in ("Calarasi", "Călărași"):
        page.goto("/enterprises/")
        page.locator("#id_q").fill(words)
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"q="))
        assert codes(page) == ["CL-COOP"]
        assert page.get_by_role("heading", name="1 structure found").count() == 1


def test_filter_by_clicking_the_map_then_open_a_profile_and_write(directory, page, screenshot):
    page.goto("/enterprises/")
    assert set(codes(page)) == {"CL-COOP", "MARK", "SHELTER", "OLDMARK"}
    page.locator('svg a[data-county="CJ"]').click()
    page.wait_for_url(re.compile(r"county=CJ"))
    assert codes(page) == ["MARK", "SHELTER"]
    assert page.locator("select[name=county]").input_value() == "CJ"
    page.get_by_role("link", name="Atelier Incluziv").click()
    page.wait_for_url("**/enterprises/MARK/")
    assert page.get_by_role("heading", level=1).inner_text() == "Atelier Incluziv"
    assert page.locator(".reserved-banner").count() == 1

    page.goto("/enterprises/CL-COOP/")
    assert page.locator("input[name=homepage]").is_hidden()
    page.get_by_label("Your name").fill("Maria Client")
    page.get_by_label("Your e-mail").fill("maria@example.net")
    page.get_by_label("Message").fill("Aș vrea 20 kg de roșii.")
    page.wait_for_timeout(3200)  # people take longer than 3 seconds; bots do not
    page.get_by_role("button", name="Send the message").click()
    page.wait_for_url("**/enterprises/CL-COOP/")
    assert "your message was sent" in page.locator(".messages").inner_text()
    screenshot(page, "contact-sent")
    message = OutboxMessage.objects.get()
    assert message.to == SECRET_EMAIL and message.reply_to == "maria@example.net"
    assert SECRET_EMAIL not in page.content()


def test_a_message_sent_too_fast_is_refused(directory, page):
    page.goto("/enterprises/CL-COOP/")
    page.get_by_label("Your name").fill("Bot")
    page.get_by_label("Your e-mail").fill("bot@example.net")
    page.get_by_label("Message").fill("spam")
    page.get_by_role("button", name="Send the message").click()
    assert "could not be sent" in page.locator(".messages").inner_text()
    assert not OutboxMessage.objects.exists()


def test_the_map_with_real_boundaries(directory, page, phone, screenshot, tmp_path):
    from django.core.management import call_command

    from tests.test_portal_geometry import SHARED, collection, feature, polygon, write

    source = SHARED if SHARED.exists() else write(tmp_path, collection(
        feature({"county": "CL"}, polygon(27.0, 44.2)), feature({"county": "CJ"}, polygon(23.5, 46.7))))
    call_command("load_geometry", str(source), stdout=open("/dev/null", "w"))  # noqa: SIM115
    for tab in (page, phone):
        tab.goto("/map/")
        assert tab.locator("svg.county-map-shapes path").count() >= 2
        assert_no_serious_violations(tab)
    assert_fits_phone(phone)
    screenshot(page, "shapes-desktop")
    screenshot(phone, "shapes-phone")
    page.goto("/enterprises/")
    page.locator('svg a[data-county="CL"]').click()
    page.wait_for_url(re.compile(r"county=CL"))
    assert codes(page) == ["CL-COOP"]


def test_the_home_page_searches_the_directory_and_passes_axe(directory, page, phone, screenshot):
    for tab in (page, phone):
        assert tab.goto("/").status == 200
        assert_no_serious_violations(tab)
    assert_fits_phone(phone)
    screenshot(page, "home-desktop")
    screenshot(phone, "home-phone")
    phone.get_by_label("Find a social enterprise: name, product, place").fill("calarasi")
    phone.get_by_role("button", name="Search", exact=True).click()
    phone.wait_for_url(re.compile(r"/enterprises/\?q=calarasi"))
    assert codes(phone) == ["CL-COOP"]
