"""Staff pages for events, the caravan, campaigns and publications of a project.

Every page reads through the access helpers (404 outside the project, 403 for a role that may
not change activities); every write goes through socec.outreach.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from socec.core.locking import add_version_field, submitted_version
from socec.orgs.models import Organisation
from socec.outreach import services
from socec.outreach.files import file_response
from socec.outreach.models import Campaign, Event, EventAttendance, EventPhoto, Publication
from socec.people.access import participations_visible_to
from socec.places.models import County
from socec.programmes.access import get_project_for, get_project_object_for
from socec.programmes.roles import Cap
from socec.staff.exports import FORMATS, export_response
from socec.staff.selectors import role_label

from . import forms, selectors

PAGE_SIZE = 25
ATTENDANCE_PAGE_SIZE = 50


def _querystring(request) -> str:
    """The list's filters, without page and format, for the pagination and export links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _list(request, *, project, access, queryset, filter_form, headers, row, filename, template, extra=None):
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(fmt, filename=f"{project.code}-{filename}", headers=headers,
                               rows=(row(obj) for obj in queryset.iterator()))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {
        "project": project, "role": role_label(access), "can_change": access.can(Cap.CHANGE_ACTIVITIES),
        "filter_form": filter_form, "page": page, "headers": headers, "rows": [(o, row(o)) for o in page],
        "qs": _querystring(request), **(extra or {})})


def _filters(form) -> dict:
    form.is_valid()  # the errors show next to the fields; only valid filters apply
    return dict(form.cleaned_data)


def _event(request, code, event_code, capability=None):
    return get_project_object_for(request.user, Event.objects.filter(project__code=code), capability,
                                  code=event_code)


def _locality_options(county):
    return [forms.locality_choice_label(loc) for loc in forms.localities_for(county)]


def _wired(form, project):
    """The county select asks for its localities' suggestions when it changes (HTMX)."""
    if form is not None and "county" in form.fields:
        form.fields["county"].widget.attrs.update({
            "hx-get": reverse("staff:outreach_localities", args=[project.code]), "hx-trigger": "change",
            "hx-target": "#locality-options", "hx-swap": "outerHTML"})
    return form


def _county_of(form, fallback=None):
    value = form["county"].value() if "county" in form.fields else None
    county = County.objects.filter(pk=value).first() if value else None
    return county or fallback


# ---- events ---------------------------------------------------------------------------------


