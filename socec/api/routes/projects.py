"""Projects: the ones the user is a member of (all for a superuser), with the user's role."""

import datetime as dt

from ninja import Router, Schema

from socec.programmes.access import get_project_for, project_access, projects_visible_to
from socec.programmes.selectors import project_overview, project_partnerships

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
