"""Projects (programmes), their partnerships, targets, and the staff who work on them."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from socec.indicators.definitions import CODES
from socec.orgs.models import Organisation, code_validator
from socec.places.models import County, Region

from .roles import Role


class Project(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    title = models.CharField(_("title"), max_length=300)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    funder = models.CharField(_("funder"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_projects",
                                          verbose_name=_("lead organisation"))
    regions = models.ManyToManyField(Region, blank=True, related_name="projects", verbose_name=_("regions"))
    description = models.TextField(_("description"), blank=True)
    # Personal data retention (socec.people.retention): after this date the identifiers of the project's
    # participants are erased by `socec retention --apply`, unless a person is in another project still kept.
    retention_until = models.DateField(
        _("keep participants' identifiers until"), null=True, blank=True,
        help_text=_("After this date the participants' names, CNP and contacts are erased (their facts and every "
                    "indicator stay). ESF+ projects keep their documents for the audit period: five years from "
                    "31 December of the year of the last payment to the project (Regulation (EU) 2021/1060, art. "
                    "82), so usually 31 December five years after the project ends. Empty: not set, nothing is "
                    "erased."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="project_end_after_start",
                                   violation_error_message=_("The end date is before the start date.")),
            models.CheckConstraint(condition=Q(retention_until__isnull=True) | Q(retention_until__gte=F("end_date")),
                                   name="project_retention_after_end",
                                   violation_error_message=_("Identifiers must be kept at least until the project "
                                                             "ends: the retention date is before the end date.")),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def suggested_retention_until(self):
        """31 December, five years after the year the project ends (the ESF+ audit period, counted from the
        end of the project when the last payment's date is not known)."""
        return self.end_date.replace(year=self.end_date.year + 5, month=12, day=31)


class Partnership(models.Model):
    """An organisation's role in a project (the workbook's project_role)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        PARTNER = "partner", _("partner")
        SUPPORTED = "supported", _("supported")
        NONE = "none", _("none")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships",
                                verbose_name=_("project"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role in the project"), max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="partnership_unique",
                                    violation_error_message=_("This organisation is already in the project.")),
            models.CheckConstraint(condition=Q(role__in=["lead", "partner", "supported", "none"]),
                                   name="partnership_role_valid"),
        ]
        indexes = [models.Index(fields=["role", "organisation"])]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Target(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets", verbose_name=_("project"))
    indicator = models.CharField(_("indicator"), max_length=8, choices=[(c, c) for c in CODES])
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("county"))

    class Meta:
        ordering = ["project", "indicator", "region", "county"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(condition=Q(region__isnull=True) | Q(county__isnull=True),
                                   name="target_region_or_county",
                                   violation_error_message=_("A target is for a region or a county, not both.")),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.UniqueConstraint(fields=["project", "indicator"],
                                    condition=Q(region__isnull=True, county__isnull=True),
                                    name="target_unique_project_wide",
                                    violation_error_message=_("This indicator already has a project-wide target.")),
            models.UniqueConstraint(fields=["project", "indicator", "region"], condition=Q(region__isnull=False),
                                    name="target_unique_region",
                                    violation_error_message=_("This indicator already has a target for the region.")),
            models.UniqueConstraint(fields=["project", "indicator", "county"], condition=Q(county__isnull=False),
                                    name="target_unique_county",
                                    violation_error_message=_("This indicator already has a target for the county.")),
        ]

    def __str__(self):
        where = self.region_id or self.county_id or ""
        return f"{self.indicator} {where} {self.value}".replace("  ", " ")


class Membership(models.Model):
    """A staff user's role in one project, on behalf of one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships",
                                verbose_name=_("project"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["project", "user__username"]
        verbose_name = _("project membership")
        verbose_name_plural = _("project memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="membership_unique",
                                    violation_error_message=_("This user already has a role in the project.")),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.project.code} ({self.get_role_display()})"
