"""Background work on personal data (run by `socec db_worker`)."""

from django_tasks import task


@task()
def apply_retention() -> dict:
    """The same as `socec retention --apply`: erases the identifiers whose retention period has ended."""
    from .retention import retention_apply

    done = retention_apply()
    return {entry.project.code: len(entry.to_erase) for entry in done}
