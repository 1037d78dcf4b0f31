"""Spam protection of the public request form: a honeypot field, a signed timestamp (a person needs
more than a few seconds to fill the form) and a limit of posts per client IP (Django's cache)."""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

STAMP_SALT = "socec.market.form-stamp"
MIN_SECONDS = 3
MAX_AGE_SECONDS = 24 * 3600
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


def new_stamp() -> str:
    return signing.dumps(time.time(), salt=STAMP_SALT)


def stamp_age(value: str) -> float | None:
    """Seconds since the form was shown; None when the stamp is missing, forged or too old."""
    try:
        shown = signing.loads(value or "", salt=STAMP_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(shown, int | float):
        return None
    return time.time() - shown


def client_ip(request) -> str:
    """REMOTE_ADDR; behind the HTTPS proxy, the address the proxy appended to X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if forwarded:
            return forwarded[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _key(ip: str) -> str:
    return f"socec:market:posts:{ip}"


def rate_limited(ip: str) -> bool:
    return (cache.get(_key(ip)) or 0) >= RATE_LIMIT


def count_post(ip: str) -> None:
    key = _key(ip)
    if not cache.add(key, 1, RATE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, RATE_WINDOW_SECONDS)
