from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    """The programme workbook: import, export, blank template and a synthetic generator."""

    name = "socec.workbook"
    verbose_name = _("programme workbook")
