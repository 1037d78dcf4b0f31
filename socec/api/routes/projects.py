"""Projects: the ones the user is a member of (all for a superuser), with the user's role; their partners,
targets and staff, changed by the roles with MANAGE_PROJECT (the services' own check: there is no staff page
for these)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from socec.indicators.definitions import CODES
from socec.orgs.models import Organisation
from socec.places.models import County, Region
from socec.programmes.access import get_project_for, project_access, projects_visible_to
from socec.programmes.models import Membership, Partnership, Target
from socec.programmes.roles import Cap, Role
from socec.programmes.selectors import project_overview, project_partnerships
from socec.programmes.services import membership_grant, partnership_set, target_set

from ..base import DEFAULT_LIMIT, Id, Limit, Page, ShortText, paginate, responses

router = Router(tags=["projects"])


class PartnerOut(Schema):
    organisation_id: Id
    organisation: str
    name: str
    role: str


class ProjectOut(Schema):
    id: int
    code: ShortText
    title: str
    programme: str
    funder: str
    start_date: dt.date
    end_date: dt.date
    lead_organisation: str
    role: str
    capabilities: list[str]
    whole_project: bool


class ProjectDetailOut(ProjectOut):
    description: str
    partners: list[PartnerOut]
    overview: dict[str, int | bool]


def project_out(user, project) -> dict:
    access = project_access(user, project)
    return {"id": project.pk, "code": project.code, "title": project.title, "programme": project.programme,
            "funder": project.funder, "start_date": project.start_date, "end_date": project.end_date,
            "lead_organisation": project.lead_organisation.code, "role": access.role,
            "capabilities": sorted(access.capabilities), "whole_project": access.whole_project}


@router.get("/projects", response=responses(Page[ProjectOut]), summary="List your projects")
def project_list(request, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    qs = projects_visible_to(request.user).select_related("lead_organisation")
    return paginate(qs, cursor, limit, lambda p: project_out(request.user, p))


@router.get("/projects/{code}", response=responses(ProjectDetailOut), summary="Get a project")
def project_get(request, code: ShortText):
    project, _access = get_project_for(request.user, code)
    out = project_out(request.user, project)
    out.update(description=project.description, overview=project_overview(project, request.user), partners=[
        {"organisation_id": p.organisation_id, "organisation": p.organisation.code, "name": p.organisation.name,
         "role": p.role} for p in project_partnerships(project)])
    return out


# --- partners, targets and staff (the project managers' writes, through socec.programmes.services) -------


class PartnershipOut(Schema):
    id: int
    organisation_id: Id
    organisation: str
    name: str
    role: str


class PartnershipIn(Schema):
    organisation_id: Id
    role: Literal[tuple(Partnership.Role.values)]


def partnership_out(p: Partnership) -> dict:
    return {"id": p.pk, "organisation_id": p.organisation_id, "organisation": p.organisation.code,
            "name": p.organisation.name, "role": p.role}


@router.get("/projects/{code}/partners", response=responses(Page[PartnershipOut]),
            summary="The organisations in the project and their role")
def partner_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access = get_project_for(request.user, code)
    return paginate(project.partnerships.select_related("organisation"), cursor, limit, partnership_out)


@router.post("/projects/{code}/partners", response=responses(PartnershipOut),
             summary="Add an organisation to the project or change its role (lead, partner, supported, none)")
def partner_set(request, code: ShortText, payload: PartnershipIn):
    project, _access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation_id": _("There is no organisation with this id.")})
    row = partnership_set(project=project, organisation=organisation, role=payload.role, by=request.user)
    return partnership_out(row)


class TargetOut(Schema):
    id: int
    indicator: str
    value: Decimal
    region: str | None
    county: str | None


class TargetIn(Schema):
    indicator: Literal[tuple(CODES)]
    value: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    region: ShortText | None = Field(None, max_length=4, description="a region code, or none")
    county: ShortText | None = Field(None, max_length=2, description="a county code, or none (not both)")


def target_out(t: Target) -> dict:
    return {"id": t.pk, "indicator": t.indicator, "value": t.value, "region": t.region_id, "county": t.county_id}


@router.get("/projects/{code}/targets", response=responses(Page[TargetOut]), summary="The project's targets")
def target_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access = get_project_for(request.user, code)
    return paginate(Target.objects.filter(project=project), cursor, limit, target_out)


@router.post("/projects/{code}/targets", response=responses(TargetOut),
             summary="Set an indicator's target (project-wide, for a region or for a county)")
def target_put(request, code: ShortText, payload: TargetIn):
    project, _access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    region = county = None
    if payload.region and payload.county:
        raise ValidationError({"county": _("A target is for a region or a county, not both.")})
    if payload.region:
        region = Region.objects.filter(pk=payload.region.upper()).first()
        if region is None:
            raise ValidationError({"region": _("%(code)s is not a region code.") % {"code": payload.region}})
    if payload.county:
        county = County.objects.filter(pk=payload.county.upper()).first()
        if county is None:
            raise ValidationError({"county": _("%(code)s is not a county code.") % {"code": payload.county}})
    row = target_set(project=project, indicator=payload.indicator, value=payload.value, region=region, county=county,
                     by=request.user)
    return target_out(row)


class MemberOut(Schema):
    id: int
    username: str
    organisation_id: Id
    organisation: str
    role: str


class MemberIn(Schema):
    username: ShortText = Field(max_length=150)
    organisation_id: Id
    role: Literal[tuple(Role.values)]


def member_out(m: Membership) -> dict:
    return {"id": m.pk, "username": m.user.get_username(), "organisation_id": m.organisation_id,
            "organisation": m.organisation.code, "role": m.role}


@router.get("/projects/{code}/members", response=responses(Page[MemberOut]),
            summary="The project's staff and their roles (for the project's managers)")
def member_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    return paginate(Membership.objects.filter(project=project).select_related("user", "organisation"), cursor, limit,
                    member_out)


@router.post("/projects/{code}/members", response=responses(MemberOut),
             summary="Give a user a role in the project, for an organisation (or change it)")
def member_set(request, code: ShortText, payload: MemberIn):
    project, _access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    errors = {}
    user = get_user_model().objects.filter(username=payload.username.strip(), is_active=True).first()
    if user is None:
        errors["username"] = _("No active user has this user name.")
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        errors["organisation_id"] = _("There is no organisation with this id.")
    if errors:
        raise ValidationError(errors)
    row = membership_grant(project=project, user=user, organisation=organisation, role=payload.role, by=request.user)
    return member_out(row)
