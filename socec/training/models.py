"""Training, counselling and mentoring: courses, their sessions, enrolments and attendance."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from socec.core.locking import VersionField
from socec.core.validators import validate_cor
from socec.orgs.models import code_validator
from socec.people.models import Participation
from socec.places.models import County, Locality
from socec.programmes.models import Project


class Course(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        COUNSELLING = "counselling", _("counselling")
        MENTORING = "mentoring", _("mentoring")
        OTHER = "other", _("other")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="courses", verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    min_attendance_pct = models.PositiveSmallIntegerField(_("minimum attendance (%)"), null=True, blank=True,
                                                          validators=[MaxValueValidator(100)])
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("locality"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("county"))
    accredited = models.BooleanField(_("accredited"), null=True, blank=True)
    occupation_code = models.CharField(_("COR occupation code"), max_length=6, blank=True, validators=[validate_cor])
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="course_code_unique",
                                    violation_error_message=_("This course code is already used in the project.")),
            models.CheckConstraint(condition=Q(kind__in=["training", "counselling", "mentoring", "other"]),
                                   name="course_kind_valid"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=F("start_date")), name="course_end_after_start",
                                   violation_error_message=_("The end date is before the start date.")),
            models.CheckConstraint(condition=Q(min_attendance_pct__isnull=True) | Q(min_attendance_pct__lte=100),
                                   name="course_min_attendance_range"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course"))
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["course", "date"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.UniqueConstraint(fields=["course", "date"], name="session_unique_date",
                                               violation_error_message=_("The course already has a session that day."))]

    def __str__(self):
        return f"{self.course.code} {self.date}"


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course"))
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="enrolments",
                                      verbose_name=_("participant"))
    enrolled_on = models.DateField(_("enrolled on"))
    completed = models.BooleanField(_("completed"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certified = models.BooleanField(_("certified"), null=True, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)

    class Meta:
        ordering = ["course", "participation"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "participation"], name="enrolment_unique",
                                    violation_error_message=_("This participant is already enrolled in the course.")),
            models.CheckConstraint(condition=~Q(completed=True) | Q(completed_on__isnull=False),
                                   name="enrolment_completed_has_date",
                                   violation_error_message=_("A completed enrolment needs its completion date.")),
            models.CheckConstraint(condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                                   name="enrolment_completed_after_enrolled",
                                   violation_error_message=_("The completion date is before the enrolment date.")),
        ]

    def __str__(self):
        return f"{self.course.code} / {self.participation.person_ref}"


class Attendance(models.Model):
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("session"))
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="attendance",
                                      verbose_name=_("participant"))
    present = models.BooleanField(_("present"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["session", "participation"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "participation"], name="attendance_unique")]

    def __str__(self):
        return f"{self.session} {self.participation.person_ref} {'+' if self.present else '-'}"


class CounsellingSession(models.Model):
    """One counselling or mentoring meeting with one person (apart from courses with sessions)."""

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("counselling")
        MENTORING = "mentoring", _("mentoring")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="counselling_sessions",
                                verbose_name=_("project"))
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="counselling_sessions",
                                      verbose_name=_("participant"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(24)])
    counsellor = models.CharField(_("counsellor or mentor"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "-date", "-id"]
        verbose_name = _("counselling or mentoring session")
        verbose_name_plural = _("counselling and mentoring sessions")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["counselling", "mentoring"]),
                                   name="counselling_kind_valid"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | (Q(hours__gte=0) & Q(hours__lte=24)),
                                   name="counselling_hours_range"),
        ]
        indexes = [models.Index(fields=["project", "date"]), models.Index(fields=["participation", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class CertificateSeries(models.Model):
    """The last certificate number given in a project: numbers are sequential per project."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True,
                                   related_name="certificate_series", verbose_name=_("project"))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("certificate series")
        verbose_name_plural = _("certificate series")

    def __str__(self):
        return f"{self.project_id}: {self.last_number}"
