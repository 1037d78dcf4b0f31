"""The organisation pages of the staff application: who sees and changes what, the public profile,
products and members, and answering the requests that match the organisation."""

import pytest
from django.urls import reverse

from socec.audit.models import AuditEntry
from socec.market.models import Answer
from socec.market.selectors import matching_organisations, matching_requests
from socec.market.services import request_post
from socec.orgs.models import Organisation, OrganisationMember, Product
from socec.orgs.services import organisation_member_add
from socec.outbox.models import OutboxMessage
from socec.places.models import County
from tests.personas import make_org, make_user


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def ses(world):
    """A social enterprise outside every project, with one member speaking for it; not public yet."""
    world.ses = make_org("SES-1", "Atelierul Social", county="IF", legal_form="cooperative", is_ses=True,
                         caen="1413", contact_email="atelier@example.org")
    world.ses_member = make_user("ses_member")
    organisation_member_add(organisation=world.ses, user=world.ses_member, by=None)
    return world


def profile(code="ORG-A"):
    return reverse("staff:organisation_profile", args=[code])


def request_for_ses(**values):
    data = {"kind": "buy", "title": "Uniforme pentru spital", "description": "500 de bucati.",
            "county": County.objects.get(pk="IF"), "caen_section": "C", "caen": "1413",
            "organisation_name": "Spitalul Judetean", "poster_kind": "public_body",
            "contact_email": "achizitii@spital.example"}
    data.update(values)
    return request_post(**data)


# --- who sees and changes what ------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(ses, login):
    client = login(None)
    for url in [reverse("staff:organisations"), profile(), reverse("staff:organisation_requests", args=["ORG-A"])]:
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login/" in response.url


@pytest.mark.parametrize("persona, status", [
    ("admin", 200), ("a_manager", 200),
    # Another partner's (or the lead's) manager sees A in the project but never speaks for it.
    ("lead_manager", 403), ("b_manager", 403),
    ("a_field", 403), ("a_monitor", 403), ("auditor", 403),
    ("outsider", 404), ("ses_member", 404),
])
def test_the_pages_of_partner_a_per_persona(ses, login, persona, status):
    client = login(getattr(ses, persona))
    assert client.get(profile("ORG-A")).status_code == status
    assert client.get(reverse("staff:organisation_requests", args=["ORG-A"])).status_code == status
    assert client.post(reverse("staff:organisation_product_add", args=["ORG-A"]),
                       {"kind": "service", "name": "Catering"}).status_code in (status, 302)
    assert Product.objects.filter(name="Catering").exists() == (status == 200)


@pytest.mark.parametrize("persona, status", [("ses_member", 200), ("admin", 200), ("a_manager", 404),
                                             ("a_field", 404)])
def test_a_member_speaks_for_their_enterprise_only(ses, login, persona, status):
    assert login(getattr(ses, persona)).get(profile("SES-1")).status_code == status


def test_the_list_shows_the_organisations_the_user_may_change(ses, login):
    page = login(ses.ses_member).get(reverse("staff:organisations")).content.decode()
    assert "Atelierul Social" in page and "Asociatia A" not in page
    page = login(ses.a_manager).get(reverse("staff:organisations")).content.decode()
    assert "Asociatia A" in page and "Asociatia B" not in page and "Atelierul Social" not in page
    page = login(ses.a_field).get(reverse("staff:organisations")).content.decode()
    assert "Asociatia A" not in page and "You do not speak for any organisation yet" in page
    assert login(ses.outsider).get(reverse("staff:organisations")).status_code == 200
    assert login(ses.ses_member).get("/staff/organisations/NOPE/").status_code == 404


# --- the public profile -------------------------------------------------------------------------


def profile_data(**extra):
    data = {"description": "Croim uniforme si haine de lucru.", "website": "atelier.example.org",
            "contact_email": "contact@atelier.example", "contact_phone": "0722 123 456", "public": "on"}
    data.update(extra)
    return data


