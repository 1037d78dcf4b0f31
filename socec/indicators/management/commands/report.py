import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from socec.indicators.engine import Scope, report
from socec.programmes.models import Project

FORMATS = ("json", "csv", "xlsx", "pdf")


class Command(BaseCommand):
    help = ("The indicator report (indicators.md) of one project or of all projects, as of a date: JSON or CSV "
            "(to standard output without -o), XLSX or PDF (to the -o file).")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--project", metavar="CODE", help="the project's code")
        which.add_argument("--all", action="store_true", help="every project together")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date D of the figures (default: today)")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (required for xlsx and pdf)")
        parser.add_argument("--language", choices=("ro", "en"), help="language of names and headings (default ro)")

    def handle(self, *args, project=None, all=False, as_of=None, format, output=None, language=None, **options):
        with translation.override(language or translation.get_language() or "ro"):
            self._run(project, as_of, format, output)

    def _run(self, project, as_of, fmt, output):
        day = dt.date.today()
        if as_of:
            try:
                day = dt.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(_("--as-of must be a date written YYYY-MM-DD, not %(value)s.") % {
                    "value": as_of}) from None
        scope = Scope()
        if project:
            found = Project.objects.filter(code=project).first()
            if found is None:
                raise CommandError(_("There is no project with the code %(code)s.") % {"code": project})
            scope = Scope(found)
        if fmt in ("xlsx", "pdf") and not output:
            raise CommandError(_("The %(format)s format is written to a file: give -o FILE.") % {"format": fmt})
        data = report(scope, day)
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        elif fmt == "csv":
            from socec.indicators.render import to_csv

            text = to_csv(data)
        else:
            from socec.indicators import render

            extra = _extra(scope)
            try:
                (render.to_xlsx if fmt == "xlsx" else render.to_pdf)(data, output, extra=extra)
            except OSError as exc:
                raise CommandError(str(exc)) from None
            self.stderr.write(_("Report written to %(file)s.") % {"file": output})
            return
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
            except OSError as exc:
                raise CommandError(str(exc)) from None
        else:
            sys.stdout.write(text)


def _extra(scope: Scope) -> dict:
    language = translation.get_language()
    project = scope.project
    if project is None:
        return {"title": _("All projects"), "language": language}
    partners = [f"{p.organisation.name} ({p.get_role_display()})" for p in
                project.partnerships.select_related("organisation").order_by("role", "organisation__name")]
    return {"title": project.title, "period": f"{project.start_date:%d.%m.%Y} – {project.end_date:%d.%m.%Y}",
            "partners": partners, "language": language}
