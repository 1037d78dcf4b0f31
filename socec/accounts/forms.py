"""The sign-in form (with the lock after repeated failures) and the second-factor code form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import lockout, services


def locked_message() -> str:
    minutes = max(1, round(lockout.lock_seconds() / 60))
    return _("Too many failed sign-in attempts. For your security, signing in is paused for %(minutes)s minutes: "
             "try again later, or reset your password.") % {"minutes": minutes}


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refused without checking the password while the user name or the
    address is locked; each failure counts towards the lock and goes to the audit log."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = lockout.client_ip(self.request) if self.request is not None else ""
        if lockout.is_locked(username, ip):
            raise ValidationError(locked_message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            if not self.cleaned_data.get("password"):
                raise  # a missing field is not an attempt
            locked = lockout.record_failure(username, ip)
            services.signin_failed(username=username, step="password", locked=locked)
            if locked:
                raise ValidationError(locked_message(), code="locked") from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=32, strip=True,
        help_text=gettext_lazy("The 6 digits your authenticator app shows for SOCEC, or one of your recovery codes."),
        error_messages={"required": gettext_lazy("Type the code your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"), max_length=16, strip=True,
        help_text=gettext_lazy("After adding the account, type the 6 digits the app shows for it."),
        error_messages={"required": gettext_lazy("Type the 6 digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )
