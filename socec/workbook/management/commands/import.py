"""`socec import FILE [--dry-run] [--as USERNAME] [--errors-out FILE.csv]`"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from socec.workbook.importer import import_workbook


class Command(BaseCommand):
    help = ("Imports a programme workbook (.xlsx, or .zip of CSV files): all or nothing. Exit 0 with a summary per "
            "sheet, or exit 1 with every error (sheet, row, column, problem) and nothing written.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="Import with this user's rights (default: the system, audited as such).")
        parser.add_argument("--errors-out", metavar="FILE.csv", help="Also write the errors and warnings as CSV.")

    def handle(self, *args, file, dry_run, as_user, errors_out, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        by = None
        if as_user:
            by = get_user_model().objects.filter(username=as_user, is_active=True).first()
            if by is None:
                raise CommandError(f"No active user named {as_user!r}.")
        report = import_workbook(path, by=by, dry_run=dry_run)
        if errors_out:
            Path(errors_out).write_text(report.to_csv(), encoding="utf-8")
        for line in report.lines():
            (self.stderr if line.startswith(("error", "eroare")) else self.stdout).write(line)
        if report.truncated:
            self.stderr.write("… more errors were found; fix these and import again to see the rest.")
        if not report.ok:
            self.stderr.write(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s): nothing was "
                              "written.")
            sys.exit(1)
        for line in report.summary_lines():
            self.stdout.write(line)
        outcome = "dry run: nothing was written" if dry_run else "imported"
        self.stdout.write(f"{report.project_code}: {report.rows_read} rows read in {report.seconds:.1f} s, "
                          f"{len(report.warnings)} warning(s); {outcome}.")
