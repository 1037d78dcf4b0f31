"""What each staff role may do in a project: the one table every access helper reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("project manager")
    FIELD_WORKER = "field_worker", _("field worker")
    MONITORING = "monitoring", _("monitoring officer")
    AUDITOR = "auditor", _("funder auditor (read-only)")


class Cap:
    """Capabilities. Scope (whole project or own organisation's people) is decided apart."""

    VIEW_PEOPLE = "view_people"
    CHANGE_PEOPLE = "change_people"
    SEE_IDENTIFIERS = "see_identifiers"  # identifiers shown (and the view logged)
    REVEAL_IDENTIFIERS = "reveal_identifiers"  # identifiers only through an explicit, logged reveal
    CHANGE_ACTIVITIES = "change_activities"  # courses, attendance, events, jobs
    MANAGE_PROJECT = "manage_project"  # project details, partners, targets, staff
    VIEW_AUDIT = "view_audit"
    VIEW_REPORTS = "view_reports"


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.MANAGER: frozenset({Cap.VIEW_PEOPLE, Cap.CHANGE_PEOPLE, Cap.SEE_IDENTIFIERS, Cap.CHANGE_ACTIVITIES,
                             Cap.MANAGE_PROJECT, Cap.VIEW_AUDIT, Cap.VIEW_REPORTS}),
    Role.FIELD_WORKER: frozenset({Cap.VIEW_PEOPLE, Cap.CHANGE_PEOPLE, Cap.SEE_IDENTIFIERS, Cap.CHANGE_ACTIVITIES}),
    Role.MONITORING: frozenset({Cap.VIEW_PEOPLE, Cap.CHANGE_PEOPLE, Cap.SEE_IDENTIFIERS, Cap.VIEW_AUDIT,
                                Cap.VIEW_REPORTS}),
    Role.AUDITOR: frozenset({Cap.VIEW_PEOPLE, Cap.REVEAL_IDENTIFIERS, Cap.VIEW_AUDIT, Cap.VIEW_REPORTS}),
}
ALL_CAPABILITIES = frozenset().union(*ROLE_CAPABILITIES.values())
# Roles that see every participant of the project whatever organisation registered them.
PROJECT_WIDE_ROLES = frozenset({Role.AUDITOR})
