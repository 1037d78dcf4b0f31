"""The public events calendar, the caravan's route, the publications library, the impact figures and
the impact open data, as an anonymous visitor sees them."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.outreach.models import Event, Publication
from socec.outreach.services import event_attendance_add, event_save, publication_save
from socec.people.services import participant_register
from socec.places.models import County, Locality, Region
from socec.portal.activities.impact import impact_figures
from socec.portal.activities.views import download_name
from socec.programmes.services import partnership_set
from socec.training.models import Course, Enrolment
from socec.training.services import course_save, enrolment_save
from tests.personas import make_org, person_data

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SECRET_EVENT = "Zzsecret Intalnire Interna"
SECRET_STOP = "Zzsecret Oprire Ascunsa"
SECRET_PUBLICATION = "Zzsecret Raport Intern"
ATTENDEE_FIRST, ATTENDEE_LAST = "Zenobia", "Quixotescu"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded files go to a temporary private directory, never into var/."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    settings.MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def get(client, name, *args, **query):
    path = reverse(f"portal:{name}", args=args)
    return client.get(path, query, **EN)


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def event(project, code, kind="conference", date=dt.date(2024, 5, 10), county="IF", **extra):
    values = {"title": f"Event {code}", **extra}
    return event_save(event=Event(project=project, code=code), by=None, kind=kind, date=date,
                      county=County.objects.get(pk=county), **values)


def a_locality(county="IF") -> Locality:
    return Locality.objects.filter(county_id=county, level=Locality.Level.LOCALITY).order_by("siruta").first()


@pytest.fixture
def activities(world):
    """Public and non-public events, caravan stops and publications of P1 (and one of P2)."""
    p1 = world.project
    conference = event(p1, "CONF-1", title="Conferinta de lansare", date=dt.date(2024, 3, 1), county="B",
                       venue="Hotel Central", theme="Economia sociala", participants=80, conclusions="Parteneri noi.")
    attendee = participant_register(project=p1, by=world.a_field, data=person_data(
        "A-099", ATTENDEE_FIRST, ATTENDEE_LAST, "F", dt.date(1991, 1, 1)))
    event_attendance_add(event=conference, by=None, participation=attendee)
    event_attendance_add(event=conference, by=None, participation=world.alice)
    event_attendance_add(event=conference, by=None, organisation=world.org_b)
    event(p1, "RT-1", kind="round_table", title="Masa rotunda la Calarasi", date=dt.date(2025, 4, 2), county="CL",
          participants=25)
    event(p1, "FUT-1", kind="fair", title="Targul viitorului", date=dt.date.today() + dt.timedelta(days=30),
          county="CT")
    event(p1, "SEC-1", title=SECRET_EVENT, date=dt.date(2024, 6, 1), public=False, participants=12)
    event(world.other_project, "W-1", kind="workshop", title="Atelier P2", date=dt.date(2024, 9, 9), county="BV")
    # The caravan of P1: by date, then the order on the route; one stop is not public.
    place = a_locality("IF")
    event(p1, "CAR-3", kind="caravan_stop", title="Oprirea Oltenita", date=dt.date(2024, 6, 2), county="CL")
    event(p1, "CAR-2", kind="caravan_stop", title="Oprirea Ilfov", date=dt.date(2024, 6, 1), locality=place,
          route_order=2)
    event(p1, "CAR-1", kind="caravan_stop", title="Oprirea Sector 1", date=dt.date(2024, 6, 1), county="B",
          route_order=1)
    event(p1, "CAR-4", kind="caravan_stop", title="Oprirea Ilfov din nou", date=dt.date(2024, 6, 3), locality=place)
    event(p1, "CAR-X", kind="caravan_stop", title=SECRET_STOP, date=dt.date(2024, 6, 2), county="CT", public=False)
    return world


def publication(project, code, **values):
    return publication_save(publication=Publication(project=project, code=code), by=None, **values)


# ---- events -----------------------------------------------------------------------------------


def test_the_calendar_lists_public_events_upcoming_and_past(activities, client):
    page = text(get(client, "events"))
    for title in ("Conferinta de lansare", "Masa rotunda la Calarasi", "Targul viitorului", "Atelier P2",
                  "Oprirea Oltenita"):
        assert title in page
    assert SECRET_EVENT not in page and SECRET_STOP not in page
    upcoming, past = page.split("Past events", 1)
    assert "Targul viitorului" in upcoming and "Conferinta de lansare" not in upcoming
    assert "Conferinta de lansare" in past and "Targul viitorului" not in past
    assert past.index("Masa rotunda la Calarasi") < past.index("Conferinta de lansare")  # most recent first


def test_the_calendar_filters_by_kind_county_and_year(activities, client):
    page = text(get(client, "events", kind="round_table"))
    assert "Masa rotunda la Calarasi" in page and "Conferinta de lansare" not in page
    page = text(get(client, "events", county="CL"))
    assert "Masa rotunda la Calarasi" in page and "Oprirea Oltenita" in page and "Atelier P2" not in page
    page = text(get(client, "events", year="2025"))
    assert "Masa rotunda la Calarasi" in page and "Conferinta de lansare" not in page


@pytest.mark.parametrize("query", [
    {"year": "abc"}, {"year": "99999"}, {"year": "-1"}, {"kind": "<script>"}, {"county": "ZZ"},
    {"page": "x"}, {"page": "999"}, {"kind": "conference", "year": "20.24", "county": "'; drop"},
])
def test_junk_in_the_query_string_shows_a_message_or_is_ignored(activities, client, query):
    page = text(get(client, "events", **query))
    assert "Conferinta de lansare" in page or "Masa rotunda" in page
    if set(query) - {"page"}:
        assert "Please correct the following" in page
    assert SECRET_EVENT not in page
    assert text(get(client, "publications", **query))


def test_an_event_page_shows_the_public_facts_and_a_count_never_names(activities, client):
    page = text(get(client, "event", "P1", "CONF-1"))
    for fact in ("Conferinta de lansare", "Conference", "2024-03-01", "București", "Hotel Central",
                 "Economia sociala", "Parteneri noi.", "Proiect unu"):
        assert fact in page
    assert "3 people" in page and "80 people" not in page  # the attendance rows, as SE11 counts them
    for name in (ATTENDEE_FIRST, ATTENDEE_LAST, "Alice", "Ionescu", "Asociatia B", "A-099"):
        assert name not in page
    assert "<img" not in page
    page = text(get(client, "event", "P1", "RT-1"))
    assert "25 people" in page
    page = text(get(client, "event", "P1", "CAR-2"))
    assert "not recorded" in page  # neither a head count nor attendance


def test_the_attendance_rows_are_counted_when_there_are_any(activities, client):
    counted = event(activities.project, "WS-9", kind="workshop", title="Atelier numarat", date=dt.date(2024, 4, 4))
    event_attendance_add(event=counted, by=None, participation=activities.alice)
    event_attendance_add(event=counted, by=None, participation=activities.bob)
    event_attendance_add(event=counted, by=None, organisation=activities.org_a)
    page = text(get(client, "event", "P1", "WS-9"))
    assert "3 people" in page and "Alice" not in page and "Bob" not in page and "Asociatia A" not in page
    row = text(get(client, "events")).split("Atelier numarat", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">3</td>' in row


def test_names_of_attendees_appear_on_no_public_page(activities, client):
    for name, args in (("events", ()), ("caravan", ()), ("event", ("P1", "CONF-1")), ("publications", ()),
                       ("impact", ()), ("open_data", ()), ("open_data_impact_csv", ()),
                       ("open_data_impact_json", ())):
        body = get(client, name, *args).content.decode()
        assert ATTENDEE_FIRST not in body and ATTENDEE_LAST not in body and "Alice" not in body, name


def test_a_non_public_event_appears_nowhere(activities, client):
    assert get(client, "event", "P1", "SEC-1").status_code == 404
    assert get(client, "event", "P1", "CAR-X").status_code == 404
    assert get(client, "event", "P1", "NOPE").status_code == 404
    assert get(client, "event", "NOPE", "CONF-1").status_code == 404
    for name in ("events", "caravan", "publications", "impact", "open_data", "open_data_impact_csv",
                 "open_data_impact_json"):
        body = get(client, name).content.decode()
        assert SECRET_EVENT not in body and SECRET_STOP not in body, name
    assert SECRET_EVENT not in text(get(client, "events", year="2024", kind="conference"))


# ---- the caravan ------------------------------------------------------------------------------


def test_the_caravan_route_is_in_order_with_its_counts(activities, client):
    page = text(get(client, "caravan"))
    order = ["Oprirea Sector 1", "Oprirea Ilfov", "Oprirea Oltenita", "Oprirea Ilfov din nou"]
    route = page.split("Stops in route order", 1)[1]
    positions = [route.index(f">{title}<") for title in order]
    assert positions == sorted(positions)
    # Four public stops in three counties (B, IF, CL) and three places (Ilfov's locality twice).
    assert "4 stops; localities reached: 3; counties reached: 3." in page
    assert page.count('<g class="stop">') == 4
    assert page.count('class="tile tile-visited"') == 3
    assert SECRET_STOP not in page and "CT" in page  # Constanța is a tile, but not on the route
    assert "Proiect unu" in page and "Alt proiect" not in page  # P2 has no caravan


def test_the_caravan_without_stops_says_so(world, client):
    assert "No caravan stops announced yet." in text(get(client, "caravan"))


# ---- publications -----------------------------------------------------------------------------


@pytest.fixture
def library(world):
    p1 = world.project
    publication(p1, "PUB-001", kind="study", title="Studiu regional", published_on=dt.date(2024, 9, 1),
                url="https://example.org/studiu", file=SimpleUploadedFile("studiu.pdf", PDF))
    publication(p1, "PUB-002", kind="guide", title="Ghidul antreprenorului", published_on=dt.date(2025, 2, 1))
    publication(p1, "PUB-003", kind="report", title=SECRET_PUBLICATION, published_on=dt.date(2024, 10, 1),
                public=False, file=SimpleUploadedFile("intern.pdf", PDF))
    publication(world.other_project, "F-1", kind="film", title="Film documentar", url="https://example.org/film")
    return world


def test_the_library_lists_only_public_publications(library, client):
    page = text(get(client, "publications"))
    for title in ("Studiu regional", "Ghidul antreprenorului", "Film documentar"):
        assert title in page
    assert SECRET_PUBLICATION not in page
    assert reverse("portal:publication_file", args=["P1", "PUB-001"]) in page
    assert reverse("portal:publication_file", args=["P1", "PUB-002"]) not in page  # no file
    assert 'href="https://example.org/studiu"' in page
    assert "3 publications" in page


def test_the_library_filters_by_kind_and_year(library, client):
    page = text(get(client, "publications", kind="guide"))
    assert "Ghidul antreprenorului" in page and "Studiu regional" not in page
    page = text(get(client, "publications", year="2024"))
    assert "Studiu regional" in page and "Ghidul antreprenorului" not in page and "Film documentar" not in page
    page = text(get(client, "publications", kind="report"))
    assert SECRET_PUBLICATION not in page and "No publications match." in page


def test_a_public_file_is_downloaded(library, client):
    response = get(client, "publication_file", "P1", "PUB-001")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and 'filename="P1-PUB-001.pdf"' in \
        response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("args", [("P1", "PUB-003"), ("P1", "PUB-002"), ("P2", "F-1"), ("P1", "NOPE"),
                                  ("P9", "PUB-001")])
def test_a_file_not_public_or_missing_is_not_found(library, client, args):
    assert get(client, "publication_file", *args).status_code == 404


def test_a_file_gone_from_the_storage_is_not_found(library, client, private_storage):
    stored = Publication.objects.get(code="PUB-001").file.name
    (private_storage / stored).unlink()
    assert get(client, "publication_file", "P1", "PUB-001").status_code == 404


def test_download_names_are_safe():
    assert download_name("P1", "PUB-001") == "P1-PUB-001"
    assert download_name("../etc", 'a"b\r\nc') == "etc-a-b-c"


# ---- impact -----------------------------------------------------------------------------------


@pytest.fixture
def impact_world(world):
    """A small dataset worked out by hand. Alice lives in Ilfov (RO32), Bob in Călărași (RO31).

    SE01 trained: Alice in 2024 (RO32), Bob in 2025 (RO31).
    SE03 SES created: S1 (Călărași, RO31) in 2024, S2 (Ilfov, RO32) in 2025.
    SE04 jobs: J1 at S1 in 2024 (RO31); J2 and J3 at S2 in 2025 (RO32).
    SE05 vulnerable: J1 held by Alice (vulnerable) in 2024 (RO31); J3 by a vulnerable person only
    from 2026 (RO32); J2 never.
    """
    p1 = world.project
    s1 = make_org("S-1", "Cooperativa Unu", county="CL", is_ses=True, founded_on=dt.date(2024, 6, 1))
    s2 = make_org("S-2", "Intreprinderea Doi", county="IF", is_ses=True, founded_on=dt.date(2025, 3, 1))
    for org in (s1, s2):
        partnership_set(project=p1, organisation=org, role="supported", by=None)
    course = course_save(course=Course(project=p1, code="T1"), by=None, title="Antreprenoriat", kind="training")
    for who, done in ((world.alice, dt.date(2024, 5, 1)), (world.bob, dt.date(2025, 2, 1))):
        enrolment_save(enrolment=Enrolment(participation=who, course=course), by=None,
                       enrolled_on=dt.date(2024, 3, 5), completed=True, completed_on=done)
    j1 = job_save(job=Job(project=p1, code="J1"), by=None, employer=s1, created_on=dt.date(2024, 7, 1),
                  hours_per_week=40, title="Lucrator")
    employment_save(employment=Employment(job=j1), by=None, participation=world.alice,
                    start_date=dt.date(2024, 7, 1))
    j2 = job_save(job=Job(project=p1, code="J2"), by=None, employer=s2, created_on=dt.date(2025, 4, 1),
                  hours_per_week=40, title="Contabil")
    employment_save(employment=Employment(job=j2), by=None, person_name="Ion Vasile", vulnerable=False,
                    start_date=dt.date(2025, 4, 1))
    j3 = job_save(job=Job(project=p1, code="J3"), by=None, employer=s2, created_on=dt.date(2025, 5, 1),
                  hours_per_week=40, title="Bucatar")
    employment_save(employment=Employment(job=j3), by=None, person_name="Maria Stan", vulnerable=True,
                    start_date=dt.date(2026, 1, 10))
    return world


EXPECTED_IMPACT = {  # (indicator, region, year) -> value; every other row is 0
    ("SE01", "RO32", 2024): 1, ("SE01", "RO31", 2025): 1,
    ("SE03", "RO31", 2024): 1, ("SE03", "RO32", 2025): 1,
    ("SE04", "RO31", 2024): 1, ("SE04", "RO32", 2025): 2,
    ("SE05", "RO31", 2024): 1, ("SE05", "RO32", 2026): 1,
}


def test_the_impact_figures_worked_out_by_hand(impact_world):
    today = dt.date(2026, 6, 30)
    rows = impact_figures(today)
    years = [2024, 2025, 2026]
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    assert len(regions) == 8 and len(rows) == 4 * len(regions) * len(years)
    found = {(r.indicator, r.region_code, r.year): r.value for r in rows}
    assert {k: v for k, v in found.items() if v} == EXPECTED_IMPACT
    assert set(found) == {(c, r, y) for c in ("SE01", "SE03", "SE04", "SE05") for r in regions for y in years}


def test_the_impact_figures_stop_at_the_day_asked(impact_world):
    rows = impact_figures(dt.date(2025, 12, 31))
    found = {(r.indicator, r.region_code, r.year): r.value for r in rows if r.value}
    assert found == {k: v for k, v in EXPECTED_IMPACT.items() if k[2] <= 2025}
    assert impact_figures(dt.date(2025, 12, 31)) == rows  # the second time from the engine's cache


def test_no_projects_no_figures(db, client):
    assert impact_figures() == []
    assert "No figures yet" in text(get(client, "impact"))
    assert text(get(client, "open_data_impact_csv")).splitlines() == [
        "region_code,region,year,indicator,indicator_name,value"]


def csv_records(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_page_the_csv_and_the_json_carry_the_same_figures(impact_world, client):
    expected = {(c, r, y): v for (c, r, y), v in EXPECTED_IMPACT.items() if y <= dt.date.today().year}
    response = get(client, "open_data_impact_csv")
    header = response.content.decode("utf-8").splitlines()[0]
    assert header == "region_code,region,year,indicator,indicator_name,value"
    records = csv_records(response)
    assert {(r["indicator"], r["region_code"], int(r["year"])): int(r["value"]) for r in records
            if r["value"] != "0"} == expected
    row = next(r for r in records if r["indicator"] == "SE01" and r["region_code"] == "RO32" and r["year"] == "2024")
    assert row == {"region_code": "RO32", "region": "București-Ilfov", "year": "2024", "indicator": "SE01",
                   "indicator_name": "Persons trained", "value": "1"}

    data = json.loads(get(client, "open_data_impact_json").content.decode("utf-8"))
    assert data["columns"] == ["region_code", "region", "year", "indicator", "indicator_name", "value"]
    assert [list(r) for r in data["rows"][:1]] == [data["columns"]]
    assert [{k: str(v) for k, v in r.items()} for r in data["rows"]] == records

    page = text(get(client, "impact"))
    # Totals: SE01 2, SE03 2, SE04 3, SE05 2 (1 until 2026).
    totals = page.split('class="figures"', 1)[1].split("</dl>", 1)[0]
    assert "<dd>2</dd>" in totals and "<dd>3</dd>" in totals
    table = page.split('id="table-SE04"', 1)[1].split("</table>", 1)[0]
    assert "București-Ilfov" in table and "Sud-Muntenia" in table
    ilfov = table.split("București-Ilfov", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">0</td>' in ilfov and '<td class="num">2</td>' in ilfov
    assert page.count("<svg class=\"bar\"") == 4 * (8 + len(range(2024, dt.date.today().year + 1)))


def test_the_impact_page_has_one_h1_tables_with_captions_and_no_inline_styles(impact_world, client):
    page = text(get(client, "impact"))
    assert page.count("<h1") == 1 and page.count("<caption") >= 4
    for name in ("events", "caravan", "publications", "impact", "open_data"):
        body = text(get(client, name))
        assert "style=" not in body and "<script" not in body and " onclick" not in body, name


def test_the_open_data_page_documents_both_datasets(db, client):
    page = text(get(client, "open_data"))
    for link in ("/open-data/organisations.csv", "/open-data/organisations.json", "/open-data/impact.csv",
                 "/open-data/impact.json"):
        assert f'href="{link}"' in page
    for column in ("reserved_contract_eligible", "jobs_vulnerable", "region_code", "indicator_name"):
        assert f"<code>{column}</code>" in page
    assert "Licence" in page and "live" in page


def test_the_pages_come_in_romanian(activities, library, client):
    for name, args in (("events", ()), ("event", ("P1", "CONF-1")), ("caravan", ()), ("publications", ()),
                       ("impact", ()), ("open_data", ())):
        response = client.get(reverse(f"portal:{name}", args=args), HTTP_ACCEPT_LANGUAGE="ro")
        assert response.status_code == 200 and 'lang="ro"' in response.content.decode(), name


def test_the_lists_read_in_a_fixed_number_of_queries(activities, library, client, django_assert_max_num_queries):
    def queries(name):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert get(client, name).status_code == 200
        return len(captured)

    before = {name: queries(name) for name in ("events", "caravan", "publications")}
    for n in range(6):
        event(activities.project, f"MORE-{n}", kind="caravan_stop", title=f"Oprire {n}",
              date=dt.date(2024, 7, n + 1), county="BV")
        publication(activities.project, f"MORE-{n}", kind="other", title=f"Brosura {n}")
    assert {name: queries(name) for name in before} == before
    assert get(client, "impact").status_code == 200  # counts every project once per year end
    with django_assert_max_num_queries(20):  # then reads the engine's parts back
        assert get(client, "impact").status_code == 200
