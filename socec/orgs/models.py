"""The registry of organisations: partners, public bodies and social economy structures."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socec.core.crypto import normalise_name
from socec.core.locking import VersionField
from socec.core.validators import caen_section, normalise_caen, normalise_cui, validate_caen, validate_cui
from socec.places.models import Area, County, Locality

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
    _("Use letters, digits, '.', '_' or '-' (at most 40), starting with a letter or digit."),
)


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("association")
    FOUNDATION = "foundation", _("foundation")
    COOPERATIVE = "cooperative", _("cooperative")
    CREDIT_COOPERATIVE = "credit_cooperative", _("credit cooperative")
    MUTUAL_AID_HOUSE = "mutual_aid_house", _("mutual aid house (CAR)")
    PENSIONERS_MUTUAL_AID_HOUSE = "pensioners_mutual_aid_house", _("pensioners' mutual aid house")
    AGRICULTURAL_COMPANY = "agricultural_company", _("agricultural company")
    FEDERATION = "federation", _("federation")
    SHELTERED_UNIT = "sheltered_unit", _("authorised sheltered unit")
    COMPANY = "company", _("company")
    PUBLIC_AUTHORITY = "public_authority", _("public authority")
    OTHER = "other", _("other")


class Organisation(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices)
    cui = models.CharField(_("CUI (fiscal code)"), max_length=12, blank=True, validators=[validate_cui])
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("seat locality"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="organisations",
                               verbose_name=_("county"))
    area = models.CharField(_("area"), max_length=5, choices=Area.choices, blank=True)
    business_plan_on = models.DateField(_("business plan date"), null=True, blank=True,
                                        help_text=_("When the business plan was approved."))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True,
                                     help_text=_("Registration with the trade register or the court, with the CUI."))
    caen = models.CharField(_("CAEN code (main activity)"), max_length=4, blank=True, validators=[validate_caen])
    caen_section = models.CharField(_("CAEN section"), max_length=1, blank=True, editable=False)
    is_ses = models.BooleanField(_("social economy structure"), default=False)
    attested_on = models.DateField(_("social enterprise attestation date"), null=True, blank=True,
                                   help_text=_("Law 219/2015 art. 8"))
    attestation_no = models.CharField(_("attestation number"), max_length=40, blank=True)
    social_mark_on = models.DateField(_("social mark date"), null=True, blank=True,
                                      help_text=_("Social insertion certificate, Law 219/2015 art. 10"))
    social_mark_no = models.CharField(_("social mark number"), max_length=40, blank=True)
    public = models.BooleanField(_("shown in the public directory"), default=False)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    # What the public directory searches: name, description, place, CAEN and products, in lower case
    # without diacritics ("Calarasi" finds "Călărași"); kept by save() and by product_save().
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["cui"], condition=~Q(cui=""), name="org_cui_unique",
                                    violation_error_message=_("Another organisation already has this CUI.")),
            models.CheckConstraint(condition=Q(area__in=["", "urban", "rural"]), name="org_area_valid"),
            models.CheckConstraint(condition=Q(legal_form__in=LegalForm.values), name="org_legal_form_valid"),
        ]
        indexes = [models.Index(fields=["public", "county"]), models.Index(fields=["is_ses", "county"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.caen_section = caen_section(self.caen) if self.caen else ""
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "caen_section", "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        parts = [self.name, self.code, self.description, self.caen]
        if self.locality_id:
            parts.append(self.locality.name)
        if self.county_id:
            parts.append(self.county.name)
        if self.pk:
            parts.extend(self.products.values_list("name", flat=True))
        return normalise_name(" ".join(p for p in parts if p))

    def clean(self):
        self.cui = normalise_cui(self.cui) if self.cui else ""
        self.caen = normalise_caen(self.caen) if self.caen else ""
        if self.locality_id and self.locality:
            self.county_id = self.locality.county_id
            if self.locality.area:
                self.area = self.locality.area

    @property
    def region_id(self):
        return self.county.region_id if self.county_id else None


class Product(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("product")
        SERVICE = "service", _("service")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="products",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("product or service")
        verbose_name_plural = _("products and services")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="product_unique_name")]

    def __str__(self):
        return self.name


class SupportGrant(models.Model):
    """Support a project gave an organisation (a start-up grant, equipment...), in lei."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants",
                                     verbose_name=_("organisation"))
    project = models.ForeignKey("programmes.Project", on_delete=models.PROTECT, related_name="grants",
                                verbose_name=_("project"))
    granted_on = models.DateField(_("date granted"))
    amount = models.DecimalField(_("amount (lei)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    de_minimis = models.BooleanField(_("de minimis aid"), default=False,
                                     help_text=_("State aid under the de minimis rule."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["organisation", "granted_on", "pk"]
        verbose_name = _("support grant")
        verbose_name_plural = _("support grants")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive",
                                   violation_error_message=_("The amount must be more than zero.")),
        ]

    def __str__(self):
        return f"{self.organisation} {self.granted_on} {self.amount}"


class OrganisationMember(models.Model):
    """A user who speaks for an organisation: edits its public profile and answers requests to it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="organisation_memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members",
                                     verbose_name=_("organisation"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="org_member_unique")]

    def __str__(self):
        return f"{self.user} – {self.organisation}"
