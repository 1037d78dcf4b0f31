"""What companies, SMEs, NGOs and public bodies seek from social enterprises, and the answers they get."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socec.core.validators import caen_section, normalise_caen, validate_caen
from socec.places.models import County

# The sections of CAEN Rev.2 (NACE Rev.2), for the activity of a request.
SECTION_CHOICES = [
    ("A", _("A – Agriculture, forestry and fishing")),
    ("B", _("B – Mining and quarrying")),
    ("C", _("C – Manufacturing")),
    ("D", _("D – Electricity, gas, steam and air conditioning supply")),
    ("E", _("E – Water supply, sewerage, waste management")),
    ("F", _("F – Construction")),
    ("G", _("G – Wholesale and retail trade, repair of vehicles")),
    ("H", _("H – Transportation and storage")),
    ("I", _("I – Accommodation and food service")),
    ("J", _("J – Information and communication")),
    ("K", _("K – Financial and insurance activities")),
    ("L", _("L – Real estate activities")),
    ("M", _("M – Professional, scientific and technical activities")),
    ("N", _("N – Administrative and support service activities")),
    ("O", _("O – Public administration and defence")),
    ("P", _("P – Education")),
    ("Q", _("Q – Human health and social work")),
    ("R", _("R – Arts, entertainment and recreation")),
    ("S", _("S – Other service activities")),
    ("T", _("T – Activities of households as employers")),
    ("U", _("U – Extraterritorial organisations")),
]


class Request(models.Model):
    """A public request: someone wants to buy from, invest in, mentor or partner with social enterprises."""

    class Kind(models.TextChoices):
        BUY = "buy", _("buy a product or service")
        INVEST = "invest", _("invest")
        MENTOR = "mentor", _("mentor")
        PARTNER = "partner", _("partner")

    class PosterKind(models.TextChoices):
        COMPANY = "company", _("company")
        SME = "sme", _("SME")
        NGO = "ngo", _("NGO")
        PUBLIC_BODY = "public_body", _("public body")

    kind = models.CharField(_("what you seek"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("county"), help_text=_("Leave empty for the whole country."))
    caen_section = models.CharField(_("CAEN section"), max_length=1, blank=True, choices=SECTION_CHOICES,
                                    help_text=_("Leave empty for any activity."))
    caen = models.CharField(_("CAEN code"), max_length=4, blank=True, validators=[validate_caen],
                            help_text=_("Optional: a 4-digit CAEN class, e.g. 1071."))
    organisation_name = models.CharField(_("your organisation"), max_length=200)
    poster_kind = models.CharField(_("kind of organisation"), max_length=12, choices=PosterKind.choices)
    contact_email = models.EmailField(_("contact e-mail"),
                                      help_text=_("Never shown on the site: answers reach you by e-mail."))
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [models.Index(fields=["is_open", "county"]), models.Index(fields=["is_open", "caen_section"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["buy", "invest", "mentor", "partner"]),
                                   name="market_request_kind_valid"),
            models.CheckConstraint(condition=Q(poster_kind__in=["company", "sme", "ngo", "public_body"]),
                                   name="market_request_poster_kind_valid"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.caen = normalise_caen(self.caen) if self.caen else ""
        if self.caen:
            section = caen_section(self.caen)
            if self.caen_section and section and self.caen_section != section:
                raise ValidationError({"caen": _("CAEN class %(code)s is in section %(section)s, not %(chosen)s.")
                                       % {"code": self.caen, "section": section, "chosen": self.caen_section}})
            self.caen_section = section or self.caen_section


class Answer(models.Model):
    """An enterprise's answer to a request, sent to the poster through the outbox."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="answers",
                                verbose_name=_("request"))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="answers",
                                     verbose_name=_("organisation"))
    message = models.TextField(_("message"), max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.organisation} → {self.request}"
