"""Sign-in security: the second factor (TOTP), recovery codes, the lock after failed sign-ins, password
rules, session expiry, security headers, CSRF on every form address, uploads judged by content."""

import base64
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from PIL import Image

from socec.accounts import otp
from socec.accounts.models import RecoveryCode, TwoFactor
from socec.accounts.services import two_factor_reset
from socec.audit.models import AuditEntry
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOCKED = "Too many failed sign-in attempts"
T0 = 1_750_000_000.0  # a fixed moment (2025-06-15), at the start of a 30-second step


@pytest.fixture
def clock(monkeypatch):
    """The sign-in clock (TOTP steps, locks, session expiry), frozen and moved by the test."""

    class Clock:
        t = T0

        def __call__(self):
            return self.t

        def advance(self, seconds):
            self.t += seconds

    fake = Clock()
    monkeypatch.setattr(otp, "now", fake)
    return fake


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post(reverse("staff:login"), {"username": user.get_username(), "password": password, **extra},
                       **EN)


def send_code(client, code, next_url=""):
    return client.post(reverse("accounts:verify"), {"code": code, "next": next_url}, **EN)


def enrol(client, user) -> tuple[str, list[str]]:
    """Sets up the app as a person would: reads the key on the page, types the app's code. -> (key, codes)"""
    page = client.get(reverse("accounts:enrol"), **EN)
    assert page.status_code == 200
    secret = re.search(r'data-key="([A-Z2-7]+)"', page.content.decode()).group(1)
    response = client.post(reverse("accounts:enrol"), {"code": otp.totp(secret)}, **EN)
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    return secret, codes


def enrolled_user(client, user) -> tuple[str, list[str]]:
    """`user` with the app set up, then signed out."""
    sign_in(client, user)
    secret, codes = enrol(client, user)
    client.post(reverse("staff:logout"))
    return secret, codes


def is_in(client) -> bool:
    """Whether the client reaches a staff page (signed in and past the second factor)."""
    return client.get(reverse("staff:home")).status_code == 200


