"""Forms of the training pages. They check what the user typed; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socec.core.forms import DateInput, apply_errors  # noqa: F401 - apply_errors: views import it from here
from socec.places.models import Locality
from socec.training.models import CounsellingSession, Course, CourseSession


class CourseFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all kinds")), *Course.Kind.choices])


class CourseForm(forms.ModelForm):
    siruta = forms.IntegerField(label=_("Locality (SIRUTA code)"), required=False, min_value=1,
                                help_text=_("Optional; the county follows from the locality."))

    class Meta:
        model = Course
        fields = ["code", "title", "kind", "hours", "min_attendance_pct", "start_date", "end_date", "county",
                  "accredited", "occupation_code"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"min_attendance_pct": _("Share of the course a person must attend to complete it."),
                      "code": _("Letters, digits and - _ . /; unique in the project.")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if self.instance.locality_id:
            self.fields["siruta"].initial = self.instance.locality_id

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Course.objects.filter(project=self.project, code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This course code is already used in the project."))
        return code

    def clean_siruta(self):
        siruta = self.cleaned_data.get("siruta")
        if siruta in (None, ""):
            return None
        locality = Locality.objects.filter(pk=siruta).select_related("county").first()
        if locality is None:
            raise ValidationError(_("%(code)s is not a known SIRUTA code.") % {"code": siruta})
        return locality

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        locality = data.pop("siruta", None)
        data["locality"] = locality
        if locality is not None:
            data["county"] = locality.county
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = CourseSession
        fields = ["date", "hours", "topic"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_date(self):
        date = self.cleaned_data["date"]
        if CourseSession.objects.filter(course=self.course, date=date).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("The course already has a session that day."))
        return date


class EnrolForm(forms.Form):
    person_ref = forms.CharField(label=_("Participant reference"), max_length=40,
                                 help_text=_("The person's reference in the project, e.g. A-001."))
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolled_on"].initial = timezone.localdate()


DECISIONS = [("", _("not decided")), ("yes", _("completed")), ("no", _("not completed"))]


class DecisionForm(forms.Form):
    completed = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, required=False)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput())

    def decision(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("completed") or "")

    def clean(self):
        data = super().clean()
        if data.get("completed") == "yes" and not data.get("completed_on") and "completed_on" not in self.errors:
            self.add_error("completed_on", _("Give the date the course was completed."))
        return data


class CounsellingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("all kinds")), *CounsellingSession.Kind.choices])
    person = forms.CharField(label=_("Participant reference"), required=False, max_length=40)


class CounsellingForm(forms.ModelForm):
    person_ref = forms.CharField(label=_("Participant reference"), max_length=40,
                                 help_text=_("The person's reference in the project, e.g. A-001."))

    class Meta:
        model = CounsellingSession
        fields = ["kind", "date", "hours", "counsellor", "topic", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"notes": _("Write only what the programme needs; never health or other sensitive data "
                                 "that is not required.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["person_ref"].initial = self.instance.participation.person_ref
        # Keep the person's reference first.
        self.order_fields(["person_ref", *self.Meta.fields])

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "person_ref"}

