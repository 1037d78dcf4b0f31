"""Writes about projects, partnerships, targets and staff roles."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record, diff, snapshot
from socec.core.services import audited_save

from .access import forget_access, require
from .models import Membership, Partnership, Project, Target
from .roles import Cap, Role


def require_lead_manager(by, project: Project) -> None:
    """What concerns the whole project (its details, retention date, partners, targets) is decided by the lead
    organisation's managers: a partner's manager manages only their own organisation's part."""
    access = require(by, project, Cap.MANAGE_PROJECT)
    if not access.whole_project:
        raise PermissionDenied(_("Only the managers of the project's lead organisation can change this."))


def project_save(*, project: Project, by, regions=None, **values) -> Project:
    """Creating a project is for the system and superusers; the lead organisation's managers may change it."""
    if project.pk is None:
        if by is not None and not by.is_superuser:
            raise PermissionDenied(_("Only an administrator can create a project."))
    else:
        require_lead_manager(by, project)
    with transaction.atomic():
        before = snapshot(Project.objects.get(pk=project.pk)) if project.pk else {}
        before_regions = sorted(project.regions.values_list("code", flat=True)) if project.pk else []
        for k, v in values.items():
            setattr(project, k, v)
        project.full_clean()
        project.save()
        changes = diff(before, snapshot(project))
        if regions is not None:
            project.regions.set(regions)
            after_regions = sorted(project.regions.values_list("code", flat=True))
            if after_regions != before_regions:
                changes["regions"] = [before_regions, after_regions]
        # The lead organisation is always the project's lead partner.
        lead, _created = Partnership.objects.get_or_create(
            project=project, organisation=project.lead_organisation, defaults={"role": Partnership.Role.LEAD})
        if lead.role != Partnership.Role.LEAD:
            lead.role = Partnership.Role.LEAD
            lead.save(update_fields=["role"])
        Partnership.objects.filter(project=project, role=Partnership.Role.LEAD).exclude(
            organisation=project.lead_organisation).update(role=Partnership.Role.PARTNER)
        if not before or changes:
            audit_record(by=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
                         obj=project, project=project, changes=changes)
    return project


def partnership_set(*, project: Project, organisation, role: str, by) -> Partnership:
    if role == Partnership.Role.LEAD and organisation.pk != project.lead_organisation_id:
        raise ValidationError({"role": _("Only the project's lead organisation can have the lead role; "
                                         "change the project's lead organisation instead.")})
    if organisation.pk == project.lead_organisation_id and role != Partnership.Role.LEAD:
        raise ValidationError({"role": _("The lead organisation keeps the lead role.")})
    require_lead_manager(by, project)
    row = Partnership.objects.filter(project=project, organisation=organisation).first() or Partnership(
        project=project, organisation=organisation)
    return audited_save(row, by=by, project=project, capability=Cap.MANAGE_PROJECT, values={"role": role})


def target_set(*, project: Project, indicator: str, value, by, region=None, county=None) -> Target:
    require_lead_manager(by, project)
    row = Target.objects.filter(project=project, indicator=indicator, region=region, county=county).first() or Target(
        project=project, indicator=indicator, region=region, county=county)
    return audited_save(row, by=by, project=project, capability=Cap.MANAGE_PROJECT, values={"value": value})


def membership_grant(*, project: Project, user, organisation, role: str, by) -> Membership:
    if role != Role.AUDITOR and not Partnership.objects.filter(
            project=project, organisation=organisation, role__in=["lead", "partner"]).exists():
        raise ValidationError({"organisation": _("Staff work for the lead organisation or a partner; "
                                                 "%(org)s is neither in this project.") % {"org": organisation}})
    access = require(by, project, Cap.MANAGE_PROJECT)
    row = Membership.objects.filter(project=project, user=user).first() or Membership(project=project, user=user)
    if not access.whole_project and (organisation.pk != access.organisation_id or role == Role.AUDITOR or (
            row.pk and row.organisation_id != access.organisation_id)):
        raise PermissionDenied(_("A partner's managers give roles only to their own organisation's staff."))
    result = audited_save(row, by=by, project=project, capability=Cap.MANAGE_PROJECT,
                          values={"organisation": organisation, "role": role})
    forget_access(user)
    return result
