"""Buyers, investors and mentors: posting a request (and the spam checks), the matching rule, answers
through the outbox, and the poster's private link to close a request."""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from socec.audit.models import AuditEntry
from socec.market import spam
from socec.market.models import Answer, Request
from socec.market.selectors import matching_organisations, matching_requests
from socec.market.services import answer_send, manage_path, request_close, request_post
from socec.orgs.models import Organisation
from socec.orgs.services import organisation_member_add
from socec.outbox.models import OutboxMessage
from socec.places.models import County
from tests.personas import make_org, make_user

SECRET_EMAIL = "buyer.secret@example.com"


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def market(world):
    """Public social enterprises and some that must never match."""
    world.bakery = make_org("SES-BAKERY", "Brutaria Sociala", county="IF", legal_form="cooperative", is_ses=True,
                            public=True, caen="1071", contact_email="brutaria@example.org")
    world.rusks = make_org("SES-RUSKS", "Pesmeti Solidari", county="IF", legal_form="cooperative", is_ses=True,
                           public=True, caen="1072")
    world.canteen = make_org("SES-CANTEEN", "Cantina Sociala", county="IF", is_ses=True, public=True, caen="5629")
    world.bakery_cl = make_org("SES-BAKERY-CL", "Brutaria din Calarasi", county="CL", legal_form="cooperative",
                               is_ses=True, public=True, caen="1071")
    world.hidden = make_org("SES-HIDDEN", "Brutaria Ascunsa", county="IF", is_ses=True, public=False, caen="1071")
    world.company = make_org("SRL-BAKERY", "Brutaria Comerciala SRL", county="IF", legal_form="company",
                             is_ses=False, public=True, caen="1071")
    world.baker = make_user("baker")
    organisation_member_add(organisation=world.bakery, user=world.baker, by=None)
    return world


def stamp(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=spam.STAMP_SALT)


def form_data(**extra):
    data = {"kind": "buy", "title": "Cozonaci pentru 300 de angajati", "description": "Livrare in decembrie.",
            "county": "IF", "caen_section": "C", "caen": "1071", "organisation_name": "Firma Mare SA",
            "poster_kind": "company", "contact_email": SECRET_EMAIL, "homepage": "", "started": stamp()}
    data.update(extra)
    return data


def post(client, **extra):
    return client.post(reverse("market:request_new"), form_data(**extra))


def new_request(**values):
    data = {"kind": "buy", "title": "Cerere", "description": "Detalii.", "county": None, "caen_section": "",
            "caen": "", "organisation_name": "Cumparator SRL", "poster_kind": "company",
            "contact_email": SECRET_EMAIL}
    data.update(values)
    return request_post(**data)


# --- posting ------------------------------------------------------------------------------------


def test_a_posted_request_is_public_at_once_and_the_poster_gets_the_management_link(market, client):
    form = client.get(reverse("market:request_new"))
    assert form.status_code == 200
    assert b'name="homepage"' in form.content and b'name="started"' in form.content

    response = post(client)
    item = Request.objects.get()
    assert response.status_code == 302 and response.url == reverse("market:request", args=[item.pk])
    assert item.is_open and item.county_id == "IF" and item.caen == "1071" and item.caen_section == "C"

    mail = OutboxMessage.objects.get()
    assert mail.to == SECRET_EMAIL and manage_path(item) in mail.body

    detail = client.get(response.url)
    assert detail.status_code == 200
    assert "Cozonaci pentru 300 de angajati" in detail.content.decode()
    assert manage_path(item) in detail.content.decode()  # shown once to the poster...
    assert manage_path(item) not in client.get(response.url).content.decode()  # ...and not again

    listing = client.get(reverse("market:requests")).content.decode()
    assert "Cozonaci pentru 300 de angajati" in listing and "Firma Mare SA" in listing
    assert AuditEntry.objects.filter(model="market.request", object_id=str(item.pk), action="create").exists()


def test_the_contact_email_is_never_shown(market, client):
    post(client)
    item = Request.objects.get()
    answer_send(request=item, organisation=market.bakery, by=market.baker, message="Putem livra.")
    pages = [reverse("market:requests"), reverse("market:request", args=[item.pk]), manage_path(item),
             reverse("market:requests") + "?county=IF&section=C&kind=buy"]
    for url in pages:
        assert SECRET_EMAIL not in client.get(url).content.decode(), url
    client.force_login(market.baker)
    for url in [reverse("staff:organisation_requests", args=["SES-BAKERY"])]:
        assert SECRET_EMAIL not in client.get(url).content.decode(), url
    # nor in the audit log
    for entry in AuditEntry.objects.filter(model="market.request"):
        assert SECRET_EMAIL not in str(entry.changes)


