"""Staff pages to bring a workbook in (upload, check, confirm) and take it out (export, blank template)."""

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socec.programmes.access import get_project_for, project_access
from socec.programmes.roles import Cap

from . import services
from .export import export_project
from .models import ImportRun
from .report import ImportReport
from .schema import SHEET_NAMES
from .template import write_template

logger = logging.getLogger(__name__)


def _busy_message() -> str:
    # SQLite lets one writer at a time: a large import running in the background holds it.
    return _("The server is busy, probably with another import. Nothing was changed; try again in a few minutes.")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "zip": "application/zip"}
RECENT_RUNS = 10
MAX_ROW_LINKS = 200  # links to the rows with errors, per sheet


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook file"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.zip"}),
        error_messages={
            "required": gettext_lazy("Choose a file to check."),
            "empty": gettext_lazy("The file is empty (0 bytes). Choose the saved workbook and try again."),
            "invalid": gettext_lazy("No file was received. Choose the file again."),
        },
    )


def _upload_page(request, *, project=None, access=None):
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = services.import_run_create(upload=form.cleaned_data["file"], by=request.user)
            except ValidationError as exc:
                form.add_error("file", exc)
            except OperationalError:
                logger.warning("Upload refused: the database is busy", exc_info=True)
                form.add_error(None, _busy_message())
            else:
                services.import_run_start(run)
                return redirect("staff:workbook_run", run.pk)
    else:
        form = UploadForm()
    form.fields["file"].help_text = _("An Excel workbook (.xlsx) or a .zip archive of CSV files, up to %(size)s.") % {
        "size": filesizeformat(services.max_bytes())}
    runs = ImportRun.objects.filter(created_by=request.user).select_related("project")[:RECENT_RUNS]
    return render(request, "staff/workbook/upload.html", {
        "form": form,
        "project": project,
        "can_export": access is not None and access.can(Cap.SEE_IDENTIFIERS),
        "runs": runs,
    })


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    if not services.can_upload(request.user):
        raise PermissionDenied(_("You need a role in a project to import a workbook. Ask a project manager."))
    return _upload_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def project_workbook(request, code):
    project, access = get_project_for(request.user, code)
    return _upload_page(request, project=project, access=access)


# The report of one run --------------------------------------------------------------------------

def _ordered_sheets(names):
    order = {name: i for i, name in enumerate(SHEET_NAMES)}
    return sorted(names, key=lambda s: (s != "", order.get(s, len(order)), s))


def _summary_rows(report: ImportReport) -> tuple[list[dict], dict]:
    rows = [{"sheet": sheet, **{k: report.summary[sheet].get(k, 0) for k in ("created", "updated", "unchanged")}}
            for sheet in _ordered_sheets(report.summary)]
    total = {k: sum(r[k] for r in rows) for k in ("created", "updated", "unchanged")}
    return rows, total


def _sheet_label(sheet: str) -> str:
    return sheet or _("The file as a whole")


def _error_groups(report: ImportReport) -> list[dict]:
    """Errors per sheet, each with a unique anchor per row (err-<sheet>-<row>), linked from the sheet's list."""
    by_sheet = report.errors_by_sheet()
    groups, slugs = [], set()
    for sheet in _ordered_sheets(by_sheet):
        slug = base_slug = slugify(sheet) or "file"
        while slug in slugs:  # sheet names from the file may slug alike
            slug = f"{base_slug}-{len(slugs)}"
        slugs.add(slug)
        seen: dict[str, int] = {}
        items, links = [], []
        for issue in by_sheet[sheet]:
            base = f"err-{slug}-{issue.row}" if issue.row is not None else f"err-{slug}-sheet"
            n = seen.get(base, 0)
            seen[base] = n + 1
            anchor = base if n == 0 else f"{base}-{n + 1}"
            if n == 0 and issue.row is not None:
                links.append({"row": issue.row, "anchor": anchor})
            items.append({"issue": issue, "anchor": anchor})
        groups.append({"sheet": sheet, "label": _sheet_label(sheet), "id": f"sheet-{slug}", "count": len(items),
                       "items": items, "links": links[:MAX_ROW_LINKS],
                       "more_links": max(0, len(links) - MAX_ROW_LINKS)})
    return groups


