"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Every test under tests/browser/ is marked `browser` (deselect them with `-m "not browser"`) and is
SKIPPED when Debian's Chromium is missing. Nothing is ever downloaded: Playwright launches the
system browser (`/usr/bin/chromium`, or `chromium` on PATH, or $SOCEC_CHROMIUM).

Fixtures:
  browser     the headless Chromium, shared by the browser tests that run one after the other
  page        a desktop tab (1280x800, English) on the live server; page.goto("/staff/") works
  strict_page the same, enforcing the Content-Security-Policy (page and phone bypass it for axe-core)
  phone       a phone tab (360x740, mobile, touch), same
  screenshot  screenshot(page, name): full-page PNG in var/screenshots/<test>/<name>.png
Helpers in tests/browser/helpers.py: login_as(page, user), assert_no_serious_violations(page), ...

A browser test needs the live server and a transactional database:

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_something(live_server, page, world, screenshot): ...

(serialized_rollback brings back the reference data of the migrations, counties and localities,
that the flush after a transactional test removes.) Put browser tests in this package, so that they
are marked and skipped like the others.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # requirements-dev.txt not installed: the tests are skipped, with the reason
    sync_playwright = None

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCREENSHOTS = ROOT / "var" / "screenshots"
NO_CHROMIUM = "Debian's Chromium is not installed (apt-get install chromium)"
NO_PLAYWRIGHT = "Playwright is not installed (make install-dev)"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# Pages are read in English (the server chooses the language from Accept-Language).
LOCALE = "en-GB"
TIMEOUT_MS = 15_000


def chromium_path() -> str | None:
    """Debian's Chromium: $SOCEC_CHROMIUM, /usr/bin/chromium or `chromium` on PATH; None when missing."""
    for candidate in (os.environ.get("SOCEC_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items: act only on the tests of this package.
    reason = NO_PLAYWRIGHT if sync_playwright is None else (None if chromium_path() else NO_CHROMIUM)
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


class _Chromium:
    """The one headless Chromium of the test process, started by the first test that needs it and closed
    as soon as the run moves on to a test that does not (see _CloseWhenDone), or at the end.

    Playwright's synchronous API keeps an asyncio event loop "running" in the test's thread, which
    changes two things in Django while the browser is open; both are handled here and undone on close:
    - Django refuses ORM calls from a thread with a running loop ("You cannot call this from an async
      context"): the tests call the ORM between browser steps, one at a time, so the check is off;
    - Django keeps a thread's database connections apart from those of async code, so the thread
      would get new connection objects, without the test database's serialized contents that
      serialized_rollback reloads: the test thread is given back the connections it had.
    Closing it between the browser tests and the others keeps the rest of the suite as it was.
    """

    def __init__(self):
        self.playwright = self.browser = None
        self.previous_env = None

    def get(self):
        if self.browser is not None:
            return self.browser
        from django.db import connections

        executable = chromium_path()
        if sync_playwright is None or executable is None:  # the collection hook skips them first
            pytest.skip(NO_PLAYWRIGHT if sync_playwright is None else NO_CHROMIUM)
        self.previous_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        thread_connections = {alias: connections[alias] for alias in connections}
        self.playwright = sync_playwright().start()
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        try:
            self.browser = self.playwright.chromium.launch(
                executable_path=executable, headless=True,
                # /dev/shm is small in containers; no first-run UI, no background downloads or updates
                args=["--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                      "--disable-component-update", "--disable-extensions"],
            )
        except BaseException:
            self.close()
            raise
        return self.browser

    def close(self):
        if self.playwright is None:
            return
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self.playwright.stop()
            self.playwright = self.browser = None
            if self.previous_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous_env


CHROMIUM = _Chromium()


class _CloseWhenDone:
    """Registered as a plugin (not as this conftest) so that it sees every test of the session, also
    browser tests that import these fixtures from elsewhere."""

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        try:
            return (yield)  # the test's fixtures (its tabs) are closed first
        finally:
            if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
                CHROMIUM.close()

    def pytest_sessionfinish(self):
        CHROMIUM.close()


def pytest_configure(config):
    if not config.pluginmanager.has_plugin("socec-browser-close"):
        config.pluginmanager.register(_CloseWhenDone(), "socec-browser-close")


@pytest.fixture
def browser():
    """Debian's Chromium, headless: one for all the browser tests that run one after the other."""
    return CHROMIUM.get()


def _context(browser, live_server, bypass_csp=True, **options):
    # bypass_csp: the pages' Content-Security-Policy forbids scripts other than the site's own files;
    # the accessibility checks inject axe-core (page.add_script_tag), which needs this. The `strict_page`
    # tab keeps the policy (tests/browser/test_security.py checks that the pages obey it).
    context = browser.new_context(base_url=live_server.url, locale=LOCALE, accept_downloads=True,
                                  bypass_csp=bypass_csp, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser, live_server):
    """A desktop browser tab (1280x800) whose relative URLs go to the live server."""
    context = _context(browser, live_server, viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def strict_page(browser, live_server):
    """A desktop tab that enforces the pages' Content-Security-Policy (the others bypass it for axe-core)."""
    context = _context(browser, live_server, bypass_csp=False, viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized tab (360x740, mobile viewport, touch) whose relative URLs go to the live server."""
    context = _context(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def screenshot_dir(nodeid_name: str) -> Path:
    return SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid_name).strip("-")


@pytest.fixture
def screenshot(request):
    """screenshot(page, name) -> Path: a full-page PNG in var/screenshots/<test>/<name>.png.

    The test's folder is emptied when the test starts, so it holds only the last run's pictures.
    """
    folder = screenshot_dir(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)

    def _screenshot(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name).strip('-')}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _screenshot
