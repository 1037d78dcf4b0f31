"""Forms of the public directory: the search filters (GET), the reserved-contracts search (GET) and
the contact form (POST, with a honeypot and a signed timestamp)."""

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from socec.core.validators import _SECTIONS, caen_title, normalise_caen, validate_caen
from socec.orgs.models import LegalForm
from socec.people.models import VulnerableCategory
from socec.places.models import Area, County, Region

from .selectors import DirectoryFilters

SORT_CHOICES = [("name", _("name")), ("county", _("county")), ("jobs", _("jobs (most first)"))]


def readable_caen_title(code: str) -> str:
    """The CAEN title in the current language (the Romanian titles are in capitals)."""
    title = caen_title(code, get_language() or "ro") if code else ""
    return title.capitalize() if title.isupper() else title


def section_choices():
    return [("", _("any"))] + [(letter, f"{letter} – {readable_caen_title(letter)}") for letter, _lo, _hi in _SECTIONS]


class CountyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CaenField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        validate_caen(value)
        return normalise_caen(value)


class PlaceActivityMixin(forms.Form):
    county = CountyChoice(County.objects.order_by("name"), required=False, label=_("County"), empty_label=_("any"),
                          to_field_name="code")
    caen_section = forms.ChoiceField(choices=(), required=False, label=_("Activity (CAEN section)"))
    caen = CaenField(required=False, max_length=10, label=_("CAEN code (4 digits)"),
                     widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caen_section"].choices = section_choices()


class DirectoryForm(PlaceActivityMixin):
    q = forms.CharField(required=False, max_length=200, label=_("Search"),
                        help_text=_("Name, activity, products, place: with or without diacritics."),
                        widget=forms.TextInput(attrs={"type": "search"}))
    region = RegionChoice(Region.objects.order_by("name"), required=False, label=_("Development region"),
                          empty_label=_("any"))
    area = forms.ChoiceField(choices=[("", _("any")), *Area.choices], required=False, label=_("Area"))
    legal_form = forms.ChoiceField(choices=[("", _("any")), *LegalForm.choices], required=False,
                                   label=_("Legal form"))
    vulnerable = CategoryChoice(VulnerableCategory.objects.all(), required=False, empty_label=_("any"),
                                label=_("Employs people of the vulnerable group"))
    attested = forms.BooleanField(required=False, label=_("With a valid social enterprise attestation"))
    social_mark = forms.BooleanField(required=False, label=_("Social insertion enterprise (valid social mark)"))
    reserved = forms.BooleanField(required=False, label=_("Eligible for reserved contracts"))
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label=_("Sort by"))

    field_order = ["q", "county", "region", "area", "legal_form", "caen_section", "caen", "vulnerable", "attested",
                   "social_mark", "reserved", "sort"]

    def filters(self) -> DirectoryFilters:
        """The filters of the fields that are valid (an invalid one is left out, and reported)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        d = self.cleaned_data
        return DirectoryFilters(
            q=d.get("q") or "", county=d["county"].code if d.get("county") else "",
            region=d["region"].code if d.get("region") else "", area=d.get("area") or "",
            legal_form=d.get("legal_form") or "", caen_section=d.get("caen_section") or "", caen=d.get("caen") or "",
            vulnerable=d["vulnerable"].code if d.get("vulnerable") else "", attested=bool(d.get("attested")),
            social_mark=bool(d.get("social_mark")), reserved=bool(d.get("reserved")), sort=d.get("sort") or "name")


class ReservedForm(PlaceActivityMixin):
    field_order = ["county", "caen_section", "caen"]

    def filters(self) -> DirectoryFilters:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        d = self.cleaned_data
        return DirectoryFilters(county=d["county"].code if d.get("county") else "",
                                caen_section=d.get("caen_section") or "", caen=d.get("caen") or "", reserved=True)


# --- contact ------------------------------------------------------------------------------------

TOKEN_SALT = "socec.portal.contact"
MIN_SECONDS = 3
MAX_AGE = 24 * 3600


def contact_token(at: float | None = None) -> str:
    """The signed moment the form was shown."""
    return signing.dumps({"t": int(at if at is not None else time.time())}, salt=TOKEN_SALT)


def token_age(token: str) -> float | None:
    """Seconds since the form was shown, or None when the token is not ours."""
    try:
        shown = signing.loads(token or "", salt=TOKEN_SALT, max_age=MAX_AGE)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return time.time() - float(shown)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your e-mail"), max_length=200,
                             help_text=_("The enterprise answers you at this address."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    # Spam protection: a field people do not see (bots fill it) and when the form was shown.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"),
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["shown"] = contact_token()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Give your name."))
        return name

    def looks_automated(self) -> bool:
        """Honeypot filled, or sent too fast (or with no valid timestamp): refused without saying why."""
        if (self.data.get("homepage") or "").strip():
            return True
        age = token_age(self.data.get("shown", ""))
        return age is None or age < MIN_SECONDS
