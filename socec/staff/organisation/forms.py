"""Forms of the organisation pages: shape input only; socec.orgs / socec.market services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socec.orgs.models import Organisation, Product


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    public = forms.BooleanField(label=_("Show in the public directory"), required=False,
                                help_text=_("Nothing about the organisation is public until this is ticked."))

    class Meta:
        model = Organisation
        fields = ["description", "website", "contact_email", "contact_phone", "public"]
        labels = {"description": _("Description"), "contact_email": _("Contact e-mail"),
                  "contact_phone": _("Contact phone")}
        help_texts = {"contact_email": _("Private: never shown; messages from the contact form and answers to "
                                         "requests use it."),
                      "description": _("What the organisation does, for whom; shown in the directory.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 6}),
                   "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
                   "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}

    def _post_clean(self):  # the service validates the model, in its transaction
        pass


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["kind", "name", "description"]
        labels = {"kind": _("Kind"), "name": _("Name"), "description": _("Description")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("The SOCEC user name of the person who will speak for the organisation."))


class AnswerForm(forms.Form):
    message = forms.CharField(label=_("Your answer"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
                              help_text=_("Sent by e-mail to the poster; replies come to the organisation's "
                                          "contact e-mail."))
