"""Workbook imports (upload, status, confirm) and a project's export, through socec.workbook.services as
the staff workbook pages: a run is seen by the person who uploaded it (404 for anyone else); it is
checked right after the upload (a dry run), then imported once confirmed by the uploader or a project
manager. Large files are checked and imported in the background: poll the run."""

import contextlib
import datetime as dt
import os
import tempfile
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from socec.programmes.access import get_project_for
from socec.workbook import services
from socec.workbook.export import export_project
from socec.workbook.models import ImportRun
from socec.workbook.template import write_template
from socec.workbook.views import errors_csv_response

from ..base import CSV, DEFAULT_LIMIT, XLSX, ZIP, Id, Limit, Page, ShortText, binary, paginate, responses

router = Router(tags=["workbook"])
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip": "application/zip"}


class RunOut(Schema):
    id: int
    original_name: str
    size: int
    status: str
    project: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    progress_done: int
    progress_total: int | None
    stage: str
    can_confirm: bool
    report: dict[str, Any]


def run_out(request, run: ImportRun) -> dict:
    return {"id": run.pk, "original_name": run.original_name, "size": run.size, "status": run.status,
            "project": run.project.code if run.project_id else None, "created_at": run.created_at,
            "updated_at": run.updated_at, "progress_done": run.progress_done, "progress_total": run.progress_total,
            "stage": run.stage, "report": run.report or {},
            "can_confirm": run.status == ImportRun.Status.VALIDATED and services.can_confirm(request.user, run)}


@router.get("/imports", response=responses(Page[RunOut]), summary="Your workbook imports")
def import_list(request, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    qs = ImportRun.objects.select_related("project")
    if not request.user.is_superuser:
        qs = qs.filter(created_by=request.user)
    return paginate(qs, cursor, limit, lambda run: run_out(request, run))


@router.post("/imports", response=responses(RunOut, 201),
             summary="Upload a workbook (.xlsx or .zip of CSV); it is checked at once, nothing is imported yet")
def import_upload(request, file: File[UploadedFile]):
    if not services.can_upload(request.user):
        raise PermissionDenied(_("You need a role in a project to import a workbook. Ask a project manager."))
    try:
        run = services.import_run_create(upload=file, by=request.user)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    run = services.import_run_start(run)
    return Status(201, run_out(request, services.get_import_run_for(request.user, run.pk)))


@router.get("/imports/{pk}", response=responses(RunOut), summary="An import's status and report")
def import_get(request, pk: Id):
    run = services.get_import_run_for(request.user, pk)
    services.live_progress(run)
    return run_out(request, run)


@router.post("/imports/{pk}/confirm", response=responses(RunOut), summary="Import a checked workbook")
def import_confirm(request, pk: Id):
    run = services.get_import_run_for(request.user, pk)
    return run_out(request, services.import_run_confirm(run, by=request.user))


@router.get("/projects/{code}/export", response=responses(bytes), openapi_extra=binary(XLSX, ZIP),
            summary="The project's workbook (needs a role that sees identifiers)")
def project_export(request, code: ShortText, format: Literal["xlsx", "zip"] = "xlsx"):
    project, _access = get_project_for(request.user, code)
    fd, path = tempfile.mkstemp(suffix=f".{format}")
    os.close(fd)
    try:
        export_project(project, path, by=request.user)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    return FileResponse(handle, as_attachment=True, content_type=CONTENT_TYPES[format],
                        filename=f"{project.code}-{timezone.localdate():%Y-%m-%d}.{format}")


@router.get("/imports/{pk}/errors", response=responses(bytes), openapi_extra=binary(CSV),
            summary="An import's errors as CSV (sheet, row, column, problem), to fix the workbook")
def import_errors_csv(request, pk: Id):
    return errors_csv_response(services.get_import_run_for(request.user, pk))


@router.get("/workbook/template", response=responses(bytes), openapi_extra=binary(XLSX),
            summary="The blank workbook to fill in (.xlsx)")
def workbook_template(request, language: Literal["ro", "en"] | None = None):
    language = language or (translation.get_language() or "ro").split("-")[0]
    language = language if language in ("ro", "en") else "ro"
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        write_template(path, language=language)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    return FileResponse(handle, as_attachment=True, content_type=CONTENT_TYPES["xlsx"],
                        filename=f"socec-workbook-template-{language}.xlsx")
