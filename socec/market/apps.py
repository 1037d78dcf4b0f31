from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "socec.market"
    verbose_name = _("Buyers, investors and mentors")
