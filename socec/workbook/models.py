"""A workbook brought in from the staff pages: the file, where its check or import stands, and its report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One uploaded workbook: checked first (nothing written), then imported when the user confirms."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        VALIDATING = "validating", _("being checked")
        VALIDATED = "validated", _("checked, ready to import")
        INVALID = "invalid", _("has errors")
        IMPORTING = "importing", _("being imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    # Set once the report names a project that exists (after the check, or after the import created it).
    project = models.ForeignKey("programmes.Project", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("project"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("uploaded by"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("imported by"))
    # The default storage is private (var/private): never served directly.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The uploader's language: the report's messages are written in it, also by a background worker.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    report = models.JSONField(_("report"), default=dict, blank=True)  # ImportReport.to_dict() of the latest step
    task_id = models.CharField(_("background task"), max_length=64, blank=True)  # empty: ran in the request
    progress_done = models.PositiveBigIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveBigIntegerField(_("rows in all"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    RUNNING = (Status.UPLOADED, Status.VALIDATING, Status.IMPORTING)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def in_background(self) -> bool:
        return bool(self.task_id)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return max(0, min(100, self.progress_done * 100 // self.progress_total))
