"""The staff application's shell: sign-in, password reset, language, project list, overview, audit."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def project_codes(response) -> set[str]:
    return {row["project"].code for row in response.context["rows"]}


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_anonymous_project_page_is_sent_to_login(client, world):
    response = client.get(reverse("staff:project", args=["P1"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


@pytest.mark.parametrize(("persona", "expected"), [
    ("admin", {"P1", "P2"}),
    ("lead_manager", {"P1"}),
    ("a_manager", {"P1"}),
    ("a_field", {"P1"}),
    ("a_monitor", {"P1"}),
    ("b_manager", {"P1"}),
    ("auditor", {"P1"}),
    ("outsider", {"P2"}),
])
def test_each_persona_sees_exactly_their_projects(world, login, persona, expected):
    response = login(getattr(world, persona)).get(reverse("staff:home"))
    assert response.status_code == 200
    assert project_codes(response) == expected
    content = response.content.decode()
    for code in {"P1", "P2"} - expected:
        assert reverse("staff:project", args=[code]) not in content


def test_project_list_shows_role_and_period(world, login):
    response = login(world.a_field).get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "Proiect unu" in content
    assert "field worker" in content
    assert 'datetime="2024-01-01"' in content and 'datetime="2025-12-31"' in content


def test_login_with_the_right_password(world, client):
    response = client.post(reverse("staff:login"), {"username": "a_manager", "password": PASSWORD})
    assert response.status_code == 302
    # a manager sees identifiers: the second step (tests/test_accounts.py) comes before /staff/
    assert response["Location"] == reverse("accounts:verify")


def test_login_with_a_wrong_password_shows_an_error(world, client):
    response = client.post(reverse("staff:login"), {"username": "a_manager", "password": "wrong-password"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].non_field_errors()
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Please enter a correct username and password" in content


def test_logout_is_a_post(world, login):
    client = login(world.a_manager)
    response = client.post(reverse("staff:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:login")
    assert client.get(reverse("staff:home")).status_code == 302


@pytest.mark.parametrize("persona", ["admin", "lead_manager", "a_manager", "a_field", "a_monitor", "b_manager",
                                     "auditor"])
def test_project_overview_for_members(world, login, persona):
    response = login(getattr(world, persona)).get(reverse("staff:project", args=["P1"]))
    assert response.status_code == 200
    assert response.context["project"] == world.project


def test_project_overview_is_404_for_outsider(world, login):
    assert login(world.outsider).get(reverse("staff:project", args=["P1"])).status_code == 404
    assert login(world.outsider).get(reverse("staff:project", args=["P2"])).status_code == 200
    assert login(world.outsider).get(reverse("staff:project", args=["NOPE"])).status_code == 404


def test_project_overview_content(world, login):
    from socec.programmes.models import Target

    Target.objects.create(project=world.project, indicator="SE04", value=12)
    response = login(world.lead_manager).get(reverse("staff:project", args=["P1"]), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    for text in ("Proiect unu", "Consiliul Judetean Test", "Asociatia A", "Asociatia B", "SE04", "Jobs created",
                 "Audit log of the project"):
        assert text in content


@pytest.mark.parametrize(("persona", "count", "whole"), [
    ("a_manager", 1, False),  # only Alice, registered by A
    ("b_manager", 1, False),  # only Bob
    ("lead_manager", 2, True),
    ("auditor", 2, True),
    ("admin", 2, True),
])
def test_participant_count_follows_the_access_rules(world, login, persona, count, whole):
    response = login(getattr(world, persona)).get(reverse("staff:project", args=["P1"]))
    overview = response.context["overview"]
    assert overview["participants"] == count
    assert overview["participants_whole_project"] is whole


def test_overview_counts(world):
    import datetime as dt

    from django.utils import timezone

    from socec.jobs.models import Employment, Job
    from socec.outreach.models import Event
    from socec.programmes.models import Partnership
    from socec.programmes.selectors import project_overview
    from tests.personas import make_org

    ses = make_org("SES-1", "Cooperativa Sociala", legal_form="cooperative", is_ses=True)
    not_ses = make_org("NOT-SES", "Firma", legal_form="company")
    Partnership.objects.create(project=world.project, organisation=ses, role="supported")
    Partnership.objects.create(project=world.project, organisation=not_ses, role="supported")
    job1 = Job.objects.create(project=world.project, code="J1", employer=ses, created_on=dt.date(2024, 4, 1),
                              hours_per_week=40)
    Job.objects.create(project=world.project, code="J2", employer=ses, created_on=dt.date(2024, 4, 1),
                       hours_per_week=20)
    Job.objects.create(project=world.other_project, code="J1", employer=ses, created_on=dt.date(2024, 4, 1),
                       hours_per_week=40)
    Employment.objects.create(job=job1, participation=world.alice, start_date=dt.date(2024, 4, 1), vulnerable=True)
    today = timezone.localdate()
    for code, date in [("E1", today), ("E2", today - dt.timedelta(days=3)), ("E3", today + dt.timedelta(days=3))]:
        Event.objects.create(project=world.project, code=code, kind="conference", title=code, date=date,
                             county_id="IF")
    overview = project_overview(world.project, world.lead_manager)
    assert overview == {"participants": 2, "participants_whole_project": True, "ses_supported": 1, "jobs": 2,
                        "jobs_vulnerable": 1, "events": 2}


@pytest.mark.parametrize(("persona", "status"), [
    ("a_manager", 200),
    ("auditor", 200),
    ("a_monitor", 200),
    ("lead_manager", 200),
    ("admin", 200),
    ("a_field", 403),
    ("outsider", 404),
])
def test_audit_page_access(world, login, persona, status):
    response = login(getattr(world, persona)).get(reverse("staff:audit", args=["P1"]))
    assert response.status_code == status


def test_audit_page_shows_masked_changes_newest_first(world, login):
    response = login(world.auditor).get(reverse("staff:audit", args=["P1"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    entries = [row["entry"] for row in response.context["rows"]]
    assert entries == sorted(entries, key=lambda e: (e.at, e.id), reverse=True)
    assert entries[0].object_repr == "P1/B-001"
    assert "•••" in content  # Alice's and Bob's identifiers, masked
    assert "Ionescu" not in content and "2900512230011" not in content
    assert "b_manager" in content and "created" in content


def test_audit_page_is_paginated(world, login):
    from socec.audit.models import AuditEntry

    AuditEntry.objects.bulk_create([
        AuditEntry(actor_name="system", action="update", project=world.project, model="programmes.project",
                   object_id=str(world.project.pk), object_repr=f"entry {i}") for i in range(60)])
    client = login(world.lead_manager)
    first = client.get(reverse("staff:audit", args=["P1"]))
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("staff:audit", args=["P1"]), {"page": 2})
    total = AuditEntry.objects.filter(project=world.project).count()
    assert len(second.context["rows"]) == total - 50


def test_password_reset_sends_a_working_link(world, client):
    response = client.post(reverse("staff:password_reset"), {"email": "a_manager@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a_manager@example.org"]
    link = re.search(r"https?://[^/\s]+(/staff/password-reset/\S+/)", message.body).group(1)

    response = client.get(link)  # redirects to the link without the token in the address
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.get(form_url)
    assert response.status_code == 200 and response.context["validlink"]
    new_password = "another-long-passphrase-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:password_reset_complete")
    assert client.get(response["Location"]).status_code == 200
    assert client.login(username="a_manager", password=new_password)


def test_password_reset_for_unknown_address_sends_nothing(world, client):
    response = client.post(reverse("staff:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_staff_pages_are_romanian_by_default(world, login):
    response = login(world.a_manager).get(reverse("staff:home"))
    content = response.content.decode()
    assert '<html lang="ro">' in content
    assert "Proiectele mele" in content
    assert "Salt la conținutul principal" in content


def test_language_switch_sets_the_cookie_and_english_follows(world, login):
    client = login(world.a_manager)
    home = reverse("staff:home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    content = client.get(home).content.decode()
    assert '<html lang="en">' in content
    assert "My projects" in content
    client.post(reverse("set_language"), {"language": "ro", "next": home})
    assert "Proiectele mele" in client.get(home).content.decode()


def test_language_switch_is_on_every_staff_page(world, login):
    client = login(world.lead_manager)
    for url in (reverse("staff:home"), reverse("staff:project", args=["P1"]), reverse("staff:audit", args=["P1"])):
        content = client.get(url).content.decode()
        assert f'action="{reverse("set_language")}"' in content
        assert f'name="next" value="{url}"' in content


@pytest.mark.parametrize("url_name", ["staff:login", "staff:password_reset"])
def test_public_staff_pages_are_accessible_shells(client, url_name):
    content = client.get(reverse(url_name)).content.decode()
    assert '<html lang="ro">' in content
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in content
    assert 'class="skip-link" href="#main"' in content and 'id="main"' in content
    assert "<script>" not in content and " onclick=" not in content
    assert 'src="/static/socec/vendor/htmx.min.js" defer' in content
    assert '<label for="id_' in content


def test_signed_in_header_has_name_and_logout(world, login):
    content = login(world.a_manager).get(reverse("staff:home")).content.decode()
    assert "a_manager" in content
    assert f'action="{reverse("staff:logout")}" method="post"' in content
    assert 'aria-label="Breadcrumb"' in content or 'aria-label="Fir' in content
