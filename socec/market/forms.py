"""Forms of the market pages. They shape input and stop spam; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socec.places.models import County

from . import spam
from .models import SECTION_CHOICES, Request

HONEYPOT = "homepage"


class FreshStampInput(forms.HiddenInput):
    """Always renders a new timestamp, also when the form comes back with errors."""

    def format_value(self, value):
        return spam.new_stamp()


class RequestForm(forms.ModelForm):
    county = forms.ModelChoiceField(County.objects.order_by("name"), required=False, label=_("County"),
                                    empty_label=_("the whole country"), to_field_name="code",
                                    help_text=_("Leave “the whole country” when the place does not matter."))
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(required=False, widget=FreshStampInput)

    class Meta:
        model = Request
        fields = ["kind", "title", "description", "county", "caen_section", "caen", "organisation_name",
                  "poster_kind", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
                   "caen": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "size": 6}),
                   "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
                   "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"})}
        help_texts = {"organisation_name": _("Shown with the request.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["caen_section"].choices = [("", _("any activity")), *SECTION_CHOICES]
        self.fields["kind"].choices = Request.Kind.choices
        self.fields["poster_kind"].choices = Request.PosterKind.choices

    def spam_error(self) -> str:
        """Why the post looks automatic ('' when it does not): honeypot filled, sent too fast, or an
        expired/forged timestamp."""
        if (self.data.get(HONEYPOT) or "").strip():
            return str(_("Your request could not be accepted. Leave the last field empty and send it again."))
        age = spam.stamp_age(self.data.get("started", ""))
        if age is None:
            return str(_("This form has expired. Please check your request and send it again."))
        if age < spam.MIN_SECONDS:
            return str(_("That was too fast. Please check your request and send it again."))
        return ""

    def _post_clean(self):  # the service runs the model's validation, in its transaction
        pass


class RequestFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", _("any")), *Request.Kind.choices], required=False,
                             label=_("What is sought"))
    county = forms.ModelChoiceField(County.objects.order_by("name"), required=False, label=_("County"),
                                    empty_label=_("any"), to_field_name="code",
                                    help_text=_("Country-wide requests are always included."))
    section = forms.ChoiceField(choices=[("", _("any")), *SECTION_CHOICES], required=False,
                                label=_("Activity (CAEN section)"))
