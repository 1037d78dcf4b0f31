"""Forms of the outreach pages: events, caravan stops, attendance, photos, campaigns, publications,
and the GET filters of their lists. Forms only check what a user typed; the services decide."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socec.core.forms import apply_errors  # noqa: F401 - views import it from here
from socec.orgs.models import code_validator
from socec.outreach import files
from socec.outreach.models import Campaign, Event, Publication
from socec.places.models import Area, County, Locality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SIRUTA_IN_TEXT = re.compile(r"^(?:.*\()?\s*(\d{1,9})\s*\)?\s*$")


def plain(text: str) -> str:
    """Lower case without diacritics, for matching what people type to locality names."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def localities_for(county: County | None):
    """The localities offered for a county (the SIRUTA localities proper, level 3)."""
    if county is None:
        return Locality.objects.none()
    return Locality.objects.filter(county=county, level=Locality.Level.LOCALITY).order_by("name")


def locality_choice_label(locality: Locality) -> str:
    return f"{locality.name} ({locality.siruta})"


def resolve_locality(text: str, county: County | None) -> Locality | None:
    """What the user typed (a name, a SIRUTA code or 'Name (code)' from the suggestions) as a
    Locality of the county, or a ValidationError saying what to do."""
    text = (text or "").strip()
    if not text:
        return None
    match = _SIRUTA_IN_TEXT.match(text)
    if match:
        found = Locality.objects.select_related("county").filter(pk=int(match.group(1))).first()
        if found is None:
            raise ValidationError(_("%(code)s is not a known SIRUTA code.") % {"code": match.group(1)})
        if county is not None and found.county_id != county.pk:
            raise ValidationError(_("%(name)s is in county %(county)s, not %(chosen)s.") % {
                "name": found.name, "county": found.county.name, "chosen": county.name})
        return found
    if county is None:
        raise ValidationError(_("Choose the county first."))
    wanted = plain(text)
    matches = [loc for loc in Locality.objects.filter(county=county) if plain(loc.name) == wanted]
    if len(matches) > 1:
        proper = [loc for loc in matches if loc.level == Locality.Level.LOCALITY]
        matches = proper or matches
    if not matches:
        raise ValidationError(_("No locality called “%(name)s” in county %(county)s. Pick one of the "
                                "suggestions or give its SIRUTA code.") % {"name": text, "county": county.name})
    if len(matches) > 1:
        raise ValidationError(_("Several localities in %(county)s are called “%(name)s”: give the SIRUTA code "
                                "(%(codes)s).") % {"county": county.name, "name": text,
                                                   "codes": ", ".join(str(m.siruta) for m in matches)})
    return matches[0]


def _county_field(required=True):
    return forms.ModelChoiceField(queryset=County.objects.order_by("name"), required=required,
                                  label=gettext_lazy("County"),
                                  empty_label=gettext_lazy("(choose)") if required else gettext_lazy("all"))


def _code_field(help_text):
    return forms.CharField(label=gettext_lazy("Code"), max_length=40, required=False, validators=[code_validator],
                           help_text=help_text)


class PlaceFormMixin:
    """County plus a locality typed by name (suggestions come with the county) or SIRUTA code."""

    def clean(self):
        cleaned = super().clean()
        if "locality" in self.fields and not self.has_error("locality"):
            try:
                cleaned["locality"] = resolve_locality(cleaned.get("locality", ""), cleaned.get("county"))
            except ValidationError as e:
                self.add_error("locality", e)
        return cleaned

    def initial_locality(self, locality):
        return locality_choice_label(locality) if locality else ""


def _locality_field():
    return forms.CharField(
        label=gettext_lazy("Locality"), required=False, max_length=120,
        help_text=gettext_lazy("Start typing the name; suggestions follow the county. A SIRUTA code works too."),
        widget=forms.TextInput(attrs={"list": "locality-options", "autocomplete": "off"}))


