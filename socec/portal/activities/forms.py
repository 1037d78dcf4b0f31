"""The filters of the public lists: every field optional; a value that does not fit is reported
next to the field and left out of the filter, never an error page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socec.outreach.models import Event, Publication
from socec.places.models import County

MIN_YEAR, MAX_YEAR = 1990, 2100


def _year_field():
    return forms.IntegerField(label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    year = _year_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Event.Kind.choices]
        self.fields["county"].choices = [("", _("All counties")),
                                         *County.objects.order_by("name").values_list("code", "name")]


class PublicationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = _year_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Publication.Kind.choices]


def valid_filters(form: forms.Form) -> dict:
    """The filters that are valid (an invalid field is dropped, with its message on the form)."""
    form.is_valid()
    return {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
