"""`socec load_geometry FILE.geojson`: real county boundaries for the public map (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socec.places.models import County
from socec.portal.directory.geometry import GeometryError, load


class Command(BaseCommand):
    help = ("Loads county boundaries (a GeoJSON FeatureCollection of county polygons, matched by ISO code "
            "RO-XX, county code or name) for the public map; replaces the shapes loaded before.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            shapes = load(path)
        except GeometryError as e:
            raise CommandError(f"{path}: nothing loaded.\n{e}") from e
        size = sum(len(s.path) for s in shapes)
        self.stdout.write(f"Loaded {len(shapes)} county shapes ({size // 1024} KB of SVG paths).")
        missing = sorted(set(County.objects.values_list("code", flat=True)) - {s.code for s in shapes})
        if missing:
            self.stdout.write(f"Counties without a shape (drawn only in the table): {', '.join(missing)}")
