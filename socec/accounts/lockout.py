"""Locking sign-in after repeated failures, per user name and per address.

MAX_FAILURES failures (wrong password or wrong second-factor code) within WINDOW seconds lock the
user name, or the address, for LOCK_SECONDS; while locked, every attempt for it is refused without
checking the password, with the same message whether the user exists or not. The counters live in
the "default" cache (the database: shared by every worker). Times are read from otp.now() and kept
in the values, so the cache's own expiry only clears old entries.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from . import otp


def max_failures() -> int:
    return int(getattr(settings, "SOCEC_LOGIN_MAX_FAILURES", 5))


def window() -> int:
    return int(getattr(settings, "SOCEC_LOGIN_FAILURE_WINDOW", 15 * 60))


def lock_seconds() -> int:
    return int(getattr(settings, "SOCEC_LOGIN_LOCK_SECONDS", 15 * 60))


def _keys(kind: str, value: str) -> tuple[str, str]:
    # The user name as typed may be anything (even a password typed in the wrong field): hashed.
    digest = hashlib.sha256(f"{kind}\x1f{value}".encode()).hexdigest()[:40]
    return f"socec:signin:fail:{digest}", f"socec:signin:lock:{digest}"


def _subjects(username: str | None, ip: str | None) -> list[tuple[str, str]]:
    subjects = []
    if username:
        subjects.append(("user", username.strip().lower()))
    if ip:
        subjects.append(("ip", ip))
    return subjects


def locked_until(username: str | None, ip: str | None) -> float | None:
    """The moment the later of the two locks ends, or None when neither is locked."""
    now = otp.now()
    until = None
    for kind, value in _subjects(username, ip):
        end = cache.get(_keys(kind, value)[1])
        if end is not None and end > now:
            until = end if until is None else max(until, end)
    return until


def is_locked(username: str | None, ip: str | None) -> bool:
    return locked_until(username, ip) is not None


def record_failure(username: str | None, ip: str | None) -> bool:
    """Counts a failure for the user name and the address; True when this failure locked one of them."""
    now = otp.now()
    locked_now = False
    for kind, value in _subjects(username, ip):
        fail_key, lock_key = _keys(kind, value)
        times = [t for t in (cache.get(fail_key) or []) if t > now - window()]
        times.append(now)
        if len(times) >= max_failures():
            cache.set(lock_key, now + lock_seconds(), lock_seconds() + 60)
            cache.delete(fail_key)
            locked_now = True
        else:
            cache.set(fail_key, times, window() + 60)
    return locked_now


def clear_failures(username: str | None) -> None:
    """After a successful sign-in: the user name's earlier failures no longer count (its lock, and
    the address's counters, stay)."""
    if username:
        cache.delete(_keys("user", username.strip().lower())[0])


def client_ip(request) -> str:
    """The address the request came from: REMOTE_ADDR, or behind the HTTPS proxy the address the proxy
    appended to X-Forwarded-For (the same rule as the public forms' limits)."""
    from socec.market.spam import client_ip as market_client_ip

    return market_client_ip(request)
