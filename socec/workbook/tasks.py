"""Background work for large workbooks (run by `socec db_worker`). Each task calls the service that
does the same work in the request for small files, so both paths behave alike."""

from django_tasks import task

from socec.core import recovery

from .models import ImportRun


@task()
def validate_import(run_id: int) -> str:
    from .services import import_run_validate

    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return import_run_validate(run).status


@task()
def run_import(run_id: int) -> str:
    from .services import import_run_import

    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return import_run_import(run).status


def _lost(row) -> str:
    """The worker running a check or import died (socec/core/recovery.py): the run says so."""
    from .services import import_run_interrupted

    run = import_run_interrupted(str(row.pk))
    return f"workbook import {run.pk} marked failed: to be run again" if run is not None else ""


def _activity(row):
    from .services import import_run_activity

    return import_run_activity(str(row.pk))


recovery.register(validate_import, lost=_lost, activity=_activity)
recovery.register(run_import, lost=_lost, activity=_activity)