class EventForm(PlaceFormMixin, forms.Form):
    code = _code_field(gettext_lazy("Leave empty for the next free code (EV-001...)."))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    county = _county_field()
    locality = _locality_field()
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False,
                             choices=[("", gettext_lazy("(from the locality, or unknown)")), *Area.choices])
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=300, required=False)
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=500, required=False)
    participants = forms.IntegerField(label=gettext_lazy("Head count"), min_value=0, required=False,
                                      help_text=gettext_lazy("Used when no attendance is recorded."))
    route_order = forms.IntegerField(label=gettext_lazy("Order on the route"), min_value=1, max_value=32767,
                                     required=False,
                                     help_text=gettext_lazy("Caravan stops only: the order among stops of the "
                                                            "same day (1, 2, 3...)."))
    conclusions = forms.CharField(label=gettext_lazy("Conclusions"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, event: Event | None = None, **kwargs):
        if event is not None and event.pk and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": event.kind, "title": event.title, "date": event.date, "county": event.county_id,
                "locality": self.initial_locality(event.locality), "area": event.area, "venue": event.venue,
                "theme": event.theme, "participants": event.participants, "route_order": event.route_order,
                "conclusions": event.conclusions}
        super().__init__(*args, **kwargs)
        if event is not None and event.pk:
            del self.fields["code"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("code", None)
        return data


class CaravanStopForm(PlaceFormMixin, forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    county = _county_field()
    locality = _locality_field()
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300,
                            help_text=gettext_lazy("For example: Caravan in Bragadiru."))
    participants = forms.IntegerField(label=gettext_lazy("Head count"), min_value=0, required=False)


class AttendancePersonForm(forms.Form):
    person_ref = forms.CharField(label=gettext_lazy("Participant reference"), max_length=40,
                                 help_text=gettext_lazy("The participant's reference in the project, e.g. A-001."))


class AttendanceOrganisationForm(forms.Form):
    organisation = forms.CharField(label=gettext_lazy("Organisation code"), max_length=40,
                                   help_text=gettext_lazy("The organisation's code in the registry."))


class PhotoForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Photo (JPEG or PNG)"),
                           widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))
    caption = forms.CharField(label=gettext_lazy("Caption"), max_length=300,
                              help_text=gettext_lazy("What the photo shows; it is read to people who cannot "
                                                     "see the photo."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(mb)s MB.") % {"mb": files.photo_max_bytes() // files.MB}


class CampaignForm(forms.Form):
    code = _code_field(gettext_lazy("Leave empty for the next free code (CAM-001...)."))
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Campaign.Channel.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    start_date = forms.DateField(label=gettext_lazy("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=gettext_lazy("End date"), required=False, widget=DATE)
    reach = forms.IntegerField(label=gettext_lazy("Reach (people)"), min_value=0, required=False)

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        if campaign is not None and campaign.pk and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(campaign, f) for f in ("channel", "title", "start_date", "end_date",
                                                                  "reach")}
        super().__init__(*args, **kwargs)
        if campaign is not None and campaign.pk:
            del self.fields["code"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("code"):
            data.pop("code", None)
        return data


class PublicationForm(forms.Form):
    code = _code_field(gettext_lazy("Leave empty for the next free code (PUB-001...)."))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Publication.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    published_on = forms.DateField(label=gettext_lazy("Published on"), required=False, widget=DATE)
    url = forms.URLField(label=gettext_lazy("Address (URL)"), required=False, assume_scheme="https",
                         help_text=gettext_lazy("Where the publication can be read online, if anywhere."))
    file = forms.FileField(
        label=gettext_lazy("File (PDF, ODT or DOCX)"), required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.odt,.docx,application/pdf,"
                                                "application/vnd.oasis.opendocument.text,"
                                                "application/vnd.openxmlformats-officedocument."
                                                "wordprocessingml.document"}))
    remove_file = forms.BooleanField(label=gettext_lazy("Remove the attached file"), required=False)

    def __init__(self, *args, publication: Publication | None = None, **kwargs):
        if publication is not None and publication.pk and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(publication, f) for f in ("kind", "title", "published_on", "url")}
        super().__init__(*args, **kwargs)
        limit = _("At most %(mb)s MB.") % {"mb": files.publication_max_bytes() // files.MB}
        self.fields["file"].help_text = limit
        if publication is not None and publication.pk:
            del self.fields["code"]
            if publication.file:
                self.fields["file"].help_text = _("A file is attached; choose another to replace it.") + " " + limit
        if publication is None or not publication.file:
            del self.fields["remove_file"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("code"):
            data.pop("code", None)
        remove = data.pop("remove_file", False)
        if data.get("file") is None:
            data.pop("file", None)  # nothing chosen: keep the file there is
            if remove:
                data["file"] = False
        return data


class _FilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("This date is before the first one."))
        return cleaned


class EventFilterForm(_FilterForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("all")), *Event.Kind.choices])
    county = _county_field(required=False)
    field_order = ["kind", "county", "date_from", "date_to"]


class CampaignFilterForm(_FilterForm):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False,
                                choices=[("", gettext_lazy("all")), *Campaign.Channel.choices])
    field_order = ["channel", "date_from", "date_to"]


class PublicationFilterForm(_FilterForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("all")), *Publication.Kind.choices])
    field_order = ["kind", "date_from", "date_to"]
