"""Exact, live and fast public pages: what the directory counts over every public organisation (the
map's figures, a search's count and rows) is cached under the public data version, which every
write to organisations, products, jobs and employments raises in its own transaction. A cached value
is therefore used only while nothing it counted has changed; the key also holds today's date, on
which the certificates' validity depends. Several workers share the cache (the database cache)."""

import datetime as dt
import hashlib

from django.core.cache import caches
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 3600
CACHE = "portal"  # settings.CACHES: each worker's memory
_KEY = "socec:portal:"


def version() -> int:
    from .models import PublicVersion

    return PublicVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0


def bump(*args, **kwargs) -> None:
    """Raise the public data version (a signal receiver, and called by bulk writers)."""
    from .models import PublicVersion

    table = connection.ops.quote_name(PublicVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (id, n) VALUES (1, 1) "  # noqa: S608 - names only
                       f"ON CONFLICT (id) DO UPDATE SET n = {table}.n + 1")


def cached(name: str, parts, compute):
    """compute() once per public data version, day and `parts` (anything with a stable repr)."""
    digest = hashlib.sha256(repr((version(), dt.date.today().isoformat(), parts)).encode()).hexdigest()[:40]
    key = f"{_KEY}{name}:{digest}"
    cache = caches[CACHE]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


_memo: dict[str, tuple[tuple, object]] = {}


def memo(name: str, compute):
    """compute() once per public data version and day, kept in this process as it is (no pickling:
    for large values read on every request)."""
    key = (version(), dt.date.today())
    found = _memo.get(name)
    if found is not None and found[0] == key:
        return found[1]
    value = compute()
    _memo[name] = (key, value)
    return value


def forget() -> None:
    """Drop this process's cached values (tests, whose databases start the version again)."""
    _memo.clear()
    caches[CACHE].clear()


def connect() -> None:
    from socec.jobs.models import Employment, Job
    from socec.orgs.models import Organisation, Product
    from socec.people.models import Participation

    for model in (Organisation, Product, Job, Employment):
        for signal in (post_save, post_delete):
            signal.connect(bump, sender=model, weak=False, dispatch_uid=f"socec.portal.bump.{model.__name__}")
    # a participant's vulnerable categories decide whether the jobs they hold count as vulnerable
    m2m_changed.connect(_categories, sender=Participation.vulnerable.through, weak=False,
                        dispatch_uid="socec.portal.bump.vulnerable")


def _categories(sender, action, **kwargs):
    if action.startswith("post_"):
        bump()