# --- TOTP ------------------------------------------------------------------------------------------

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(("at", "code"), [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
    (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_totp_matches_the_rfc_6238_test_vectors(at, code):
    assert otp.hotp(RFC_SECRET, otp.step_at(at), digits=8) == code
    assert otp.totp(RFC_SECRET, at) == code[-6:]


def test_a_code_is_accepted_one_step_either_side_and_no_further():
    secret = otp.new_secret()
    step = otp.step_at(T0)
    for offset in (-1, 0, 1):
        assert otp.matching_step(secret, otp.hotp(secret, step + offset), at=T0) == step + offset
    for offset in (-2, 2):
        assert otp.matching_step(secret, otp.hotp(secret, step + offset), at=T0) is None
    assert otp.matching_step(secret, "12345", at=T0) is None
    assert otp.matching_step(secret, "abcdef", at=T0) is None
    code = otp.hotp(secret, step)
    assert otp.matching_step(secret, f"{code[:3]} {code[3:]}", at=T0) == step


# --- Setting up and signing in -----------------------------------------------------------------------

def test_a_field_worker_must_set_up_the_app_before_any_staff_page(world, client, clock):
    response = sign_in(client, world.a_field, next="/staff/p/P1/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    assert client.get(response["Location"])["Location"].startswith(reverse("accounts:enrol"))
    # nothing else until it is done: staff pages, the admin, the API; the public site sees no one
    for path in ("/staff/", "/staff/p/P1/participants/", f"/staff/p/P1/participants/{world.alice.person_ref}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify")), path
    response = client.get("/api/v1/projects")
    assert response.status_code == 401 and "detail" in response.json()
    assert "Staff sign-in" in client.get("/", **EN).content.decode()

    page = client.get(reverse("accounts:enrol"), **EN).content.decode()
    secret = re.search(r'data-key="([A-Z2-7]+)"', page).group(1)
    assert "<svg" in page and secret in page.replace(" ", "")  # the QR code and the key as text
    assert client.get(reverse("accounts:enrol"), **EN).content.decode().count(secret[:8]) >= 1  # same key again

    wrong = otp.hotp(secret, otp.step_at() + 5)
    response = client.post(reverse("accounts:enrol"), {"code": wrong}, **EN)
    assert response.status_code == 400 and "not the one the app shows now" in response.content.decode()
    assert not TwoFactor.objects.filter(confirmed_at__isnull=False).exists() and not RecoveryCode.objects.exists()
    assert client.get("/staff/").status_code == 302

    response = client.post(reverse("accounts:enrol"), {"code": otp.totp(secret), "next": "/staff/p/P1/"}, **EN)
    page = response.content.decode()
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/staff/p/P1/"' in page
    assert is_in(client)
    row = TwoFactor.objects.get(user=world.a_field)
    assert row.confirmed_at is not None and row.secret == secret
    # the key is encrypted at rest, the recovery codes only hashed, neither in the audit log
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_twofactor")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT code_hash FROM accounts_recoverycode")
        hashes = [r[0] for r in cursor.fetchall()]
    assert secret not in stored and len(hashes) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in hashes)
    entry = AuditEntry.objects.get(model="accounts.twofactor", action=AuditEntry.Action.CREATE)
    assert entry.actor == world.a_field and secret not in str(entry.changes) and codes[0] not in str(entry.changes)


def test_signing_in_with_the_app_code(world, client, clock):
    secret, _codes = enrolled_user(client, world.a_manager)
    clock.advance(60)
    response = sign_in(client, world.a_manager, next="/staff/p/P1/")
    assert response["Location"] == reverse("accounts:verify") + "?next=%2Fstaff%2Fp%2FP1%2F"
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert client.get("/admin/").status_code == 302 and not is_in(client)
    session_before = client.cookies["sessionid"].value
    response = send_code(client, otp.totp(secret), "/staff/p/P1/")
    assert response.status_code == 302 and response["Location"] == "/staff/p/P1/"
    assert client.cookies["sessionid"].value != session_before  # a new session id after the second step
    assert is_in(client)
    assert client.get("/api/v1/projects").status_code != 401
    # an address elsewhere is not followed
    client.post(reverse("staff:logout"))
    clock.advance(60)
    sign_in(client, world.a_manager)
    assert send_code(client, otp.totp(secret), "https://evil.example/")["Location"] == reverse("staff:home")


def test_a_wrong_code_is_refused_and_logged(world, client, clock):
    secret, _codes = enrolled_user(client, world.a_manager)
    clock.advance(60)
    sign_in(client, world.a_manager)
    wrong = otp.hotp(secret, otp.step_at() + 3)
    response = send_code(client, wrong)
    assert response.status_code == 400 and "This code is not valid" in response.content.decode()
    assert not is_in(client)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor == world.a_manager and "code" in entry.reason and wrong not in str(entry.changes)


def test_a_code_cannot_be_used_twice(world, client, clock):
    secret, _codes = enrolled_user(client, world.a_manager)
    clock.advance(30)
    code = otp.totp(secret)
    sign_in(client, world.a_manager)
    assert send_code(client, code).status_code == 302 and is_in(client)
    client.post(reverse("staff:logout"))
    sign_in(client, world.a_manager)
    assert send_code(client, code).status_code == 400 and not is_in(client)
    # nor an earlier step's code, still inside the window
    assert send_code(client, otp.totp(secret, clock.t - 30)).status_code == 400 and not is_in(client)
    # the next step's code is a new one
    assert send_code(client, otp.totp(secret, clock.t + 30)).status_code == 302 and is_in(client)


def test_a_recovery_code_works_once(world, client, clock):
    _secret, codes = enrolled_user(client, world.a_manager)
    sign_in(client, world.a_manager)
    response = send_code(client, codes[3].upper().replace("-", " "))  # as typed from paper
    assert response.status_code == 302
    assert "You signed in with a recovery code" in client.get(reverse("staff:home"), **EN).content.decode()
    assert RecoveryCode.objects.filter(user=world.a_manager, used_at__isnull=True).count() == 9
    client.post(reverse("staff:logout"))
    sign_in(client, world.a_manager)
    assert send_code(client, codes[3]).status_code == 400 and not is_in(client)
    assert send_code(client, codes[4]).status_code == 302 and is_in(client)
    # new codes replace the old ones, shown once
    response = client.post(reverse("accounts:recovery_codes"), **EN)
    new_codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    client.post(reverse("staff:logout"))
    sign_in(client, world.a_manager)
    assert send_code(client, codes[5]).status_code == 400
    assert send_code(client, new_codes[0]).status_code == 302


def test_who_needs_the_second_factor(world, client, settings):
    plain = make_user("shopkeeper")  # no role in any project: sees no identifiers
    response = sign_in(client, plain)
    assert response["Location"] == reverse("staff:home") and is_in(client)
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("staff:home")
    client.post(reverse("staff:logout"))
    for user in (world.a_field, world.a_monitor, world.auditor, world.admin):  # identifiers: seen or revealed
        client.post(reverse("staff:logout"))
        assert sign_in(client, user)["Location"].startswith(reverse("accounts:verify")), user
        assert not is_in(client), user
    client.post(reverse("staff:logout"))
    settings.SOCEC_REQUIRE_2FA = False  # development only
    assert sign_in(client, world.a_field)["Location"] == reverse("staff:home") and is_in(client)


def test_a_user_without_identifier_roles_may_turn_it_on(world, client, clock):
    plain = make_user("shopkeeper")
    sign_in(client, plain)
    assert "Set up two-factor authentication" in client.get(reverse("accounts:account"), **EN).content.decode()
    secret, _codes = enrol(client, plain)
    client.post(reverse("staff:logout"))
    clock.advance(30)
    assert sign_in(client, plain)["Location"].startswith(reverse("accounts:verify")) and not is_in(client)
    send_code(client, otp.totp(secret))
    assert is_in(client)


def test_an_enrolled_user_cannot_set_up_again_with_only_the_password(world, client, clock):
    secret, _codes = enrolled_user(client, world.a_manager)
    sign_in(client, world.a_manager)
    response = client.get(reverse("accounts:enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    assert client.post(reverse("accounts:enrol"), {"code": otp.totp(secret)}).status_code == 302
    assert TwoFactor.objects.get(user=world.a_manager).secret == secret and not is_in(client)


def test_an_administrator_resets_the_second_factor_in_the_admin(world, client, login, clock):
    enrolled_user(client, world.a_field)
    admin = login(world.admin)
    response = admin.post("/admin/accounts/twofactor/", {
        "action": "reset", "_selected_action": [TwoFactor.objects.get(user=world.a_field).pk]}, **EN)
    assert response.status_code == 302
    assert not TwoFactor.objects.filter(user=world.a_field).exists()
    assert not RecoveryCode.objects.filter(user=world.a_field).exists()
    entry = AuditEntry.objects.get(model="accounts.twofactor", action=AuditEntry.Action.DELETE)
    assert entry.actor == world.admin and "reset" in entry.reason
    # the user sets it up again at the next sign-in
    other = Client()
    assert sign_in(other, world.a_field)["Location"].startswith(reverse("accounts:verify"))
    assert other.get(reverse("accounts:verify"))["Location"].startswith(reverse("accounts:enrol"))
    # only superusers: the page and the service
    enrolled_user(Client(), world.a_monitor)
    assert login(world.lead_manager).get("/admin/accounts/twofactor/").status_code == 302
    with pytest.raises(Exception, match="administrator"):
        two_factor_reset(user=world.a_monitor, by=world.lead_manager)
    assert TwoFactor.objects.filter(user=world.a_monitor).exists()
    assert "secret" not in login(world.admin).get(
        f"/admin/accounts/twofactor/{TwoFactor.objects.get(user=world.a_monitor).pk}/change/").content.decode()


def test_the_admin_sign_in_form_is_the_staff_one(world, client, login):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated
    # a signed-in user who is no administrator: refused, not sent round in circles
    staff = login(world.lead_manager)
    assert staff.get("/admin/", follow=True).status_code == 403


# --- Lock after failed sign-ins ----------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_user_name_then_the_lock_ends(world, client, clock):
    for _ in range(4):
        response = sign_in(client, world.a_manager, password="wrong-password-1")
        assert "Please enter a correct username and password" in response.content.decode()
    response = sign_in(client, world.a_manager, password="wrong-password-1")
    assert LOCKED in response.content.decode()
    # the right password is refused too, with the same message, and nothing is checked
    response = sign_in(client, world.a_manager)
    assert LOCKED in response.content.decode() and not response.wsgi_request.user.is_authenticated
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, actor=world.a_manager).count() == 5
    assert "locked" in AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).first().reason
    # from another address as well (per user name)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert LOCKED in sign_in(other, world.a_manager).content.decode()
    clock.advance(14 * 60)
    assert LOCKED in sign_in(client, world.a_manager).content.decode()
    clock.advance(61)
    assert sign_in(client, world.a_manager).status_code == 302


def test_the_lock_does_not_tell_whether_the_user_exists(world, clock):
    known, unknown = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(5):
        a = known.post(reverse("staff:login"), {"username": "a_manager", "password": "nope-nope-1"}, **EN)
        b = unknown.post(reverse("staff:login"), {"username": "nobody_here", "password": "nope-nope-1"}, **EN)
    assert LOCKED in a.content.decode() and LOCKED in b.content.decode()
    assert a.content.decode().replace("a_manager", "X") == b.content.decode().replace("nobody_here", "X")


def test_failures_from_one_address_lock_the_address(world, clock):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for user in (world.a_manager, world.b_manager, world.a_field, world.a_monitor, world.auditor):
        sign_in(client, user, password="wrong-password-1")
    response = sign_in(client, world.lead_manager)  # the right password, another user: same address
    assert LOCKED in response.content.decode()
    assert sign_in(Client(REMOTE_ADDR="10.0.0.8"), world.lead_manager).status_code == 302


def test_wrong_codes_lock_the_second_step_too(world, client, clock):
    secret, _codes = enrolled_user(client, world.a_manager)
    clock.advance(60)
    sign_in(client, world.a_manager)
    for _ in range(4):
        assert send_code(client, "000000" if otp.totp(secret) != "000000" else "111111").status_code == 400
    response = send_code(client, "000000" if otp.totp(secret) != "000000" else "111111")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    response = send_code(client, otp.totp(secret))
    assert response.status_code == 429 and not is_in(client)
    assert LOCKED in sign_in(Client(), world.a_manager).content.decode()  # the password step as well
    clock.advance(15 * 60 + 1)
    assert send_code(client, otp.totp(secret)).status_code == 302 and is_in(client)


# --- Passwords and sessions ---------------------------------------------------------------------------

def test_changing_the_password_follows_the_rules_and_signs_out_everywhere(world, login):
    client = login(world.a_manager)
    elsewhere = Client()
    elsewhere.force_login(world.a_manager)
    session = elsewhere.session
    otp.mark_verified(session, world.a_manager)
    session.save()
    assert is_in(elsewhere)
    url = reverse("accounts:password_change")
    for weak, message in [("short-1", "too short"), ("1234567890123", "entirely numeric"),
                          ("password123", "too common")]:
        response = client.post(url, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}, **EN)
        assert response.status_code == 200 and message in response.content.decode(), weak
    response = client.post(url, {"old_password": "wrong", "new_password1": "Zebra-lamp-7781",
                                 "new_password2": "Zebra-lamp-7781"}, **EN)
    assert "old password was entered incorrectly" in response.content.decode()
    world.a_manager.refresh_from_db()
    assert world.a_manager.check_password(PASSWORD)

    response = client.post(url, {"old_password": PASSWORD, "new_password1": "Zebra-lamp-7781",
                                 "new_password2": "Zebra-lamp-7781"}, **EN)
    assert response.status_code == 302 and response["Location"] == reverse("staff:login")
    assert "Your password was changed" in client.get(response["Location"], **EN).content.decode()
    assert not is_in(client) and not is_in(elsewhere)
    world.a_manager.refresh_from_db()
    assert world.a_manager.check_password("Zebra-lamp-7781")
    assert AuditEntry.objects.filter(actor=world.a_manager, reason="password changed").exists()


