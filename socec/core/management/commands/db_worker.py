"""`socec db_worker`: django_tasks_db's worker, which also recovers the tasks of dead workers when it starts,
names itself HOST:PID:random and, on PostgreSQL, writes a heartbeat (socec/core/recovery.py).

It takes the place of django_tasks_db's command of the same name (socec.core comes before
django_tasks_db in INSTALLED_APPS); every option of that command works the same."""

from django.db import connection
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from socec.core import recovery


class Command(db_worker.Command):
    help = db_worker.Command.help + " (recovers the tasks of dead workers first: see socec recover_tasks)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Named when the process starts (the autoreloader's child is another process).
        parser.set_defaults(worker_id=None)

    def handle(self, *args, worker_id=None, **options):
        worker_id = worker_id or recovery.new_worker_id()
        for lost in recovery.recover_lost_tasks():
            self.stderr.write(_("Recovered a task left running by a dead worker: %(task)s %(id)s (%(reason)s). "
                                "%(outcome)s") % {"task": lost.task_path, "id": lost.task_id, "reason": lost.reason,
                                                  "outcome": lost.outcome})
        heartbeat = recovery.Heartbeat(worker_id).start() if connection.vendor != "sqlite" else None
        try:
            return super().handle(*args, worker_id=worker_id, **options)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
