"""Journey: the lead organisation's manager downloads the project's indicators as CSV from the dashboard."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from socec.indicators.render import CSV_COLUMNS
from tests.browser.helpers import login_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_lead_manager_exports_the_indicator_dashboard_as_csv(live_server, page, world, screenshot):
    login_as(page, world.lead_manager)
    page.goto("/staff/p/P1/report/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Indicators")
    screenshot(page, "dashboard")

    link = page.get_by_role("link", name="CSV", exact=True)
    as_of = parse_qs(urlsplit(link.get_attribute("href")).query)["as_of"][0]  # the dashboard's date
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value

    assert download.failure() is None
    assert download.suggested_filename == f"P1-{as_of}.csv"
    with open(download.path(), encoding="utf-8") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert tuple(rows[0]) == CSV_COLUMNS  # the header row
    assert len(rows) > 1
    assert {row[0] for row in rows[1:]} == {"P1"}  # the project's own figures, nothing else
    # alice and bob are both in P1: the lead organisation's manager sees the whole project
    participants = next(row for row in rows[1:] if row[2] == "EECO01" and row[4] == "")
    assert participants[6] == "2"