def test_a_reset_password_follows_the_rules(world, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(world.a_manager.pk))
    token = default_token_generator.make_token(world.a_manager)
    response = client.get(reverse("staff:password_reset_confirm", args=[uid, token]))
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": "short-1", "new_password2": "short-1"}, **EN)
    assert "too short" in response.content.decode()
    world.a_manager.refresh_from_db()
    assert world.a_manager.check_password(PASSWORD)


def test_a_session_ends_after_30_minutes_without_a_request(world, login, clock):
    client = login(world.a_manager)
    assert is_in(client)
    clock.advance(29 * 60)
    assert is_in(client)  # a request: the idle time starts again
    clock.advance(29 * 60)
    assert is_in(client)
    clock.advance(31 * 60)
    response = client.get("/staff/p/P1/", **EN)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:login") + "?next=%2Fstaff%2Fp%2FP1%2F"
    page = client.get(response["Location"], **EN).content.decode()
    assert "signed out after 30 minutes without activity" in page
    assert not is_in(client)


def test_a_session_ends_8_hours_after_signing_in_however_busy(world, login, clock):
    client = login(world.a_manager)
    for _ in range(8 * 4):
        assert is_in(client)
        clock.advance(15 * 60)
    clock.advance(1)  # 8 hours and a second after signing in
    response = client.get("/staff/", **EN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))
    assert "8 hours" in client.get(response["Location"], **EN).content.decode()
    assert not is_in(client)


