"""API tokens: a user may hold several, each named; only the SHA-256 digest of a token is stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)  # sha256 hex of the raw token
    prefix = models.CharField(_("begins with"), max_length=12, editable=False)  # to recognise it in a list
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["user", "name", "pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], condition=Q(revoked_at__isnull=True),
                                    name="apitoken_active_name_unique",
                                    violation_error_message=_("This user already has an active token with this "
                                                              "name.")),
        ]

    def __str__(self):
        return f"{self.user} / {self.name}"
