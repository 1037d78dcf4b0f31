"""Staff pages for events, the caravan, campaigns and publications, for the personas of tests/personas.py."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from socec.audit.models import AuditEntry
from socec.outreach.countygrid import GRID, grid_map
from socec.outreach.models import Campaign, Event, EventAttendance, EventPhoto, Publication
from socec.outreach.services import campaign_save, event_attendance_add, event_save, publication_save
from socec.places.data import COUNTIES
from socec.places.models import County, Locality

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, *args, **query):
    base = reverse(f"staff:{name}", args=args)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded files go to a temporary private directory, never into var/."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    settings.MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def make_event(world, code="EV-X", kind="conference", date=dt.date(2024, 5, 10), county="IF", **extra):
    return event_save(event=Event(project=world.project, code=code), by=None, kind=kind, title=f"Event {code}",
                      date=date, county=County.objects.get(pk=county), **extra)


def png_bytes(size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def odt_bytes() -> bytes:
    return zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def a_locality(county="IF") -> Locality:
    return Locality.objects.filter(county_id=county, level=Locality.Level.LOCALITY).order_by("siruta").first()


# ---- the county grid ------------------------------------------------------------------------


def test_the_grid_places_each_of_the_42_counties_once():
    assert set(GRID) == {c[0] for c in COUNTIES} and len(GRID) == 42
    assert len(set(GRID.values())) == 42


def test_the_grid_numbers_stops_in_route_order_and_spreads_stops_in_one_county():
    drawn = grid_map(highlight=["IF", "CL"], route=["IF", "CL", "IF", "XX"])
    assert [m.number for m in drawn.markers] == [1, 2, 3]  # an unknown county keeps its number but is not drawn
    assert (drawn.markers[0].x, drawn.markers[0].y) != (drawn.markers[2].x, drawn.markers[2].y)
    assert {t.code for t in drawn.tiles if t.highlighted} == {"IF", "CL"}


# ---- events: who may see and change -----------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("lead_manager", 200), ("a_field", 200), ("a_monitor", 200), ("auditor", 200), ("admin", 200),
    ("outsider", 404)])
def test_who_may_see_the_events(world, login, persona, status):
    make_event(world)
    client = login(getattr(world, persona))
    assert client.get(url("events", "P1")).status_code == status
    assert client.get(url("event", "P1", "EV-X")).status_code == status
    assert client.get(url("caravan", "P1")).status_code == status
    assert client.get(url("campaigns", "P1")).status_code == status
    assert client.get(url("publications", "P1")).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("auditor", 403), ("a_monitor", 403), ("outsider", 404)])
def test_who_may_not_change_events(world, login, persona, status):
    make_event(world)
    client = login(getattr(world, persona))
    before = AuditEntry.objects.count()
    assert client.get(url("event_new", "P1")).status_code == status
    assert client.get(url("event_edit", "P1", "EV-X")).status_code == status
    assert client.post(url("event_new", "P1"), {"kind": "debate", "title": "T", "date": "2024-06-01",
                                                "county": "IF"}).status_code == status
    assert client.post(url("event_attendance_add", "P1", "EV-X"), {"person_ref": "A-001"}).status_code == status
    assert client.post(url("event_photo_add", "P1", "EV-X"), {"caption": "x", "file": SimpleUploadedFile(
        "p.png", png_bytes())}).status_code == status
    assert client.post(url("caravan", "P1"), {"date": "2024-06-01", "county": "IF", "title": "Stop"}
                       ).status_code == status
    assert Event.objects.count() == 1 and not EventAttendance.objects.exists() and not EventPhoto.objects.exists()
    assert AuditEntry.objects.count() == before


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(url("events", "P1"))
    assert response.status_code == 302 and "login" in response["Location"]


# ---- events: create, edit, validation ---------------------------------------------------------


def test_a_field_worker_records_an_event_with_a_locality_typed_by_name(world, login):
    loc = a_locality()
    client = login(world.a_field)
    response = client.post(url("event_new", "P1"), {
        "kind": "round_table", "title": "Masa rotundă", "date": "2024-06-01", "county": "IF",
        "locality": loc.name.upper(), "venue": "Primăria", "theme": "Economia socială", "participants": "25",
        "conclusions": "Bine."}, **EN)
    event = Event.objects.get(project=world.project)
    assert response.status_code == 302 and response["Location"] == url("event", "P1", event.code)
    assert event.code == "EV-001" and event.locality == loc and event.county_id == "IF" and event.participants == 25
    entry = AuditEntry.objects.get(model="outreach.event", action="create")
    assert entry.actor == world.a_field and entry.project == world.project
    page = client.get(response["Location"], **EN).content.decode()
    assert "Masa rotundă" in page and loc.name in page and "Primăria" in page


def test_a_locality_from_the_suggestions_or_by_siruta_code(world, login):
    loc = a_locality()
    client = login(world.lead_manager)
    client.post(url("event_new", "P1"), {"code": "CONF-1", "kind": "conference", "title": "Conferința",
                                         "date": "2024-06-01", "county": "IF",
                                         "locality": f"{loc.name} ({loc.siruta})"})
    client.post(url("event_new", "P1"), {"code": "CONF-2", "kind": "conference", "title": "Conferința 2",
                                         "date": "2024-06-02", "county": "IF", "locality": str(loc.siruta)})
    assert [e.locality_id for e in Event.objects.order_by("code")] == [loc.siruta, loc.siruta]


def test_the_suggestions_follow_the_county(world, login):
    loc = a_locality("CL")
    page = login(world.a_field).get(url("outreach_localities", "P1", county="CL")).content.decode()
    assert f"{loc.name} ({loc.siruta})" in page and 'id="locality-options"' in page
    assert login(world.outsider).get(url("outreach_localities", "P1", county="CL")).status_code == 404


@pytest.mark.parametrize(("data", "field_message"), [
    ({"title": "", "date": "2024-06-01"}, "This field is required."),
    ({"title": "T", "date": "not a date"}, "Enter a valid date."),
    ({"title": "T", "date": "2024-06-01", "locality": "Nowhere at all"}, "No locality called"),
    ({"title": "T", "date": "2024-06-01", "locality": "99999999"}, "is not a known SIRUTA code"),
    ({"title": "T", "date": "2024-06-01", "participants": "-3"}, "greater than or equal to 0"),
    ({"title": "T", "date": "2024-06-01", "code": "bad code!"}, "Use letters, digits"),
])
def test_an_invalid_event_shows_why_and_writes_nothing(world, login, data, field_message):
    before = AuditEntry.objects.count()
    response = login(world.a_field).post(url("event_new", "P1"), {"kind": "debate", "county": "IF", **data}, **EN)
    assert response.status_code == 200
    assert field_message in response.content.decode() and "Please correct the following" in response.content.decode()
    assert not Event.objects.exists() and AuditEntry.objects.count() == before


def test_a_locality_in_another_county_is_refused(world, login):
    loc = a_locality("CL")
    response = login(world.a_field).post(url("event_new", "P1"), {
        "kind": "debate", "title": "T", "date": "2024-06-01", "county": "IF", "locality": str(loc.siruta)}, **EN)
    assert "not Ilfov" in response.content.decode() and not Event.objects.exists()


def test_a_used_code_is_refused(world, login):
    make_event(world, code="DUP")
    response = login(world.a_field).post(url("event_new", "P1"), {
        "code": "DUP", "kind": "debate", "title": "T", "date": "2024-06-01", "county": "IF"}, **EN)
    assert "already used" in response.content.decode() and Event.objects.count() == 1


def test_editing_an_event_is_audited(world, login):
    make_event(world)
    client = login(world.a_manager)
    form = client.get(url("event_edit", "P1", "EV-X"), **EN).content.decode()
    assert 'value="Event EV-X"' in form and "hx-get" in form
    response = client.post(url("event_edit", "P1", "EV-X"), {
        "kind": "conference", "title": "Conferința finală", "date": "2024-05-10", "county": "CL",
        "conclusions": "Concluzii."})
    assert response.status_code == 302
    event = Event.objects.get(code="EV-X")
    assert event.title == "Conferința finală" and event.county_id == "CL"
    entry = AuditEntry.objects.filter(model="outreach.event", action="update").latest("id")
    assert entry.changes["title"] == ["Event EV-X", "Conferința finală"]


# ---- the list, filters and exports --------------------------------------------------------------


def test_the_list_filters_by_kind_county_and_dates_and_exports_the_same_rows(world, login):
    make_event(world, code="EV-01", kind="conference", date=dt.date(2024, 3, 1), county="IF")
    make_event(world, code="EV-02", kind="debate", date=dt.date(2024, 4, 1), county="IF", participants=40)
    make_event(world, code="EV-03", kind="debate", date=dt.date(2024, 5, 1), county="CL")
    event_save(event=Event(project=world.other_project, code="EV-OTHER"), by=None, kind="debate", title="Other",
               date=dt.date(2024, 4, 1), county=County.objects.get(pk="IF"))
    client = login(world.a_field)
    page = client.get(url("events", "P1", kind="debate", county="IF", date_from="2024-03-15",
                          date_to="2024-04-30"), **EN).content.decode()
    assert "EV-02" in page and "EV-01" not in page and "EV-03" not in page and "EV-OTHER" not in page
    rows = csv_rows(client.get(url("events", "P1", kind="debate", county="IF", date_from="2024-03-15",
                                   date_to="2024-04-30", format="csv"), **EN))
    assert rows[0][:4] == ["Code", "Date", "Kind", "Title"] and rows[0][-1] == "Attendance"
    assert [r[0] for r in rows[1:]] == ["EV-02"] and rows[1][-1] == "40"
    every = csv_rows(client.get(url("events", "P1", format="csv")))
    assert sorted(r[0] for r in every[1:]) == ["EV-01", "EV-02", "EV-03"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(url("events", "P1", county="CL", format="xlsx")).content))
    sheet = book.active
    assert [c.value for c in sheet[2]][0] == "EV-03" and sheet.max_row == 2


def test_a_bad_filter_shows_a_message_not_an_error(world, login):
    make_event(world)
    response = login(world.a_field).get(url("events", "P1", date_from="yesterday", date_to="2024-01-01",
                                            county="ZZ"), **EN)
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()


def test_the_list_is_paginated(world, login):
    for n in range(30):
        make_event(world, code=f"E{n:02d}", date=dt.date(2024, 1, 1) + dt.timedelta(days=n))
    client = login(world.lead_manager)
    first = client.get(url("events", "P1", kind="conference"), **EN).content.decode()
    assert "Page 1 of 2" in first and "kind=conference&amp;page=2" in first
    second = client.get(url("events", "P1", kind="conference", page=2), **EN).content.decode()
    assert "E00" in second and "E29" not in second


def test_attendance_counts_people_and_organisations_or_else_the_head_count(world, login):
    counted = make_event(world, code="E1", participants=100)
    make_event(world, code="E2", participants=30)
    event_attendance_add(event=counted, by=None, participation=world.alice)
    event_attendance_add(event=counted, by=None, organisation=world.org_b)
    rows = {r[0]: r for r in csv_rows(login(world.auditor).get(url("events", "P1", format="csv")))[1:]}
    assert rows["E1"][-3:] == ["1", "1", "2"] and rows["E2"][-3:] == ["0", "0", "30"]


# ---- attendance -------------------------------------------------------------------------------


def test_a_field_worker_adds_own_participants_and_organisations(world, login):
    event = make_event(world)
    client = login(world.a_field)
    response = client.post(url("event_attendance_add", "P1", "EV-X"), {"attendee": "person", "person_ref": "A-001"})
    assert response.status_code == 302
    assert EventAttendance.objects.filter(event=event, participation=world.alice).exists()
    client.post(url("event_attendance_add", "P1", "EV-X"), {"attendee": "organisation", "organisation": "ORG-B"})
    assert EventAttendance.objects.filter(event=event, organisation=world.org_b).exists()
    assert AuditEntry.objects.filter(model="outreach.eventattendance", action="create").count() == 2


def test_a_partner_cannot_add_another_partners_participant(world, login):
    make_event(world)
    before = AuditEntry.objects.count()
    response = login(world.a_field).post(url("event_attendance_add", "P1", "EV-X"),
                                         {"attendee": "person", "person_ref": "B-001"}, **EN)
    assert response.status_code == 200 and "No participant with this reference" in response.content.decode()
    assert not EventAttendance.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.parametrize(("data", "message"), [
    ({"attendee": "organisation", "organisation": "NOPE"}, "There is no organisation with this code."),
    ({"attendee": "person", "person_ref": ""}, "This field is required."),
])
def test_attendance_errors_show_next_to_the_field(world, login, data, message):
    make_event(world)
    response = login(world.a_field).post(url("event_attendance_add", "P1", "EV-X"), data, **EN)
    assert message in response.content.decode() and not EventAttendance.objects.exists()


def test_adding_someone_twice_is_refused(world, login):
    event = make_event(world)
    event_attendance_add(event=event, by=None, participation=world.alice)
    response = login(world.a_field).post(url("event_attendance_add", "P1", "EV-X"),
                                         {"attendee": "person", "person_ref": "A-001"}, **EN)
    assert "already on the attendance list" in response.content.decode()
    assert EventAttendance.objects.count() == 1


def test_the_event_page_shows_only_the_people_the_user_may_see(world, login):
    event = make_event(world)
    event_attendance_add(event=event, by=None, participation=world.alice)
    bob_row = event_attendance_add(event=event, by=None, participation=world.bob)
    page = login(world.a_field).get(url("event", "P1", "EV-X"), **EN).content.decode()
    assert "A-001" in page and "Alice Ionescu" in page
    assert "B-001" not in page and "Bob" not in page and "1 more participant" in page
    # bob's row cannot even be removed by A: not found, and nothing changes
    response = login(world.a_field).post(url("event_attendance_remove", "P1", "EV-X", bob_row.pk))
    assert response.status_code == 404 and EventAttendance.objects.filter(pk=bob_row.pk).exists()


def test_names_are_shown_to_roles_that_see_identifiers_and_the_view_is_logged(world, login):
    event = make_event(world)
    event_attendance_add(event=event, by=None, participation=world.alice)
    event_attendance_add(event=event, by=None, participation=world.bob)
    before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).count()
    page = login(world.lead_manager).get(url("event", "P1", "EV-X")).content.decode()
    assert "Alice Ionescu" in page and "Bob Popescu" in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_IDENTIFIERS).count() == before + 1
    audited = login(world.auditor).get(url("event", "P1", "EV-X")).content.decode()
    assert "Alice" not in audited and "A. I." in audited and "B. P." in audited
    assert "Remove" not in audited and "Add a participant" not in audited


def test_removing_attendance_is_audited(world, login):
    event = make_event(world)
    row = event_attendance_add(event=event, by=None, participation=world.alice)
    response = login(world.a_field).post(url("event_attendance_remove", "P1", "EV-X", row.pk))
    assert response.status_code == 302 and not EventAttendance.objects.exists()
    assert AuditEntry.objects.filter(model="outreach.eventattendance", action="delete").exists()
    assert login(world.auditor).post(url("event_attendance_remove", "P1", "EV-X", row.pk)).status_code == 403


# ---- photos -------------------------------------------------------------------------------------


def test_a_photo_is_stored_privately_and_served_only_to_the_project(world, login, private_storage):
    make_event(world)
    client = login(world.a_field)
    response = client.post(url("event_photo_add", "P1", "EV-X"), {
        "caption": "Participanți la masa rotundă", "file": SimpleUploadedFile("../../evil name.png", png_bytes())})
    assert response.status_code == 302
    photo = EventPhoto.objects.get()
    assert photo.file.name.startswith("events/") and photo.file.name.endswith(".png") and "evil" not in photo.file.name
    assert (private_storage / photo.file.name).exists()
    assert AuditEntry.objects.filter(model="outreach.eventphoto", action="create").exists()
    page = client.get(url("event", "P1", "EV-X")).content.decode()
    assert 'alt="Participanți la masa rotundă"' in page
    served = login(world.auditor).get(url("event_photo", "P1", "EV-X", photo.pk))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    assert served["X-Content-Type-Options"] == "nosniff"
    assert login(world.outsider).get(url("event_photo", "P1", "EV-X", photo.pk)).status_code == 404


def test_a_jpeg_is_accepted(world, login):
    make_event(world)
    login(world.a_field).post(url("event_photo_add", "P1", "EV-X"), {
        "caption": "Afiș", "file": SimpleUploadedFile("photo.JPEG", jpeg_bytes())})
    assert EventPhoto.objects.get().file.name.endswith(".jpg")


@pytest.mark.parametrize(("name", "content", "caption", "message"), [
    ("fake.png", b"MZ\x90\x00 not an image at all", "Caption", "must be a JPEG or PNG image"),
    ("broken.png", png_bytes()[:20], "Caption", "must be a JPEG or PNG image"),
    ("doc.png", PDF, "Caption", "must be a JPEG or PNG image"),
    ("ok.png", png_bytes(), "", "This field is required."),
])
def test_a_bad_photo_is_refused_and_nothing_is_stored(world, login, private_storage, name, content, caption,
                                                       message):
    make_event(world)
    before = AuditEntry.objects.count()
    response = login(world.a_field).post(url("event_photo_add", "P1", "EV-X"), {
        "caption": caption, "file": SimpleUploadedFile(name, content)}, **EN)
    assert response.status_code == 200 and message in response.content.decode()
    assert not EventPhoto.objects.exists() and AuditEntry.objects.count() == before
    assert not (private_storage / "events").exists() or not any((private_storage / "events").rglob("*.*"))


def test_a_photo_over_the_size_limit_is_refused(world, login, settings):
    settings.SOCEC_EVENT_PHOTO_MAX_BYTES = 50
    make_event(world)
    response = login(world.a_field).post(url("event_photo_add", "P1", "EV-X"), {
        "caption": "Mare", "file": SimpleUploadedFile("big.png", png_bytes((64, 64)))}, **EN)
    assert "larger than" in response.content.decode() and not EventPhoto.objects.exists()


def test_removing_a_photo_deletes_the_file(world, login, private_storage, django_capture_on_commit_callbacks):
    make_event(world)
    client = login(world.a_field)
    client.post(url("event_photo_add", "P1", "EV-X"), {"caption": "X", "file": SimpleUploadedFile(
        "p.png", png_bytes())})
    photo = EventPhoto.objects.get()
    path = private_storage / photo.file.name
    assert login(world.auditor).post(url("event_photo_delete", "P1", "EV-X", photo.pk)).status_code == 403
    assert path.exists() and EventPhoto.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.a_field).post(url("event_photo_delete", "P1", "EV-X", photo.pk))
    assert response.status_code == 302 and not EventPhoto.objects.exists() and not path.exists()
    assert AuditEntry.objects.filter(model="outreach.eventphoto", action="delete").exists()


# ---- the caravan --------------------------------------------------------------------------------


def test_the_caravan_draws_the_route_and_lists_the_stops_in_order(world, login):
    make_event(world, code="S3", kind="caravan_stop", date=dt.date(2024, 6, 2), county="CL")
    make_event(world, code="S2", kind="caravan_stop", date=dt.date(2024, 6, 1), county="IF", route_order=2)
    make_event(world, code="S1", kind="caravan_stop", date=dt.date(2024, 6, 1), county="B", route_order=1)
    make_event(world, code="CONF", kind="conference", date=dt.date(2024, 5, 1))
    page = login(world.auditor).get(url("caravan", "P1"), **EN).content.decode()
    assert "<svg" in page and 'aria-hidden="true"' in page and "<polyline" in page
    assert page.index("Event S1") < page.index("Event S2") < page.index("Event S3")
    assert "Event CONF" not in page and "Stops so far: 3; counties reached: 3." in page
    assert "Record a caravan stop" not in page  # the auditor only reads
    rows = csv_rows(login(world.auditor).get(url("caravan", "P1", format="csv"), **EN))
    assert [r[2] for r in rows[1:]] == ["S1", "S2", "S3"] and [r[0] for r in rows[1:]] == ["1", "2", "3"]


def test_recording_a_caravan_stop(world, login):
    loc = a_locality()
    client = login(world.a_field)
    response = client.post(url("caravan", "P1"), {"date": "2024-07-01", "county": "IF",
                                                  "locality": f"{loc.name} ({loc.siruta})",
                                                  "title": "Caravana la " + loc.name, "participants": "18"})
    assert response.status_code == 302
    stop = Event.objects.get()
    assert stop.kind == "caravan_stop" and stop.code == "CAR-001" and stop.locality == loc and stop.participants == 18
    assert AuditEntry.objects.filter(model="outreach.event", action="create", actor=world.a_field).exists()
    assert "Caravana la" in client.get(url("caravan", "P1")).content.decode()


def test_an_invalid_caravan_stop_writes_nothing(world, login):
    response = login(world.a_field).post(url("caravan", "P1"), {"date": "", "county": "", "title": "Stop"}, **EN)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Event.objects.exists()


# ---- campaigns ----------------------------------------------------------------------------------


def test_campaigns_are_recorded_listed_filtered_and_exported(world, login):
    client = login(world.a_manager)
    response = client.post(url("campaign_new", "P1"), {"channel": "radio", "title": "Spot radio",
                                                      "start_date": "2024-03-01", "end_date": "2024-04-30",
                                                      "reach": "120000"})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.code == "CAM-001" and campaign.reach == 120000
    assert AuditEntry.objects.filter(model="outreach.campaign", action="create", actor=world.a_manager).exists()
    campaign_save(campaign=Campaign(project=world.project, code="WEB"), by=None, channel="online", title="Web",
                  start_date=dt.date(2025, 1, 1))
    page = client.get(url("campaigns", "P1", channel="radio"), **EN).content.decode()
    assert "Spot radio" in page and ">Web<" not in page
    rows = csv_rows(client.get(url("campaigns", "P1", date_from="2024-04-01", date_to="2024-12-31", format="csv"),
                               **EN))
    assert rows[0] == ["Code", "Title", "Channel", "Start date", "End date", "Reach (people)"]
    assert rows[1:] == [["CAM-001", "Spot radio", "radio", "2024-03-01", "2024-04-30", "120000"]]
    client.post(url("campaign_edit", "P1", "CAM-001"), {"channel": "radio", "title": "Spot radio", "reach": "5"})
    campaign.refresh_from_db()
    assert campaign.reach == 5 and campaign.start_date is None
    assert AuditEntry.objects.filter(model="outreach.campaign", action="update").exists()


def test_a_campaign_ending_before_it_starts_is_refused(world, login):
    response = login(world.a_manager).post(url("campaign_new", "P1"), {
        "channel": "tv", "title": "TV", "start_date": "2024-05-01", "end_date": "2024-04-01"}, **EN)
    assert "The end date is before the start date." in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("auditor", 403), ("outsider", 404)])
def test_campaigns_cannot_be_changed_by(world, login, persona, status):
    campaign_save(campaign=Campaign(project=world.project, code="WEB"), by=None, channel="online", title="Web")
    client = login(getattr(world, persona))
    assert client.get(url("campaign_new", "P1")).status_code == status
    assert client.post(url("campaign_edit", "P1", "WEB"), {"channel": "tv", "title": "X"}).status_code == status
    assert Campaign.objects.get().title == "Web"


# ---- publications -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("study.pdf", PDF, "application/pdf"),
    ("guide.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("raport.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
])
def test_a_publication_with_a_file_is_downloaded_through_the_access_check(world, login, private_storage, name,
                                                                         content, content_type):
    client = login(world.lead_manager)
    response = client.post(url("publication_new", "P1"), {
        "kind": "study", "title": "Studiu", "published_on": "2024-09-01", "url": "https://example.org/s",
        "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.code == "PUB-001" and (private_storage / publication.file.name).exists()
    served = login(world.auditor).get(url("publication_file", "P1", "PUB-001"))
    assert served.status_code == 200 and served["Content-Type"] == content_type
    assert "attachment" in served["Content-Disposition"] and b"".join(served.streaming_content) == content
    assert login(world.outsider).get(url("publication_file", "P1", "PUB-001")).status_code == 404
    assert AuditEntry.objects.filter(model="outreach.publication", action="create").exists()


@pytest.mark.parametrize(("name", "content"), [
    ("virus.pdf", b"MZ\x90\x00\x03 executable"),
    ("sheet.docx", zip_bytes({"xl/workbook.xml": b"<x/>"})),
    ("notes.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
    ("empty.pdf", b""),
])
def test_a_publication_file_of_another_kind_is_refused(world, login, name, content):
    before = AuditEntry.objects.count()
    response = login(world.lead_manager).post(url("publication_new", "P1"), {
        "kind": "study", "title": "Studiu", "file": SimpleUploadedFile(name, content)}, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "must be a PDF, ODT or DOCX" in page or "The submitted file is empty." in page
    assert not Publication.objects.exists() and AuditEntry.objects.count() == before


def test_a_publication_file_is_replaced_then_removed(world, login, private_storage):
    client = login(world.lead_manager)
    client.post(url("publication_new", "P1"), {"kind": "guide", "title": "Ghid",
                                               "file": SimpleUploadedFile("g.pdf", PDF)})
    first = Publication.objects.get().file.name
    client.post(url("publication_edit", "P1", "PUB-001"), {"kind": "guide", "title": "Ghid",
                                                          "file": SimpleUploadedFile("g2.docx", docx_bytes())})
    publication = Publication.objects.get()
    assert publication.file.name != first and publication.file.name.endswith(".docx")
    client.post(url("publication_edit", "P1", "PUB-001"), {"kind": "guide", "title": "Ghid", "remove_file": "on"})
    publication.refresh_from_db()
    assert not publication.file
    assert client.get(url("publication_file", "P1", "PUB-001")).status_code == 404


def test_publications_are_filtered_and_exported(world, login):
    publication_save(publication=Publication(project=world.project, code="S1"), by=None, kind="study",
                     title="Studiu", published_on=dt.date(2024, 2, 1))
    publication_save(publication=Publication(project=world.project, code="G1"), by=None, kind="guide",
                     title="Ghid", published_on=dt.date(2024, 8, 1), url="https://example.org/g")
    client = login(world.a_field)
    page = client.get(url("publications", "P1", kind="guide"), **EN).content.decode()
    assert "Ghid" in page and "Studiu" not in page
    rows = csv_rows(client.get(url("publications", "P1", date_from="2024-01-01", date_to="2024-03-01",
                                   format="csv"), **EN))
    assert rows == [["Code", "Title", "Kind", "Published on", "Address (URL)", "File"],
                    ["S1", "Studiu", "study", "2024-02-01", "", "no"]]


def test_a_publication_with_a_bad_address_is_refused(world, login):
    response = login(world.lead_manager).post(url("publication_new", "P1"), {
        "kind": "study", "title": "S", "url": "javascript:alert(1)"}, **EN)
    assert "Enter a valid URL." in response.content.decode() and not Publication.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("auditor", 403), ("a_monitor", 403), ("outsider", 404)])
def test_publications_cannot_be_changed_by(world, login, persona, status):
    publication_save(publication=Publication(project=world.project, code="S1"), by=None, kind="study",
                     title="Studiu")
    client = login(getattr(world, persona))
    assert client.get(url("publication_new", "P1")).status_code == status
    assert client.post(url("publication_edit", "P1", "S1"), {"kind": "guide", "title": "X"}).status_code == status
    assert Publication.objects.get().title == "Studiu"
