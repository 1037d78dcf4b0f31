"""Bringing a workbook in from the staff pages: upload, check (nothing written), confirm, import.

A run moves uploaded -> validating -> validated | invalid, then (confirmed by the uploader or a
project manager) importing -> done | failed. Small files are checked and imported in the
request; larger ones (over SOCEC_IMPORT_INLINE_MAX_BYTES) by the background tasks in tasks.py,
which call the same functions. The importer itself checks the user's rights on every row.
"""

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record, diff, snapshot
from socec.programmes.access import project_access
from socec.programmes.models import Membership, Project
from socec.programmes.roles import Cap

from . import importer
from .models import ImportRun
from .report import ERROR, ImportReport, Issue

logger = logging.getLogger(__name__)

Status = ImportRun.Status
EXTENSIONS = (".xlsx", ".zip")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # an .xlsx is a zip archive too
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_INLINE_MAX_BYTES = 2 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "SOCEC_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def inline_max_bytes() -> int:
    return int(getattr(settings, "SOCEC_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES))


def runs_in_background(run: ImportRun) -> bool:
    return run.size > inline_max_bytes()


# Who may do what -----------------------------------------------------------------------------

def can_upload(user) -> bool:
    """Any active staff user with a role in some project; superusers always (they may create the first one)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def can_see_run(user, run: ImportRun) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (run.created_by_id is not None and run.created_by_id == user.pk)


def can_confirm(user, run: ImportRun) -> bool:
    """The uploader, or a manager of the project the workbook updates (superusers included)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (run.created_by_id is not None and run.created_by_id == user.pk):
        return True
    access = project_access(user, run.project) if run.project_id else None
    return access is not None and access.can(Cap.MANAGE_PROJECT)


def get_import_run_for(user, pk) -> ImportRun:
    """A run for the staff pages: 404 unless the user uploaded it (or is a superuser)."""
    run = ImportRun.objects.select_related("project", "created_by").filter(pk=pk).first()
    if run is None or not can_see_run(user, run):
        raise Http404(_("No such import."))
    return run


# Upload ----------------------------------------------------------------------------------------

def _check_upload(upload) -> str:
    """The file's extension, or ValidationError with a message a person can act on."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS:
        raise ValidationError(_("Choose an Excel workbook (.xlsx) or a .zip archive of CSV files."), code="type")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty (0 bytes). Choose the saved workbook and try again."),
                              code="empty")
    if size > max_bytes():
        raise ValidationError(_("The file is too large (%(size)s). The largest file accepted is %(max)s; "
                                "split it or send the large sheets as CSV in a .zip.") % {
            "size": filesizeformat(size), "max": filesizeformat(max_bytes())}, code="too_large")
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head not in ZIP_SIGNATURES:
        raise ValidationError(_("This file is not a real .xlsx workbook or .zip archive (it may be an older .xls "
                                "file renamed, or damaged). Save it again as .xlsx and retry."), code="format")
    return ext


def import_run_create(*, upload, by) -> ImportRun:
    """Stores an uploaded workbook (status 'uploaded'). Checks the user may import at all, the
    file's type and size; the content is checked by import_run_validate."""
    if not can_upload(by):
        raise PermissionDenied(_("You need a role in a project to import a workbook."))
    ext = _check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    run = ImportRun(created_by=by, original_name=os.path.basename(upload.name)[:255], size=upload.size,
                    sha256=digest.hexdigest(), language=translation.get_language() or "", status=Status.UPLOADED)
    # A name of our own: the original name is kept apart, never used as a path.
    run.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
    try:
        with transaction.atomic():
            run.save()
            audit_record(by=by, action=AuditEntry.Action.CREATE, obj=run, changes=diff({}, snapshot(run)),
                         object_repr=run.original_name)
    except BaseException:
        run.file.delete(save=False)
        raise
    return run


# Check and import ------------------------------------------------------------------------------

def _progress_file(run_id: int) -> Path:
    return Path(default_storage.path(f"imports/progress/{run_id}.json"))


class _Progress:
    """The importer's progress callback: records done/total/stage at most every INTERVAL seconds.
    Progress is best effort: it never stops an import.

    Outside a transaction it is an update of those columns of the run's row. The importer works
    inside one transaction, which would hide such an update until the end, so there it goes
    around the transaction: on PostgreSQL through a connection of its own (workers may run on
    other machines and share only the database); on SQLite, which has one writer at a time and
    lives on the machine that runs everything, to a small file beside the uploads that the
    progress view reads (live_progress)."""

    INTERVAL = 0.5

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.last: float | None = None
        self.side = None  # the extra connection, opened when first needed

    def __call__(self, done_rows, total_rows=None, stage="") -> None:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.INTERVAL:
            return
        self.last = now
        done = max(0, int(done_rows or 0))
        total = int(total_rows) if total_rows else None
        stage = str(stage or "")[:100]
        try:
            conn = connections[DEFAULT_DB_ALIAS]
            if not conn.in_atomic_block:
                ImportRun.objects.filter(pk=self.run_id).update(progress_done=done, progress_total=total, stage=stage,
                                                                updated_at=timezone.now())
            elif conn.vendor == "sqlite":
                self._write_file(done, total, stage)
            else:
                self._write_aside(done, total, stage)
        except (DatabaseError, OSError):
            logger.warning("Could not record the progress of import run %s", self.run_id, exc_info=True)

    def _write_aside(self, done, total, stage) -> None:
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        q = self.side.ops.quote_name
        sql = (f"UPDATE {q(ImportRun._meta.db_table)} SET {q('progress_done')} = %s, {q('progress_total')} = %s, "  # noqa: S608 - names from the model
               f"{q('stage')} = %s, {q('updated_at')} = %s WHERE {q('id')} = %s")
        with self.side.cursor() as cursor:
            cursor.execute(sql, [done, total, stage, self.side.ops.adapt_datetimefield_value(timezone.now()),
                                 self.run_id])

    def _write_file(self, done, total, stage) -> None:
        path = _progress_file(self.run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        part.write_text(json.dumps({"done": done, "total": total, "stage": stage}))
        os.replace(part, path)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def live_progress(run: ImportRun) -> ImportRun:
    """The run with the latest progress of a running check or import (see _Progress)."""
    if run.is_running:
        with contextlib.suppress(OSError, ValueError, TypeError):
            data = json.loads(_progress_file(run.pk).read_text())
            run.progress_done = max(0, int(data.get("done") or 0))
            run.progress_total = int(data["total"]) if data.get("total") else None
            run.stage = str(data.get("stage") or "")[:100]
    return run


def _failure(run: ImportRun, message: str, *, dry_run: bool) -> ImportReport:
    return ImportReport(file_name=run.original_name, dry_run=dry_run,
                        issues=[Issue(ERROR, "", None, "", "", message)])


def _run_importer(run: ImportRun, *, by, dry_run: bool) -> ImportReport:
    with translation.override(run.language or None):
        if by is None:  # never fall back to the system's rights
            return _failure(run, _("The account that started this import no longer exists. Upload the file "
                                   "again."), dry_run=dry_run)
        progress = _Progress(run.pk)
        try:
            return importer.import_workbook(run.file.path, by=by, dry_run=dry_run, progress=progress,
                                            file_name=run.original_name)
        except PermissionDenied as exc:
            return _failure(run, str(exc) or _("You do not have the right to do this."), dry_run=dry_run)
        except Exception:
            logger.exception("Workbook import run %s stopped with an unexpected error", run.pk)
            return _failure(run, _("The file could not be processed because of an unexpected error. Nothing was "
                                   "written. Tell the administrator (import number %(id)s).") % {"id": run.pk},
                            dry_run=dry_run)
        finally:
            progress.close()


def _finish(run: ImportRun, status: str, report: ImportReport) -> ImportRun:
    with contextlib.suppress(OSError):
        _progress_file(run.pk).unlink(missing_ok=True)
    values = {"status": status, "report": report.to_dict(), "stage": "", "updated_at": timezone.now()}
    project = Project.objects.filter(code=report.project_code).first() if report.project_code else None
    if project is not None:
        values["project"] = project
    if status in (Status.VALIDATED, Status.DONE):
        values["progress_done"] = report.rows_read
        values["progress_total"] = report.rows_read
    ImportRun.objects.filter(pk=run.pk).update(**values)
    run.refresh_from_db()
    return run


def _start(run: ImportRun, task, work) -> ImportRun:
    """Runs `work(run)` now for a small file, or enqueues `task` for a large one."""
    if not runs_in_background(run):
        return work(run)
    try:
        result = task.enqueue(run.pk)
    except Exception:
        logger.exception("Could not enqueue the background work of import run %s", run.pk)
        with translation.override(run.language or None):
            report = _failure(run, _("The work could not be handed to the background worker. Try again later or "
                                     "tell the administrator."), dry_run=run.status == Status.VALIDATING)
        return _finish(run, Status.FAILED, report)
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def import_run_start(run: ImportRun) -> ImportRun:
    """Starts the check of a freshly uploaded run: in this request, or in the background."""
    from .tasks import validate_import

    if not ImportRun.objects.filter(pk=run.pk, status=Status.UPLOADED).update(status=Status.VALIDATING,
                                                                              updated_at=timezone.now()):
        run.refresh_from_db()
        return run
    run.refresh_from_db()
    return _start(run, validate_import, import_run_validate)


def import_run_validate(run: ImportRun) -> ImportRun:
    """Checks the whole file with the uploader's rights, writing nothing; stores the report."""
    if not ImportRun.objects.filter(pk=run.pk, status__in=[Status.UPLOADED, Status.VALIDATING]).update(
            status=Status.VALIDATING, progress_done=0, progress_total=None, stage="", updated_at=timezone.now()):
        run.refresh_from_db()
        return run
    run.refresh_from_db()
    report = _run_importer(run, by=run.created_by, dry_run=True)
    return _finish(run, Status.VALIDATED if report.ok else Status.INVALID, report)


def _check_confirmable(status) -> None:
    if status in (Status.IMPORTING, Status.DONE):
        raise ValidationError(_("This file has already been imported."), code="already")
    if status != Status.VALIDATED:
        raise ValidationError(_("This file cannot be imported: it has not been checked successfully."),
                              code="not_ready")


def import_run_confirm(run: ImportRun, *, by) -> ImportRun:
    """The user confirms a checked run: only the uploader or a project manager, only once, only
    from 'validated'. The import then runs in this request or in the background."""
    from .tasks import run_import

    if not can_confirm(by, run):
        raise PermissionDenied(_("Only the person who uploaded the file or a project manager can import it."))
    # A read first: a second click answers at once, without waiting for a write lock that a
    # running import may hold (SQLite); the locked read below is what decides.
    _check_confirmable(ImportRun.objects.filter(pk=run.pk).values_list("status", flat=True).first())
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        _check_confirmable(locked.status)
        before = snapshot(locked, fields=("status", "confirmed_by"))
        locked.status = Status.IMPORTING
        locked.confirmed_by = by
        locked.progress_done, locked.progress_total, locked.stage = 0, None, ""
        locked.save(update_fields=["status", "confirmed_by", "progress_done", "progress_total", "stage",
                                   "updated_at"])
        audit_record(by=by, action=AuditEntry.Action.UPDATE, obj=locked, project=locked.project,
                     changes=diff(before, snapshot(locked, fields=("status", "confirmed_by"))),
                     object_repr=locked.original_name)
    run.refresh_from_db()
    return _start(run, run_import, import_run_import)


def import_run_import(run: ImportRun) -> ImportRun:
    """Imports a confirmed run with the rights of the person who confirmed it; stores the report."""
    run.refresh_from_db()
    if run.status != Status.IMPORTING:
        return run
    report = _run_importer(run, by=run.confirmed_by, dry_run=False)
    return _finish(run, Status.DONE if report.ok else Status.FAILED, report)


# A run whose background worker died ----------------------------------------------------------------
# socec/core/recovery.py finds the task (its worker gone) and calls import_run_interrupted. The
# check writes nothing and the import writes in one transaction, which died with the worker: nothing
# of the file was written. The run is marked failed, saying so, and the user can run it again.

INTERRUPTED = "interrupted"  # key of the report: the status the run was in when its worker died


def _runs_of_task(task_id: str):
    ids = {str(task_id)}
    with contextlib.suppress(ValueError):
        ids.add(str(uuid.UUID(str(task_id))))
    return ImportRun.objects.filter(task_id__in=ids)


def import_run_activity(task_id: str):
    """When the run of a background task last showed progress (for the recovery of lost tasks)."""
    run = _runs_of_task(task_id).first()
    if run is None:
        return None
    seen = run.updated_at
    with contextlib.suppress(OSError):
        mtime = _progress_file(run.pk).stat().st_mtime
        moved = dt.datetime.fromtimestamp(mtime, tz=dt.UTC)
        seen = max(seen, moved)
    return seen


def import_run_interrupted(task_id: str) -> ImportRun | None:
    """The worker running this task stopped (killed, restarted) before the end: the run is marked
    failed with a message that says nothing was written and to run it again."""
    run = _runs_of_task(task_id).filter(status__in=[Status.VALIDATING, Status.IMPORTING]).first()
    if run is None:
        return None
    stage = run.status
    with translation.override(run.language or None):
        if stage == Status.IMPORTING:
            message = _("The import was interrupted: the server's background worker stopped before it finished "
                        "(for example, it was restarted). Nothing of this file was written. Run the import again.")
        else:
            message = _("The check of the file was interrupted: the server's background worker stopped before it "
                        "finished (for example, it was restarted). Nothing was written. Run the check again.")
        report = _failure(run, message, dry_run=stage == Status.VALIDATING).to_dict()
    report[INTERRUPTED] = stage
    with contextlib.suppress(OSError):
        _progress_file(run.pk).unlink(missing_ok=True)
    ImportRun.objects.filter(pk=run.pk, status=stage).update(status=Status.FAILED, report=report, stage="",
                                                             updated_at=timezone.now())
    run.refresh_from_db()
    return run


def was_interrupted(run: ImportRun) -> bool:
    return run.status == Status.FAILED and (run.report or {}).get(INTERRUPTED) in (Status.VALIDATING,
                                                                                  Status.IMPORTING)


def can_retry(user, run: ImportRun) -> bool:
    if not was_interrupted(run):
        return False
    if run.report[INTERRUPTED] == Status.IMPORTING:
        return can_confirm(user, run)
    return can_see_run(user, run)


def import_run_retry(run: ImportRun, *, by) -> ImportRun:
    """Runs an interrupted check or import again (from the stored file), in the request or in the
    background as the first time."""
    from .tasks import run_import, validate_import

    run.refresh_from_db()
    if not was_interrupted(run):
        raise ValidationError(_("Only a check or an import that was interrupted can be run again."), code="not_lost")
    if not can_retry(by, run):
        raise PermissionDenied(_("Only the person who uploaded the file or a project manager can import it."))
    stage = run.report[INTERRUPTED]
    with transaction.atomic():
        if not ImportRun.objects.filter(pk=run.pk, status=Status.FAILED).update(
                status=stage, report={}, task_id="", progress_done=0, progress_total=None, stage="",
                updated_at=timezone.now()):
            raise ValidationError(_("This run has already been started again."), code="already")
        audit_record(by=by, action=AuditEntry.Action.UPDATE, obj=run, project=run.project,
                     changes={"status": [Status.FAILED, stage]}, reason=_("run again after an interruption"),
                     object_repr=run.original_name)
    run.refresh_from_db()
    if stage == Status.IMPORTING:
        return _start(run, run_import, import_run_import)
    return _start(run, validate_import, import_run_validate)
