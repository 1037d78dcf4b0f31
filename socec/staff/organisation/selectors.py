"""Which organisations a staff user sees and changes on the organisation pages.

- changes (socec.orgs.services.can_change_organisation): superusers, the organisation's members
  (OrganisationMember), managers on its behalf, managers of a project that supports it (an
  enterprise); never the staff of another partner;
- sees: those, and anyone with a role in a project the organisation is in (403 on its pages);
- anyone else: 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from socec.orgs.models import Organisation
from socec.orgs.services import can_change_organisation
from socec.programmes.models import Membership
from socec.programmes.roles import Role


def organisations_changeable_by(user) -> QuerySet:
    """The organisations listed on /staff/organisations/: those the user may change."""
    if user.is_superuser:
        return Organisation.objects.all().order_by("name")
    managed = Membership.objects.filter(user=user, role=Role.MANAGER)
    return Organisation.objects.filter(
        Q(members__user=user)
        | Q(memberships__in=managed)
        | Q(partnerships__project__in=managed.values("project"), partnerships__role="supported")
    ).distinct().order_by("name")


def organisations_visible_to(user) -> QuerySet:
    if user.is_superuser:
        return Organisation.objects.all()
    mine = Membership.objects.filter(user=user)
    return Organisation.objects.filter(
        Q(members__user=user) | Q(memberships__in=mine) | Q(partnerships__project__in=mine.values("project"))
    ).distinct()


def get_organisation_for(user, code: str) -> tuple[Organisation, bool]:
    """(organisation, may change it); 404 when the user may not see it."""
    organisation = organisations_visible_to(user).filter(code=code).select_related("county").first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation, can_change_organisation(user, organisation)
