"""The public directory is cached under the public data version, and still live: any write to what it
shows (an organisation, a product, a job, an employment, a participant's categories, an import) is on
the next page at once."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from socec.jobs.models import Job
from socec.jobs.services import employment_hire, job_save
from socec.orgs.models import Organisation, Product
from socec.orgs.services import organisation_save, product_save
from socec.portal import freshness
from socec.workbook.importer import import_workbook
from tests.test_portal_directory import TODAY, orgs  # noqa: F401 - the fixture
from tests.workbooks import base_sheets, make_zip

pytestmark = pytest.mark.django_db


def codes(client, **query) -> list[str]:
    response = client.get(reverse("portal:directory"), query)
    assert response.status_code == 200
    return re.findall(r'<h3><a href="/enterprises/([A-Za-z0-9._-]+)/"', response.content.decode())


def map_figures(client) -> str:
    return client.get(reverse("portal:map"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_cached_search_shows_a_new_public_organisation_at_once(orgs, client):  # noqa: F811
    assert codes(client, county="CJ") == ["MARK", "SHELTER"]
    before = freshness.version()
    organisation_save(organisation=Organisation.objects.get(code="HIDDEN-ORG"), by=None,
                      county_id="CJ", public=True)
    assert freshness.version() > before
    assert "HIDDEN-ORG" in codes(client, county="CJ")


def test_a_product_a_job_and_a_hire_show_at_once(orgs, client):  # noqa: F811
    assert codes(client, q="ciorapi") == []
    product_save(product=Product(organisation=orgs["mark"]), by=None, name="Ciorapi de lână", kind="product")
    assert codes(client, q="ciorapi") == ["MARK"]
    assert codes(client, sort="jobs")[0] == "CL-COOP"
    start = TODAY - dt.timedelta(days=10)
    for n in range(4):
        job = job_save(job=Job(project=orgs["project"], employer=orgs["mark"]), by=None, code=f"M{n}",
                       created_on=start, hours_per_week=40)
        employment_hire(job=job, by=None, start_date=start, person_name=f"Lucrator {n}", vulnerable=False)
    assert codes(client, sort="jobs")[0] == "MARK"  # 4 jobs held now, CL-COOP holds 3


def test_an_import_shows_at_once(orgs, client, tmp_path):  # noqa: F811
    before = freshness.version()
    assert import_workbook(make_zip(tmp_path, base_sheets())).ok
    assert freshness.version() > before


def test_the_map_figures_follow_the_records(orgs, client):  # noqa: F811
    page = map_figures(client)
    organisation_save(organisation=Organisation.objects.get(code="HIDDEN-ORG"), by=None, public=True)
    assert map_figures(client) != page
