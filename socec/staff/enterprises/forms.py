"""Forms of the enterprise and job pages. They only shape input: services validate and write."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from socec.jobs.models import Job
from socec.orgs.models import LegalForm, Organisation, Product, SupportGrant
from socec.people.models import VulnerableCategory
from socec.places.models import County

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO_ANY = [("", _("any")), ("yes", _("yes")), ("no", _("no"))]


class DateField(forms.DateField):
    widget = DATE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


class EnterpriseFilterForm(forms.Form):
    county = forms.ModelChoiceField(County.objects.order_by("name"), required=False, label=_("County"),
                                    empty_label=_("any"), to_field_name="code")
    legal_form = forms.ChoiceField(choices=[("", _("any")), *LegalForm.choices], required=False,
                                   label=_("Legal form"))
    attested = forms.ChoiceField(choices=YES_NO_ANY, required=False, label=_("Valid attestation (art. 8)"))
    insertion = forms.ChoiceField(choices=YES_NO_ANY, required=False,
                                  label=_("Social insertion enterprise today (art. 10)"))


LIFECYCLE_FIELDS = ["business_plan_on", "founded_on", "registered_on", "cui", "attestation_no", "attested_on",
                    "social_mark_no", "social_mark_on"]


class EnterpriseForm(forms.ModelForm):
    """Details and lifecycle of an enterprise. Model validation is left to the service."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "legal_form", "county", "caen", "is_ses", *LIFECYCLE_FIELDS, "website", "contact_email",
                  "contact_phone", "description"]
        widgets = dict.fromkeys(("business_plan_on", "founded_on", "registered_on", "attested_on",
                                 "social_mark_on"), DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("name")
        for name in ("business_plan_on", "founded_on", "registered_on", "attested_on", "social_mark_on"):
            self.fields[name].input_formats = ["%Y-%m-%d"]

    def _post_clean(self):  # the service runs the model's validation, in its transaction
        pass


class EnterpriseAddForm(EnterpriseForm):
    class Meta(EnterpriseForm.Meta):
        fields = ["code", *EnterpriseForm.Meta.fields]


class GrantForm(forms.ModelForm):
    class Meta:
        model = SupportGrant
        fields = ["granted_on", "amount", "de_minimis", "description"]
        widgets = {"granted_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["granted_on"].input_formats = ["%Y-%m-%d"]

    def _post_clean(self):
        pass


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["kind", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = ["code", "title", "created_on", "hours_per_week"]
        widgets = {"created_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["created_on"].input_formats = ["%Y-%m-%d"]

    def _post_clean(self):
        pass


class HireForm(forms.Form):
    """A participant by reference, or a person who is not a participant by name."""

    person_ref = forms.CharField(label=_("Participant reference"), required=False, max_length=40,
                                 help_text=_("For a participant of the project. Their vulnerable status comes "
                                             "from their record."))
    person_name = forms.CharField(label=_("Or: name of a person who is not a participant"), required=False,
                                  max_length=200)
    vulnerable = forms.ChoiceField(label=_("Vulnerable person (only for a non-participant)"), required=False,
                                   choices=[("", _("—")), ("yes", _("yes")), ("no", _("no"))])
    vulnerable_category = forms.ModelChoiceField(VulnerableCategory.objects.all(), required=False,
                                                 label=_("Vulnerable category (only for a non-participant)"))
    start_date = DateField(label=_("Start date"))
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False, min_value=1, max_value=40,
                                        help_text=_("Empty: the job's hours."))

    def clean(self):
        data = super().clean()
        ref, name = (data.get("person_ref") or "").strip(), (data.get("person_name") or "").strip()
        if ref and name:
            self.add_error("person_name", _("Give either a participant reference or a name, not both."))
        elif not ref and not name:
            self.add_error("person_ref", _("Give a participant reference, or the name of a person who is not "
                                           "a participant."))
        return data


class LeaveForm(forms.Form):
    end_date = DateField(label=_("Last day worked"))


class OnDateForm(forms.Form):
    on = DateField(label=_("Check on"), required=False)

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("on"):
            return self.cleaned_data["on"]
        return dt.date.today()


class SustainabilityForm(forms.Form):
    months = forms.IntegerField(label=_("Months after the project's end"), min_value=0, max_value=120,
                                required=False, initial=6)

    def months_value(self) -> int:
        if self.is_valid() and self.cleaned_data.get("months") is not None:
            return self.cleaned_data["months"]
        return 6
