"""The Content-Security-Policy in a real browser: the pages work under it and break none of its rules."""

import pytest
from django.urls import reverse

from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations, fresh_code, login_as
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLIC = ["portal:home", "portal:directory", "portal:map", "portal:impact", "portal:events", "market:requests",
          "staff:login"]
STAFF = ["/staff/", "/staff/p/P1/", "/staff/p/P1/participants/", "/staff/p/P1/report/", "/staff/account/"]


def csp_messages(page) -> list[str]:
    found = []
    page.on("console", lambda m: found.append(f"{page.url}: {m.text}") if (
        "Content Security Policy" in m.text or "Content-Security-Policy" in m.text) else None)
    # the browser's own report of each refusal, whether or not it reaches the console
    page.add_init_script("""document.addEventListener('securitypolicyviolation', (e) => {
        console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI);
    });""")
    return found


def test_pages_break_no_rule_of_the_content_security_policy(live_server, strict_page, world):
    found = csp_messages(strict_page)
    for name in PUBLIC:
        response = strict_page.goto(reverse(name))
        strict_page.wait_for_load_state("networkidle")
        assert "script-src 'self'" in response.headers["content-security-policy"]
    login_as(strict_page, world.a_field)  # the set-up page with its QR code, then the recovery codes
    for path in STAFF:
        strict_page.goto(path)
        strict_page.wait_for_load_state("networkidle")
    # HTMX (a static file) loaded under the policy
    assert strict_page.evaluate("() => typeof window.htmx === 'object'")
    assert found == [], "\n".join(found)
    # and the policy is enforced: an inline script is refused
    strict_page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__inline_ran = true'; document.body.appendChild(s); }""")
    strict_page.wait_for_timeout(200)
    assert strict_page.evaluate("() => window.__inline_ran === undefined")
    assert found, "an inline script ran or was refused silently"


def test_the_second_factor_pages_are_accessible_and_fit_a_phone(live_server, phone, world):
    from socec.accounts import otp

    phone.goto("/staff/login/")
    phone.locator("input[name=username]").fill(world.a_field.get_username())
    phone.locator("input[name=password]").fill(PASSWORD)
    with phone.expect_navigation():
        phone.locator("form.form button[type=submit]").click()
    assert "/staff/account/two-factor/setup/" in phone.url
    assert phone.locator(".two-factor-qr svg").is_visible()
    assert_no_serious_violations(phone)
    assert_fits_phone(phone)
    phone.locator("input[name=code]").fill("000000" if otp.totp(
        phone.locator("#two-factor-key").get_attribute("data-key")) != "000000" else "111111")
    with phone.expect_navigation():
        phone.locator("form.two-factor-form button[type=submit]").click()
    assert phone.get_by_text("not the one the app shows now").is_visible()
    assert_no_serious_violations(phone)
    phone.locator("input[name=code]").fill(otp.totp(phone.locator("#two-factor-key").get_attribute("data-key")))
    with phone.expect_navigation():
        phone.locator("form.two-factor-form button[type=submit]").click()
    assert phone.locator(".recovery-codes li").count() == 10
    assert_no_serious_violations(phone)
    assert_fits_phone(phone)
    with phone.expect_navigation():
        phone.locator("#recovery-codes-continue").click()
    # the code page, at the next sign-in
    phone.context.clear_cookies()
    phone.goto("/staff/login/")
    phone.locator("input[name=username]").fill(world.a_field.get_username())
    phone.locator("input[name=password]").fill(PASSWORD)
    with phone.expect_navigation():
        phone.locator("form.form button[type=submit]").click()
    assert "/staff/account/two-factor/" in phone.url
    assert_no_serious_violations(phone)
    assert_fits_phone(phone)
    phone.locator("input[name=code]").fill(fresh_code(world.a_field))
    with phone.expect_navigation():
        phone.locator("form.two-factor-form button[type=submit]").click()
    assert phone.url.endswith("/staff/")
