"""What browser journeys share: signing in, axe-core checks, the phone-width check."""

import time
from dataclasses import dataclass, field
from pathlib import Path

from socec.accounts import otp
from tests.personas import PASSWORD

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # without Playwright the browser tests are skipped (conftest.py); imports still work
    PlaywrightError = Exception

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# Impacts that fail a check; "moderate" and "minor" are reported by axe but do not fail.
BLOCKING = ("critical", "serious")


def login_as(page, user, password: str = PASSWORD):
    """Signs in by filling and posting the staff sign-in form, as a person would, then the second step
    when the user needs one: sets up the authenticator app (reading the key the page shows) or types
    the app's current code (computed with socec.accounts.otp). Lands on /staff/."""
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill(user.get_username())
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert "/staff/login/" not in page.url, f"could not sign in as {user.get_username()}: still on {page.url}"
    if "/staff/account/two-factor/setup/" in page.url:
        secret = page.locator("#two-factor-key").get_attribute("data-key")
        page.locator("input[name=code]").fill(otp.totp(secret))
        with page.expect_navigation():
            page.locator("form.two-factor-form button[type=submit]").click()
        assert page.locator(".recovery-codes li").count() == 10, f"no recovery codes on {page.url}"
        with page.expect_navigation():
            page.locator("#recovery-codes-continue").click()
    elif "/staff/account/two-factor/" in page.url:
        page.locator("input[name=code]").fill(fresh_code(user))
        with page.expect_navigation():
            page.locator("form.two-factor-form button[type=submit]").click()
    assert "/staff/account/two-factor/" not in page.url and "/staff/login/" not in page.url, (
        f"the second step failed for {user.get_username()}: on {page.url}")
    return page


def fresh_code(user) -> str:
    """The app's code for a time step the server has not accepted yet (a code is refused the second
    time): the current step or the next (accepted either side), else wait for the next step."""
    from socec.accounts.models import TwoFactor

    row = TwoFactor.objects.get(user=user)
    while True:
        current = otp.step_at()
        for step in (current, current + 1):
            if step > row.last_step:
                return otp.hotp(row.secret, step)
        time.sleep(max(0.05, (current + 1) * otp.STEP_SECONDS - otp.now()))


# --- axe-core -----------------------------------------------------------------------------------

@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    url: str = ""

    def describe(self, nodes: int = 5) -> str:
        lines = [f"[{self.impact}] {self.rule}: {self.help} ({self.url})"]
        for target, html in list(zip(self.targets, self.html, strict=False))[:nodes]:
            lines.append(f"    at {target}    {html}")
        if len(self.targets) > nodes:
            lines.append(f"    ... and {len(self.targets) - nodes} more elements")
        lines.append(f"    see {self.help_url}")
        return "\n".join(lines)


def _target(node) -> str:
    # axe gives a list of selectors (one per frame / shadow root); join them for reading
    return " >> ".join(t if isinstance(t, str) else " > ".join(t) for t in node.get("target", []))


def axe_violations(page, impacts=BLOCKING) -> list[Violation]:
    """Runs axe-core on the page (WCAG 2.x rules as axe ships them) and returns its violations
    of the given impacts (all of them with impacts=None)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    path = page.evaluate("() => location.pathname + location.search")
    found = []
    for v in results["violations"]:
        if impacts is not None and v.get("impact") not in impacts:
            continue
        nodes = v.get("nodes", [])
        found.append(Violation(rule=v["id"], impact=v.get("impact") or "", help=v.get("help", ""),
                               help_url=v.get("helpUrl", ""), targets=[_target(n) for n in nodes],
                               html=[" ".join(n.get("html", "").split())[:160] for n in nodes], url=path))
    return found


def describe(violations: list[Violation]) -> str:
    return "\n".join(v.describe() for v in violations)


def assert_no_serious_violations(page):
    """Fails, with rule id, impact, help and the elements, when axe finds a critical or serious problem."""
    found = axe_violations(page)
    assert not found, f"axe-core: {len(found)} serious or critical accessibility violation(s):\n{describe(found)}"


# --- Phone width ----------------------------------------------------------------------------------

def horizontal_overflow(page) -> dict | None:
    """None when the page does not scroll sideways at the viewport's width; else what is too wide.

    The page body scrolls sideways when document.documentElement.scrollWidth is more than the
    viewport's width (plus 1 px of rounding). The widest elements that stick out are named to help the fix.
    """
    # the viewport's width as the test set it: a mobile browser widens window.innerWidth to fit
    # a page that is too wide, so the page cannot be its own measure
    return page.evaluate("""(width) => {
        const scroll = document.documentElement.scrollWidth;
        if (scroll <= width + 1) return null;
        const name = (el) => {
            let s = el.tagName.toLowerCase();
            if (el.id) s += '#' + el.id;
            if (typeof el.className === 'string' && el.className.trim())
                s += '.' + el.className.trim().split(/\\s+/).join('.');
            return s;
        };
        const path = (el) => {
            const parts = [];
            for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(name(e));
            return parts.join(' > ');
        };
        // the outermost elements whose right edge passes the viewport (not those inside a scroll box)
        const wide = [];
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right <= width + 1 || r.width === 0) continue;
            let inside = false;
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const style = getComputedStyle(p);
                if (['auto', 'scroll', 'hidden'].includes(style.overflowX) || wide.some((w) => w.el === p)) {
                    inside = true; break;
                }
            }
            if (!inside) wide.push({el, right: Math.round(r.right)});
        }
        return {width, scrollWidth: scroll,
                elements: wide.slice(0, 5).map((w) => `${path(w.el)} (right edge at ${w.right}px)`)};
    }""", page.viewport_size["width"])


def describe_overflow(path: str, overflow: dict) -> str:
    lines = [f"{path}: scrolls sideways at {overflow['width']}px (scrollWidth {overflow['scrollWidth']}px)"]
    lines += [f"    too wide: {e}" for e in overflow["elements"]]
    return "\n".join(lines)


def assert_fits_phone(page):
    overflow = horizontal_overflow(page)
    path = page.evaluate("() => location.pathname + location.search")
    assert overflow is None, describe_overflow(path, overflow)
