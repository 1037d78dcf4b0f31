"""Staff pages of the indicators: a project's dashboard and report, the records behind any figure,
the report's downloads, the all-projects view, and the snapshots sent to the funder."""

import datetime as dt
import io
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.people.models import Identity, Participation, VulnerableCategory
from socec.people.services import mask_identity
from socec.programmes.access import get_project_for, project_access, projects_visible_to
from socec.programmes.roles import Cap

from . import engine, selectors
from .definitions import BY_CODE, CODES
from .models import Snapshot
from .services import snapshot_changes, snapshot_take

PAGE = 50


def _as_of(request, data=None) -> dt.date:
    """The date D asked for (GET, or the posted form); today when absent or not a date."""
    text = (request.GET if data is None else data).get("as_of") or ""
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        return dt.date.today()


def _rows(rep: dict) -> list[dict]:
    rows = []
    for code in CODES:
        entry = rep["indicators"][code]
        target = entry.get("target")
        rows.append({"code": code, "name": entry["name"], "value": entry["value"], "target": target,
                     "pct": round(100 * entry["value"] / target) if target else None,
                     "unit": BY_CODE[code].unit, "refused": entry.get("refused"), "by": entry.get("by", {})})
    return rows


def _bars(parts: dict, labels: dict | None = None) -> list[dict]:
    top = max(parts.values(), default=0) or 1
    return [{"key": k, "label": (labels or {}).get(k, k), "value": v, "pct": round(100 * v / top, 1)}
            for k, v in sorted(parts.items(), key=lambda kv: (-kv[1], kv[0]))]


@login_required
def dashboard(request, code):
    project, access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    as_of = _as_of(request)
    scope = engine.Scope(project)
    rep = engine.report(scope, as_of)
    rows = _rows(rep)
    people = rep["indicators"]["EECO01"]["by"]
    entered = scope.filter(Participation.objects.filter(entry_date__lte=as_of))  # no age: no join with persons
    categories = dict(VulnerableCategory.objects.values_list("code", "name_ro" if request.LANGUAGE_CODE == "ro"
                                                              else "name_en"))
    vulnerable = dict(entered.filter(vulnerable__isnull=False).values_list("vulnerable").annotate(n=Count("pk"))
                      .order_by())
    # grouped by day in the database, by month here (SQLite truncates dates with a Python function: slow)
    months = {}
    for day, n in entered.values_list("entry_date").annotate(n=Count("pk")).order_by():
        months.setdefault(day.replace(day=1), [0, 0])[0] += n
    for day, n in engine.jobs_created(scope, as_of).values_list("created_on").annotate(n=Count("pk")).order_by():
        months.setdefault(day.replace(day=1), [0, 0])[1] += n
    top = max([max(v) for v in months.values()], default=0) or 1
    timeline = [{"month": m, "entries": v[0], "jobs": v[1], "entries_pct": round(100 * v[0] / top, 1),
                 "jobs_pct": round(100 * v[1] / top, 1)} for m, v in sorted(months.items())]
    charts = [
        (_("Participants by county"), "county", _bars(people.get("county", {}))),
        (_("Participants by region"), "region", _bars(people.get("region", {}))),
        (_("Participants by sex"), "sex", _bars(people.get("sex", {}), {"F": _("women"), "M": _("men"),
                                                                         "X": _("other / not stated")})),
        (_("Participants by area"), "area", _bars(people.get("area", {}), {"urban": _("urban"), "rural": _("rural")})),
    ]
    return render(request, "indicators/dashboard.html", {
        "project": project, "as_of": as_of, "rows": rows, "charts": charts,
        "targets": [r for r in rows if r["target"]],
        "vulnerable": _bars(vulnerable, categories), "timeline": timeline,
        "can_snapshot": access.can(Cap.MANAGE_PROJECT),
        "snapshots": Snapshot.objects.filter(project=project).order_by("-taken_at")[:10],
    })


