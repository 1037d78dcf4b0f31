"""Jobs created in organisations, and the employments that fill them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from socec.core.fields import EncryptedTextField
from socec.core.locking import VersionField
from socec.orgs.models import Organisation, code_validator
from socec.people.models import Participation, VulnerableCategory
from socec.programmes.models import Project

hours_validators = [MinValueValidator(1), MaxValueValidator(40)]


class Job(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="jobs",
                                 verbose_name=_("employer"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_on = models.DateField(_("created on"))
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), validators=hours_validators,
                                                      help_text=_("40 is full time."))
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="job_code_unique",
                                    violation_error_message=_("This job code is already used in the project.")),
            models.CheckConstraint(condition=Q(hours_per_week__gte=1, hours_per_week__lte=40),
                                   name="job_hours_range", violation_error_message=_("Hours per week are 1 to 40.")),
        ]
        indexes = [models.Index(fields=["employer", "created_on"])]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class Employment(models.Model):
    """Someone holding a job: a participant, or a named person who is not one."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="employments", verbose_name=_("job"))
    participation = models.ForeignKey(Participation, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="employments", verbose_name=_("participant"))
    person_name = EncryptedTextField(_("name (not a participant)"), blank=True)
    # HMAC of the normalised name: counts a non-participant once without storing the name in clear.
    person_name_key = models.CharField(max_length=64, blank=True, editable=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), validators=hours_validators, null=True,
                                                      blank=True, help_text=_("Empty: the job's hours."))
    vulnerable = models.BooleanField(_("vulnerable person"), null=True, blank=True)
    vulnerable_category = models.ForeignKey(VulnerableCategory, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", verbose_name=_("vulnerable category"))
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["job", "start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(participation__isnull=False) & Q(person_name_key=""))
                | (Q(participation__isnull=True) & ~Q(person_name_key="")),
                name="employment_one_holder",
                violation_error_message=_("An employment names either a participant or a person, exactly one."),
            ),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="employment_end_after_start",
                                   violation_error_message=_("The end date is before the start date.")),
            models.CheckConstraint(condition=Q(hours_per_week__isnull=True)
                                   | Q(hours_per_week__gte=1, hours_per_week__lte=40),
                                   name="employment_hours_range"),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return f"{self.job.code} {self.start_date}"

    @property
    def weekly_hours(self):
        return self.hours_per_week or self.job.hours_per_week
