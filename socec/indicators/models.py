"""Snapshots: a report frozen as it was sent to the funder."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The report of a project as of a date, exactly as computed when it was taken. Later
    corrections to the records change the live report, never a snapshot."""

    project = models.ForeignKey("programmes.Project", on_delete=models.CASCADE, related_name="report_snapshots",
                                verbose_name=_("project"))
    as_of = models.DateField(_("figures as of"))
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("taken by"))
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("For example: interim report no. 2 sent to the funder."))
    data = models.JSONField(_("report"))

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")

    def __str__(self):
        return f"{self.project.code} {self.as_of}"