@login_required
def overview(request):
    """All the projects the user may see reports of, together."""
    codes = [p.code for p in projects_visible_to(request.user).order_by("code")
             if (a := project_access(request.user, p)) is not None and a.can(Cap.VIEW_REPORTS)]
    if not codes:
        raise PermissionDenied(_("You may not see the reports of any project."))
    as_of = _as_of(request)
    everything = request.user.is_superuser
    scope = engine.Scope() if everything else engine.Scope(projects=tuple(codes))
    rep = engine.report(scope, as_of)
    # per project, two headline figures from one grouped query each (not a report per project)
    entered = dict(engine.entered(scope, as_of).values_list("project__code").annotate(n=Count("pk")).order_by())
    jobs = dict(engine.jobs_created(scope, as_of).values_list("project__code").annotate(n=Count("pk")).order_by())
    per_project = [{"code": code, "EECO01": entered.get(code, 0), "SE04": jobs.get(code, 0)} for code in codes[:200]]
    return render(request, "indicators/overview.html", {
        "as_of": as_of, "rows": _rows(rep), "report": rep, "per_project": per_project, "codes": codes,
        "more": len(codes) > 200})


def _extra(project) -> dict:
    from .management.commands.report import _extra as extra

    return extra(engine.Scope(project))


@login_required
def download(request, code, fmt):
    from . import render as rendering

    project, _access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    as_of = _as_of(request)
    rep = engine.report(engine.Scope(project), as_of)
    name = f"{project.code}-{as_of.isoformat()}"
    if fmt == "json":
        return HttpResponse(json.dumps(rep, ensure_ascii=False, indent=1), content_type="application/json",
                            headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
    if fmt == "csv":
        return HttpResponse(rendering.to_csv(rep), content_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    buf = io.BytesIO()
    if fmt == "xlsx":
        rendering.to_xlsx(rep, buf, extra=_extra(project))
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        rendering.to_pdf(rep, buf, extra=_extra(project))
        ctype = "application/pdf"
    return HttpResponse(buf.getvalue(), content_type=ctype,
                        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@login_required
def behind(request, code, indicator):
    """The records behind one figure; participants the user may not see are counted, not listed."""
    project, access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    as_of = _as_of(request)
    breakdown, part = request.GET.get("by", ""), request.GET.get("part", "")
    found = selectors.records_for_user(request.user, access, project, indicator, as_of, breakdown, part)
    qs, hidden = found.queryset, found.not_visible
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    records = list(page.object_list)
    names = {}
    if found.kind == selectors.PEOPLE and records:
        names = _names(request.user, access, project, records)
    return render(request, "indicators/behind.html", {
        "project": project, "as_of": as_of, "code": indicator, "name": BY_CODE[indicator].name,
        "breakdown": breakdown, "part": part, "kind": found.kind, "page": page, "records": records,
        "names": names, "hidden": hidden, "people": selectors.PEOPLE, "orgs": selectors.ORGANISATIONS,
        "jobs": selectors.JOBS, "events": selectors.EVENTS, "campaigns": selectors.CAMPAIGNS})


def _names(user, access, project, records) -> dict[int, str]:
    """Names for the list: in clear for roles that see identifiers (one logged view for the page),
    initials for the others."""
    identities = {i.person_id: i for i in Identity.objects.filter(person_id__in=[r.person_id for r in records])}
    if access.can(Cap.SEE_IDENTIFIERS):
        audit_record(by=user, action=AuditEntry.Action.VIEW_IDENTIFIERS, obj=project, project=project,
                     reason=(_("list of the records behind a figure: %(refs)s") % {
                         "refs": ", ".join(r.person_ref for r in records)})[:300])
        return {r.pk: (f"{identities[r.person_id].first_name} {identities[r.person_id].last_name}"
                       if r.person_id in identities else _("(erased)")) for r in records}
    return {r.pk: mask_identity(identities.get(r.person_id))["full_name"] for r in records}


@login_required
@require_POST
def snapshot_create(request, code):
    project, _access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    snapshot = snapshot_take(project=project, as_of=_as_of(request, request.POST), by=request.user,
                             note=request.POST.get("note", "")[:300])
    return redirect("staff:report_snapshot", code=project.code, pk=snapshot.pk)


@login_required
def snapshot_detail(request, code, pk):
    project, _access = get_project_for(request.user, code, Cap.VIEW_REPORTS)
    snapshot = get_object_or_404(Snapshot, project=project, pk=pk)
    return render(request, "indicators/snapshot.html", {
        "project": project, "snapshot": snapshot, "rows": _rows(snapshot.data),
        "changes": snapshot_changes(snapshot)})
