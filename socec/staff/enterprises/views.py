"""Staff pages for social economy structures (enterprises) and the jobs they create.

Every page is project-scoped (p/<code>/...): the project's members read, its managers change the
enterprises (Cap.MANAGE_PROJECT), managers and field workers record jobs (Cap.CHANGE_ACTIVITIES),
the auditor only reads. Writes go through socec.orgs.services and socec.jobs.services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socec.core.forms import apply_errors
from socec.core.locking import add_version_field, submitted_version
from socec.jobs.models import Job
from socec.jobs.services import employment_hire, employment_leave, job_save
from socec.orgs.models import Product, SupportGrant
from socec.orgs.services import enterprise_add, enterprise_save, grant_save, product_save
from socec.people.access import participations_visible_to
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.staff.exports import FORMATS, export_response
from socec.staff.selectors import role_label

from . import forms, selectors

PAGE_SIZE = 50


# --- helpers ------------------------------------------------------------------------------------


def _export_format(request) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _can_change_enterprise(access) -> bool:
    return access.can(Cap.MANAGE_PROJECT)


def _can_change_jobs(access) -> bool:
    return access.can(Cap.CHANGE_ACTIVITIES)


# --- enterprises --------------------------------------------------------------------------------


@login_required
@require_GET
def enterprises(request, code):
    project, access = get_project_for(request.user, code)
    today = dt.date.today()
    form = forms.EnterpriseFilterForm(request.GET or None)
    filters = selectors.EnterpriseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.EnterpriseFilters(county=data["county"].code if data["county"] else "",
                                              legal_form=data["legal_form"], attested=data["attested"],
                                              insertion=data["insertion"])
    rows = selectors.enterprise_rows(project, filters, today)
    fmt = _export_format(request)
    if fmt:
        return export_response(fmt, filename=f"{project.code}-enterprises", sheet="enterprises",
                               headers=selectors.enterprise_export_headers(),
                               rows=selectors.enterprise_export_rows(rows))
    return render(request, "staff/enterprises/list.html", {
        "project": project, "role": role_label(access), "form": form, "page": _page(request, rows),
        "query": _query_without_page(request), "today": today, "can_add": _can_change_enterprise(access),
    })


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_add_view(request, code):
    project, access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    form = forms.EnterpriseAddForm(request.POST or None, initial={"is_ses": True})
    if request.method == "POST" and form.is_valid():
        try:
            org = enterprise_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Enterprise %(name)s added to the project.") % {"name": org.name})
            return redirect("staff:enterprise", code=project.code, org_code=org.code)
    return render(request, "staff/enterprises/form.html", {
        "project": project, "form": form, "title": _("Add an enterprise supported by the project"),
    }, status=400 if form.errors else 200)


def _enterprise_context(request, project, access, org, *, grant_form=None, product_form=None) -> dict:
    today = dt.date.today()
    on_form = forms.OnDateForm(request.GET or None)
    check = selectors.art10_check(request.user, access, project, org, on_form.day())
    can_change = _can_change_enterprise(access)
    return {
        "project": project, "role": role_label(access), "org": org, "today": today,
        "attestation": selectors.attestation(org, today), "social_mark": selectors.social_mark(org, today),
        "on_form": on_form, "check": check, "sentence": selectors.art10_sentence(check),
        "grants": SupportGrant.objects.filter(organisation=org, project=project).order_by("granted_on", "pk"),
        "products": org.products.all(),
        "jobs_count": Job.objects.filter(project=project, employer=org).count(),
        "can_change": can_change,
        "grant_form": grant_form or (forms.GrantForm() if can_change else None),
        "product_form": product_form or (forms.ProductForm() if can_change else None),
    }


@login_required
@require_GET
def enterprise(request, code, org_code):
    project, access, org = selectors.get_enterprise_for(request.user, code, org_code)
    return render(request, "staff/enterprises/detail.html", _enterprise_context(request, project, access, org))


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, code, org_code):
    project, access, org = selectors.get_enterprise_for(request.user, code, org_code, Cap.MANAGE_PROJECT)
    form = add_version_field(forms.EnterpriseForm(request.POST or None, instance=org), org)
    if request.method == "POST" and form.is_valid():
        version = submitted_version(form)
        try:
            enterprise_save(organisation=org, project=project, by=request.user, expected_version=version,
                            **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Enterprise saved."))
            return redirect("staff:enterprise", code=project.code, org_code=org.code)
    return render(request, "staff/enterprises/form.html", {
        "project": project, "org": org, "form": form, "title": _("Change %(name)s") % {"name": org.name},
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_grants(request, code, org_code):
    """GET: the support grants as CSV/XLSX; POST: record a grant."""
    if request.method == "GET":
        project, access, org = selectors.get_enterprise_for(request.user, code, org_code)
        fmt = _export_format(request)
        if not fmt:
            return redirect(reverse("staff:enterprise", args=[project.code, org.code]) + "#grants-title")
        grants = SupportGrant.objects.filter(organisation=org, project=project).order_by("granted_on", "pk")
        return export_response(fmt, filename=f"{project.code}-{org.code}-grants",
                               headers=[_("Date granted"), _("Amount (lei)"), _("De minimis aid"), _("Description")],
                               rows=([g.granted_on, g.amount, _("yes") if g.de_minimis else _("no"), g.description]
                                     for g in grants), sheet="grants")
    project, access, org = selectors.get_enterprise_for(request.user, code, org_code, Cap.MANAGE_PROJECT)
    form = forms.GrantForm(request.POST)
    if form.is_valid():
        try:
            grant_save(grant=SupportGrant(organisation=org, project=project), by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Support grant recorded."))
            return redirect(reverse("staff:enterprise", args=[project.code, org.code]) + "#grants-title")
    return render(request, "staff/enterprises/detail.html",
                  _enterprise_context(request, project, access, org, grant_form=form), status=400)


@login_required
@require_POST
def enterprise_products(request, code, org_code):
    project, access, org = selectors.get_enterprise_for(request.user, code, org_code, Cap.MANAGE_PROJECT)
    form = forms.ProductForm(request.POST)
    if form.is_valid():
        try:
            product_save(product=Product(organisation=org), by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Product or service added."))
            return redirect(reverse("staff:enterprise", args=[project.code, org.code]) + "#products-title")
    return render(request, "staff/enterprises/detail.html",
                  _enterprise_context(request, project, access, org, product_form=form), status=400)


@login_required
@require_GET
def enterprise_reminders(request, code):
    project, access = get_project_for(request.user, code)
    today = dt.date.today()
    rows = selectors.reminders(project, today)
    fmt = _export_format(request)
    if fmt:
        return export_response(fmt, filename=f"{project.code}-enterprise-reminders", sheet="reminders", headers=[
            _("Enterprise"), _("Certificate"), _("Number"), _("Issued on"), _("Valid until"), _("Status"),
            _("Days left")], rows=([r["org"].name, r["validity"].kind_label, r["validity"].number,
                                    r["validity"].issued_on, r["validity"].valid_until, r["validity"].status_label,
                                    r["days"]] for r in rows))
    return render(request, "staff/enterprises/reminders.html", {
        "project": project, "role": role_label(access), "page": _page(request, rows), "today": today,
        "days": selectors.REMINDER_DAYS, "query": _query_without_page(request),
    })


# --- jobs ---------------------------------------------------------------------------------------


def _job_headers():
    return [_("Code"), _("Title"), _("Created on"), _("Hours per week"), _("Employments"), _("Held today")]


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_jobs(request, code, org_code):
    """GET: the enterprise's jobs in the project (and their export); POST: create a job."""
    project, access, org = selectors.get_enterprise_for(
        request.user, code, org_code, Cap.CHANGE_ACTIVITIES if request.method == "POST" else None)
    today = dt.date.today()
    form = None
    if request.method == "POST":
        form = forms.JobForm(request.POST)
        if form.is_valid():
            try:
                job = job_save(job=Job(project=project, employer=org), by=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Job %(code)s created.") % {"code": job.code})
                return redirect("staff:job", code=project.code, org_code=org.code, job_code=job.code)
    jobs = selectors.enterprise_jobs(project, org, today)
    fmt = _export_format(request) if request.method == "GET" else None
    if fmt:
        return export_response(fmt, filename=f"{project.code}-{org.code}-jobs", headers=_job_headers(), sheet="jobs",
                               rows=([j.code, j.title, j.created_on, j.hours_per_week, j.employments_count,
                                      _("yes") if j.held_today else _("no")] for j in jobs))
    can_change = _can_change_jobs(access)
    return render(request, "staff/enterprises/jobs.html", {
        "project": project, "role": role_label(access), "org": org, "page": _page(request, jobs),
        "query": _query_without_page(request), "can_change": can_change,
        "form": form or (forms.JobForm(initial={"created_on": today, "hours_per_week": 40}) if can_change else None),
    }, status=400 if form is not None and form.errors else 200)


def _job_page(request, project, access, org, job, *, hire_form=None, leave_errors=None, status=200):
    rows, hidden = selectors.job_employments(request.user, access, project, job)
    can_change = _can_change_jobs(access)
    for row in rows:
        errors = (leave_errors or {}).get(row["employment"].pk)
        row["leave_form"] = errors or (add_version_field(forms.LeaveForm(prefix=f"e{row['employment'].pk}"),
                                                         row["employment"])
                                       if can_change and not row["employment"].end_date else None)
    return render(request, "staff/enterprises/job.html", {
        "project": project, "role": role_label(access), "org": org, "job": job, "rows": rows, "hidden": hidden,
        "can_change": can_change,
        "hire_form": hire_form or (forms.HireForm(initial={"start_date": dt.date.today()}) if can_change else None),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def job(request, code, org_code, job_code):
    """GET: the job and who holds it; POST: hire someone."""
    project, access, org, job = selectors.get_job_for(
        request.user, code, org_code, job_code, Cap.CHANGE_ACTIVITIES if request.method == "POST" else None)
    if request.method == "GET":
        return _job_page(request, project, access, org, job)
    form = forms.HireForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        participation = None
        ref = data["person_ref"].strip()
        if ref:
            participation = participations_visible_to(request.user, project).filter(person_ref=ref).first()
            if participation is None:
                form.add_error("person_ref", _("No participant with this reference among those you may see in "
                                               "the project."))
        if not form.errors:
            vulnerable = {"yes": True, "no": False}.get(data["vulnerable"])
            try:
                employment_hire(job=job, by=request.user, start_date=data["start_date"],
                                participation=participation, person_name="" if participation else data["person_name"],
                                hours_per_week=data["hours_per_week"], vulnerable=vulnerable,
                                vulnerable_category=data["vulnerable_category"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Employment recorded."))
                return redirect("staff:job", code=project.code, org_code=org.code, job_code=job.code)
    return _job_page(request, project, access, org, job, hire_form=form, status=400)


@login_required
@require_POST
def employment_leave_view(request, code, org_code, job_code, pk):
    project, access, org, job = selectors.get_job_for(request.user, code, org_code, job_code)
    employment = selectors.get_employment_for(request.user, job, pk)
    if not _can_change_jobs(access):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    form = add_version_field(forms.LeaveForm(request.POST, prefix=f"e{employment.pk}"), employment)
    if form.is_valid():
        try:
            employment_leave(employment=employment, by=request.user, end_date=form.cleaned_data["end_date"],
                             expected_version=submitted_version(form))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("End of employment recorded."))
            return redirect("staff:job", code=project.code, org_code=org.code, job_code=job.code)
    return _job_page(request, project, access, org, job, leave_errors={employment.pk: form}, status=400)


@login_required
@require_GET
def jobs_sustainability(request, code):
    project, access = get_project_for(request.user, code)
    form = forms.SustainabilityForm(request.GET or None)
    months = form.months_value()
    found = selectors.sustainability(project, months)
    fmt = _export_format(request)
    if fmt:
        return export_response(fmt, filename=f"{project.code}-jobs-after-{months}-months", sheet="sustainability",
                               headers=[_("Employer"), _("Job"), _("Title"), _("Created on"), _("Hours per week"),
                                        _("Held on %(date)s") % {"date": found["check_on"].isoformat()},
                                        _("Employees on that date")],
                               rows=([j.employer.name, j.code, j.title, j.created_on, j.hours_per_week,
                                      _("yes") if j.held else _("no"), j.holders] for j in found["jobs"]))
    return render(request, "staff/enterprises/sustainability.html", {
        "project": project, "role": role_label(access), "form": form, "months": months, "found": found,
        "page": _page(request, found["jobs"]), "query": _query_without_page(request),
    })


