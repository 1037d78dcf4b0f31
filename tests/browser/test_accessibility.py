"""Accessibility of every page: axe-core (critical and serious problems fail) and the 360 px phone width.

The staff application is crawled, not listed: pages are added all the time, and every page reachable
by links from /staff/ is checked. Signed in as the administrator (who sees every project) on a
database holding both the demo programmes (socec.demo) and the test personas' world.

Crawl rules: same-origin links under /staff/, breadth first; never sign-out, password reset, /admin/
or downloads (?format=, .csv/.xlsx/.pdf/.json/.zip, links with a `download` attribute); per URL
pattern (the Django route) at most PER_ROUTE addresses without a query string and the first one with
a query string; at most MAX_PAGES pages.

Known problems in pages this package does not own are listed in KNOWN with what is wrong: the test is
then an xfail that names them, and it fails as soon as anything else (a new problem) is found.
"""

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from socec.demo.builder import build as build_demo
from tests.browser.helpers import (
    BLOCKING,
    PlaywrightError,
    Violation,
    axe_violations,
    describe_overflow,
    horizontal_overflow,
    login_as,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_PAGES = 80
PER_ROUTE = 1  # addresses without a query string per URL pattern: the same template shows the same markup
PER_ROUTE_QUERY = 1  # addresses with a query string per URL pattern (a filtered list, page 2...)
SKIP_PREFIXES = ("/staff/logout/", "/staff/password-reset/", "/admin/")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".zip")
DEMO_PROJECT = "SOCEC.NET"
PHONE_KEY_PAGES_MAX = 8
ANONYMOUS_PAGES = ("/", "/staff/login/")

# Known problems, in pages owned elsewhere, waiting for their fix: (check, route) -> what is wrong.
# check is an axe rule id, "overflow-360" (the page scrolls sideways at 360 px) or "http-<status>";
# route is the Django URL pattern ("staff/p/<str:code>/report/") or the path when nothing resolves.
KNOWN: dict[tuple[str, str], str] = {}


@dataclass
class Finding:
    check: str  # axe rule id, "overflow-360", "http-500"...
    route: str
    path: str
    width: int
    detail: str

    @property
    def key(self):
        return (self.check, self.route)


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what fails the test
    notes: list[Finding] = field(default_factory=list)  # axe's moderate and minor problems: printed only
    main_links: dict[str, list[str]] = field(default_factory=dict)  # page -> the staff pages its <main> links to


