"""Who is calling: a token (`Authorization: Bearer <token>`, for scripts) or the staff session (for the
browser, with Django's CSRF check on unsafe methods). A wrong token is a failed attempt, counted per IP
(ratelimit.py); past the limit every attempt from that IP answers 429 until the minute is over."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from . import ratelimit, tokens


class AuthFailed(HttpError):
    """401 with a message the client can act on."""

    def __init__(self, message: str):
        super().__init__(401, message)


def _two_factor_passed(request) -> bool:
    """The staff application's own rule, when socec.accounts provides one (two-factor sign-in)."""
    try:
        from socec.accounts import otp  # noqa: PLC0415 - optional, added by the two-factor work
    except ImportError:
        return True
    check = getattr(otp, "session_verified", None)
    return True if check is None else bool(check(request))


class TokenAuth(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization")
        if header and ratelimit.exceeded("auth", request):
            raise ratelimit.RateLimited(ratelimit.retry_after())
        if header and not header.lower().startswith("bearer "):
            ratelimit.count("auth", request)
            raise AuthFailed(_("Use 'Authorization: Bearer <token>'."))
        return super().__call__(request)

    def authenticate(self, request, token):
        user = tokens.user_for_token(token.strip())
        if user is None:
            ratelimit.count("auth", request)
            raise AuthFailed(_("This token is not valid (unknown, revoked, or its user is disabled)."))
        request.user = user
        request.api_via_token = True
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in staff session; unsafe methods need the CSRF token (X-CSRFToken header)."""

    def __init__(self):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=False)

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not _two_factor_passed(request):
            raise AuthFailed(_("Finish signing in (two-factor authentication) first."))
        if check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's "
                                   "value."))
        return user


AUTH = [TokenAuth(), SessionAuth()]
