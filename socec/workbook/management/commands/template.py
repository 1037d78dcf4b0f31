from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socec.workbook.template import LANGUAGES, write_template


class Command(BaseCommand):
    help = ("Writes the blank programme workbook (.xlsx): instructions in Romanian and English, one sheet "
            "per table with drop-down lists for coded columns.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.xlsx")
        parser.add_argument("--language", choices=LANGUAGES, default="ro",
                            help="the language shown first and of the spreadsheet's messages (default ro)")

    def handle(self, *args, output, language, **options):
        try:
            write_template(output, language=language)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Blank workbook written to %(file)s.") % {"file": output})