def _announcement(run: ImportRun) -> tuple[str, str]:
    """What the live region says, and a key that changes only when that is worth saying again
    (the stage changes, or the progress passes another tenth)."""
    percent = run.percent
    key = f"{run.status}|{run.stage}|{'-' if percent is None else percent // 10}"
    if run.status == ImportRun.Status.IMPORTING:
        text = _("Importing")
    elif run.status == ImportRun.Status.VALIDATING:
        text = _("Checking the file")
    else:
        text = _("Waiting to start")
    if run.stage:
        text = _("%(what)s: %(stage)s") % {"what": text, "stage": _stage_label(run.stage)}
    if percent is not None:
        text = _("%(what)s, %(percent)s%% done.") % {"what": text, "percent": percent // 10 * 10}
    else:
        text = _("%(what)s…") % {"what": text}
    return key, text


def _stage_label(stage: str) -> str:
    if stage in SHEET_NAMES:
        return _("Sheet %(sheet)s") % {"sheet": stage}
    if stage == "done":
        return _("Finishing")
    return stage or _("Progress")


def _progress_context(run: ImportRun) -> dict:
    services.live_progress(run)
    key, text = _announcement(run)
    return {"run": run, "announce_key": key, "announce_text": text, "stage_label": _stage_label(run.stage)}


@login_required
@require_GET
def run_detail(request, pk):
    run = services.get_import_run_for(request.user, pk)
    report = ImportReport.from_dict(run.report) if run.report else None
    context = _progress_context(run)
    visible_project = run.project if run.project_id and project_access(request.user, run.project) else None
    context.update({
        "report": report,
        "visible_project": visible_project,
        "can_confirm": run.status == ImportRun.Status.VALIDATED and services.can_confirm(request.user, run),
        "interrupted": services.was_interrupted(run),
        "can_retry": services.can_retry(request.user, run),
    })
    if report is not None:
        context["summary_rows"], context["summary_total"] = _summary_rows(report)
        context["error_groups"] = _error_groups(report)
        context["error_count"] = len(report.errors)
        context["warning_items"] = [{"issue": w} for w in report.warnings]
    return render(request, "staff/workbook/run.html", context)


@require_GET
def run_progress(request, pk):
    """The polled fragment. When the run has finished the whole page reloads to show the report."""
    if not request.user.is_authenticated:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the reload leads to the sign-in page
        return response
    run = services.get_import_run_for(request.user, pk)
    context = _progress_context(run)
    html = render_to_string("staff/workbook/_progress.html", context, request=request)
    if run.is_running and request.GET.get("said") != context["announce_key"]:
        html += render_to_string("staff/workbook/_announce.html", context, request=request)
    response = HttpResponse(html)
    if not run.is_running:
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


def _run_action(request, pk, action, what: str):
    """Confirm or retry a run: the outcome as a message on the run's page."""
    run = services.get_import_run_for(request.user, pk)
    try:
        run = action(run, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except OperationalError:
        logger.warning("%s refused: the database is busy", what, exc_info=True)
        messages.error(request, _busy_message())
    else:
        if run.status == ImportRun.Status.DONE:
            messages.success(request, _("The workbook has been imported."))
        elif run.status == ImportRun.Status.FAILED:
            messages.error(request, _("The import did not succeed. Nothing was written; see the errors below."))
    return redirect("staff:workbook_run", run.pk)


@login_required
@require_POST
def run_confirm(request, pk):
    return _run_action(request, pk, services.import_run_confirm, "Confirmation")


@login_required
@require_POST
def run_retry(request, pk):
    """Runs again a check or an import that was interrupted (its background worker stopped)."""
    return _run_action(request, pk, services.import_run_retry, "Retry")


@login_required
@require_GET
def run_errors_csv(request, pk):
    return errors_csv_response(services.get_import_run_for(request.user, pk))


def errors_csv_response(run: ImportRun) -> HttpResponse:
    """An import's errors as a CSV download (sheet, row, column, problem); the staff page and the API."""
    report = ImportReport.from_dict(run.report) if run.report else ImportReport(file_name=run.original_name)
    stem = slugify(Path(run.original_name).stem) or "workbook"
    # The byte order mark lets spreadsheet programs read the diacritics as UTF-8.
    response = HttpResponse("\ufeff" + report.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.csv"'
    return response


# Downloads ------------------------------------------------------------------------------------------

def _temp_download(write, suffix: str, filename: str, content_type: str) -> FileResponse:
    """Writes a file with `write(path)` and streams it; the temporary file is gone once sent."""
    fd, path = tempfile.mkstemp(prefix="socec-", suffix=suffix)
    os.close(fd)
    try:
        write(path)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # the open handle keeps the content readable
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@login_required
@require_GET
def export(request, code, fmt):
    project, _access = get_project_for(request.user, code)
    filename = f"{project.code}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    # PermissionDenied (the user may not see identifiers) becomes the 403 page.
    return _temp_download(lambda path: export_project(project, path, by=request.user), f".{fmt}",
                          filename, CONTENT_TYPES[fmt])


@login_required
@require_GET
def template(request):
    language = (translation.get_language() or "ro").split("-")[0]
    return _temp_download(lambda path: write_template(path, language=language), ".xlsx",
                          f"socec-workbook-template-{language}.xlsx", XLSX)
