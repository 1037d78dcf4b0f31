from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from socec.places.loaders import SirutaFileError, load_ins
from socec.places.models import County, Locality


class Command(BaseCommand):
    help = ("Loads the official INS SIRUTA CSV (data.gov.ro): adds UATs, SIRUTA types and urban/rural "
            "for every locality. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the INS SIRUTA CSV, e.g. siruta-2024-ins.csv")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            with transaction.atomic():
                result = load_ins(path.read_bytes(), County, Locality)
        except SirutaFileError as exc:
            raise CommandError(f"{file}: {exc} Nothing was loaded.") from None
        total = Locality.objects.count()
        urban = Locality.objects.filter(area="urban").count()
        rural = Locality.objects.filter(area="rural").count()
        self.stdout.write(f"SIRUTA loaded: {result['created']} created, {result['updated']} updated; "
                          f"{total} places ({urban} urban, {rural} rural).")
