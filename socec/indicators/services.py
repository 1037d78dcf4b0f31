"""Writes of the indicators app: taking a snapshot (permission, transaction, audit in one place)."""

from django.db import transaction

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.programmes.access import require
from socec.programmes.roles import Cap

from . import engine
from .definitions import CODES
from .models import Snapshot


def snapshot_take(*, project, as_of, by, note: str = "") -> Snapshot:
    """Freezes the project's report as of `as_of`. A manager's act: it records what was reported."""
    require(by, project, Cap.MANAGE_PROJECT)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(project=project, as_of=as_of, taken_by=by if by and by.pk else None,
                                           note=note.strip(), data=engine.report(engine.Scope(project), as_of))
        audit_record(by=by, action=AuditEntry.Action.CREATE, obj=snapshot, project=project,
                     changes={"as_of": [None, as_of.isoformat()]}, reason=note.strip())
    return snapshot


def snapshot_changes(snapshot: Snapshot) -> list[dict]:
    """What differs between the snapshot and the live report of the same date: per indicator, the
    value then and now, and the breakdown parts that moved."""
    now = engine.report(engine.Scope(snapshot.project), snapshot.as_of)["indicators"]
    then = snapshot.data["indicators"]
    out = []
    for code in CODES:
        old, new = then.get(code, {}), now[code]
        parts = []
        for kind in sorted(set(old.get("by", {})) | set(new.get("by", {}))):
            a, b = old.get("by", {}).get(kind, {}), new.get("by", {}).get(kind, {})
            for key in sorted(set(a) | set(b)):
                if a.get(key, 0) != b.get(key, 0):
                    parts.append({"by": kind, "part": key, "then": a.get(key, 0), "now": b.get(key, 0)})
        if old.get("value", 0) != new["value"] or parts:
            out.append({"code": code, "name": new["name"], "then": old.get("value", 0), "now": new["value"],
                        "parts": parts})
    return out
