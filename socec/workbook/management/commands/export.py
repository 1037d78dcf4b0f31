from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socec.programmes.models import Project
from socec.workbook.export import export_project


class Command(BaseCommand):
    help = ("Exports a project as a programme workbook (.xlsx, or .zip of CSV files), in the format "
            "`socec import` reads. Without --as it runs as the system (audited as such).")

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, metavar="CODE", help="the project's code")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.xlsx or FILE.zip")
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help="export what this user may see, with their rights")

    def handle(self, *args, project, output, username=None, **options):
        found = Project.objects.filter(code=project).first()
        if found is None:
            raise CommandError(_("There is no project with the code %(code)s.") % {"code": project})
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(_("There is no user named %(name)s.") % {"name": username})
        try:
            counts = export_project(found, output, by=user)
        except (PermissionDenied, ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for sheet, n in counts.items():
            self.stdout.write(ngettext("%(sheet)s: %(n)d row", "%(sheet)s: %(n)d rows", n) % {"sheet": sheet, "n": n})
        self.stdout.write(_("Project %(code)s exported to %(file)s.") % {"code": found.code, "file": output})
