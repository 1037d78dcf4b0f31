"""The public home page: both languages, accessible shell, public counts."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_romanian_by_default(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="ro">' in content
    assert "rețeaua economiei sociale" in content


def test_home_in_english_with_the_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "the social economy network" in content


def test_home_in_english_with_accept_language(client):
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_home_in_romanian_with_accept_language(client):
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="ro-RO,ro;q=0.9,en;q=0.5")
    assert '<html lang="ro">' in response.content.decode()


def test_language_switch_on_the_home_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "the social economy network" in client.get("/").content.decode()


def test_home_shell_is_accessible(client):
    content = client.get(reverse("portal:home")).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content and "<header" in content and "<footer" in content
    assert "<details" in content  # the menu collapses without JavaScript
    assert "<script>" not in content and " onclick=" not in content
    assert 'href="/static/socec/css/socec.css"' in content
    assert 'action="/i18n/setlang/"' in content and 'name="next" value="/"' in content


def test_home_shows_public_counts_and_staff_link(world, client):
    from socec.orgs.models import Organisation

    Organisation.objects.filter(code="ORG-A").update(public=True)
    response = client.get(reverse("portal:home"))
    assert response.context["public_organisations"] == 1
    assert response.context["projects"] == 2
    assert 'href="/staff/"' in response.content.decode()


@pytest.mark.parametrize(("lang", "target"), [("en", "en"), ("ro", "ro")])
def test_language_shortcuts(client, lang, target):
    response = client.get(f"/{lang}/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == target


def test_stylesheet_and_htmx_are_vendored_and_found():
    from django.contrib.staticfiles import finders

    assert finders.find("socec/css/socec.css")
    assert finders.find("socec/vendor/htmx.min.js")
