"""`socec recover_tasks [--older-than SECONDS]`: background tasks left running by a dead worker are marked failed,
and what they were doing is handed back to the user (socec/core/recovery.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socec.core import recovery


class Command(BaseCommand):
    help = ("Marks failed the background tasks left 'running' by a worker that died (killed, out of memory, "
            "machine restarted), and tells their users to run them again: an interrupted workbook import is "
            "marked failed with that message. A worker on this machine is checked directly; others by their "
            "heartbeat or, failing that, by --older-than.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=recovery.DEFAULT_OLDER_THAN, metavar="SECONDS",
                            help="A task of a worker that cannot be checked is taken as lost after this long without "
                                 "a sign of life (default: %(default)s s).")

    def handle(self, *args, older_than, **options):
        if older_than < 0:
            raise CommandError(_("--older-than is a number of seconds, 0 or more."))
        lost = recovery.recover_lost_tasks(older_than=older_than)
        for item in lost:
            self.stdout.write(_("%(task)s %(id)s: marked failed (%(reason)s). %(outcome)s") % {
                "task": item.task_path, "id": item.task_id, "reason": item.reason, "outcome": item.outcome})
        self.stdout.write(_("%(n)s lost task(s) recovered.") % {"n": len(lost)} if lost else _("No lost tasks."))