@pytest.mark.parametrize("spam_data, message", [
    ({"homepage": "http://spam.example"}, "Leave the last field empty"),
    ({"started": "NOW"}, "too fast"),
    ({"started": "forged-stamp"}, "expired"),
    ({"started": ""}, "expired"),
], ids=["honeypot", "too-fast", "forged-stamp", "no-stamp"])
def test_spam_is_rejected_and_nothing_is_written(market, client, spam_data, message):
    if spam_data.get("started") == "NOW":  # the form sent back as soon as it was shown
        spam_data = {"started": stamp(0)}
    response = post(client, **spam_data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Request.objects.exists() and not OutboxMessage.objects.exists()


def test_five_posts_an_hour_per_client_ip(market, client):
    for n in range(spam.RATE_LIMIT):
        assert post(client, title=f"Cerere {n}").status_code == 302
    response = post(client, title="Cerere in plus")
    assert response.status_code == 400
    assert "Too many requests" in response.content.decode()
    assert Request.objects.count() == spam.RATE_LIMIT
    assert not Request.objects.filter(title="Cerere in plus").exists()
    # another connection still may post
    assert client.post(reverse("market:request_new"), form_data(title="Alta retea"),
                       REMOTE_ADDR="10.1.2.3").status_code == 302


@pytest.mark.parametrize("bad, field_message", [
    ({"caen": "9999"}, "is not a CAEN Rev.2 class"),
    ({"caen": "5610", "caen_section": "C"}, "is in section I, not C"),
    ({"contact_email": "not-an-address"}, "valid email"),
    ({"title": ""}, "This field is required"),
    ({"kind": "steal"}, "Select a valid choice"),
    ({"county": "XX"}, "Select a valid choice"),
])
def test_bad_input_gets_a_message_and_nothing_is_written(market, client, bad, field_message):
    response = post(client, **bad)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Request.objects.exists() and not OutboxMessage.objects.exists()


def test_a_request_without_county_or_activity_is_country_wide(market, client):
    assert post(client, county="", caen_section="", caen="").status_code == 302
    page = client.get(reverse("market:request", args=[Request.objects.get().pk])).content.decode()
    assert "the whole country" in page and "any activity" in page


# --- the matching rule --------------------------------------------------------------------------


def codes(orgs):
    return {o.code for o in orgs}


def test_matching_by_county_and_caen_code(market):
    item = new_request(county=County.objects.get(pk="IF"), caen="1071")
    assert codes(matching_organisations(item)) == {"SES-BAKERY"}
    assert item in matching_requests(market.bakery)
    for org in (market.rusks, market.canteen, market.bakery_cl, market.hidden, market.company):
        assert item not in matching_requests(org), org.code


def test_matching_by_caen_section(market):
    item = new_request(county=County.objects.get(pk="IF"), caen_section="C")
    assert codes(matching_organisations(item)) == {"SES-BAKERY", "SES-RUSKS"}
    assert item in matching_requests(market.rusks) and item not in matching_requests(market.canteen)


def test_country_wide_request_matches_every_county(market):
    item = new_request(caen="1071")
    assert codes(matching_organisations(item)) == {"SES-BAKERY", "SES-BAKERY-CL"}
    assert item in matching_requests(market.bakery_cl)


def test_request_without_activity_matches_all_public_ses_of_the_county(market):
    item = new_request(county=County.objects.get(pk="IF"))
    assert codes(matching_organisations(item)) == {"SES-BAKERY", "SES-RUSKS", "SES-CANTEEN"}


def test_non_public_or_non_ses_organisations_never_match(market):
    everything = new_request()
    found = codes(matching_organisations(everything))
    assert "SES-HIDDEN" not in found and "SRL-BAKERY" not in found
    assert not matching_requests(market.hidden).exists() and not matching_requests(market.company).exists()
    # the partners and public bodies of the world are not social economy structures either
    assert not {"ORG-A", "ORG-B", "LEAD", "FUND"} & found


def test_both_directions_of_the_rule_agree(market):
    counties = [None, County.objects.get(pk="IF"), County.objects.get(pk="CL")]
    items = [new_request(county=c, caen_section=s, caen=k) for c in counties
             for s, k in [("", ""), ("C", ""), ("I", ""), ("", "1071"), ("C", "1072")]]
    for org in Organisation.objects.all():
        forward = {i.pk for i in items if org in matching_organisations(i)}
        assert forward == set(matching_requests(org).values_list("pk", flat=True)), org.code


def test_closed_requests_match_no_one(market):
    item = new_request(caen="1071")
    request_close(request=item, token=signing.dumps({"r": item.pk}, salt="socec.market.manage"))
    assert item not in matching_requests(market.bakery)


def test_the_request_page_counts_and_links_the_matching_enterprises(market, client):
    item = new_request(county=County.objects.get(pk="IF"), caen_section="C")
    page = client.get(reverse("market:request", args=[item.pk])).content.decode()
    assert "2 social enterprises in the public directory match this request" in page
    assert 'href="/enterprises/SES-BAKERY/"' in page and 'href="/enterprises/SES-RUSKS/"' in page
    assert "SES-HIDDEN" not in page and "Brutaria Ascunsa" not in page and "SRL-BAKERY" not in page


def test_the_list_filters_by_kind_county_and_section(market, client):
    new_request(title="Cumpar paine in Ilfov", county=County.objects.get(pk="IF"), caen_section="C")
    new_request(title="Investesc oriunde", kind="invest")
    new_request(title="Mentorat in Calarasi", kind="mentor", county=County.objects.get(pk="CL"), caen_section="I")
    closed = new_request(title="Cerere inchisa")
    request_close(request=closed, token=signing.dumps({"r": closed.pk}, salt="socec.market.manage"))

    def titles(query=""):
        page = client.get(reverse("market:requests") + query)
        assert page.status_code == 200
        return {t for t in ["Cumpar paine in Ilfov", "Investesc oriunde", "Mentorat in Calarasi", "Cerere inchisa"]
                if t in page.content.decode()}

    assert titles() == {"Cumpar paine in Ilfov", "Investesc oriunde", "Mentorat in Calarasi"}
    assert titles("?kind=invest") == {"Investesc oriunde"}
    assert titles("?county=CL") == {"Investesc oriunde", "Mentorat in Calarasi"}  # with the country-wide one
    assert titles("?section=C") == {"Cumpar paine in Ilfov"}
    assert titles("?kind=nonsense&county=ZZ&page=abc") == titles()  # bad filters: no 500, the whole list


# --- answers ------------------------------------------------------------------------------------


def test_an_answer_goes_to_the_poster_through_the_outbox_and_is_audited(market):
    item = new_request(county=County.objects.get(pk="IF"), caen="1071", title="Paine")
    OutboxMessage.objects.all().delete()
    answer = answer_send(request=item, organisation=market.bakery, by=market.baker, message="  Putem livra zilnic. ")
    assert Answer.objects.get() == answer and answer.message == "Putem livra zilnic."
    mail = OutboxMessage.objects.get()
    assert mail.to == SECRET_EMAIL and mail.kind == OutboxMessage.Kind.REQUEST_ANSWER
    assert mail.reply_to == "brutaria@example.org" and mail.organisation == market.bakery
    assert "Putem livra zilnic." in mail.body and "Brutaria Sociala" in mail.body
    entry = AuditEntry.objects.get(model="market.answer", object_id=str(answer.pk))
    assert entry.action == "create" and entry.actor == market.baker


def test_the_reply_address_is_the_user_when_the_organisation_has_none(market):
    market.rusks.contact_email = ""
    member = make_user("rusk_member")
    organisation_member_add(organisation=market.rusks, user=member, by=None)
    item = new_request(caen_section="C")
    answer_send(request=item, organisation=market.rusks, by=member, message="Da.")
    assert OutboxMessage.objects.get(kind="answer").reply_to == "rusk_member@example.org"


def test_answers_that_may_not_be_sent_write_nothing(market):
    item = new_request(county=County.objects.get(pk="IF"), caen="1071")
    OutboxMessage.objects.all().delete()
    with pytest.raises(PermissionDenied):  # a field worker does not speak for the enterprise
        answer_send(request=item, organisation=market.bakery, by=market.a_field, message="Da.")
    with pytest.raises(ValidationError):  # the request does not match this enterprise
        answer_send(request=item, organisation=market.canteen, by=market.admin, message="Da.")
    with pytest.raises(ValidationError):
        answer_send(request=item, organisation=market.bakery, by=market.baker, message="   ")
    request_close(request=item, by=market.admin)
    with pytest.raises(ValidationError):  # closed
        answer_send(request=item, organisation=market.bakery, by=market.baker, message="Da.")
    assert not Answer.objects.exists() and not OutboxMessage.objects.exists()
    assert not AuditEntry.objects.filter(model="market.answer").exists()


# --- the poster's management link ---------------------------------------------------------------


def test_the_management_link_closes_the_request(market, client):
    post(client)
    item = Request.objects.get()
    link = manage_path(item)
    page = client.get(link)
    assert page.status_code == 200 and "Close the request" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_open and item.closed_at is not None
    assert "Cozonaci" not in client.get(reverse("market:requests")).content.decode()
    assert "closed on" in client.get(reverse("market:request", args=[item.pk])).content.decode()
    assert AuditEntry.objects.filter(model="market.request", object_id=str(item.pk), action="update").exists()


def test_a_forged_or_foreign_token_does_nothing(market, client):
    first = new_request(title="Prima")
    second = new_request(title="A doua")
    forged = signing.dumps({"r": first.pk}, salt="another-salt")
    for token in [forged, "abc", manage_path(second).rstrip("/").split("/")[-1]]:
        url = reverse("market:request_manage", args=[first.pk, token])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    first.refresh_from_db()
    assert first.is_open
    with pytest.raises(PermissionDenied):
        request_close(request=first, token=forged, by=None)
    assert client.get("/requests/999999/").status_code == 404


def test_superusers_close_spam_from_the_admin_and_never_see_the_address(market, login):
    item = new_request(title="Spam")
    client = login(market.admin)
    page = client.get(f"/admin/market/request/{item.pk}/change/").content.decode()
    assert "Spam" in page and SECRET_EMAIL not in page
    response = client.post("/admin/market/request/", {"action": "close_requests", "_selected_action": [item.pk]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_open
    assert login(market.a_manager).get("/admin/market/request/").status_code == 302
