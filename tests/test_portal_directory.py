"""The public directory, profiles, contact form, reserved contracts, map and organisations open data:
only public organisations, never personal data, and nothing a visitor types gives a 500."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socec.indicators.engine import add_months
from socec.jobs.models import Job
from socec.jobs.services import employment_hire, employment_leave, job_save
from socec.orgs.models import Organisation, Product
from socec.orgs.services import organisation_save, product_save
from socec.outbox.models import OutboxMessage
from socec.people.models import VulnerableCategory
from socec.portal.directory import reserved
from socec.portal.directory.forms import contact_token
from socec.portal.directory.selectors import DirectoryFilters, directory_search, open_data_rows
from tests.personas import make_org

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
SECRET_EMAIL = "office@coop-secret.example"
SECRET_PHONE = "0799123456"
HIDDEN_NAME = "Zzyzx Nepublica Secreta"
EMPLOYEE_NAME = "Xerxesina Brancoveanu"
PRIVATE = (HIDDEN_NAME, "Zzyzx", "HIDDEN-ORG", EMPLOYEE_NAME, "Xerxesina", "Ionescu", "2900512230011", "0722000111",
           SECRET_EMAIL, "coop-secret", SECRET_PHONE, "Alice", "A-001", "Dan Plecat", "Ion Obisnuit", "Ana Ascunsa")


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def orgs(world):
    """CL-COOP (Călărași, cooperative, attested, 3 jobs held, 2 by vulnerable people), MARK (Cluj, valid social
    mark), SHELTER (Cluj, sheltered unit), OLDMARK (Ilfov, social mark expired), HIDDEN-ORG (not public)."""
    coop = make_org("CL-COOP", "Cooperativa Verde", county="CL", legal_form="cooperative", public=True,
                    caen="0113", area="rural", cui="", description="Legume bio din Lunca Dunării, Călărași.",
                    contact_email=SECRET_EMAIL, contact_phone=SECRET_PHONE, website="https://coop.example.org",
                    attested_on=add_months(TODAY, -12), attestation_no="ATT-77")
    product_save(product=Product(organisation=coop), by=None, name="Roșii de grădină", kind="product")
    mark = make_org("MARK", "Atelier Incluziv", county="CJ", public=True, caen="1413", area="urban",
                    social_mark_on=add_months(TODAY, -6), social_mark_no="SM-12", contact_email="mark@example.org")
    make_org("SHELTER", "Lumina Protejata", county="CJ", legal_form="sheltered_unit", public=True)
    make_org("OLDMARK", "Marca Veche", county="IF", public=True,
             social_mark_on=add_months(TODAY, -40), social_mark_no="SM-1")
    hidden = make_org("HIDDEN-ORG", HIDDEN_NAME, county="CL", legal_form="sheltered_unit", public=False,
                      caen="0113", description="Calarasi", social_mark_on=TODAY, social_mark_no="SM-H")
    start = TODAY - dt.timedelta(days=60)

    def job(code, employer):
        return job_save(job=Job(project=world.project, employer=employer), by=None, code=code,
                        created_on=start, hours_per_week=40)

    employment_hire(job=job("J1", coop), by=None, start_date=start, participation=world.alice)  # roma
    employment_hire(job=job("J2", coop), by=None, start_date=start, person_name=EMPLOYEE_NAME, vulnerable=True,
                    vulnerable_category=VulnerableCategory.objects.get(pk="disability"))
    employment_hire(job=job("J3", coop), by=None, start_date=start, person_name="Ion Obisnuit", vulnerable=False)
    gone = employment_hire(job=job("J4", coop), by=None, start_date=start, person_name="Dan Plecat", vulnerable=True,
                           vulnerable_category=VulnerableCategory.objects.get(pk="homeless"))
    employment_leave(employment=gone, by=None, end_date=TODAY - dt.timedelta(days=1))
    job("J5", coop)  # never filled
    employment_hire(job=job("J6", hidden), by=None, start_date=start, person_name="Ana Ascunsa", vulnerable=True)
    return {"coop": coop, "mark": mark, "hidden": hidden, "project": world.project}


def listed(response) -> list[str]:
    """The codes of the enterprises a page links to, in order (profile links only)."""
    assert response.status_code == 200
    return re.findall(r'href="/enterprises/([A-Za-z0-9._-]+)/"', response.content.decode())


# --- search and filters -------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["Calarasi", "Călărași", "CĂLĂRAȘI", "calarasi verde", "Cooperativa", "lunca dunarii",
                               "rosii", "0113"])
def test_search_finds_calarasi_with_or_without_diacritics(client, orgs, q):
    assert listed(client.get(reverse("portal:directory"), {"q": q})) == ["CL-COOP"]


def test_search_with_no_match_says_so(client, orgs):
    response = client.get(reverse("portal:directory"), {"q": "Timisoara lemn"}, HTTP_ACCEPT_LANGUAGE="en")
    assert listed(response) == []
    assert "No structure matches the search" in response.content.decode()


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["MARK", "CL-COOP", "SHELTER", "OLDMARK"]),
    ({"county": "CJ"}, ["MARK", "SHELTER"]),
    ({"region": "RO31"}, ["CL-COOP"]),
    ({"area": "rural"}, ["CL-COOP"]),
    ({"area": "urban"}, ["MARK"]),
    ({"legal_form": "sheltered_unit"}, ["SHELTER"]),
    ({"caen_section": "A"}, ["CL-COOP"]),
    ({"caen_section": "C"}, ["MARK"]),
    ({"caen": "1413"}, ["MARK"]),
    ({"caen": "14.13"}, ["MARK"]),
    ({"vulnerable": "roma"}, ["CL-COOP"]),
    ({"vulnerable": "disability"}, ["CL-COOP"]),
    ({"vulnerable": "homeless"}, []),  # only an employment that ended yesterday
    ({"attested": "on"}, ["CL-COOP"]),
    ({"social_mark": "on"}, ["MARK"]),
    ({"reserved": "on"}, ["MARK", "SHELTER"]),
    ({"reserved": "on", "county": "CJ", "legal_form": "sheltered_unit"}, ["SHELTER"]),
    ({"sort": "jobs"}, ["CL-COOP", "MARK", "SHELTER", "OLDMARK"]),
])
def test_every_filter(client, orgs, params, expected):
    assert listed(client.get(reverse("portal:directory"), params)) == expected


def test_sort_by_county(client, orgs):
    codes = listed(client.get(reverse("portal:directory"), {"sort": "county"}))
    assert codes[-1] == "OLDMARK"  # Ilfov after Călărași and Cluj
    assert abs(codes.index("MARK") - codes.index("SHELTER")) == 1  # both in Cluj


def test_sort_by_name_and_jobs_counts_on_the_page(client, orgs):
    page = client.get(reverse("portal:directory"), {"q": "cooperativa"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 jobs" in page and "2 held by vulnerable people" in page


def test_counts_in_the_query(orgs):
    rows = {o.code: o for o in directory_search(DirectoryFilters())}
    assert (rows["CL-COOP"].jobs_held, rows["CL-COOP"].jobs_vulnerable) == (3, 2)
    assert (rows["MARK"].jobs_held, rows["MARK"].jobs_vulnerable) == (0, 0)
    assert rows["CL-COOP"].attested and not rows["CL-COOP"].reserved_eligible
    assert rows["MARK"].social_marked and rows["MARK"].reserved_eligible
    assert "HIDDEN-ORG" not in rows


@pytest.mark.parametrize("params", [
    {"county": "ZZ"}, {"county": "'; drop table"}, {"region": "nowhere"}, {"area": "sea"}, {"legal_form": "x"},
    {"caen_section": "Z"}, {"caen": "99x9"}, {"caen": "9999"}, {"vulnerable": "nope"}, {"sort": "evil"},
    {"page": "abc"}, {"page": "99999"}, {"page": "-1"}, {"q": "%_\\'\"<script>alert(1)</script>" * 5},
    {"q": "x" * 500}, {"metric": "nonsense"}, {"attested": "maybe"},
])
def test_junk_in_the_url_never_gives_a_500(client, orgs, params):
    response = client.get(reverse("portal:directory"), params)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_an_invalid_filter_is_reported_and_the_others_still_apply(client, orgs):
    response = client.get(reverse("portal:directory"), {"county": "ZZ", "legal_form": "sheltered_unit"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "were not understood" in response.content.decode()
    assert listed(response) == ["SHELTER"]


def test_directory_pages_with_the_shared_pagination(client, orgs):
    for n in range(30):
        make_org(f"P{n:02d}", f"Pagina {n:02d}", public=True)
    first = client.get(reverse("portal:directory"), {"q": "pagina"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page 1 of 2" in first and "q=pagina&amp;page=2" in first
    second = client.get(reverse("portal:directory"), {"q": "pagina", "page": 2})
    assert len(listed(second)) == 5


def test_the_directory_reads_the_rows_in_a_constant_number_of_queries(client, orgs):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("portal:directory")).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(20):
        org = make_org(f"Q{n:02d}", f"Multe {n:02d}", public=True, county="CT")
        job_save(job=Job(project=orgs["project"], employer=org), by=None, code=f"JQ{n}", created_on=TODAY,
                 hours_per_week=20)
    assert queries() == few


# --- pages in both languages --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["portal:directory", "portal:map", "portal:reserved"])
def test_pages_in_romanian_and_english(client, orgs, name):
    ro = client.get(reverse(name))
    assert ro.status_code == 200 and '<html lang="ro">' in ro.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(reverse(name))
    assert en.status_code == 200 and '<html lang="en">' in en.content.decode()


# --- privacy ------------------------------------------------------------------------------------


def test_non_public_organisations_and_personal_data_appear_nowhere(client, orgs):
    pages = [
        client.get(reverse("portal:directory")), client.get(reverse("portal:directory"), {"q": "zzyzx"}),
        client.get(reverse("portal:directory"), {"county": "CL"}),
        client.get(reverse("portal:directory"), {"reserved": "on"}),
        client.get(reverse("portal:map")), client.get(reverse("portal:map"), {"metric": "jobs"}),
        client.get(reverse("portal:reserved")), client.get(reverse("portal:reserved"), {"format": "csv"}),
        client.get(reverse("portal:enterprise", args=["CL-COOP"])),
        client.get(reverse("portal:enterprise", args=["MARK"])),
    ]
    streams = [client.get(reverse("portal:open_data_organisations_csv")),
               client.get(reverse("portal:open_data_organisations_json"))]
    texts = [p.content.decode() for p in pages] + [b"".join(s.streaming_content).decode() for s in streams]
    for response in pages + streams:
        assert response.status_code == 200
    for text in texts:
        for secret in PRIVATE:
            assert secret not in text, secret
    assert client.get(reverse("portal:enterprise", args=["HIDDEN-ORG"])).status_code == 404
    assert client.post(reverse("portal:enterprise_contact", args=["HIDDEN-ORG"]), {}).status_code == 404
    # the hidden organisation's job does not count in Călărași either
    table = client.get(reverse("portal:map"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = re.search(r'county=CL">Călărași</a></th>\s*<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>', table)
    assert row and row.groups() == ("1", "3")


def test_unknown_profile_is_404(client, orgs):
    assert client.get("/enterprises/NO-SUCH/").status_code == 404
    assert client.get("/enterprises/NO-SUCH/contact/").status_code == 404


# --- reserved contracts -------------------------------------------------------------------------

DAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(("social_mark_on", "legal_form", "eligible"), [
    (dt.date(2023, 6, 15), "association", True),  # valid until today
    (dt.date(2023, 6, 14), "association", False),  # expired yesterday
    (DAY, "association", True),  # issued today
    (DAY + dt.timedelta(days=1), "association", False),  # not issued yet
    (None, "association", False),
    (None, "sheltered_unit", True),
    (dt.date(2020, 1, 1), "sheltered_unit", True),
    (None, "cooperative", False),
])
def test_reserved_contract_eligibility(db, social_mark_on, legal_form, eligible):
    org = make_org("R1", "Eligibil", legal_form=legal_form, public=True, social_mark_on=social_mark_on,
                   social_mark_no="SM" if social_mark_on else "")
    assert reserved.is_eligible(org, DAY) is eligible
    assert Organisation.objects.filter(reserved.eligible_q(DAY), pk=org.pk).exists() is eligible
    found = [o.code for o in directory_search(DirectoryFilters(reserved=True), DAY)]
    assert found == (["R1"] if eligible else [])
    assert next(r for r in open_data_rows(DAY) if r[0] == "R1")[9] is eligible


def test_reserved_validity_at_the_end_of_february(db):
    # 29 Feb 2024 + 3 years = 28 Feb 2027: valid on 28 Feb 2027, not on 1 March.
    org = make_org("R2", "Bisect", public=True, social_mark_on=dt.date(2024, 2, 29), social_mark_no="S")
    assert reserved.is_eligible(org, dt.date(2027, 2, 28))
    assert not reserved.is_eligible(org, dt.date(2027, 3, 1))
    for day, expected in ((dt.date(2027, 2, 28), True), (dt.date(2027, 3, 1), False)):
        assert Organisation.objects.filter(reserved.eligible_q(day), pk=org.pk).exists() is expected


def test_reserved_page_filters_by_county_and_activity_and_downloads_csv(client, orgs):
    make_org("SHELTER-B", "Protejata Bucuresti", county="B", legal_form="sheltered_unit", public=True, caen="1413")
    url = reverse("portal:reserved")
    assert listed(client.get(url)) == ["MARK", "SHELTER", "SHELTER-B"]
    assert listed(client.get(url, {"county": "CJ"})) == ["MARK", "SHELTER"]
    assert listed(client.get(url, {"caen_section": "C"})) == ["MARK", "SHELTER-B"]
    assert listed(client.get(url, {"county": "CJ", "caen": "1413"})) == ["MARK"]
    assert listed(client.get(url, {"county": "ZZ"})) == ["MARK", "SHELTER", "SHELTER-B"]
    page = client.get(url, {"county": "CJ"}).content.decode()
    assert "county=CJ&amp;format=csv" in page or "county=CJ&format=csv" in page
    response = client.get(url, {"county": "CJ", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code", "name", "legal_form", "county", "caen", "social_mark_until", "profile"]
    assert [r[0] for r in rows[1:]] == ["MARK", "SHELTER"]
    assert rows[1][5] == add_months(add_months(TODAY, -6), 36).isoformat()
    assert rows[1][6].endswith("/enterprises/MARK/")


# --- profile ------------------------------------------------------------------------------------


def test_profile_shows_what_a_visitor_needs_and_no_contact_details(client, orgs):
    response = client.get(reverse("portal:enterprise", args=["CL-COOP"]), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    for text in ("Cooperativa Verde", "Legume bio din Lunca Dunării", "Roșii de grădină", "Călărași", "Sud-Muntenia",
                 "rural", "0113 – Growing of vegetables", "ATT-77", "https://coop.example.org",
                 "Attested social enterprise", add_months(add_months(TODAY, -12), 60).isoformat()):
        assert text in page, text
    assert re.search(r"<dt>Jobs held today</dt><dd>3</dd>", page)
    assert re.search(r"<dt>of which held by people from vulnerable groups</dt><dd>2</dd>", page)
    assert "Eligible for reserved contracts" not in page
    assert SECRET_EMAIL not in page and SECRET_PHONE not in page
    assert 'name="homepage"' in page and 'name="shown"' in page


def test_profile_badge_when_eligible(client, orgs):
    page = client.get(reverse("portal:enterprise", args=["MARK"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Eligible for reserved contracts" in page and "SM-12" in page
    shelter = client.get(reverse("portal:enterprise", args=["SHELTER"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Eligible for reserved contracts" in shelter and "authorised sheltered unit" in shelter


# --- contact ------------------------------------------------------------------------------------


def contact(client, code="CL-COOP", ip="10.0.0.1", **extra):
    data = {"name": "Maria Client", "email": "maria@example.net", "message": "Vreau 20 kg de roșii.",
            "homepage": "", "shown": contact_token(dt.datetime.now().timestamp() - 10)}
    data.update(extra)
    return client.post(reverse("portal:enterprise_contact", args=[code]), data, REMOTE_ADDR=ip,
                       HTTP_ACCEPT_LANGUAGE="en")


def test_contact_message_goes_to_the_outbox(client, orgs):
    response = contact(client)
    assert response.status_code == 302 and response["Location"] == reverse("portal:enterprise", args=["CL-COOP"])
    message = OutboxMessage.objects.get()
    assert message.to == SECRET_EMAIL and message.reply_to == "maria@example.net"
    assert message.kind == OutboxMessage.Kind.CONTACT and message.organisation == orgs["coop"]
    assert "Vreau 20 kg de roșii." in message.body and "Maria Client" in message.body
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "your message was sent to Cooperativa Verde" in page
    assert SECRET_EMAIL not in page


@pytest.mark.parametrize("extra", [
    {"homepage": "http://spam.example"},  # honeypot
    {"shown": "NOW"},  # too fast
    {"shown": "forged"},
    {"shown": ""},
])
def test_contact_spam_is_refused_without_saying_why(client, orgs, extra):
    if extra.get("shown") == "NOW":
        extra = {"shown": contact_token()}
    response = contact(client, **extra)
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be sent" in page
    assert "honeypot" not in page.lower() and "too fast" not in page.lower()
    assert not OutboxMessage.objects.exists()


def test_contact_invalid_input_shows_errors(client, orgs):
    response = contact(client, email="not-an-address", message="")
    assert response.status_code == 400
    assert not OutboxMessage.objects.exists()


def test_contact_is_rate_limited_per_address(client, orgs):
    for _n in range(5):
        assert contact(client).status_code == 302
    response = contact(client)
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert OutboxMessage.objects.count() == 5
    assert contact(client, ip="10.0.0.2").status_code == 302  # another visitor
    assert OutboxMessage.objects.count() == 6


def test_no_contact_address_no_form(client, orgs):
    page = client.get(reverse("portal:enterprise", args=["SHELTER"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has not given a contact address" in page
    assert 'name="message"' not in page
    assert contact(client, code="SHELTER").status_code == 302
    assert not OutboxMessage.objects.exists()


# --- map ----------------------------------------------------------------------------------------


def test_map_colours_counties_and_links_to_the_directory(client, orgs):
    page = client.get(reverse("portal:map"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<svg" in page and "<title" in page and "<caption" in page
    assert 'href="/enterprises/?county=CJ"' in page
    assert re.search(r'class="map-area map-step-5" data-county="CJ"', page)  # the most: 2
    assert re.search(r'class="map-area map-step-0" data-county="TM"', page)
    jobs = client.get(reverse("portal:map"), {"metric": "jobs"}).content.decode()
    assert re.search(r'class="map-area map-step-5" data-county="CL"', jobs)
    assert re.search(r'class="map-area map-step-0" data-county="CJ"', jobs)


def test_directory_map_keeps_the_search_and_counts_it(client, orgs):
    page = client.get(reverse("portal:directory"), {"reserved": "on"}).content.decode()
    assert 'href="/enterprises/?reserved=on&amp;county=CJ"' in page
    assert 'aria-current="true"' not in page.split("<svg")[1].split("</svg>")[0]
    chosen = client.get(reverse("portal:directory"), {"county": "CJ"}).content.decode()
    assert re.search(r'class="map-area map-step-5 map-current" data-county="CJ" aria-current="true"', chosen)
    assert re.search(r'class="map-area map-step-0" data-county="CL"', page)


# --- open data ----------------------------------------------------------------------------------

COLUMNS = ["code", "name", "legal_form", "county", "region", "area", "caen", "attested", "social_mark",
           "reserved_contract_eligible", "jobs", "jobs_vulnerable"]


def test_open_data_csv(client, orgs):
    response = client.get(reverse("portal:open_data_organisations_csv"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0] == COLUMNS
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {"CL-COOP", "MARK", "SHELTER", "OLDMARK"}
    assert by_code["CL-COOP"] == ["CL-COOP", "Cooperativa Verde", "cooperative", "CL", "RO31", "rural", "0113",
                                  "true", "false", "false", "3", "2"]
    assert by_code["MARK"][7:10] == ["false", "true", "true"]
    assert by_code["SHELTER"][9] == "true" and by_code["OLDMARK"][8:10] == ["false", "false"]


def test_open_data_json(client, orgs):
    response = client.get(reverse("portal:open_data_organisations_json"))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(b"".join(response.streaming_content))
    assert [list(r) for r in data] == [COLUMNS] * 4
    coop = next(r for r in data if r["code"] == "CL-COOP")
    assert coop["attested"] is True and coop["social_mark"] is False and coop["reserved_contract_eligible"] is False
    assert (coop["jobs"], coop["jobs_vulnerable"]) == (3, 2)
    assert next(r for r in data if r["code"] == "SHELTER")["reserved_contract_eligible"] is True


def test_open_data_when_empty(client, db):
    assert json.loads(b"".join(client.get(reverse("portal:open_data_organisations_json")).streaming_content)) == []
    text = b"".join(client.get(reverse("portal:open_data_organisations_csv")).streaming_content).decode()
    assert text.strip() == ",".join(COLUMNS)


def test_a_change_of_public_flag_shows_at_once(client, orgs):
    organisation_save(organisation=orgs["hidden"], by=None, public=True)
    assert "HIDDEN-ORG" in listed(client.get(reverse("portal:directory"), {"q": "calarasi"}))
