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


class ReportVersion(models.Model):
    """A counter per project, raised in the same transaction as any change to the records its
    indicators count (socec.indicators.versions). A cached part is valid while the counter is
    the one it was computed under."""

    # the project's id, not a foreign key: a write may raise it while the project itself is being
    # deleted (its records go first), and a counter left behind harms nothing
    project_id = models.BigIntegerField(primary_key=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")

    def __str__(self):
        return f"{self.project_id}: {self.n}"


class ReportPart(models.Model):
    """One project's additive part of the report as of a date (socec.indicators.cache): the report
    of several projects adds up the parts, counting again only the projects that changed."""

    project = models.ForeignKey("programmes.Project", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    version = models.BigIntegerField()
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True, db_index=True)  # the cleanup of old parts

    class Meta:
        verbose_name = _("cached report part")
        verbose_name_plural = _("cached report parts")
        constraints = [models.UniqueConstraint(fields=["as_of", "project"], name="reportpart_unique")]

    def __str__(self):
        return f"{self.project_id} {self.as_of} v{self.version}"
