"""`socec restore FILE [--yes]`: replaces the database and the uploaded files with a backup's."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socec.core.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = ("Restores a backup made by `socec backup`: checks it completely (engine, checksums, migrations), "
            "then REPLACES the whole database and the uploaded files with its contents. Asks for confirmation "
            "(or --yes).")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The backup archive (.tar) made by `socec backup`.")
        parser.add_argument("--yes", action="store_true",
                            help="Do not ask: replace the current data (needed without a terminal).")

    def handle(self, *args, file, yes=False, **options):
        try:
            checked = check_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = checked.manifest
        self.stdout.write(_("Backup of %(date)s (%(engine)s, database %(name)s, %(files)s uploaded file(s)): "
                            "checked, complete.") % {
            "date": manifest.get("created_at"), "engine": manifest["engine"],
            "name": manifest.get("database") or "?", "files": len(checked.file_members)})
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(_("Restoring replaces ALL the current data and uploaded files with the backup's. "
                                     "Nothing was changed. Run again with --yes to confirm."))
            answer = input(_("This replaces ALL the current data and uploaded files with the backup's. "
                             "Type 'yes' to continue: "))
            if answer.strip().lower() != "yes":
                raise CommandError(_("Not confirmed: nothing was changed."))
        try:
            restore_backup(checked)
        except BackupError as exc:
            raise CommandError(_("%(error)s The current data was left as it was.") % {"error": exc}) from None
        self.stdout.write(self.style.SUCCESS(_("Restored.")))
        if checked.missing_migrations:
            self.stdout.write(_("The backup comes from an older version of SOCEC: run `socec migrate` now."))
        self.stdout.write(_("Restart the web server and the task workers (`socec db_worker`): they keep pages of the "
                            "data as it was in their memory."))
