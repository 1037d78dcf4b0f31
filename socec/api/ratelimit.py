"""Rate limits of the API per client IP, counted in the "default" cache (a DatabaseCache, shared by the
server's processes) in fixed one-minute windows:
- failed authentication attempts (a wrong or revoked token): SOCEC_API_AUTH_FAILURES_PER_MINUTE;
- anonymous requests to the public endpoints: SOCEC_API_PUBLIC_PER_MINUTE.
The client IP is the one the public request form's limiter uses (socec.market.spam.client_ip)."""

import time

from django.conf import settings
from django.core.cache import cache

from socec.market.spam import client_ip

WINDOW = 60


def _limit(kind: str) -> int:
    names = {"auth": ("SOCEC_API_AUTH_FAILURES_PER_MINUTE", 20), "public": ("SOCEC_API_PUBLIC_PER_MINUTE", 120)}
    name, default = names[kind]
    return int(getattr(settings, name, default))


def _key(kind: str, ip: str) -> str:
    return f"socec:api:{kind}:{ip}:{int(time.time()) // WINDOW}"


def retry_after() -> int:
    return WINDOW - int(time.time()) % WINDOW or 1


def exceeded(kind: str, request) -> bool:
    """True when this IP has used up the window's allowance of `kind`."""
    return (cache.get(_key(kind, client_ip(request))) or 0) >= _limit(kind)


def count(kind: str, request) -> int:
    key = _key(kind, client_ip(request))
    if cache.add(key, 1, WINDOW * 2):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW * 2)
        return 1


class RateLimited(Exception):
    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(wait)
