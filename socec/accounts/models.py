"""A user's second factor: the TOTP key (encrypted at rest) and the one-time recovery codes (hashed)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socec.core.fields import EncryptedTextField


class TwoFactor(models.Model):
    """One per user. Unconfirmed (confirmed_at empty) while the user sets up the app; the key is
    replaced each time set-up starts again, and used for sign-in only once confirmed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor",
                                verbose_name=_("user"))
    secret = EncryptedTextField(_("key"))
    confirmed_at = models.DateTimeField(_("set up on"), null=True, blank=True)
    # The time step (30 s since the epoch) of the last code accepted: a code of that step or an
    # earlier one is refused, so a code overheard or typed once cannot be used again.
    last_step = models.BigIntegerField(_("last code's time step"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor authentication")
        verbose_name_plural = _("two-factor authentication")

    def __str__(self):
        return str(self.user)


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost. Only a keyed hash of it is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes",
                             verbose_name=_("user"))
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
