"""Who may see and do what in a project. Views, API, imports and services all ask here.

Rules:
- A staff user sees a project only through a Membership (superusers see all).
- People: the lead organisation's staff and the funder auditor see every participant of the
  project; a partner's staff see only the participants their own organisation registered.
- What a role may do is the table in roles.py.
- Helpers answer 404 (Http404) for what the user may not see, 403 (PermissionDenied) for
  what they may see but not change.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Membership, Project
from .roles import ALL_CAPABILITIES, PROJECT_WIDE_ROLES


@dataclass(frozen=True)
class ProjectAccess:
    project_id: int
    role: str  # a Role value, or "admin" for superusers and "system" for commands
    organisation_id: int | None
    capabilities: frozenset
    people_org_id: int | None  # None: every participant of the project

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def whole_project(self) -> bool:
        return self.people_org_id is None


def sees_whole_project(membership: Membership) -> bool:
    """The lead organisation's staff and project-wide roles (the funder auditor) see every participant."""
    m = membership
    return m.role in PROJECT_WIDE_ROLES or m.organisation_id == m.project.lead_organisation_id


def _cache(user) -> dict:
    cache = getattr(user, "_socec_access", None)
    if cache is None:
        cache = {}
        user._socec_access = cache
    return cache


def project_access(user, project: Project) -> ProjectAccess | None:
    """The user's access to a project, or None. `user=None` is the system (commands, tasks)."""
    if user is None:
        return ProjectAccess(project.pk, "system", None, ALL_CAPABILITIES, None)
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ProjectAccess(project.pk, "admin", None, ALL_CAPABILITIES, None)
    cache = _cache(user)
    if project.pk not in cache:
        from .roles import ROLE_CAPABILITIES

        m = Membership.objects.filter(user=user, project_id=project.pk).select_related("project").first()
        if m is None:
            cache[project.pk] = None
        else:
            cache[project.pk] = ProjectAccess(project.pk, m.role, m.organisation_id, ROLE_CAPABILITIES[m.role],
                                              None if sees_whole_project(m) else m.organisation_id)
    return cache[project.pk]


def forget_access(user) -> None:
    if user is not None and hasattr(user, "_socec_access"):
        del user._socec_access


def projects_visible_to(user) -> QuerySet:
    if user is None or (user.is_authenticated and user.is_superuser):
        return Project.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user).distinct()


def require(by, project: Project, capability: str) -> ProjectAccess:
    """For services: PermissionDenied unless `by` holds the capability in the project."""
    access = project_access(by, project)
    if access is None or not access.can(capability):
        raise PermissionDenied(_("You do not have the right to do this in project %(code)s.") % {"code": project.code})
    return access


def get_project_for(user, code: str, capability: str | None = None) -> tuple[Project, ProjectAccess]:
    project = Project.objects.filter(code=code).first()
    access = project_access(user, project) if project else None
    if access is None:
        raise Http404(_("No such project."))
    if capability and not access.can(capability):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return project, access


def get_project_object_for(user, queryset: QuerySet, capability: str | None = None, **lookup):
    """One object that belongs to a project (a course, job, event...): 404 unless the user is
    in its project, 403 if the capability is asked for and missing."""
    obj = queryset.select_related("project").filter(**lookup).first()
    access = project_access(user, obj.project) if obj is not None else None
    if access is None:
        raise Http404(_("Not found."))
    if capability and not access.can(capability):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return obj, access


def audit_entries_visible(user, project: Project, access: ProjectAccess | None = None) -> QuerySet:
    """The project's audit entries the user may read (Cap.VIEW_AUDIT is checked by the caller): all of
    them for whole-project roles; for a partner's staff only what its own organisation's staff did,
    since the other entries name other partners' participants (registrations, changes, who saw whose
    identifiers)."""
    from socec.audit.models import AuditEntry

    access = access or project_access(user, project)
    entries = AuditEntry.objects.filter(project=project)
    if access is None:
        return entries.none()
    if access.whole_project:
        return entries
    return entries.filter(actor__in=Membership.objects.filter(
        project=project, organisation_id=access.people_org_id).values("user"))
