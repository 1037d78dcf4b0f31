"""Erases the identifiers of participants whose projects' retention period has ended."""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.utils import timezone

from socec.people.retention import retention_apply, retention_preview
from socec.programmes.models import Project

HELP = """Personal data retention. Each project may have a retention date (Project.retention_until, set by its
managers on the project's "Retention of personal data" page): after it, the identifiers (names, CNP, contacts,
address) of its participants are erased, and their evidence documents deleted. The facts stay, so every
indicator report keeps its figures. A person also in a project whose retention has not ended (or has no date)
keeps their identifiers.

Without --apply the command only prints what would be erased: per project, the counts and the person
references (never a name). With --apply it erases them, as the system, each erasure in the audit log with the
project and its retention date as the reason. Running it again erases nothing more.

Run it daily from cron, for example (as the user that runs the site, in the checkout):
  30 2 * * *  cd /srv/socec && .venv/bin/socec retention --apply >> var/retention.log 2>&1
or, where a task worker runs (`socec db_worker`), enqueue the same work for it:
  30 2 * * *  cd /srv/socec && .venv/bin/socec retention --apply --enqueue"""


class _Formatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Erase (without it: only the preview).")
        parser.add_argument("--enqueue", action="store_true",
                            help="With --apply: hand the work to the task worker instead of doing it now.")
        parser.add_argument("--on", type=_date, metavar="YYYY-MM-DD",
                            help="Preview as on this date (default today); --apply erases only as of today.")

    def handle(self, *args, apply, enqueue, on, **options):
        today = timezone.localdate()
        if enqueue and not apply:
            raise CommandError("--enqueue goes with --apply.")
        if apply and on is not None and on != today:
            raise CommandError("--on is for the preview: --apply erases as of today only.")
        if enqueue:
            from socec.people.tasks import apply_retention

            result = apply_retention.enqueue()
            self.stdout.write(f"enqueued: task {result.id}")
            return
        day = on or today
        entries = retention_apply(today=day) if apply else retention_preview(today=day)
        verb = "erased" if apply else "to erase"
        if not entries:
            self.stdout.write(f"No project's retention period has ended by {day.isoformat()}.")
        for e in entries:
            self.stdout.write(
                f"{e.project.code}: retention until {e.until.isoformat()}; {e.participants} participants, "
                f"{len(e.to_erase)} {verb}, {len(e.kept)} kept (also in a project still under retention), "
                f"{e.erased} erased earlier")
            if e.to_erase:
                self.stdout.write(f"  {verb}: " + ", ".join(p.person_ref for p in e.to_erase))
            if e.kept:
                self.stdout.write("  kept: " + ", ".join(p.person_ref for p in e.kept))
        unset = list(Project.objects.filter(retention_until__isnull=True).order_by("code").values_list(
            "code", flat=True))
        if unset:
            self.stdout.write(f"No retention date set (nothing erased): {', '.join(unset)}")
