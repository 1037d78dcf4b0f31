"""The audit log: who changed what, when, and who saw whose identifiers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        VIEW_IDENTIFIERS = "view_identifiers", _("viewed identifiers")
        REVEAL = "reveal", _("revealed identifiers")
        ERASE = "erase", _("erased identifiers")
        LOGIN_FAILED = "login_failed", _("failed login")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("who"))
    actor_name = models.CharField(_("who (name)"), max_length=150, help_text=_("'system' for commands and tasks."))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    project = models.ForeignKey("programmes.Project", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("project"))
    model = models.CharField(_("record type"), max_length=60)  # app_label.model
    object_id = models.CharField(_("record id"), max_length=40)
    object_repr = models.CharField(_("record"), max_length=200)
    # {"field": [old, new]}; identifiers appear masked, never in clear.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["project", "-at"]), models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.model}#{self.object_id}"
