"""The shared shape of a write: permission, validation, one transaction, an audit entry."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record, diff, snapshot
from socec.programmes.access import require

from . import locking


def audited_save(obj, *, by, project, capability: str, values: dict | None = None,
                 expected_version: int | None = None):
    """Creates or updates `obj` (a model belonging to `project`) with `values` set on it.
    `expected_version`: see socec/core/locking.py (None: no check)."""
    require(by, project, capability)
    return save_and_audit(obj, by=by, project=project, values=values, expected_version=expected_version)


def save_and_audit(obj, *, by, project=None, values: dict | None = None, expected_version: int | None = None):
    """The write itself, for callers that checked permission their own way: set, validate,
    save and audit in one transaction. A versioned record (socec/core/locking.py) changed since
    `expected_version` raises locking.Conflict with nothing written; a save that changes it raises
    its version by one."""
    with transaction.atomic():
        versioned = obj.pk is not None and locking.is_versioned(obj)
        if versioned:
            stored = locking.claim(obj, expected_version)
        else:
            stored = type(obj).objects.get(pk=obj.pk) if obj.pk else None
        before = snapshot(stored) if stored is not None else {}
        for key, value in (values or {}).items():
            setattr(obj, key, value)
        obj.full_clean()
        changes = diff(before, snapshot(obj)) if before else {}
        if versioned:
            setattr(obj, locking.FIELD, getattr(stored, locking.FIELD) + (1 if changes else 0))
        obj.save()
        changes = diff(before, snapshot(obj))
        if not before or changes:
            audit_record(by=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
                         obj=obj, project=project, changes=changes)
    return obj


def audited_delete(obj, *, by, project, capability: str) -> None:
    require(by, project, capability)
    delete_and_audit(obj, by=by, project=project)


def delete_and_audit(obj, *, by, project=None) -> None:
    """The delete itself, for callers that checked permission their own way."""
    with transaction.atomic():
        changes = diff(snapshot(obj), {})
        pk = obj.pk
        label = str(obj)
        obj.delete()
        obj.pk = pk
        audit_record(by=by, action=AuditEntry.Action.DELETE, obj=obj, project=project, changes=changes,
                     object_repr=label)


def require_visible_participation(by, participation) -> None:
    """Partner scoping for records that point at a person (enrolments, attendance, jobs...)."""
    from socec.people.access import participation_access

    if by is not None and participation is not None and participation_access(by, participation) is None:
        raise PermissionDenied(_("This participant was registered by another organisation."))
