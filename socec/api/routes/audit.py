"""The audit log of a project, for the roles that may read it (VIEW_AUDIT), newest first in the staff
page; here in id order like every list."""

import datetime as dt
from typing import Any

from ninja import Router, Schema

from socec.audit.models import AuditEntry
from socec.programmes.access import audit_entries_visible, get_project_for
from socec.programmes.roles import Cap

from ..base import DEFAULT_LIMIT, Limit, Page, ShortText, paginate, responses

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    model: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    reason: str


def audit_out(e: AuditEntry) -> dict:
    return {"id": e.pk, "at": e.at, "actor": e.actor_name, "action": e.action, "model": e.model,
            "object_id": e.object_id, "object_repr": e.object_repr, "changes": e.changes, "reason": e.reason}


@router.get("/projects/{code}/audit", response=responses(Page[AuditOut]), summary="Read the project's audit log")
def audit_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
               action: ShortText | None = None, model: ShortText | None = None,
               since: dt.date | None = None):
    project, access = get_project_for(request.user, code, Cap.VIEW_AUDIT)
    qs = audit_entries_visible(request.user, project, access)  # a partner: its own staff's entries only
    if action:
        qs = qs.filter(action=action)
    if model:
        qs = qs.filter(model=model)
    if since:
        qs = qs.filter(at__date__gte=since)
    return paginate(qs, cursor, limit, audit_out)
