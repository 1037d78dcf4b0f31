"""The people every test talks about, built in one place.

World: project P1 led by LEAD, with partners A and B; the funder FUND audits it.
Personas: admin, lead_manager, a_manager, a_field (field worker), a_monitor (monitoring
officer), b_manager, auditor, outsider (a staff user of another project), anonymous.
Participants: alice (registered by A), bob (registered by B), both in P1.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from socec.orgs.models import Organisation
from socec.orgs.services import organisation_save
from socec.people.models import Participation
from socec.people.services import participant_register
from socec.places.models import County
from socec.programmes.models import Project
from socec.programmes.roles import Role
from socec.programmes.services import membership_grant, partnership_set, project_save

PASSWORD = "correct-horse-battery-9"

# Valid CNPs (control digits checked): Alice, F, 1990-05-12, issued in Ilfov; Bob, M, 1985-11-03.
ALICE_CNP = "2900512230011"
BOB_CNP = "1851103400021"


@dataclass
class World:
    project: Project
    other_project: Project
    lead: Organisation
    org_a: Organisation
    org_b: Organisation
    funder: Organisation
    admin: object
    lead_manager: object
    a_manager: object
    a_field: object
    a_monitor: object
    b_manager: object
    auditor: object
    outsider: object
    alice: Participation
    bob: Participation


def make_org(code, name, county="IF", legal_form="association", **extra):
    return organisation_save(organisation=Organisation(code=code), by=None, name=name, legal_form=legal_form,
                             county=County.objects.get(pk=county), **extra)


def make_user(username, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD,
                                                email=f"{username}@example.org", **extra)


def person_data(ref, first, last, sex, birth, cnp="", county="IF", **extra):
    data = {"person_ref": ref, "first_name": first, "last_name": last, "sex": sex, "birth_date": birth,
            "cnp": cnp, "county": county, "entry_date": dt.date(2024, 3, 1), "labour_status": "unemployed",
            "isced": 2, "consent_on": dt.date(2024, 3, 1)}
    data.update(extra)
    return data


def build_world() -> World:
    lead = make_org("LEAD", "Consiliul Judetean Test", legal_form="public_authority")
    org_a = make_org("ORG-A", "Asociatia A")
    org_b = make_org("ORG-B", "Asociatia B", county="CL")
    funder = make_org("FUND", "Autoritatea de Management", county="B", legal_form="public_authority")
    project = project_save(project=Project(code="P1"), by=None, title="Proiect unu", start_date=dt.date(2024, 1, 1),
                           end_date=dt.date(2025, 12, 31), lead_organisation=lead)
    other = project_save(project=Project(code="P2"), by=None, title="Alt proiect", start_date=dt.date(2024, 1, 1),
                         end_date=dt.date(2025, 12, 31), lead_organisation=org_b)
    partnership_set(project=project, organisation=org_a, role="partner", by=None)
    partnership_set(project=project, organisation=org_b, role="partner", by=None)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    users = {}
    for username, org, role, proj in [
        ("lead_manager", lead, Role.MANAGER, project),
        ("a_manager", org_a, Role.MANAGER, project),
        ("a_field", org_a, Role.FIELD_WORKER, project),
        ("a_monitor", org_a, Role.MONITORING, project),
        ("b_manager", org_b, Role.MANAGER, project),
        ("auditor", funder, Role.AUDITOR, project),
        ("outsider", org_b, Role.MANAGER, other),
    ]:
        users[username] = make_user(username)
        membership_grant(project=proj, user=users[username], organisation=org, role=role, by=None)
    alice = participant_register(project=project, by=users["a_field"], data=person_data(
        "A-001", "Alice", "Ionescu", "F", dt.date(1990, 5, 12), cnp=ALICE_CNP, phone="0722000111",
        vulnerable=["roma"]))
    bob = participant_register(project=project, by=users["b_manager"], data=person_data(
        "B-001", "Bob", "Popescu", "M", dt.date(1985, 11, 3), cnp=BOB_CNP, county="CL"))
    return World(project=project, other_project=other, lead=lead, org_a=org_a, org_b=org_b, funder=funder,
                 admin=admin, alice=alice, bob=bob, **users)


def add_public_persona(world: World) -> World:
    """`public`: a signed-in user with no role in any project, who only speaks for a social enterprise
    (an OrganisationMember of SES-P1, which project P1 supports). Also sets `world.ses_p1`."""
    from socec.orgs.services import organisation_member_add

    world.ses_p1 = make_org("SES-P1", "Cooperativa Sociala P1", legal_form="cooperative", is_ses=True,
                            caen="1413", public=True, founded_on=dt.date(2024, 2, 1))
    partnership_set(project=world.project, organisation=world.ses_p1, role="supported", by=None)
    world.public = make_user("public")
    organisation_member_add(organisation=world.ses_p1, user=world.public, by=None)
    return world
