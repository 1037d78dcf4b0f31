"""The open data in the API: the public directory a page at a time, and the impact figures; only
public organisations, nothing personal, errors as JSON."""

import pytest
from django.urls import reverse

from tests.test_portal_directory import PRIVATE, orgs  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_directory_comes_a_page_at_a_time_by_code(orgs, client):  # noqa: F811
    first = client.get(reverse("api_public_organisations"), {"limit": 2})
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    body = first.json()
    assert body["columns"][:3] == ["code", "name", "legal_form"]
    assert [r["code"] for r in body["results"]] == ["CL-COOP", "MARK"]
    coop = body["results"][0]
    assert coop["county"] == "CL" and coop["attested"] is True and coop["jobs"] == 3 and coop["jobs_vulnerable"] == 2
    second = client.get(body["next"]).json()
    assert [r["code"] for r in second["results"]] == ["OLDMARK", "SHELTER"] and second["next"] is None
    everything = client.get(reverse("api_public_organisations")).content.decode()
    for private in PRIVATE:
        assert private not in everything


@pytest.mark.parametrize("limit", ["x", "0", "100000", "-3"])
def test_a_bad_limit_is_a_json_error_naming_the_field(orgs, client, limit):  # noqa: F811
    response = client.get(reverse("api_public_organisations"), {"limit": limit})
    assert response.status_code == 400 and response.json()["field"] == "limit"


def test_the_impact_figures_are_the_open_data_s(orgs, client):  # noqa: F811
    api = client.get(reverse("api_public_impact")).json()
    open_data = client.get(reverse("portal:open_data_impact_json")).json()
    assert api["rows"] == open_data["rows"] and api["columns"] == open_data["columns"]
