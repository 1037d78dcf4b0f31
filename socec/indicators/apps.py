from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "socec.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from . import versions

        versions.connect()
