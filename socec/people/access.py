"""Access to participants: the one helper views, API, imports and services use."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socec.programmes.access import ProjectAccess, project_access, projects_visible_to, sees_whole_project
from socec.programmes.models import Membership, Project
from socec.programmes.roles import ROLE_CAPABILITIES, Cap

from .models import Participation


def participations_visible_to(user, project: Project | None = None) -> QuerySet:
    qs = Participation.objects.all()
    if project is not None:
        qs = qs.filter(project=project)
    if user is None or (user.is_authenticated and user.is_superuser):
        return qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if project is not None:
        access = project_access(user, project)
        if access is None or not access.can(Cap.VIEW_PEOPLE):
            return qs.none()
        return qs if access.whole_project else qs.filter(organisation_id=access.people_org_id)
    # Several projects: whole projects where the user is lead staff or auditor, else own org's people.
    rule = Q(pk__in=[])
    for m in Membership.objects.filter(user=user).select_related("project"):
        if Cap.VIEW_PEOPLE not in ROLE_CAPABILITIES[m.role]:
            continue
        if sees_whole_project(m):
            rule |= Q(project_id=m.project_id)
        else:
            rule |= Q(project_id=m.project_id, organisation_id=m.organisation_id)
    return qs.filter(rule, project__in=projects_visible_to(user))


def participation_access(user, participation: Participation) -> ProjectAccess | None:
    access = project_access(user, participation.project)
    if access is None or not access.can(Cap.VIEW_PEOPLE):
        return None
    if not access.whole_project and participation.organisation_id != access.people_org_id:
        return None
    return access


def get_participation_for(user, pk, *, change: bool = False) -> tuple[Participation, ProjectAccess]:
    """404 when the user may not see this participant, 403 when they may see but not change it."""
    participation = Participation.objects.select_related("project", "person", "county", "organisation").filter(
        pk=pk).first()
    access = participation_access(user, participation) if participation is not None else None
    if access is None:
        raise Http404(_("No such participant."))
    if change and not access.can(Cap.CHANGE_PEOPLE):
        raise PermissionDenied(_("Your role in this project does not allow changing participants."))
    return participation, access


def get_participation_by_ref(user, project: Project, person_ref: str, *, change: bool = False):
    found = Participation.objects.filter(project=project, person_ref=person_ref).values_list("pk", flat=True).first()
    if found is None:
        raise Http404(_("No such participant."))
    return get_participation_for(user, found, change=change)
