"""Optimistic locking in the API (socec/core/locking.py): detail answers carry the record's `version`;
an update that sends back the version it read is refused with 409 when the record changed since.
The check itself is the services' (`expected_version`), in the write's transaction."""

import inspect

from socec.core import locking


def version_of(obj) -> int | None:
    return getattr(obj, locking.FIELD, None) if obj is not None and locking.is_versioned(obj) else None


def check_version(obj, expected: int | None) -> None:
    """A first check before the service runs (the service checks again, atomically, when it takes
    `expected_version`): saves a write that would be refused anyway."""
    if expected is None or not locking.is_versioned(obj):
        return
    current = type(obj)._base_manager.filter(pk=obj.pk).first()
    if current is None or getattr(current, locking.FIELD) != expected:
        raise locking.Conflict(obj, expected=expected, current=current,
                               changes=locking.changes_since(current, expected) if current is not None else [])


def call(service, *, expected_version: int | None = None, **kwargs):
    """Calls a service, passing `expected_version` when it takes one."""
    if "expected_version" in inspect.signature(service).parameters:
        kwargs["expected_version"] = expected_version
    return service(**kwargs)


Conflict = locking.Conflict
