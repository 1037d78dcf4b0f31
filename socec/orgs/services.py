"""Writes about organisations in the registry."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from socec.core.services import save_and_audit
from socec.programmes.roles import Cap, Role

from .models import Organisation, Product


def can_change_organisation(by, organisation: Organisation | None, project=None) -> bool:
    """The system, superusers, managers of a project the organisation is in (or is joining),
    and the organisation's own managers."""
    if by is None or by.is_superuser:
        return True
    from socec.programmes.access import project_access
    from socec.programmes.models import Membership

    if project is not None:
        access = project_access(by, project)
        if access is not None and access.can(Cap.MANAGE_PROJECT):
            return True
    if organisation is None or organisation.pk is None:
        return False
    return Membership.objects.filter(user=by, role=Role.MANAGER).filter(
        organisation=organisation).exists() or Membership.objects.filter(
        user=by, role=Role.MANAGER, project__partnerships__organisation=organisation).exists()


def organisation_save(*, organisation: Organisation, by, project=None, **values) -> Organisation:
    if not can_change_organisation(by, organisation, project):
        raise PermissionDenied(_("You may not change this organisation."))
    return save_and_audit(organisation, by=by, project=project, values=values)


def product_save(*, product: Product, by, **values) -> Product:
    if not can_change_organisation(by, product.organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    return save_and_audit(product, by=by, values=values)
