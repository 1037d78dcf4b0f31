"""`socec backup [-o FILE]`: the database and the uploaded files in one archive (socec/core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from socec.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = ("Backs up the database (SQLite: online backup while the site runs; PostgreSQL: pg_dump) and the "
            "uploaded files into one .tar archive with a manifest. The encryption keys are not included: keep "
            "them apart.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="Where to write the archive (default: var/backups/socec-DATE-TIME.tar).")

    def handle(self, *args, output=None, **options):
        try:
            result = make_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(_("The backup could not be written: %(error)s") % {"error": exc}) from None
        self.stdout.write(_("Backup written to %(path)s (%(size)s): the %(engine)s database and %(files)s uploaded "
                            "file(s).") % {"path": result.path, "size": filesizeformat(result.size),
                                           "engine": result.manifest["engine"], "files": result.files})
        self.stdout.write(_("Keep the encryption keys (SOCEC_ENCRYPTION_KEYS, SOCEC_PSEUDONYM_KEY) apart from it: "
                            "the identifiers in it can only be read with them."))