@login_required
def events(request, code):
    project, access = get_project_for(request.user, code)
    form = forms.EventFilterForm(request.GET or None)
    return _list(request, project=project, access=access,
                 queryset=selectors.events(project, _filters(form) if request.GET else {}),
                 filter_form=form, headers=selectors.event_headers(), row=selectors.event_row,
                 filename="events", template="staff/outreach/events.html")


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request, code):
    project, access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    kind = request.GET.get("kind")
    form = forms.EventForm(request.POST or None,
                           initial={"kind": kind} if kind in Event.Kind.values else None)
    if request.method == "POST" and form.is_valid():
        event = Event(project=project, code=form.cleaned_data.get("code") or "")
        try:
            services.event_save(event=event, by=request.user, **form.values())
        except ValidationError as e:
            forms.apply_errors(form, e)
        else:
            messages.success(request, _("Event %(code)s recorded.") % {"code": event.code})
            return redirect("staff:event", code=project.code, event_code=event.code)
    return render(request, "staff/outreach/event_form.html", {
        "project": project, "form": _wired(form, project), "event": None,
        "locality_options": _locality_options(_county_of(form))})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, code, event_code):
    event, access = _event(request, code, event_code, Cap.CHANGE_ACTIVITIES)
    form = add_version_field(forms.EventForm(request.POST or None, event=event), event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(event=event, by=request.user, expected_version=submitted_version(form),
                                **form.values())
        except ValidationError as e:
            forms.apply_errors(form, e)
            event = Event.objects.get(pk=event.pk)  # the page shows what is stored
        else:
            messages.success(request, _("Event %(code)s saved.") % {"code": event.code})
            return redirect("staff:event", code=event.project.code, event_code=event.code)
    return render(request, "staff/outreach/event_form.html", {
        "project": event.project, "form": _wired(form, event.project), "event": event,
        "locality_options": _locality_options(_county_of(form, event.county))})


def _event_page(request, event, access, *, person_form=None, organisation_form=None, photo_form=None):
    project = event.project
    people, hidden = selectors.event_attendance_people(event, request.user)
    page = Paginator(people, ATTENDANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.names_for(request.user, access, project, [row.participation for row in page])
    can_change = access.can(Cap.CHANGE_ACTIVITIES)
    organisations = list(selectors.event_attendance_organisations(event))
    return render(request, "staff/outreach/event.html", {
        "project": project, "role": role_label(access), "event": event, "can_change": can_change,
        "people": [(row, names.get(row.participation_id, "")) for row in page], "page": page, "hidden": hidden,
        "organisations": organisations, "recorded": page.paginator.count + hidden + len(organisations),
        "photos": event.photos.all(),
        "person_form": person_form or (forms.AttendancePersonForm() if can_change else None),
        "organisation_form": organisation_form or (forms.AttendanceOrganisationForm() if can_change else None),
        "photo_form": photo_form or (forms.PhotoForm() if can_change else None),
    })


@login_required
def event(request, code, event_code):
    event, access = _event(request, code, event_code)
    return _event_page(request, event, access)


@login_required
@require_POST
def event_attendance_add(request, code, event_code):
    event, access = _event(request, code, event_code, Cap.CHANGE_ACTIVITIES)
    if request.POST.get("attendee") == "organisation":
        form = forms.AttendanceOrganisationForm(request.POST)
        if form.is_valid():
            organisation = Organisation.objects.filter(code=form.cleaned_data["organisation"].strip()).first()
            if organisation is None:
                form.add_error("organisation", _("There is no organisation with this code."))
            elif event.attendance.filter(organisation=organisation).exists():
                form.add_error("organisation", _("This organisation is already on the attendance list."))
            else:
                return _attendance_saved(request, form, event, access, organisation=organisation)
        return _event_page(request, event, access, organisation_form=form)
    form = forms.AttendancePersonForm(request.POST)
    if form.is_valid():
        ref = form.cleaned_data["person_ref"].strip()
        participation = participations_visible_to(request.user, event.project).filter(person_ref=ref).first()
        if participation is None:
            form.add_error("person_ref", _("No participant with this reference among the participants you may "
                                           "see in this project."))
        elif event.attendance.filter(participation=participation).exists():
            form.add_error("person_ref", _("This participant is already on the attendance list."))
        else:
            return _attendance_saved(request, form, event, access, participation=participation)
    return _event_page(request, event, access, person_form=form)


def _attendance_saved(request, form, event, access, **attendee):
    try:
        services.event_attendance_add(event=event, by=request.user, **attendee)
    except ValidationError as e:
        forms.apply_errors(form, e)
        key = "organisation_form" if "organisation" in attendee else "person_form"
        return _event_page(request, event, access, **{key: form})
    messages.success(request, _("Attendance recorded."))
    return redirect("staff:event", code=event.project.code, event_code=event.code)


@login_required
@require_POST
def event_attendance_remove(request, code, event_code, pk):
    event, _access = _event(request, code, event_code, Cap.CHANGE_ACTIVITIES)
    row = get_object_or_404(EventAttendance.objects.select_related("participation", "event__project"),
                            event=event, pk=pk)
    if row.participation_id is not None and not participations_visible_to(
            request.user, event.project).filter(pk=row.participation_id).exists():
        raise Http404(_("Not found."))
    services.event_attendance_remove(row=row, by=request.user)
    messages.success(request, _("Taken off the attendance list."))
    return redirect("staff:event", code=event.project.code, event_code=event.code)


@login_required
@require_POST
def event_photo_add(request, code, event_code):
    event, access = _event(request, code, event_code, Cap.CHANGE_ACTIVITIES)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_photo_add(event=event, by=request.user, file=form.cleaned_data["file"],
                                     caption=form.cleaned_data["caption"])
        except ValidationError as e:
            forms.apply_errors(form, e)
        else:
            messages.success(request, _("Photo added."))
            return redirect("staff:event", code=event.project.code, event_code=event.code)
    return _event_page(request, event, access, photo_form=form)


@login_required
def event_photo(request, code, event_code, pk):
    event, _access = _event(request, code, event_code)
    photo = get_object_or_404(EventPhoto, event=event, pk=pk)
    return file_response(photo.file, download_name=f"{event.code}-{photo.pk}", as_attachment=False)


@login_required
@require_POST
def event_photo_delete(request, code, event_code, pk):
    event, _access = _event(request, code, event_code, Cap.CHANGE_ACTIVITIES)
    photo = get_object_or_404(EventPhoto.objects.select_related("event__project"), event=event, pk=pk)
    services.event_photo_delete(photo=photo, by=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("staff:event", code=event.project.code, event_code=event.code)


@login_required
def localities(request, code):
    """The locality suggestions of a county (HTMX swaps the form's datalist when the county changes)."""
    get_project_for(request.user, code)
    county = County.objects.filter(pk=(request.GET.get("county") or "")[:2]).first()
    return render(request, "staff/outreach/_locality_options.html", {"locality_options": _locality_options(county)})


# ---- the caravan ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def caravan(request, code):
    project, access = get_project_for(request.user, code)
    can_change = access.can(Cap.CHANGE_ACTIVITIES)
    form = forms.CaravanStopForm(request.POST or None) if can_change or request.method == "POST" else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Your role in this project does not allow this."))
        if form.is_valid():
            stop = Event(project=project, kind=Event.Kind.CARAVAN_STOP)
            try:
                services.event_save(event=stop, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                forms.apply_errors(form, e)
            else:
                messages.success(request, _("Caravan stop %(code)s recorded.") % {"code": stop.code})
                return redirect("staff:caravan", code=project.code)
    stops = list(selectors.caravan_stops(project))
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(fmt, filename=f"{project.code}-caravan", headers=selectors.caravan_headers(),
                               rows=(selectors.caravan_row(n, s) for n, s in enumerate(stops, start=1)))
    page = Paginator(list(enumerate(stops, start=1)), ATTENDANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/outreach/caravan.html", {
        "project": project, "role": role_label(access), "can_change": can_change, "form": _wired(form, project),
        "map": selectors.caravan_map(stops), "page": page, "count": len(stops),
        "counties": len({s.county_id for s in stops}), "start": page.start_index() if stops else 1,
        "rows": [(n, s, selectors.attendance_figure(s)) for n, s in page], "qs": "",
        "locality_options": _locality_options(_county_of(form) if form is not None else None)})


# ---- campaigns ------------------------------------------------------------------------------


@login_required
def campaigns(request, code):
    project, access = get_project_for(request.user, code)
    form = forms.CampaignFilterForm(request.GET or None)
    return _list(request, project=project, access=access,
                 queryset=selectors.campaigns(project, _filters(form) if request.GET else {}),
                 filter_form=form, headers=selectors.campaign_headers(), row=selectors.campaign_row,
                 filename="campaigns", template="staff/outreach/campaigns.html")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request, code):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    return _campaign_form(request, project, Campaign(project=project))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, code, campaign_code):
    campaign, _access = get_project_object_for(request.user, Campaign.objects.filter(project__code=code),
                                               Cap.CHANGE_ACTIVITIES, code=campaign_code)
    return _campaign_form(request, campaign.project, campaign)


def _campaign_form(request, project, campaign):
    form = add_version_field(forms.CampaignForm(request.POST or None, campaign=campaign), campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_save(campaign=campaign, by=request.user, expected_version=submitted_version(form),
                                   **form.values())
        except ValidationError as e:
            forms.apply_errors(form, e)
        else:
            messages.success(request, _("Campaign %(code)s saved.") % {"code": campaign.code})
            return redirect("staff:campaigns", code=project.code)
    return render(request, "staff/outreach/campaign_form.html", {
        "project": project, "form": form, "campaign": campaign if campaign.pk else None})


# ---- publications ---------------------------------------------------------------------------


@login_required
def publications(request, code):
    project, access = get_project_for(request.user, code)
    form = forms.PublicationFilterForm(request.GET or None)
    return _list(request, project=project, access=access,
                 queryset=selectors.publications(project, _filters(form) if request.GET else {}),
                 filter_form=form, headers=selectors.publication_headers(), row=selectors.publication_row,
                 filename="publications", template="staff/outreach/publications.html")


@login_required
@require_http_methods(["GET", "POST"])
def publication_new(request, code):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    return _publication_form(request, project, Publication(project=project))


@login_required
@require_http_methods(["GET", "POST"])
def publication_edit(request, code, publication_code):
    publication, _access = get_project_object_for(request.user, Publication.objects.filter(project__code=code),
                                                  Cap.CHANGE_ACTIVITIES, code=publication_code)
    return _publication_form(request, publication.project, publication)


def _publication_form(request, project, publication):
    form = add_version_field(forms.PublicationForm(request.POST or None, request.FILES or None,
                                                   publication=publication), publication)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_save(publication=publication, by=request.user,
                                      expected_version=submitted_version(form), **form.values())
        except ValidationError as e:
            forms.apply_errors(form, e)
            if publication.pk:
                publication = Publication.objects.get(pk=publication.pk)
        else:
            messages.success(request, _("Publication %(code)s saved.") % {"code": publication.code})
            return redirect("staff:publications", code=project.code)
    return render(request, "staff/outreach/publication_form.html", {
        "project": project, "form": form, "publication": publication if publication.pk else None})


@login_required
def publication_file(request, code, publication_code):
    publication, _access = get_project_object_for(request.user, Publication.objects.filter(project__code=code),
                                                  code=publication_code)
    return file_response(publication.file, download_name=publication.code, as_attachment=True)
