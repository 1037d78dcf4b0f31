"""Forms of the participant pages. They check what the user typed; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socec.core.forms import DateInput, apply_errors  # noqa: F401 - apply_errors: views import it from here
from socec.core.validators import parse_cnp
from socec.people.models import (
    ExitStatus,
    LabourStatus,
    Participation,
    Sex,
    Status6m,
    VulnerableCategory,
    YesNoRefused,
)
from socec.places.models import Area, County, Locality

from .selectors import GAPS

YES_NO = [("", _("— choose —")), ("yes", _("yes")), ("no", _("no"))]
YES_NO_UNKNOWN = [("", _("not asked yet")), ("yes", _("yes")), ("no", _("no"))]


def _yes_no(value):
    return None if value in ("", None) else value == "yes"


def _as_choice(value):
    return "" if value is None else ("yes" if value else "no")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Reference, or (if your role shows names) a whole name word or a CNP."))
    county = forms.ModelChoiceField(label=_("County"), required=False, queryset=County.objects.order_by("name"),
                                    empty_label=_("all counties"))
    area = forms.ChoiceField(label=_("Area"), required=False,
                             choices=[("", _("all areas")), *Area.choices, ("none", _("not recorded"))])
    vulnerable = forms.ModelChoiceField(label=_("Vulnerable category"), required=False,
                                        queryset=VulnerableCategory.objects.all(), empty_label=_("all categories"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("all")), ("active", _("active")), ("exited", _("left, not yet followed up")),
        ("followed_up", _("followed up after six months"))])
    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    missing = forms.ChoiceField(label=_("Missing data"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from socec.training.models import Course

        self.fields["course"].choices = [("", _("all courses"))] + [
            (c.pk, f"{c.code} – {c.title}") for c in Course.objects.filter(project=project).order_by("code")]
        self.fields["missing"].choices = [("", _("no filter")), ("any", _("anything missing"))] + [
            (g.code, g.label) for g in GAPS]


def fill_from_cnp(values: dict) -> None:
    """The birth date and the sex a valid CNP encodes, where `values` has none (the registration form's rule,
    the API's too). ValidationError when the CNP is not valid."""
    cnp = (values.get("cnp") or "").strip()
    if not cnp:
        return
    facts = parse_cnp(cnp)
    if not values.get("birth_date"):
        values["birth_date"] = facts.birth_date
    if not values.get("sex") and facts.sex:
        values["sex"] = facts.sex


class CnpCheckMixin:
    def clean_cnp(self):
        cnp = (self.cleaned_data.get("cnp") or "").strip()
        if cnp:
            parse_cnp(cnp)  # ValidationError says why
        return cnp

    def _cnp_against_birth_and_sex(self, cleaned):
        if not cleaned.get("cnp"):
            return
        missing = [name for name in ("birth_date", "sex") if not cleaned.get(name)]
        fill_from_cnp(cleaned)
        for name in missing:
            if cleaned.get(name):
                self.errors.pop(name, None)


class RegisterForm(CnpCheckMixin, forms.Form):
    person_ref = forms.CharField(label=_("Person reference"), max_length=40,
                                 help_text=_("The project's own code for the person; unique in the project."))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    cnp = forms.CharField(label=_("CNP"), required=False, max_length=13,
                          help_text=_("Optional. A valid CNP fills in the birth date and the sex."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("— choose —")), *Sex.choices])
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    county = forms.ModelChoiceField(label=_("Residence county"), queryset=County.objects.order_by("name"),
                                    empty_label=_("— choose —"))
    siruta = forms.IntegerField(label=_("Residence locality (SIRUTA code)"), required=False, min_value=1,
                                help_text=_("Optional; gives the area (urban or rural) when known."))
    area = forms.ChoiceField(label=_("Residence area"), required=False,
                             choices=[("", _("not recorded")), *Area.choices])
    entry_date = forms.DateField(label=_("Entry date"), widget=DateInput())
    consent_on = forms.DateField(label=_("Informed and consented on"), widget=DateInput())
    labour_status = forms.ChoiceField(label=_("Labour market status at entry"),
                                      choices=[("", _("— choose —")), *LabourStatus.choices])
    isced = forms.TypedChoiceField(label=_("Education level (ISCED)"), coerce=int, choices=[
        ("", _("— choose —")), *[(i, str(i)) for i in range(9)]])
    disability = forms.ChoiceField(label=_("Disability"), required=False,
                                   choices=[("", _("not asked yet")), *YesNoRefused.choices])
    minority = forms.ChoiceField(label=_("Minority (including Roma)"), required=False,
                                 choices=[("", _("not asked yet")), *YesNoRefused.choices])
    foreign_background = forms.ChoiceField(label=_("Foreign background"), required=False,
                                           choices=[("", _("not asked yet")), *YesNoRefused.choices])
    third_country_national = forms.ChoiceField(label=_("Third-country national"), required=False,
                                               choices=YES_NO_UNKNOWN)
    homeless = forms.ChoiceField(label=_("Homeless or housing exclusion"), required=False, choices=YES_NO_UNKNOWN)
    vulnerable = forms.ModelMultipleChoiceField(label=_("Vulnerable categories"), required=False,
                                                queryset=VulnerableCategory.objects.all(),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, project, check_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if check_url:  # live checks (HTMX): the CNP as it is typed, the names and birth date when they change
            live = {"hx-post": check_url, "hx-target": "#cnp-check", "hx-include": "closest form"}
            self.fields["cnp"].widget.attrs.update(live, **{"hx-trigger": "keyup changed delay:500ms, change"})
            for name in ("first_name", "last_name", "birth_date"):
                self.fields[name].widget.attrs.update(live, **{"hx-trigger": "change"})

    def clean_person_ref(self):
        ref = self.cleaned_data["person_ref"].strip()
        if Participation.objects.filter(project=self.project, person_ref=ref).exists():
            raise ValidationError(_("This person reference is already used in the project."))
        return ref

    def clean_siruta(self):
        siruta = self.cleaned_data.get("siruta")
        if siruta in (None, ""):
            return None
        if not Locality.objects.filter(pk=siruta).exists():
            raise ValidationError(_("%(code)s is not a known SIRUTA code.") % {"code": siruta})
        return siruta

    def clean(self):
        cleaned = super().clean()
        if "cnp" in cleaned:
            self._cnp_against_birth_and_sex(cleaned)
        if not cleaned.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Give the birth date (or a CNP)."))
        if not cleaned.get("sex") and "sex" not in self.errors:
            self.add_error("sex", _("Choose the sex (or give a CNP)."))
        today = timezone.localdate()
        for name in ("entry_date", "consent_on", "birth_date"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("This date is in the future."))
        return cleaned

    def data_for_service(self) -> dict:
        c = self.cleaned_data
        data = {k: c[k] for k in ("person_ref", "first_name", "last_name", "cnp", "birth_date", "sex", "phone",
                                  "email", "address", "entry_date", "consent_on", "labour_status", "isced",
                                  "disability", "minority", "foreign_background", "area")}
        data["county"] = c["county"]
        if c.get("siruta"):
            data["locality"] = c["siruta"]
        data["third_country_national"] = _yes_no(c["third_country_national"])
        data["homeless"] = _yes_no(c["homeless"])
        data["vulnerable"] = [v.code for v in c["vulnerable"]]
        return data


class FactsForm(forms.Form):
    """The facts the indicators read, for a registered participant."""

    county = RegisterForm.base_fields["county"]
    area = RegisterForm.base_fields["area"]
    entry_date = RegisterForm.base_fields["entry_date"]
    labour_status = RegisterForm.base_fields["labour_status"]
    isced = RegisterForm.base_fields["isced"]
    disability = RegisterForm.base_fields["disability"]
    minority = RegisterForm.base_fields["minority"]
    foreign_background = RegisterForm.base_fields["foreign_background"]
    third_country_national = RegisterForm.base_fields["third_country_national"]
    homeless = RegisterForm.base_fields["homeless"]
    vulnerable = RegisterForm.base_fields["vulnerable"]

    @classmethod
    def initial_for(cls, p: Participation) -> dict:
        return {"county": p.county_id, "area": p.area, "entry_date": p.entry_date, "labour_status": p.labour_status,
                "isced": p.isced, "disability": p.disability, "minority": p.minority,
                "foreign_background": p.foreign_background,
                "third_country_national": _as_choice(p.third_country_national), "homeless": _as_choice(p.homeless),
                "vulnerable": list(p.vulnerable.values_list("code", flat=True))}

    def clean_entry_date(self):
        value = self.cleaned_data["entry_date"]
        if value > timezone.localdate():
            raise ValidationError(_("This date is in the future."))
        return value

    def data_for_service(self) -> dict:
        c = self.cleaned_data
        data = {k: c[k] for k in ("county", "area", "entry_date", "labour_status", "isced", "disability", "minority",
                                  "foreign_background")}
        data["third_country_national"] = _yes_no(c["third_country_national"])
        data["homeless"] = _yes_no(c["homeless"])
        data["vulnerable"] = [v.code for v in c["vulnerable"]]
        return data


class IdentityForm(forms.Form):
    """The person's identifiers, to correct a typing mistake (the service checks the CNP against the
    birth date and sex, and that no one else has it)."""

    first_name = RegisterForm.base_fields["first_name"]
    last_name = RegisterForm.base_fields["last_name"]
    cnp = forms.CharField(label=_("CNP"), required=False, max_length=13,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = RegisterForm.base_fields["phone"]
    email = RegisterForm.base_fields["email"]
    address = RegisterForm.base_fields["address"]

    def clean_cnp(self):
        return "".join((self.cleaned_data.get("cnp") or "").split())


class ConsentForm(forms.Form):
    consent_on = forms.DateField(label=_("Informed and consented on"), widget=DateInput(),
                                 help_text=_("The date on the signed information and consent form."))


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("Exit date"), widget=DateInput(),
                                help_text=_("The day the person left the operation (not before the entry date)."))
    exit_status = forms.ChoiceField(label=_("Situation on leaving"),
                                    choices=[("", _("— choose —")), *ExitStatus.choices])
    qualification_gained = forms.ChoiceField(label=_("Qualification gained on leaving"), choices=YES_NO)

    def values(self) -> dict:
        c = self.cleaned_data
        return {"exit_date": c["exit_date"], "exit_status": c["exit_status"],
                "qualification_gained": _yes_no(c["qualification_gained"])}


class FollowUpForm(forms.Form):
    status_6m = forms.ChoiceField(label=_("Situation six months after leaving"),
                                  choices=[("", _("— choose —")), *Status6m.choices])
    improved_6m = forms.ChoiceField(
        label=_("Improved labour market situation"), choices=YES_NO,
        help_text=_("For example: from unemployed to employed, or to a better, more stable or full-time job."))

    def values(self) -> dict:
        c = self.cleaned_data
        return {"status_6m": c["status_6m"], "improved_6m": _yes_no(c["improved_6m"])}


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to see the identifiers?"), max_length=300,
                             help_text=_("Recorded in the audit log with your name."))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))
    category = forms.ModelChoiceField(label=_("Proves the vulnerable category"), required=False,
                                      queryset=VulnerableCategory.objects.all(), empty_label=_("none / other proof"))
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
