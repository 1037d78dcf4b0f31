"""Staff pages for training and counselling: courses, sessions, enrolments, the attendance sheet,
certificates and counselling or mentoring sessions with one person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socec.core.locking import add_version_field, submitted_version
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.staff.exports import FORMATS, export_response
from socec.training import services
from socec.training.certificates import certificate_response
from socec.training.models import Attendance, CounsellingSession, Course, CourseSession, Enrolment

from . import selectors
from .forms import (
    CounsellingFilterForm,
    CounsellingForm,
    CourseFilterForm,
    CourseForm,
    DecisionForm,
    EnrolForm,
    SessionForm,
    apply_errors,
)

PAGE_SIZE = 50
SHEET_PAGE_SIZE = 100


def _query(request) -> str:
    """The list's filters, to keep in pagination and export links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _export_format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _yes_no(value) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _hours(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- courses ----------------------------------------------------------------------------------------


@login_required
def courses(request, code):
    project, access = get_project_for(request.user, code)
    form = CourseFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_bound and form.is_valid() else ""
    qs = selectors.courses_for(access, project, kind=kind)
    enrolled_label = _("Enrolled") if access.whole_project else _("Enrolled (your organisation)")
    headers = [_("Code"), _("Title"), _("Kind"), _("Hours"), _("Minimum attendance (%)"), _("Start date"),
               _("End date"), _("Sessions"), enrolled_label]

    def row(c):
        return [c.code, c.title, c.get_kind_display(), _hours(c.hours), c.min_attendance_pct,
                c.start_date.isoformat() if c.start_date else "", c.end_date.isoformat() if c.end_date else "",
                c.session_count, c.enrolled_count]

    fmt = _export_format(request)
    if fmt:
        return export_response(fmt, filename=f"{project.code}-courses", headers=headers,
                               rows=(row(c) for c in qs.iterator()), sheet=_("courses"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/training/courses.html", {
        "project": project, "form": form, "page": page, "headers": headers, "query": _query(request),
        "can_change": access.can(Cap.CHANGE_ACTIVITIES)})


@login_required
def course_create(request, code):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    return _course_form(request, project, Course(project=project))


@login_required
def course_edit(request, code, pk):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    course = get_object_or_404(Course, project=project, pk=pk)
    return _course_form(request, project, course)


