"""Buyers, investors and mentors in a real browser: a buyer posts a request on a phone, a member of a
matching social enterprise signs in, sees it matched and answers; axe-core finds no serious problem on
any of these pages and nothing scrolls sideways at 360 px. Skipped without Playwright or Chromium."""

from importlib import import_module

import pytest
from django.core.cache import cache

from socec.market.models import Answer, Request
from socec.orgs.models import Product
from socec.orgs.services import organisation_member_add
from socec.outbox.models import OutboxMessage
from socec.places.models import County, Locality
from tests.browser.conftest import NO_CHROMIUM, NO_PLAYWRIGHT, chromium_path, sync_playwright
from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations, login_as
from tests.personas import make_org, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason=NO_PLAYWRIGHT),
    pytest.mark.skipif(chromium_path() is None, reason=NO_CHROMIUM),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYER_EMAIL = "achizitii@firma-mare.example"


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
def bakery(reference_data, world):
    cache.clear()  # the rate limit of posts per client IP
    world.bakery = make_org("SES-BAKERY", "Brutaria Sociala", county="IF", legal_form="cooperative", is_ses=True,
                            public=True, caen="1071", contact_email="brutaria@example.org")
    world.baker = make_user("baker")
    organisation_member_add(organisation=world.bakery, user=world.baker, by=None)
    world.bread = Product.objects.create(organisation=world.bakery, name="Paine de casa", kind="product")
    yield world
    cache.clear()


def check(tab):
    assert_no_serious_violations(tab)
    if tab.viewport_size["width"] <= 400:
        assert_fits_phone(tab)


def test_a_buyer_posts_on_a_phone_and_a_matching_enterprise_answers(bakery, page, phone, screenshot):
    phone.goto("/requests/")
    check(phone)
    phone.get_by_role("link", name="Post a request").click()
    phone.wait_for_url("**/requests/new/")
    check(phone)
    phone.get_by_label("What you seek").select_option("buy")
    phone.get_by_label("Title").fill("Cozonaci pentru 300 de angajati")
    phone.get_by_label("Description").fill("Livrare in a doua saptamana din decembrie, in Ilfov.")
    phone.get_by_label("County").select_option("IF")
    phone.get_by_label("CAEN section").select_option("C")
    phone.get_by_label("CAEN code").fill("1071")
    phone.get_by_label("Your organisation").fill("Firma Mare SA")
    phone.get_by_label("Kind of organisation").select_option("company")
    phone.get_by_label("Contact e-mail").fill(BUYER_EMAIL)
    screenshot(phone, "request-form-phone")
    phone.wait_for_timeout(3200)  # a person takes more than 3 seconds; faster posts are refused as spam
    with phone.expect_navigation():
        phone.get_by_role("button", name="Post the request").click()
    item = Request.objects.get()
    assert phone.url.endswith(f"/requests/{item.pk}/")
    body = phone.locator("main").inner_text()
    assert "Your private management link" in body and "1 social enterprise" in body
    assert BUYER_EMAIL not in phone.content()
    screenshot(phone, "request-posted-phone")
    check(phone)
    manage = phone.locator(".market-link a").get_attribute("href")
    phone.goto(manage)
    check(phone)
    assert OutboxMessage.objects.filter(to=BUYER_EMAIL).count() == 1  # the management link

    # a form sent back with errors is as accessible as the empty one
    page.goto("/requests/new/")
    with page.expect_navigation():
        page.get_by_role("button", name="Post the request").click()
    assert "Please correct the following" in page.locator("main").inner_text()
    check(page)
    assert Request.objects.count() == 1

    login_as(page, bakery.baker)
    login_as(phone, bakery.baker)
    for path in ["/staff/organisations/", "/staff/organisations/SES-BAKERY/",
                 f"/staff/organisations/SES-BAKERY/products/{bakery.bread.pk}/"]:
        for tab in (page, phone):
            assert tab.goto(path).status == 200, path
            check(tab)
    screenshot(phone, "product-phone")
    phone.goto("/staff/organisations/SES-BAKERY/")
    screenshot(phone, "profile-phone")
    page.goto("/staff/organisations/")
    page.get_by_role("link", name="Matching requests").click()
    page.wait_for_url("**/staff/organisations/SES-BAKERY/requests/")
    check(page)
    assert "Cozonaci pentru 300 de angajati" in page.locator("main").inner_text()
    page.get_by_label("Your answer").fill("Putem livra 300 de cozonaci pe 15 decembrie.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the answer").click()
    assert "was sent" in page.locator("main").inner_text()
    check(page)
    screenshot(page, "answered-desktop")
    phone.goto("/staff/organisations/SES-BAKERY/requests/")
    check(phone)

    answer = Answer.objects.get()
    assert answer.organisation == bakery.bakery and answer.request == item
    mail = OutboxMessage.objects.get(kind=OutboxMessage.Kind.REQUEST_ANSWER)
    assert mail.to == BUYER_EMAIL and mail.reply_to == "brutaria@example.org"
