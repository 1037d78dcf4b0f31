from django.core.management.base import BaseCommand

from socec.demo.builder import build
from socec.programmes.models import Project


class Command(BaseCommand):
    help = ("Loads the demo programmes SOCEC.NET and SES11 (from the seed press releases) and demo staff "
            "accounts for each role. Safe to run again: a second run changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when any project already exists (for first-start scripts).")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Project.objects.exists():
            self.stdout.write("Projects already exist: demo data not loaded (--if-empty).")
            return
        for line in build().lines:
            self.stdout.write(line)