def _course_form(request, project, course):
    form = add_version_field(CourseForm(request.POST or None, instance=course, project=project), course)
    if request.method == "POST" and form.is_valid():
        target = Course.objects.get(pk=course.pk) if course.pk else Course(project=project)
        try:
            saved = services.course_save(course=target, by=request.user, expected_version=submitted_version(form),
                                         **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The course has been saved."))
            return redirect("staff:course", code=project.code, pk=saved.pk)
    return render(request, "staff/training/course_form.html", {"project": project, "course": course, "form": form})


@login_required
def course(request, code, pk):
    project, access = get_project_for(request.user, code)
    course = get_object_or_404(Course, project=project, pk=pk)
    enrolments = selectors.enrolments_visible(request.user, course)
    fmt = _export_format(request)
    if fmt:
        return _export_enrolments(request, fmt, project, access, course, enrolments)
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    progress = selectors.progress(course, [e.participation_id for e in shown])
    names = selectors.names_for(request.user, access, project, [e.participation for e in shown],
                                where=_("enrolments of course %(code)s") % {"code": course.code})
    can_change = access.can(Cap.CHANGE_ACTIVITIES)
    rows = []
    for e in shown:
        p = progress[e.participation_id]
        rows.append({
            "enrolment": e, "name": names.get(e.participation_id, ""), "progress": p,
            "differs": p.meets is not None and e.completed is not None and p.meets != e.completed,
            "form": DecisionForm(initial=_decision_initial(e), prefix=f"e{e.pk}") if can_change else None,
        })
    sessions = course.sessions.all()
    return render(request, "staff/training/course.html", {
        "project": project, "course": course, "sessions": sessions, "page": page, "rows": rows,
        "query": _query(request), "can_change": can_change, "see_names": access.can(Cap.SEE_IDENTIFIERS),
        "whole_project": access.whole_project,
        "planned_hours": sum((s.hours or 0) for s in sessions)})


def _export_enrolments(request, fmt, project, access, course, enrolments):
    enrolments = list(enrolments)
    progress = selectors.progress(course, [e.participation_id for e in enrolments])
    see_names = access.can(Cap.SEE_IDENTIFIERS)
    names = selectors.names_for(request.user, access, project, [e.participation for e in enrolments],
                                where=_("export of the enrolments of course %(code)s") % {"code": course.code})
    headers = [_("Reference"), *([_("Name")] if see_names else []), _("Enrolled on"), _("Sessions attended"),
               _("Hours attended"), _("Attendance (%)"), _("Attendance meets the minimum"), _("Completed"),
               _("Completed on"), _("Certificate number")]

    def row(e):
        p = progress[e.participation_id]
        return [e.participation.person_ref, *([names.get(e.participation_id, "")] if see_names else []),
                e.enrolled_on.isoformat(), f"{p.sessions_attended}/{p.sessions_total}", _hours(p.hours_attended),
                p.pct, _yes_no(p.meets), _yes_no(e.completed),
                e.completed_on.isoformat() if e.completed_on else "", e.certificate_no]

    return export_response(fmt, filename=f"{project.code}-{course.code}-enrolments", headers=headers,
                           rows=(row(e) for e in enrolments), sheet=_("enrolments"))


# --- sessions ---------------------------------------------------------------------------------------


@login_required
def session_create(request, code, pk):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    course = get_object_or_404(Course, project=project, pk=pk)
    return _session_form(request, project, course, CourseSession(course=course))


@login_required
def session_edit(request, code, pk):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    session = get_object_or_404(CourseSession.objects.select_related("course"), course__project=project, pk=pk)
    return _session_form(request, project, session.course, session)


def _session_form(request, project, course, session):
    form = add_version_field(SessionForm(request.POST or None, instance=session, course=course), session)
    if request.method == "POST" and form.is_valid():
        target = CourseSession.objects.get(pk=session.pk) if session.pk else CourseSession(course=course)
        version = submitted_version(form)
        try:
            services.session_save(session=target, by=request.user, expected_version=version, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect(reverse("staff:course", kwargs={"code": project.code, "pk": course.pk}) + "#sessions")
    return render(request, "staff/training/session_form.html", {
        "project": project, "course": course, "session": session, "form": form})


# --- enrolments and certificates --------------------------------------------------------------------


@login_required
def enrolment_create(request, code, pk):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    course = get_object_or_404(Course, project=project, pk=pk)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        participation = selectors.visible_participation_by_ref(request.user, project, form.cleaned_data["person_ref"])
        if participation is None:
            form.add_error("person_ref", _("No participant with this reference that you may see in the project."))
        elif Enrolment.objects.filter(course=course, participation=participation).exists():
            form.add_error("person_ref", _("This participant is already enrolled in the course."))
        else:
            try:
                services.enrolment_save(enrolment=Enrolment(course=course, participation=participation),
                                        by=request.user, enrolled_on=form.cleaned_data["enrolled_on"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(ref)s has been enrolled.") % {"ref": participation.person_ref})
                return redirect(reverse("staff:course", kwargs={"code": project.code, "pk": course.pk})
                                + "#enrolments")
    return render(request, "staff/training/enrol.html", {"project": project, "course": course, "form": form})


def _visible_enrolment(request, code, pk, capability=None):
    """The enrolment if the user may see its person (404 otherwise), 403 without the capability."""
    return selectors.get_enrolment_for(request.user, code, pk, capability)


def _decision_initial(enrolment) -> dict:
    """The form starts from the recorded decision; a completion date is proposed from the course's end."""
    end = enrolment.course.end_date
    return {"completed": {True: "yes", False: "no"}.get(enrolment.completed, ""),
            "completed_on": enrolment.completed_on or (end if end and end <= timezone.localdate() else None)}


@login_required
def enrolment_decide(request, code, pk):
    project, access, enrolment = _visible_enrolment(request, code, pk, Cap.CHANGE_ACTIVITIES)
    course = enrolment.course
    prefix = f"e{enrolment.pk}"
    form = DecisionForm(request.POST or None, prefix=prefix, initial=_decision_initial(enrolment))
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_decide(enrolment=enrolment, completed=form.decision(),
                                      completed_on=form.cleaned_data.get("completed_on"), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision for %(ref)s has been saved.") % {
                "ref": enrolment.participation.person_ref})
            return redirect(reverse("staff:course", kwargs={"code": project.code, "pk": course.pk})
                            + f"#enrolment-{enrolment.pk}")
    progress = selectors.progress(course, [enrolment.participation_id])[enrolment.participation_id]
    return render(request, "staff/training/decision.html", {
        "project": project, "course": course, "enrolment": enrolment, "form": form, "progress": progress})


@login_required
@require_POST
def certificate_issue(request, code, pk):
    project, _access, enrolment = _visible_enrolment(request, code, pk, Cap.CHANGE_ACTIVITIES)
    try:
        enrolment = services.certificate_issue(enrolment=enrolment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Certificate %(no)s has been issued to %(ref)s.") % {
            "no": enrolment.certificate_no, "ref": enrolment.participation.person_ref})
    return redirect(reverse("staff:course", kwargs={"code": project.code, "pk": enrolment.course_id})
                    + f"#enrolment-{enrolment.pk}")


@login_required
def certificate_pdf_view(request, code, pk):
    """The certificate for the person: it names them, so only roles that see identifiers get it (logged)."""
    _project, access, enrolment = _visible_enrolment(request, code, pk)
    if not access.can(Cap.SEE_IDENTIFIERS):
        raise PermissionDenied(_("Only roles that may see participants' names can download certificates."))
    return certificate_response(enrolment, by=request.user)


# --- the attendance sheet ---------------------------------------------------------------------------


def _sheet(request, code, pk):
    project, access = get_project_for(request.user, code)
    session = get_object_or_404(CourseSession.objects.select_related("course"), course__project=project, pk=pk)
    return project, access, session, selectors.enrolments_visible(request.user, session.course)


@login_required
def attendance(request, code, pk):
    """Everyone enrolled that the user may see, present or absent: one tap each (saved at once with
    HTMX), or the whole sheet posted as a normal form."""
    project, access, session, enrolments = _sheet(request, code, pk)
    can_change = access.can(Cap.CHANGE_ACTIVITIES)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Your role in this project does not allow this."))
        return _save_sheet(request, project, session, enrolments)
    page = Paginator(enrolments, SHEET_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    marks = dict(Attendance.objects.filter(session=session, participation_id__in=[e.participation_id for e in shown])
                 .values_list("participation_id", "present"))
    names = selectors.names_for(request.user, access, project, [e.participation for e in shown],
                                where=_("attendance sheet %(session)s") % {"session": session})
    rows = [{"participation": e.participation, "name": names.get(e.participation_id, ""),
             "present": marks.get(e.participation_id)} for e in shown]
    return render(request, "staff/training/attendance.html", {
        "project": project, "course": session.course, "session": session, "rows": rows, "page": page,
        "can_change": can_change, "see_names": access.can(Cap.SEE_IDENTIFIERS),
        "counts": {"present": sum(1 for r in rows if r["present"] is True),
                   "absent": sum(1 for r in rows if r["present"] is False),
                   "unmarked": sum(1 for r in rows if r["present"] is None)}})


def _present_value(raw):
    return {"1": True, "0": False}.get(raw)


def _save_sheet(request, project, session, enrolments):
    visible = {e.participation_id: e.participation for e in enrolments}
    wanted = {}
    for key, raw in request.POST.items():
        if not key.startswith("p") or not key[1:].isdigit():
            continue
        pid = int(key[1:])
        if pid not in visible or _present_value(raw) is None:
            messages.error(request, _("The sheet could not be saved: it names someone who is not enrolled or an "
                                      "unknown mark. Nothing was saved; reload the sheet and try again."))
            return redirect("staff:attendance", code=project.code, pk=session.pk)
        wanted[pid] = _present_value(raw)
    current = dict(Attendance.objects.filter(session=session, participation_id__in=list(wanted))
                   .values_list("participation_id", "present"))
    changed = 0
    try:
        with transaction.atomic():
            for pid, present in wanted.items():
                if current.get(pid) is not present:
                    services.attendance_record(session=session, participation=visible[pid], present=present,
                                               by=request.user)
                    changed += 1
    except ValidationError as exc:
        messages.error(request, _("The sheet could not be saved; nothing was saved: %(problem)s") % {
            "problem": " ".join(exc.messages)})
        return redirect("staff:attendance", code=project.code, pk=session.pk)
    messages.success(request, _("The attendance sheet has been saved (%(n)d changed).") % {"n": changed})
    url = reverse("staff:attendance", kwargs={"code": project.code, "pk": session.pk})
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
@require_POST
def attendance_mark(request, code, pk, participation_pk):
    """One tap: present or absent for one person, saved at once."""
    project, access, session, enrolments = _sheet(request, code, pk)
    enrolment = enrolments.filter(participation_id=participation_pk).first()
    if enrolment is None:
        raise Http404(_("Not found."))
    if not access.can(Cap.CHANGE_ACTIVITIES):
        raise PermissionDenied(_("Your role in this project does not allow this."))
    present = _present_value(request.POST.get(f"p{participation_pk}"))
    if present is None:
        message, ok = _("Choose present or absent."), False
    else:
        services.attendance_record(session=session, participation=enrolment.participation, present=present,
                                   by=request.user)
        message, ok = (_("Saved: present.") if present else _("Saved: absent.")), True
    if request.headers.get("HX-Request"):
        return render(request, "staff/training/_mark_status.html", {"message": message, "ok": ok})
    (messages.success if ok else messages.error)(request, message)
    return redirect(reverse("staff:attendance", kwargs={"code": project.code, "pk": session.pk})
                    + f"#person-{participation_pk}")


# --- counselling and mentoring ----------------------------------------------------------------------


@login_required
def counselling(request, code):
    project, access = get_project_for(request.user, code, Cap.VIEW_PEOPLE)
    form = CounsellingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.counselling_list(request.user, project, kind=data.get("kind", ""),
                                    person_ref=data.get("person", ""))
    headers = [_("Date"), _("Participant reference"), _("Kind"), _("Hours"), _("Counsellor or mentor"), _("Topic")]

    def row(s):
        return [s.date.isoformat(), s.participation.person_ref, s.get_kind_display(), _hours(s.hours), s.counsellor,
                s.topic]

    fmt = _export_format(request)
    if fmt:
        return export_response(fmt, filename=f"{project.code}-counselling", headers=headers,
                               rows=(row(s) for s in qs.iterator()), sheet=_("counselling"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/training/counselling.html", {
        "project": project, "form": form, "page": page, "query": _query(request),
        "can_change": access.can(Cap.CHANGE_ACTIVITIES), "whole_project": access.whole_project})


@login_required
def counselling_create(request, code):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    session = CounsellingSession(project=project)
    initial = {"counsellor": request.user.get_full_name() or request.user.get_username(),
               "date": timezone.localdate(), "person_ref": request.GET.get("person", "")[:40]}
    return _counselling_form(request, project, session, initial)


@login_required
def counselling_edit(request, code, pk):
    project, _access, session = selectors.get_counselling_for(request.user, code, pk, Cap.CHANGE_ACTIVITIES)
    return _counselling_form(request, project, session, {})


def _counselling_form(request, project, session, initial):
    form = add_version_field(CounsellingForm(request.POST or None, instance=session, initial=initial), session)
    if request.method == "POST" and form.is_valid():
        participation = selectors.visible_participation_by_ref(request.user, project, form.cleaned_data["person_ref"])
        if participation is None:
            form.add_error("person_ref", _("No participant with this reference that you may see in the project."))
        else:
            target = CounsellingSession.objects.get(pk=session.pk) if session.pk else CounsellingSession(
                project=project)
            try:
                services.counselling_save(session=target, by=request.user, participation=participation,
                                          expected_version=submitted_version(form), **form.values())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The session has been saved."))
                return redirect("staff:counselling", code=project.code)
    return render(request, "staff/training/counselling_form.html", {
        "project": project, "session": session, "form": form})