def route_of(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def wanted(url: str, origin: str) -> str | None:
    """The link as path[?query] when the crawl should follow it, else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin or parts.scheme not in ("http", "https"):
        return None
    path = parts.path
    if not path.startswith("/staff/") or path.startswith(SKIP_PREFIXES) or path.lower().endswith(DOWNLOAD_SUFFIXES):
        return None
    if "format=" in parts.query:
        return None
    return f"{path}?{parts.query}" if parts.query else path


def page_links(page, origin: str, within: str = "") -> list[str]:
    """The page's links the crawl follows, in document order (within: a CSS selector, e.g. "main")."""
    hrefs = page.evaluate("(css) => Array.from(document.querySelectorAll(css), a => a.href)",
                          f"{within} a[href]:not([download])".strip())
    seen, links = set(), []
    for href in hrefs:
        link = wanted(href, origin)
        if link and link not in seen:
            seen.add(link)
            links.append(link)
    return links


def visit(page, path: str, width: int, crawl: Crawl, screenshot=None, shot_name: str = "") -> bool:
    """Opens the page and runs axe on it; False when it is not an HTML page to check.

    Signed in as the administrator, every link should open: an error status is a finding too.
    """
    route = route_of(path.split("?")[0])
    try:
        response = page.goto(path, wait_until="load")
    except PlaywrightError as e:  # e.g. a link that starts a download
        crawl.findings.append(Finding("navigation", route, path, width, str(e).splitlines()[0]))
        return False
    status = response.status if response else 0
    if status >= 400 or status == 0:
        crawl.findings.append(Finding(f"http-{status}", route, path, width, f"the page answered {status}"))
        return False
    if "text/html" not in (response.headers.get("content-type") or ""):
        return False  # a file, not a page
    found: list[Violation] = axe_violations(page, impacts=None)
    for v in found:
        finding = Finding(v.rule, route, path, width, v.describe())
        (crawl.findings if v.impact in BLOCKING else crawl.notes).append(finding)
    found = [v for v in found if v.impact in BLOCKING]
    if found and screenshot:
        screenshot(page, f"{width}-{shot_name or path}")
    return True


def crawl_staff(page, origin: str, screenshot, crawl: Crawl, start=("/staff/",)) -> Crawl:
    queue, queued = deque(start), set(start)
    per_route: dict[tuple[str, bool], int] = {}
    for path in start:
        key = (route_of(path.split("?")[0]), "?" in path)
        per_route[key] = per_route.get(key, 0) + 1
    while queue and len(crawl.visited) < MAX_PAGES:
        path = queue.popleft()
        if not visit(page, path, 1280, crawl, screenshot):
            continue
        crawl.visited.append(path)
        crawl.main_links[path] = page_links(page, origin, "main")
        for link in page_links(page, origin):
            if link in queued:
                continue
            key = (route_of(link.split("?")[0]), "?" in link)
            if per_route.get(key, 0) >= (PER_ROUTE_QUERY if "?" in link else PER_ROUTE):
                continue
            per_route[key] = per_route.get(key, 0) + 1
            queued.add(link)
            queue.append(link)
    return crawl


def phone_key_pages(crawl: Crawl) -> list[str]:
    """The staff home, the indicators of all projects, the demo project's page and the first page of
    every kind its content links to (its lists, dashboard, audit log...)."""
    project = f"/staff/p/{DEMO_PROJECT}/"
    pages = ["/staff/", "/staff/reports/", project]
    routes = {route_of(p) for p in pages}
    for link in crawl.main_links.get(project, []):
        route = route_of(link.split("?")[0])
        if route not in routes and link in crawl.visited and len(pages) < PHONE_KEY_PAGES_MAX:
            routes.add(route)
            pages.append(link)
    return pages


def check_phone(phone, paths: list[str], crawl: Crawl, screenshot):
    for path in paths:
        name = path.strip("/").replace("/", "_") or "home"
        if not visit(phone, path, 360, crawl):
            continue
        screenshot(phone, f"360-{name}")
        overflow = horizontal_overflow(phone)
        if overflow:
            crawl.findings.append(Finding("overflow-360", route_of(path.split("?")[0]), path, 360,
                                          describe_overflow(path, overflow)))


def judge(crawl: Crawl, what: str):
    """Fails on any finding not in KNOWN; xfails, naming them, when only known problems are left."""
    if crawl.notes:
        print(f"axe's moderate and minor problems ({len(crawl.notes)}; they do not fail the test):")
        for f in crawl.notes:
            print(f"- {f.check} on {f.path} at {f.width}px:\n  {f.detail}")
    new = [f for f in crawl.findings if f.key not in KNOWN]
    known = sorted({f.key for f in crawl.findings if f.key in KNOWN})
    report = "\n".join(f"- {f.check} on {f.path} at {f.width}px:\n  {f.detail}" for f in new)
    assert not new, (f"{what}: {len(new)} problem(s) on {len({f.path for f in new})} page(s) "
                     f"({len(crawl.visited)} pages checked):\n{report}")
    if known:
        pytest.xfail("known problems outside tests/browser: " + "; ".join(
            f"{check} on {route}: {KNOWN[(check, route)]}" for check, route in known))


def test_every_page_passes_axe_and_fits_a_phone(live_server, page, phone, world, screenshot):
    build_demo()  # the demo programmes beside the personas' world: full lists, long names
    crawl = Crawl()

    # anonymous: the public home page and the sign-in page
    for path in ANONYMOUS_PAGES:
        assert visit(page, path, 1280, crawl, screenshot), f"{path} did not answer with a page"
        crawl.visited.append(path)
    check_phone(phone, list(ANONYMOUS_PAGES), crawl, screenshot)

    # signed in as the administrator, who sees every project: the whole staff application, from
    # /staff/ and from the demo project, whose pages hold the most records (the per-pattern cap
    # would otherwise spend itself on the personas' nearly empty P1)
    login_as(page, world.admin)
    login_as(phone, world.admin)
    crawl_staff(page, live_server.url, screenshot, crawl, start=("/staff/", f"/staff/p/{DEMO_PROJECT}/"))
    print(f"{len(crawl.visited)} pages checked:", *crawl.visited, sep="\n  ")
    assert {"/staff/", f"/staff/p/{DEMO_PROJECT}/", f"/staff/p/{DEMO_PROJECT}/report/"} <= set(crawl.visited)
    page.goto("/staff/")
    assert page.get_by_role("link", name="P1", exact=True).is_visible()  # both worlds in one database

    check_phone(phone, phone_key_pages(crawl), crawl, screenshot)
    judge(crawl, "accessibility")
