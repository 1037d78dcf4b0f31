"""Staff pages for personal data: a person's subject access export, erasure on request, and a project's
retention date with the preview of what its passing erases."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socec.core.forms import DateInput, apply_errors
from socec.people.access import get_participation_by_ref, participations_visible_to
from socec.people.export import subject_access_export
from socec.people.models import Identity
from socec.people.retention import project_retention
from socec.people.services import participant_erase
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.programmes.services import project_save

LIST_LIMIT = 500  # person references listed on the retention page (the counts are always whole)


class ExportForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Request"), max_length=250, required=False,
                             help_text=gettext_lazy("For example: the person's written request of 3 March 2025. "
                                                    "Recorded in the audit log with your name."))

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class EraseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why are the identifiers erased?"), max_length=250,
                             help_text=gettext_lazy("For example: the person's request of 3 March 2025. Recorded "
                                                    "in the audit log with your name."))
    confirm = forms.BooleanField(label=gettext_lazy("I understand that the names, CNP, contacts and evidence "
                                                    "documents are deleted for good, in every project."))


class RetentionForm(forms.Form):
    retention_until = forms.DateField(label=gettext_lazy("Keep participants' identifiers until"), required=False,
                                      widget=DateInput(),
                                      help_text=gettext_lazy("Empty: not set, nothing is erased."))


def _export_allowed(access) -> bool:
    return access.can(Cap.SEE_IDENTIFIERS) or access.can(Cap.REVEAL_IDENTIFIERS)


@login_required
def participant_export(request, code, ref):
    """GET: what the export holds, and the form; POST: the ZIP."""
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref)
    if not _export_allowed(access):
        raise PermissionDenied(_("Your role does not allow seeing identifiers."))
    reason_required = not access.can(Cap.SEE_IDENTIFIERS)
    form = ExportForm(request.POST or None, reason_required=reason_required)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                data = subject_access_export(participation=p, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                name = f"{project.code}-{p.person_ref}-personal-data-{timezone.localdate().isoformat()}.zip"
                response = HttpResponse(data, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="{name.replace("/", "_")}"'
                response["Cache-Control"] = "no-store"
                return response
        status = 400
    return render(request, "staff/participants/export.html", {
        "project": project, "p": p, "form": form, "title": _("Export this person's data")}, status=status)


@login_required
def participant_erase_view(request, code, ref):
    """Erasure on the person's request (a project manager's decision, with a reason)."""
    project, _access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    p, _access = get_participation_by_ref(request.user, project, ref)
    erased = not Identity.objects.filter(person_id=p.person_id).exists()
    form = EraseForm(request.POST or None)
    status = 200
    if request.method == "POST" and not erased:
        if form.is_valid():
            try:
                participant_erase(participation=p, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The identifiers of %(ref)s have been erased.") % {"ref": p.person_ref})
                return redirect(reverse("staff:participant", args=[project.code, p.person_ref]))
        status = 400
    return render(request, "staff/participants/erase.html", {
        "project": project, "p": p, "form": form, "erased": erased,
        "title": _("Erase identifiers")}, status=status)


@login_required
def retention(request, code):
    """A project's retention date (its managers set it) and what its passing erases."""
    project, access = get_project_for(request.user, code, Cap.MANAGE_PROJECT)
    form = RetentionForm(request.POST or None, initial={
        "retention_until": project.retention_until or project.suggested_retention_until})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project_save(project=project, by=request.user, retention_until=form.cleaned_data["retention_until"])
            except ValidationError as exc:
                project.refresh_from_db()
                apply_errors(form, exc, rename={"__all__": "retention_until"})
            else:
                messages.success(request, _("The retention date has been saved."))
                return redirect(reverse("staff:participants_retention", args=[project.code]))
        status = 400
    today = timezone.localdate()
    visible = participations_visible_to(request.user, project)
    until = project.retention_until
    # Before the date: what its passing would erase if nothing changed until then.
    on = today if until is None or until < today else until + dt.timedelta(days=1)
    preview = project_retention(project, today=on, participations=visible, limit=LIST_LIMIT) if until else None
    return render(request, "staff/participants/retention.html", {
        "project": project, "form": form, "preview": preview, "today": today, "on": on,
        "suggested": project.suggested_retention_until, "whole_project": access.whole_project,
        "limit": LIST_LIMIT,
    }, status=status)
