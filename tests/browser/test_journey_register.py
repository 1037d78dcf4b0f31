"""A whole journey in a real browser, with a screenshot at every step
(var/screenshots/test_field_worker_registers_a_participant_from_a_phone/NN-step.png):

a partner's field worker registers a participant from a phone: project page, "Register a participant",
a CNP with a wrong control digit (the live check says why), the right CNP (the live check fills the birth
date and the sex), the rest of the form, the profile page, then the participants list searched by the last
name. The participation is in the database, registered by the field worker's organisation, with an audit entry.
"""

import datetime as dt
from importlib import import_module

import pytest

from socec.audit.models import AuditEntry
from socec.people.models import Participation
from socec.places.models import County, Locality
from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations, login_as
from tests.personas import ALICE_CNP, BOB_CNP
from tests.workbooks import make_cnp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BIRTH = dt.date(1994, 2, 17)
CNP = make_cnp("F", BIRTH, serial=123)
# the same CNP with its control digit changed: 13 digits, a real date and county, one mistyped digit
WRONG_CNP = CNP[:12] + str((int(CNP[12]) + 1) % 10)
ENTRY = dt.date(2025, 6, 2)  # inside the project's period (2024-01-01 to 2025-12-31)
REF = "A-042"


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


def _type_cnp(tab, cnp):
    """Types the CNP key by key, as on a phone's keyboard: the live check runs after the last key."""
    field = tab.get_by_label("CNP:", exact=True)
    field.fill("")
    with tab.expect_response(lambda r: "/participants/_check/" in r.url and r.request.method == "POST") as info:
        field.press_sequentially(cnp)
    assert info.value.status == 200
    return info.value


def test_field_worker_registers_a_participant_from_a_phone(live_server, phone, world, screenshot):
    assert CNP not in (ALICE_CNP, BOB_CNP) and WRONG_CNP != CNP
    assert not Participation.objects.filter(project=world.project, person_ref=REF).exists()

    login_as(phone, world.a_field)
    phone.goto("/staff/p/P1/")
    assert "Proiect unu" in phone.get_by_role("heading", level=1).inner_text()
    screenshot(phone, "01-project")

    with phone.expect_navigation():
        phone.get_by_role("link", name="Register a participant").tap()
    assert phone.url.endswith("/staff/p/P1/participants/_register/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Register a participant"
    _htmx_ready(phone)
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "02-form-empty")

    phone.get_by_label("Person reference").fill(REF)
    phone.get_by_label("First name").fill("Maria")
    phone.get_by_label("Last name").fill("Dumitrescu")

    # a mistyped CNP: the live check says why, and fills nothing in
    _type_cnp(phone, WRONG_CNP)
    check = phone.locator("#cnp-check")
    check.get_by_text("This CNP is not valid:").wait_for()
    assert "The CNP's control digit is wrong: check for a mistyped digit." in check.inner_text()
    assert phone.get_by_label("Birth date").input_value() == ""
    assert phone.get_by_label("Sex:", exact=True).input_value() == ""
    assert_fits_phone(phone)
    screenshot(phone, "03-cnp-wrong-control-digit")

    # the right CNP: the live check fills the birth date and the sex
    _type_cnp(phone, CNP)
    check.get_by_text("Valid CNP.").wait_for()
    assert f"Born on {BIRTH.isoformat()}, female." in check.inner_text()
    assert "not valid" not in check.inner_text()
    phone.wait_for_function(
        "(birth) => document.querySelector('#birth-sex input[name=birth_date]').value === birth", arg=BIRTH.isoformat())
    assert phone.get_by_label("Birth date").input_value() == BIRTH.isoformat()
    assert phone.get_by_label("Sex:", exact=True).input_value() == "F"
    assert phone.locator("#duplicates").inner_text().strip() == ""  # nobody with this CNP yet
    screenshot(phone, "04-cnp-valid-fills-birth-and-sex")

    phone.get_by_label("Phone").fill("0733123456")
    phone.get_by_label("Residence county").select_option("IF")
    phone.get_by_label("Residence area").select_option("rural")
    phone.get_by_label("Entry date").fill(ENTRY.isoformat())
    phone.get_by_label("Informed and consented on").fill(ENTRY.isoformat())
    phone.get_by_label("Labour market status at entry").select_option("long_term_unemployed")
    phone.get_by_label("Education level (ISCED)").select_option("3")
    phone.get_by_label("Members of single-parent families").check()
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "05-form-filled")

    with phone.expect_navigation():
        phone.get_by_role("button", name="Register", exact=True).tap()
    assert phone.url.endswith(f"/staff/p/P1/participants/{REF}/"), phone.url
    assert phone.get_by_role("heading", level=1).inner_text() == f"Participant {REF}"
    main = phone.locator("main").inner_text()
    assert f"{REF} has been registered." in main
    assert "Maria Dumitrescu" in main
    assert CNP in main  # the field worker's role sees identifiers
    facts = " ".join(phone.locator("dl.facts[aria-labelledby=facts-title]").inner_text().split())
    for shown in ("Registered by Asociatia A", "Sex female", "Birth year 1994", f"Entry date {ENTRY.isoformat()}",
                  "Labour market status at entry long-term unemployed", "Education level (ISCED) 3",
                  "Vulnerable categories Members of single-parent families"):
        assert shown in facts, facts
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "06-profile")

    p = Participation.objects.select_related("person").get(project=world.project, person_ref=REF)
    assert p.organisation == world.org_a
    assert (p.person.sex, p.person.birth_date) == ("F", BIRTH)
    assert (p.county_id, p.area, p.entry_date, p.consent_on) == ("IF", "rural", ENTRY, ENTRY)
    assert (p.labour_status, p.isced) == ("long_term_unemployed", 3)
    assert list(p.vulnerable.values_list("code", flat=True)) == ["single_parent_family"]
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, model="people.participation",
                                        object_id=str(p.pk))
    assert created.count() == 1
    entry = created.get()
    assert (entry.actor, entry.project) == (world.a_field, world.project)
    assert CNP not in str(entry.changes)  # identifiers are masked in the audit log

    with phone.expect_navigation():
        phone.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Participants", exact=True).tap()
    assert phone.url.endswith("/staff/p/P1/participants/")
    phone.get_by_label("Search:", exact=True).fill("Dumitrescu")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Search", exact=True).tap()
    assert "q=Dumitrescu" in phone.url
    table = phone.get_by_role("region", name="Results")
    rows = table.locator("tbody tr")
    assert rows.count() == 1, table.inner_text()
    row = " ".join(rows.first.inner_text().split())
    assert REF in row and "Maria Dumitrescu" in row and "Asociatia A" in row, row
    assert "A-001" not in table.inner_text()  # Alice, registered by the same organisation, does not match
    assert_fits_phone(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "07-list-search")

    with phone.expect_navigation():
        rows.first.get_by_role("link", name=REF).tap()
    assert phone.url.endswith(f"/staff/p/P1/participants/{REF}/")
