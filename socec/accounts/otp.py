"""Time-based one-time passwords (RFC 6238 over RFC 4226) and the session's second-factor state.

TOTP as authenticator apps compute it: HMAC-SHA1, 30-second steps counted from the Unix epoch,
6 digits. A code of the step before or after the current one is accepted (clocks drift); a code
whose step is not later than the last one accepted is refused (replay), see services.two_factor_check.

Session helpers: `mark_verified(session)` records that the session passed the second factor,
`session_verified(request)` answers whether the request may act as its user (the API asks it for
session-authenticated calls), `two_factor_required(user)` whether the user must use a second factor.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

from django.conf import settings

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps accepted either side of the current one
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
ISSUER = "SOCEC"

SESSION_VERIFIED = "socec_2fa_verified"  # the user's id, when the session passed the second factor


def now() -> float:
    """The clock, one place (tests move it)."""
    return time.time()


def new_secret() -> str:
    """A random key, in base32 without padding (what authenticator apps take when typed)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    clean = "".join(secret.split()).upper()
    return base64.b32decode(clean + "=" * (-len(clean) % 8))


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: the code of one counter value."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(at: float | None = None) -> int:
    return int((now() if at is None else at) // STEP_SECONDS)


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: the code at a moment (now by default)."""
    return hotp(secret, step_at(at))


def normalise_code(code: str) -> str:
    """What a person types: '123 456' or '123-456' -> '123456'."""
    return "".join(ch for ch in (code or "") if ch.isalnum())


def matching_step(secret: str, code: str, at: float | None = None, window: int = WINDOW) -> int | None:
    """The step whose code `code` is, among the current one and `window` either side; else None.
    Compared in constant time."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    current = step_at(at)
    found = None
    for step in range(current - window, current + window + 1):
        if hmac.compare_digest(hotp(secret, step), code) and found is None:
            found = step
    return found


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The otpauth:// address that authenticator apps read from the QR code."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
                       "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline SVG element (no style attribute: the page's CSP forbids them)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=True)


# --- The session ------------------------------------------------------------------------------------

def require_setting() -> bool:
    return bool(getattr(settings, "SOCEC_REQUIRE_2FA", True))


def two_factor_required(user) -> bool:
    """Whether `user` must use a second factor: a superuser, or anyone holding a role that shows
    identifiers (Cap.SEE_IDENTIFIERS or Cap.REVEAL_IDENTIFIERS) in some project."""
    if user is None or not user.is_authenticated or not require_setting():
        return False
    if user.is_superuser:
        return True
    from socec.programmes.models import Membership
    from socec.programmes.roles import ROLE_CAPABILITIES, Cap

    roles = [role for role, caps in ROLE_CAPABILITIES.items()
             if Cap.SEE_IDENTIFIERS in caps or Cap.REVEAL_IDENTIFIERS in caps]
    return Membership.objects.filter(user=user, role__in=roles).exists()


def enrolled(user) -> bool:
    """Whether `user` has a confirmed second factor."""
    if user is None or not user.is_authenticated:
        return False
    from .models import TwoFactor

    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def mark_verified(session, user=None) -> None:
    """Records that this session passed the second factor (for `user`, or the session's user)."""
    user_id = user.pk if user is not None else session.get("_auth_user_id")
    session[SESSION_VERIFIED] = str(user_id)


def is_marked(session, user) -> bool:
    return user is not None and user.is_authenticated and session.get(SESSION_VERIFIED) == str(user.pk)


def needs_second_factor(user) -> bool:
    """Whether a session of `user` must pass the second factor before acting: it is required, or
    the user chose to enrol."""
    return two_factor_required(user) or (require_setting() and enrolled(user))


def session_verified(request) -> bool:
    """Whether the request's session user may act: the session passed the second factor, or the
    user needs none. False for anonymous requests."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and is_marked(session, user):
        return True
    return not needs_second_factor(user)
