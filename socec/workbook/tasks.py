"""Background work for large workbooks (run by `socec db_worker`). Each task calls the service that
does the same work in the request for small files, so both paths behave alike."""

from django_tasks import task

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
