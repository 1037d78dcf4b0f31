"""Writes about organisations in the registry."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record, diff, snapshot
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
    with transaction.atomic():
        before = snapshot(Organisation.objects.get(pk=organisation.pk)) if organisation.pk else {}
        for k, v in values.items():
            setattr(organisation, k, v)
        organisation.full_clean()
        organisation.save()
        changes = diff(before, snapshot(organisation))
        if not before or changes:
            audit_record(by=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
                         obj=organisation, project=project, changes=changes)
    return organisation


def product_save(*, product: Product, by, **values) -> Product:
    if not can_change_organisation(by, product.organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    with transaction.atomic():
        before = snapshot(Product.objects.get(pk=product.pk)) if product.pk else {}
        for k, v in values.items():
            setattr(product, k, v)
        product.full_clean()
        product.save()
        audit_record(by=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, obj=product,
                     changes=diff(before, snapshot(product)))
    return product
