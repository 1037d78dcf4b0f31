import time

from django.core.management.base import BaseCommand, CommandError

from socec.workbook.synthetic import generate


class Command(BaseCommand):
    help = ("Writes a synthetic programme workbook (.zip of CSV or .xlsx): valid, realistic proportions, no real "
            "people; the same seed gives the same file. For tests, demos and the import benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="FILE.zip or FILE.xlsx")
        parser.add_argument("--participants", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--enrolments-per-participant", type=int, default=1)
        parser.add_argument("--attendance", action="store_true", help="also the attendance sheet (4 sessions a course)")
        parser.add_argument("--project-code", default="SYN")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            counts = generate(options["output"], participants=options["participants"], seed=options["seed"],
                              project_code=options["project_code"],
                              enrolments_per_participant=options["enrolments_per_participant"],
                              attendance=options["attendance"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        width = max(len(name) for name in counts)
        for name, n in counts.items():
            self.stdout.write(f"{name:<{width}}  {n:>10,}")
        self.stdout.write(f"{'total':<{width}}  {sum(counts.values()):>10,}")
        self.stdout.write(f"{options['output']} in {time.perf_counter() - started:.1f} s")