def test_an_idle_api_session_gets_401(world, login, clock):
    client = login(world.a_manager)
    assert client.get("/api/v1/projects").status_code == 200
    clock.advance(31 * 60)
    response = client.get("/api/v1/projects", **EN)
    assert response.status_code == 401 and "without activity" in response.json()["detail"]


# --- Headers -------------------------------------------------------------------------------------------

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


@pytest.mark.parametrize("path", ["/", "/staff/", "/staff/login/", "/staff/p/P1/participants/",
                                  "/api/v1/public/organisations", "/open-data/organisations.json", "/no-such-page/",
                                  "/admin/"])
def test_security_headers_on_every_response(world, login, path):
    response = login(world.a_manager).get(path)
    assert response["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(world, login):
    """What the CSP would block: inline <script>, <style>, style= and on...= attributes."""
    client = login(world.lead_manager)
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=", re.I)
    for path in ["/", "/staff/", "/staff/p/P1/", "/staff/p/P1/participants/", "/staff/p/P1/report/",
                 reverse("accounts:account"), reverse("accounts:password_change")]:
        page = client.get(path).content.decode()
        assert not inline.search(page), (path, inline.search(page))
    client = Client()
    sign_in(client, world.a_field)
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in page and not inline.search(page)


# --- CSRF ------------------------------------------------------------------------------------------

SAMPLE_ARGS = {"code": "P1", "ref": "A-001", "pk": "1", "participation_pk": "1", "org_code": "ORG-A",
               "job_code": "J1", "event_code": "EV-1", "campaign_code": "C1", "publication_code": "PUB-001",
               "indicator": "SE01", "uidb64": "MQ", "token": "x-y"}


def site_routes(patterns=None, prefix=""):
    """Every route of the staff application and the public site (the admin's and the API's apart)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        route = prefix + str(p.pattern)
        if route.startswith(("admin/", "api/")):
            continue
        if isinstance(p, URLResolver):
            yield from site_routes(p.url_patterns, route)
        elif "^" not in route and "(?P" not in route:
            yield route


def test_every_form_address_refuses_a_post_without_the_csrf_token(world, login):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead_manager)
    session = client.session
    otp.mark_verified(session, world.lead_manager)
    session.save()
    client.get(reverse("staff:home"))  # the CSRF cookie, as a browser has it
    before = AuditEntry.objects.count()
    routes = list(site_routes())
    assert "staff/p/<str:code>/participants/_register/" in routes and "requests/" in routes
    for route in routes:
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGS.get(m.group(1), "x"), route)
        response = client.post(path, {"title": "x", "name": "x"}, **EN)
        assert response.status_code == 403 and b"CSRF" in response.content, (route, response.status_code)
    assert AuditEntry.objects.count() == before
    # and with the token, a form works (the token is what was missing)
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("accounts:recovery_codes"), {"csrfmiddlewaretoken": token})
    assert response.status_code != 403


# --- Uploads judged by content -------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 This program cannot be run in DOS mode."
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    settings.MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "content"), [("scan.pdf", EXE), ("photo.jpg", HTML), ("page.png", HTML)])
def test_an_evidence_document_is_judged_by_content(world, login, private_storage, name, content):
    from socec.people.models import EvidenceDocument

    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = login(world.a_field).post(
        reverse("staff:participant_document_add", args=["P1", "A-001"]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), "category": "roma"}, **EN)
    assert response.status_code == 400 and "must be a PDF, JPEG or PNG" in response.content.decode()
    assert not EvidenceDocument.objects.exists()
    assert not AuditEntry.objects.filter(pk__gt=before, action=AuditEntry.Action.CREATE).exists()
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(("name", "content"), [("photo.jpg", HTML), ("photo.png", EXE), ("photo.jpeg", b"%PDF-1.4")])
def test_an_event_photo_is_judged_by_content(world, login, private_storage, name, content):
    import datetime as dt

    from socec.outreach.models import Event, EventPhoto
    from socec.outreach.services import event_save
    from socec.places.models import County

    event_save(event=Event(project=world.project, code="EV-1"), by=None, kind="conference", title="Event",
               date=dt.date(2024, 5, 10), county=County.objects.get(pk="IF"))
    before = AuditEntry.objects.count()
    response = login(world.a_field).post(reverse("staff:event_photo_add", args=["P1", "EV-1"]), {
        "caption": "Caption", "file": SimpleUploadedFile(name, content, content_type="image/jpeg")}, **EN)
    assert "must be a JPEG or PNG image" in response.content.decode()
    assert not EventPhoto.objects.exists() and AuditEntry.objects.count() == before
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(("name", "content"), [("study.pdf", EXE), ("guide.docx", HTML), ("report.odt", png_bytes())])
def test_a_publication_file_is_judged_by_content(world, login, private_storage, name, content):
    from socec.outreach.models import Publication

    before = AuditEntry.objects.count()
    response = login(world.lead_manager).post(reverse("staff:publication_new", args=["P1"]), {
        "kind": "study", "title": "Studiu", "file": SimpleUploadedFile(name, content)}, **EN)
    assert "must be a PDF, ODT or DOCX" in response.content.decode()
    assert not Publication.objects.exists() and AuditEntry.objects.count() == before
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(("name", "content"), [("p1.xlsx", EXE), ("p1.zip", HTML), ("p1.xlsx", b"%PDF-1.4 x")])
def test_a_workbook_is_judged_by_content(world, login, private_storage, name, content):
    from socec.workbook.models import ImportRun

    response = login(world.lead_manager).post(reverse("staff:workbook_upload"), {
        "file": SimpleUploadedFile(name, content)}, **EN)
    assert response.status_code == 200 and "not a real .xlsx workbook or .zip archive" in response.content.decode()
    assert not ImportRun.objects.exists() and stored_files(private_storage) == []


def test_every_upload_field_is_covered_here():
    """A new upload (a FileField) must be judged by content and get its test above: this list fails first."""
    from django.apps import apps
    from django.db.models import FileField

    fields = sorted(f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.get_fields()
                    if isinstance(f, FileField))
    assert fields == ["outreach.EventPhoto.file", "outreach.Publication.file", "people.EvidenceDocument.file",
                      "workbook.ImportRun.file"]


# --- Production ---------------------------------------------------------------------------------------

def test_production_refuses_to_run_without_the_second_factor(settings):
    from socec.core.checks import production_problems

    settings.SOCEC_REQUIRE_2FA = False
    assert "socec.E007" in {p.id for p in production_problems()}
    settings.SOCEC_REQUIRE_2FA = True
    assert "socec.E007" not in {p.id for p in production_problems()}


def test_an_htmx_request_of_an_idle_session_sends_the_whole_page_to_sign_in(world, login, clock):
    client = login(world.a_manager)
    assert is_in(client)
    clock.advance(31 * 60)
    response = client.post("/staff/p/P1/participants/_check/", HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/staff/p/P1/participants/_register/")
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("staff:login") + "?next=%2Fstaff%2Fp%2FP1%2Fparticipants%2F_register%2F"
    assert not is_in(client)