def test_editing_the_public_profile(ses, login):
    client = login(ses.ses_member)
    page = client.get(profile("SES-1")).content.decode()
    assert "Not public: nothing about this organisation is shown" in page
    assert "never shows people" in page.lower() or "It never shows people" in page
    response = client.post(profile("SES-1"), profile_data())
    assert response.status_code == 302
    org = Organisation.objects.get(code="SES-1")
    assert org.public and org.website == "https://atelier.example.org" and org.contact_phone == "0722 123 456"
    assert org.description.startswith("Croim")
    assert AuditEntry.objects.filter(model="orgs.organisation", object_id=str(org.pk), action="update",
                                     actor=ses.ses_member).exists()
    assert "Shown in the public directory." in client.get(profile("SES-1")).content.decode()


def test_bad_profile_input_is_shown_next_to_the_field_and_nothing_is_written(ses, login):
    client = login(ses.ses_member)
    before = Organisation.objects.filter(code="SES-1").values().get()
    response = client.post(profile("SES-1"), profile_data(contact_email="not an address", website="http://"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page and "Enter a valid URL." in page
    assert Organisation.objects.filter(code="SES-1").values().get() == before
    # a value the model refuses (too long) comes back from the service, nothing written either
    response = client.post(profile("SES-1"), profile_data(contact_phone="0" * 40))
    assert response.status_code == 400 and "at most 30 characters" in response.content.decode()
    assert Organisation.objects.filter(code="SES-1").values().get() == before


def test_public_unticked_means_it_matches_no_request_and_is_on_no_request_page(ses, login, client):
    item = request_for_ses()
    assert ses.ses not in matching_organisations(item) and not matching_requests(ses.ses).exists()
    page = client.get(reverse("market:request", args=[item.pk])).content.decode()
    assert "Atelierul Social" not in page and "SES-1" not in page
    member = login(ses.ses_member)
    requests_page = member.get(reverse("staff:organisation_requests", args=["SES-1"])).content.decode()
    assert "Uniforme pentru spital" not in requests_page and "tick" in requests_page

    assert member.post(profile("SES-1"), profile_data()).status_code == 302
    assert ses.ses in matching_organisations(item)
    page = member.get(reverse("market:request", args=[item.pk])).content.decode()
    assert 'href="/enterprises/SES-1/"' in page

    assert member.post(profile("SES-1"), profile_data(public="")).status_code == 302  # unticked again
    assert not Organisation.objects.get(code="SES-1").public
    assert "SES-1" not in member.get(reverse("market:request", args=[item.pk])).content.decode()


# --- products and members -----------------------------------------------------------------------


def test_adding_changing_and_deleting_products(ses, login):
    client = login(ses.ses_member)
    add = reverse("staff:organisation_product_add", args=["SES-1"])
    assert client.post(add, {"kind": "product", "name": "Halate", "description": "Bumbac"}).status_code == 302
    product = Product.objects.get(organisation=ses.ses)
    assert "Halate" in client.get(profile("SES-1")).content.decode()
    assert "halate" in Organisation.objects.get(code="SES-1").search_text

    edit = reverse("staff:organisation_product", args=["SES-1", product.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"kind": "product", "name": "Halate medicale", "description": ""}).status_code == 302
    product.refresh_from_db()
    assert product.name == "Halate medicale"

    # the same name twice: an error next to the name, nothing written
    client.post(add, {"kind": "service", "name": "Croitorie"})
    response = client.post(add, {"kind": "service", "name": "Croitorie"})
    assert response.status_code == 400 and "already exists" in response.content.decode()
    assert Product.objects.filter(organisation=ses.ses).count() == 2
    response = client.post(edit, {"kind": "bogus", "name": ""})
    assert response.status_code == 400
    product.refresh_from_db()
    assert product.name == "Halate medicale"

    # another organisation's product is not found through this one
    other = Product.objects.create(organisation=ses.org_a, name="Altceva")
    assert client.get(reverse("staff:organisation_product", args=["SES-1", other.pk])).status_code == 404
    assert client.post(reverse("staff:organisation_product_delete", args=["SES-1", other.pk])).status_code == 404

    assert client.post(reverse("staff:organisation_product_delete", args=["SES-1", product.pk])).status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert AuditEntry.objects.filter(model="orgs.product", object_id=str(product.pk), action="delete").exists()


def test_a_field_worker_cannot_delete_a_product(ses, login):
    product = Product.objects.create(organisation=ses.org_a, name="Consultanta")
    client = login(ses.a_field)
    assert client.post(reverse("staff:organisation_product_delete", args=["ORG-A", product.pk])).status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_adding_a_member_by_user_name(ses, login):
    newcomer = make_user("newcomer")
    client = login(ses.ses_member)
    url = reverse("staff:organisation_member_add", args=["SES-1"])
    response = client.post(url, {"username": "nobody-like-this"})
    assert response.status_code == 400 and "No active user has this user name." in response.content.decode()
    assert not OrganisationMember.objects.filter(user__username="nobody-like-this").exists()
    assert login(newcomer).get(profile("SES-1")).status_code == 404
    client = login(ses.ses_member)
    assert client.post(url, {"username": "newcomer"}).status_code == 302
    assert OrganisationMember.objects.filter(user=newcomer, organisation=ses.ses).exists()
    assert login(newcomer).get(profile("SES-1")).status_code == 200
    # a field worker of a project may not add members to partner A
    assert login(ses.a_field).post(reverse("staff:organisation_member_add", args=["ORG-A"]),
                                   {"username": "newcomer"}).status_code == 403
    assert not OrganisationMember.objects.filter(user=newcomer, organisation=ses.org_a).exists()


# --- matching requests and answers --------------------------------------------------------------


@pytest.fixture
def public_ses(ses):
    Organisation.objects.filter(pk=ses.ses.pk).update(public=True)
    ses.ses.refresh_from_db()
    return ses


def test_the_member_sees_matching_requests_and_answers(public_ses, login):
    world = public_ses
    item = request_for_ses()
    request_for_ses(title="Paine pentru cantina", caen_section="", caen="1071")  # another activity
    OutboxMessage.objects.all().delete()
    client = login(world.ses_member)
    url = reverse("staff:organisation_requests", args=["SES-1"])
    page = client.get(url).content.decode()
    assert "Uniforme pentru spital" in page and "Paine pentru cantina" not in page
    assert "achizitii@spital.example" not in page

    answer_url = reverse("staff:organisation_answer", args=["SES-1", item.pk])
    response = client.post(answer_url, {f"r{item.pk}-message": "Putem coase 500 de uniforme in 4 saptamani."})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.organisation == world.ses and answer.by == world.ses_member
    mail = OutboxMessage.objects.get()
    assert mail.to == "achizitii@spital.example" and mail.reply_to == "atelier@example.org"
    assert mail.kind == OutboxMessage.Kind.REQUEST_ANSWER
    assert AuditEntry.objects.filter(model="market.answer", actor=world.ses_member).exists()
    page = client.get(url).content.decode()
    assert "You already answered this request." in page and "Putem coase 500 de uniforme" in page


def test_a_failing_answer_writes_nothing(public_ses, login):
    world = public_ses
    item = request_for_ses()
    other = request_for_ses(title="Paine", caen_section="", caen="1071")
    OutboxMessage.objects.all().delete()
    client = login(world.ses_member)
    response = client.post(reverse("staff:organisation_answer", args=["SES-1", item.pk]), {f"r{item.pk}-message": " "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(reverse("staff:organisation_answer", args=["SES-1", other.pk]),
                           {f"r{other.pk}-message": "Da"})
    assert response.status_code == 302  # back to the list, with the reason
    assert "does not match" in client.get(response.url).content.decode()
    assert client.post(reverse("staff:organisation_answer", args=["SES-1", 999999]),
                       {"r999999-message": "Da"}).status_code == 404
    assert login(world.a_field).post(reverse("staff:organisation_answer", args=["ORG-A", item.pk]),
                                     {f"r{item.pk}-message": "Da"}).status_code == 403
    assert not Answer.objects.exists() and not OutboxMessage.objects.exists()


def test_a_non_ses_organisation_is_told_why_it_gets_no_requests(ses, login):
    request_for_ses(caen_section="", caen="")
    page = login(ses.a_manager).get(reverse("staff:organisation_requests", args=["ORG-A"])).content.decode()
    assert "Only social economy structures receive requests" in page
    assert "Uniforme pentru spital" not in page
