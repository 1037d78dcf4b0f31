"""Sign-in security on every request.

SecurityHeadersMiddleware: the Content-Security-Policy and Permissions-Policy headers (the others,
nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and X-Frame-Options, come from Django's
SecurityMiddleware and XFrameOptionsMiddleware with the values of settings.py).

SignInSessionMiddleware, after authentication and messages:
- a session ends SESSION_COOKIE_AGE after signing in (absolute) and after SOCEC_SESSION_IDLE_SECONDS
  without a request (idle); the user goes back to the sign-in page with a message;
- a session that has not passed the second factor (when the user needs one) reaches only the
  sign-in, sign-out, password reset and second-factor pages: other staff and admin pages send it to
  the second step, session-authenticated API calls get 401, and elsewhere (the public site) it is
  treated as anonymous. API calls with an `Authorization: Bearer` header are the API's to judge.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import otp
from .views import with_next

AUTH_AT = "socec_auth_at"  # when the session signed in (absolute expiry)
SEEN_AT = "socec_seen_at"  # the last request (idle expiry), kept to SEEN_GRANULARITY seconds
SEEN_GRANULARITY = 60
ADMIN_LOGIN = "/admin/login/"  # the session is written at most once a minute for this

# Pages an unverified session may use (view names).
OPEN_VIEWS = frozenset({
    "staff:login", "staff:logout", "staff:password_reset", "staff:password_reset_done",
    "staff:password_reset_confirm", "staff:password_reset_complete", "accounts:verify", "accounts:enrol",
})


def idle_seconds() -> int:
    return int(getattr(settings, "SOCEC_SESSION_IDLE_SECONDS", 30 * 60))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SOCEC_CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        permissions = getattr(settings, "SOCEC_PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


def _area(path: str) -> str:
    if path.startswith("/staff/"):
        return "staff"
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/api/"):
        return "api"
    return "public"


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _go(request, url: str):
    """A redirect; for an HTMX request (a fragment of a page) the whole page goes there instead."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _here(request) -> str:
    """The page the user is on: for an HTMX request, the page that sent it (not the fragment's address)."""
    current = request.headers.get("HX-Current-URL") if request.headers.get("HX-Request") else None
    if current:
        parts = urlsplit(current)
        if parts.netloc in ("", request.get_host()) and parts.path.startswith("/"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _unauthorised(message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=401)


class SignInSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == ADMIN_LOGIN:
            return self._admin_login(request)
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return self.get_response(request)
        area = _area(request.path_info)
        if area == "api" and request.headers.get("Authorization", "").lower().startswith("bearer "):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self.get_response(request)

        expired = self._expired(request)
        if expired:
            return self._end(request, area, expired)

        if not otp.session_verified(request):
            view = _view_name(request.path_info)
            if view in OPEN_VIEWS:
                return self.get_response(request)
            if area in ("staff", "admin"):
                return _go(request, with_next(reverse("accounts:verify"), _here(request)))
            if area == "api":
                return _unauthorised(_("Finish signing in: enter the code of your authenticator app first."))
            request.user = AnonymousUser()
        return self.get_response(request)

    def _admin_login(self, request):
        """The admin's own sign-in form would bypass the lock on failed sign-ins: signing in goes
        through the staff form, and a signed-in user the admin sent back here may not use it."""
        if not request.user.is_authenticated:
            return redirect(with_next(reverse("staff:login"), request.GET.get("next") or "/admin/"))
        if not otp.session_verified(request):
            return redirect(with_next(reverse("accounts:verify"), request.GET.get("next") or "/admin/"))
        raise PermissionDenied(_("The administration is for administrators only."))

    def _expired(self, request) -> str | None:
        """'absolute' or 'idle' when the session has ended; else None (and the last request noted)."""
        session = request.session
        now = int(otp.now())
        auth_at = session.get(AUTH_AT)
        seen_at = session.get(SEEN_AT)
        if auth_at is None:  # signed in before this rule, or by a test client: the clock starts now
            session[AUTH_AT] = auth_at = now
        if seen_at is None:
            session[SEEN_AT] = seen_at = now
        if now - auth_at > settings.SESSION_COOKIE_AGE:
            return "absolute"
        if now - seen_at > idle_seconds():
            return "idle"
        if now - seen_at >= SEEN_GRANULARITY:
            session[SEEN_AT] = now
        return None

    def _end(self, request, area: str, why: str):
        logout(request)
        if why == "idle":
            text = _("You were signed out after %(minutes)s minutes without activity. Sign in again.") % {
                "minutes": max(1, idle_seconds() // 60)}
        else:
            text = _("Your session ended %(hours)s hours after you signed in. Sign in again.") % {
                "hours": max(1, settings.SESSION_COOKIE_AGE // 3600)}
        if area == "api":
            return _unauthorised(text)
        if area in ("staff", "admin"):
            messages.info(request, text)
            if _view_name(request.path_info) in OPEN_VIEWS:
                return self.get_response(request)
            return _go(request, with_next(reverse("staff:login"), _here(request)))
        return self.get_response(request)


def start_session(session) -> None:
    """Called when the password step succeeds: the absolute and idle clocks start now."""
    now = int(otp.now())
    session[AUTH_AT] = now
    session[SEEN_AT] = now

