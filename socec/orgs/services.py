"""Writes about organisations in the registry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socec.core.services import audited_delete, audited_save, delete_and_audit, save_and_audit
from socec.core.validators import normalise_cui
from socec.programmes.access import require
from socec.programmes.roles import Cap, Role

from .models import Organisation, OrganisationMember, Product, SupportGrant


def can_change_organisation(by, organisation: Organisation | None, project=None) -> bool:
    """The system, superusers, the organisation's own managers and members, and the managers of a
    project that supports it (an enterprise) or that it is joining. A partner's (or the lead's) staff
    never change another partner organisation."""
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
    if OrganisationMember.objects.filter(user=by, organisation=organisation).exists():
        return True
    return Membership.objects.filter(user=by, role=Role.MANAGER).filter(
        organisation=organisation).exists() or Membership.objects.filter(
        user=by, role=Role.MANAGER, project__partnerships__organisation=organisation,
        project__partnerships__role="supported").exists()


def organisation_save(*, organisation: Organisation, by, project=None, expected_version: int | None = None,
                      **values) -> Organisation:
    if not can_change_organisation(by, organisation, project):
        raise PermissionDenied(_("You may not change this organisation."))
    return save_and_audit(organisation, by=by, project=project, values=values, expected_version=expected_version)


@transaction.atomic
def product_save(*, product: Product, by, expected_version: int | None = None, **values) -> Product:
    if not can_change_organisation(by, product.organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    product = save_and_audit(product, by=by, values=values, expected_version=expected_version)
    _refresh_search_text(product.organisation)
    return product


@transaction.atomic
def product_delete(*, product: Product, by) -> None:
    if not can_change_organisation(by, product.organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    organisation = product.organisation
    delete_and_audit(product, by=by)
    _refresh_search_text(organisation)


def _refresh_search_text(organisation: Organisation) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(search_text=organisation.build_search_text())


# --- social economy structures supported by a project --------------------------------------------

LIFECYCLE_PAIRS = (("attestation_no", "attested_on"), ("social_mark_no", "social_mark_on"))


def _check_lifecycle(organisation: Organisation) -> None:
    """The lifecycle of an enterprise in order, and each certificate with both its number and date."""
    errors = {}
    for number, date in LIFECYCLE_PAIRS:
        has_number = bool((getattr(organisation, number) or "").strip())
        has_date = getattr(organisation, date) is not None
        if has_number and not has_date:
            errors[date] = _("Give the date of this certificate too.")
        elif has_date and not has_number:
            errors[number] = _("Give the number of this certificate too.")
    plan, founded, registered = organisation.business_plan_on, organisation.founded_on, organisation.registered_on
    if plan and founded and founded < plan:
        errors.setdefault("founded_on", _("The founding date is before the business plan."))
    if founded and registered and registered < founded:
        errors.setdefault("registered_on", _("The registration date is before the founding date."))
    cui = normalise_cui(organisation.cui) if organisation.cui else ""
    if registered and not cui:
        errors.setdefault("cui", _("A registered enterprise has a CUI (fiscal code)."))
    if cui and Organisation.objects.filter(cui=cui).exclude(pk=organisation.pk).exists():
        errors.setdefault("cui", _("Another organisation already has this CUI."))
    for date in ("attested_on", "social_mark_on"):
        value = getattr(organisation, date)
        if value and founded and value < founded:
            errors.setdefault(date, _("This date is before the founding date."))
    if errors:
        raise ValidationError(errors)


def _require_supported(project, organisation: Organisation) -> None:
    from socec.programmes.models import Partnership

    if not Partnership.objects.filter(project=project, organisation=organisation,
                                      role=Partnership.Role.SUPPORTED).exists():
        raise ValidationError({"organisation": _("%(org)s is not supported by project %(code)s.")
                               % {"org": organisation, "code": project.code}})


def enterprise_add(*, project, by, **values) -> Organisation:
    """A new social economy structure supported by the project: the organisation and its
    partnership (role `supported`), in one transaction, both audited."""
    from socec.programmes.models import Partnership

    require(by, project, Cap.MANAGE_PROJECT)
    values.setdefault("is_ses", True)
    organisation = Organisation()
    for key, value in values.items():
        setattr(organisation, key, value)
    with transaction.atomic():
        _check_lifecycle(organisation)
        organisation.full_clean()
        save_and_audit(organisation, by=by, project=project)
        save_and_audit(Partnership(project=project, organisation=organisation), by=by, project=project,
                       values={"role": Partnership.Role.SUPPORTED})
    return organisation


def enterprise_save(*, organisation: Organisation, project, by, expected_version: int | None = None,
                    **values) -> Organisation:
    """The lifecycle and details of an enterprise the project supports, by the project's managers."""
    require(by, project, Cap.MANAGE_PROJECT)
    _require_supported(project, organisation)
    with transaction.atomic():
        for key, value in values.items():
            setattr(organisation, key, value)
        _check_lifecycle(organisation)
        organisation.full_clean()
        return organisation_save(organisation=organisation, by=by, project=project,
                                 expected_version=expected_version)


def grant_save(*, grant: SupportGrant, by, expected_version: int | None = None, **values) -> SupportGrant:
    """Support the project gave an enterprise it supports."""
    for key, value in values.items():
        setattr(grant, key, value)
    require(by, grant.project, Cap.MANAGE_PROJECT)
    _require_supported(grant.project, grant.organisation)
    return audited_save(grant, by=by, project=grant.project, capability=Cap.MANAGE_PROJECT,
                        expected_version=expected_version)


def grant_delete(*, grant: SupportGrant, by) -> None:
    audited_delete(grant, by=by, project=grant.project, capability=Cap.MANAGE_PROJECT)


@transaction.atomic
def organisation_member_add(*, organisation: Organisation, user, by) -> OrganisationMember:
    """Lets `user` speak for `organisation` (public profile, answers to requests)."""
    if not can_change_organisation(by, organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    member = OrganisationMember.objects.filter(organisation=organisation, user=user).first()
    return member or save_and_audit(OrganisationMember(organisation=organisation, user=user), by=by)
