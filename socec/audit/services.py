"""Writing the audit log. Every service that changes data calls `audit_record` in its transaction."""

import datetime as dt
import decimal

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEntry

# Direct identifiers never appear in the audit log in clear.
MASKED_FIELDS = frozenset({"first_name", "last_name", "cnp", "phone", "email", "address", "person_name"})
MASK = "•••"


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def masked(field: str, value):
    if field in MASKED_FIELDS:
        return MASK if value not in (None, "") else ""
    return _plain(value)


# Bookkeeping columns, never shown as changes (version: socec/core/locking.py).
UNAUDITED = frozenset({"created_at", "updated_at", "version"})


def snapshot(obj: models.Model, fields=None) -> dict:
    """The values of a model's concrete fields (foreign keys as ids), masked where needed."""
    out = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or (fields is not None and f.name not in fields) or f.name in UNAUDITED:
            continue
        out[f.name] = masked(f.name, getattr(obj, f.attname))
    return out


def diff(before: dict, after: dict) -> dict:
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            # A masked identifier that changed is shown as changed, never with values.
            if key in MASKED_FIELDS and old == new == MASK:
                continue
            changes[key] = [old, new]
    return changes


def actor_name(by) -> str:
    return by.get_username() if by is not None else "system"


def audit_record(*, by, action: str, obj: models.Model, project=None, changes=None, reason: str = "",
                 object_repr: str | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=by if (by is not None and by.pk) else None,
        actor_name=actor_name(by),
        action=action,
        project=project,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=(object_repr if object_repr is not None else str(obj))[:200],
        changes=changes or {},
        reason=reason[:300],
    )
