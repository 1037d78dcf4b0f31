"""Staff pages for participants: the list (search, filters, keyset pages, exports), registration with live
CNP and duplicate checks, the profile with its timeline, facts, consent, exit and follow-up, evidence
documents and the list of what the indicators still miss."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socec.core.locking import add_version_field, submitted_version
from socec.core.validators import parse_cnp
from socec.outreach.files import file_response
from socec.people import services
from socec.people.access import get_participation_by_ref
from socec.people.models import EvidenceDocument
from socec.programmes.access import get_project_for
from socec.programmes.roles import Cap
from socec.staff.exports import FORMATS, export_response

from . import selectors
from .forms import (
    ConsentForm,
    EvidenceForm,
    ExitForm,
    FactsForm,
    FilterForm,
    FollowUpForm,
    IdentityForm,
    RegisterForm,
    RevealForm,
    apply_errors,
)

EXPORT_CHUNK = 1000


def _query(request, *drop) -> str:
    """The list's filters, to keep in page and export links."""
    query = request.GET.copy()
    for key in ("after", "before", "format", *drop):
        query.pop(key, None)
    return query.urlencode()


def _export_format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _filters(form: FilterForm, *, missing_default: str = "") -> selectors.Filters:
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        return selectors.Filters(q=c["q"], county=c["county"].pk if c["county"] else "", area=c["area"],
                                 vulnerable=c["vulnerable"].pk if c["vulnerable"] else "", status=c["status"],
                                 course=c["course"], missing=c["missing"] or missing_default)
    return selectors.Filters(missing=missing_default)


def _d(value) -> str:
    return value.isoformat() if value else ""


def _chunks(qs):
    chunk = []
    for row in qs.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _participant_url(project, p, anchor=""):
    return reverse("staff:participant", args=[project.code, p.person_ref]) + anchor


# --- the list -----------------------------------------------------------------------------------------------


@login_required
def participants(request, code):
    project, access = get_project_for(request.user, code, Cap.VIEW_PEOPLE)
    form = FilterForm(request.GET or None, project=project)
    today = timezone.localdate()
    qs = selectors.participants_for(request.user, access, project, _filters(form), today=today)
    see_names = access.can(Cap.SEE_IDENTIFIERS)
    headers = [_("Reference"), *([_("Name")] if see_names else []), _("Registered by"), _("County"), _("Area"),
               _("Entry date"), _("Exit date"), _("Status"), _("Vulnerable categories")]

    def row(p, names, vulnerable):
        return [p.person_ref, *([names.get(p.pk, "")] if see_names else []), p.organisation.name, p.county.name,
                p.get_area_display(), _d(p.entry_date), _d(p.exit_date), selectors.status_of(p),
                ", ".join(str(v.name) for v in vulnerable.get(p.pk, []))]

    fmt = _export_format(request)
    if fmt:
        def rows():
            for chunk in _chunks(qs):
                names = selectors.names_for(request.user, project, chunk, where=_("export of the participants")) \
                    if see_names else {}
                vulnerable = selectors.vulnerable_of(chunk)
                for p in chunk:
                    yield row(p, names, vulnerable)

        return export_response(fmt, filename=f"{project.code}-participants", headers=headers, rows=rows(),
                               sheet=_("participants"))
    page = selectors.keyset_page(qs, after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    names = selectors.names_for(request.user, project, page.rows, where=_("list of participants")) \
        if see_names else {}
    vulnerable = selectors.vulnerable_of(page.rows)
    rows = [{"p": p, "name": names.get(p.pk, ""), "status": selectors.status_of(p),
             "vulnerable": vulnerable.get(p.pk, [])} for p in page.rows]
    return render(request, "staff/participants/list.html", {
        "project": project, "form": form, "page": page, "rows": rows, "headers": headers, "see_names": see_names,
        "query": _query(request), "whole_project": access.whole_project,
        "can_change": access.can(Cap.CHANGE_PEOPLE)})


@login_required
def participants_missing(request, code):
    project, access = get_project_for(request.user, code, Cap.VIEW_PEOPLE)
    form = FilterForm(request.GET or None, project=project)
    today = timezone.localdate()
    qs = selectors.with_gap_flags(
        selectors.participants_for(request.user, access, project, _filters(form, missing_default="any"), today=today))
    headers = [_("Reference"), _("Registered by"), _("Entry date"), _("Exit date"), _("Missing")]
    fixes = {"edit": "participant_edit", "exit": "participant_exit", "follow_up": "participant_follow_up"}

    def row(p):
        return [p.person_ref, p.organisation.name, _d(p.entry_date), _d(p.exit_date),
                "; ".join(str(g.label) for g in selectors.gaps_of(p, today))]

    fmt = _export_format(request)
    if fmt:
        return export_response(fmt, filename=f"{project.code}-missing-data", headers=headers,
                               rows=(row(p) for p in qs.iterator(chunk_size=EXPORT_CHUNK)), sheet=_("missing data"))
    page = selectors.keyset_page(qs, after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    can_change = access.can(Cap.CHANGE_PEOPLE)
    rows = []
    for p in page.rows:
        gaps = []
        for g in selectors.gaps_of(p, today):
            if g.fix == "documents":
                link = _participant_url(project, p, "#documents")
            else:
                link = reverse(f"staff:{fixes[g.fix]}", args=[project.code, p.person_ref]) if can_change else ""
            gaps.append({"gap": g, "link": link})
        rows.append({"p": p, "gaps": gaps})
    return render(request, "staff/participants/missing.html", {
        "project": project, "form": form, "page": page, "rows": rows, "headers": headers,
        "query": _query(request), "can_change": can_change})


# --- registration ---------------------------------------------------------------------------------------------


@login_required
def participant_register(request, code):
    project, access = get_project_for(request.user, code, Cap.CHANGE_PEOPLE)
    form = RegisterForm(request.POST or None, project=project,
                        check_url=reverse("staff:participant_check", args=[project.code]))
    if request.method == "POST" and form.is_valid():
        try:
            p = services.participant_register(project=project, data=form.data_for_service(), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(ref)s has been registered.") % {"ref": p.person_ref})
            return redirect(_participant_url(project, p))
    return render(request, "staff/participants/register.html", {"project": project, "form": form})


@login_required
@require_POST
def participant_check(request, code):
    """HTMX: what the CNP says (or why it is wrong), and the same person in other projects the user sees.
    The CNP travels in the POST body, never in a URL."""
    project, access = get_project_for(request.user, code, Cap.CHANGE_PEOPLE)
    cnp = (request.POST.get("cnp") or "").strip()
    facts, problem = None, ""
    if cnp:
        try:
            facts = parse_cnp(cnp)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    birth = None
    if facts is not None:
        birth = facts.birth_date
    else:
        try:
            birth = RegisterForm.base_fields["birth_date"].clean(request.POST.get("birth_date") or None)
        except ValidationError:
            birth = None
    same = selectors.same_person_elsewhere(
        request.user, cnp=cnp if facts is not None else "",
        first_name=(request.POST.get("first_name") or "").strip(),
        last_name=(request.POST.get("last_name") or "").strip(), birth_date=birth)
    fill = None
    if facts is not None and request.headers.get("HX-Trigger-Name") == "cnp":
        fill = RegisterForm(project=project, check_url=reverse("staff:participant_check", args=[project.code]),
                            initial={"birth_date": facts.birth_date,
                                     "sex": facts.sex or request.POST.get("sex", "")})
    return render(request, "staff/participants/_check.html", {
        "project": project, "cnp": cnp, "facts": facts, "problem": problem, "same": same, "fill": fill})


# --- the profile -----------------------------------------------------------------------------------------------


def _profile(request, project, p, access, *, identity=None, revealed=False, reveal_form=None, evidence_form=None,
             status=200):
    see = access.can(Cap.SEE_IDENTIFIERS)
    if see and identity is None:
        identity = services.identity_for(participation=p, by=request.user)
    documents = list(p.documents.select_related("category", "uploaded_by"))
    can_change = access.can(Cap.CHANGE_PEOPLE)
    due = services.follow_up_due_on(p)
    return render(request, "staff/participants/profile.html", {
        "project": project, "p": p, "identity": identity, "see_identifiers": see or revealed,
        "erased": (see or revealed) and identity is None,
        "can_reveal": not see and access.can(Cap.REVEAL_IDENTIFIERS) and not revealed,
        "reveal_form": reveal_form or RevealForm(), "timeline": selectors.timeline(p),
        "vulnerable": list(p.vulnerable.all()), "documents": documents, "can_change": can_change,
        "evidence_form": evidence_form or (EvidenceForm() if can_change else None),
        "follow_up_due": due, "follow_up_open": due is not None and due <= timezone.localdate(),
        "gaps": selectors.gaps_of(selectors.with_gap_flags(type(p).objects.filter(pk=p.pk)).get(),
                                  timezone.localdate()),
        "max_mb": services.evidence_max_bytes() // services.MB,
        "can_manage": access.can(Cap.MANAGE_PROJECT),
    }, status=status)


@login_required
def participant(request, code, ref):
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref)
    return _profile(request, project, p, access)


@login_required
@require_POST
def participant_reveal(request, code, ref):
    """The funder auditor sees identifiers only through this explicit, logged reveal with a reason."""
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref)
    if access.can(Cap.SEE_IDENTIFIERS):
        return redirect(_participant_url(project, p))
    if not access.can(Cap.REVEAL_IDENTIFIERS):
        raise PermissionDenied(_("Your role does not allow seeing identifiers."))
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            identity = services.identity_for(participation=p, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _profile(request, project, p, access, identity=identity, revealed=True)
    return _profile(request, project, p, access, reveal_form=form, status=400)


def _change_form(request, code, ref, form_class, *, initial, save, title, success, intro=""):
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref, change=True)
    form = add_version_field(form_class(request.POST or None, initial=initial(p)), p)
    if request.method == "POST" and form.is_valid():
        try:
            save(p, form, submitted_version(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(_participant_url(project, p))
    return render(request, "staff/participants/change.html", {
        "project": project, "p": p, "form": form, "title": title, "intro": intro})


@login_required
def participant_edit(request, code, ref):
    return _change_form(
        request, code, ref, FactsForm, initial=FactsForm.initial_for,
        save=lambda p, form, version: services.participant_update(
            participation=p, data=form.data_for_service(), by=request.user, expected_version=version),
        title=_("Details for the indicators"), success=_("The participant's details have been saved."))


@login_required
def participant_identity(request, code, ref):
    """Correct the identifiers (reading them to fill the form is logged, as any view of them)."""
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref, change=True)
    if not access.can(Cap.SEE_IDENTIFIERS):
        raise PermissionDenied(_("Your role does not allow seeing identifiers."))
    identity = services.identity_for(participation=p, by=request.user)
    if identity is None:
        messages.error(request, _("This person's identifiers were erased and cannot be changed."))
        return redirect(_participant_url(project, p))
    return _change_form(
        request, code, ref, IdentityForm, initial=lambda p: {f: getattr(identity, f) for f in IdentityForm.base_fields},
        save=lambda p, form, version: services.participant_update(participation=p, data=form.cleaned_data,
                                                                  by=request.user, expected_version=version),
        title=_("Identifiers"), success=_("The identifiers have been saved."),
        intro=_("Correct a name, CNP or contact typed wrongly. The CNP must match the birth date and sex."))


@login_required
def participant_consent(request, code, ref):
    return _change_form(
        request, code, ref, ConsentForm, initial=lambda p: {"consent_on": p.consent_on},
        save=lambda p, form, version: services.participant_consent(participation=p, by=request.user,
                                                                   expected_version=version, **form.cleaned_data),
        title=_("Consent"), success=_("The consent has been recorded."))


@login_required
def participant_exit(request, code, ref):
    def initial(p):
        return {"exit_date": p.exit_date, "exit_status": p.exit_status,
                "qualification_gained": "" if p.qualification_gained is None else (
                    "yes" if p.qualification_gained else "no")}

    return _change_form(
        request, code, ref, ExitForm, initial=initial,
        save=lambda p, form, version: services.participant_exit(participation=p, by=request.user,
                                                                expected_version=version, **form.values()),
        title=_("Exit from the project"),
        intro=_("What the person's situation was on the day they left: it counts for the immediate result "
                "indicators (EECR01-EECR04)."), success=_("The exit has been recorded."))


@login_required
def participant_follow_up(request, code, ref):
    def initial(p):
        return {"status_6m": p.status_6m,
                "improved_6m": "" if p.improved_6m is None else ("yes" if p.improved_6m else "no")}

    project, _access = get_project_for(request.user, code)
    p, _access = get_participation_by_ref(request.user, project, ref, change=True)
    due = services.follow_up_due_on(p)
    intro = (_("The follow-up can be recorded from %(date)s, six months after the exit.") % {"date": due.isoformat()}
             if due else _("Record the exit first: the follow-up comes six months after leaving."))
    return _change_form(
        request, code, ref, FollowUpForm, initial=initial, intro=intro,
        save=lambda p, form, version: services.participant_follow_up(participation=p, by=request.user,
                                                                     expected_version=version, **form.values()),
        title=_("Six-month follow-up"), success=_("The six-month follow-up has been recorded."))


# --- evidence documents -----------------------------------------------------------------------------------------


@login_required
@require_POST
def document_add(request, code, ref):
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref, change=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(participation=p, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The document has been added."))
            return redirect(_participant_url(project, p, "#documents"))
    return _profile(request, project, p, access, evidence_form=form, status=400)


def _document(request, code, ref, pk, *, change=False):
    project, _access = get_project_for(request.user, code)
    p, access = get_participation_by_ref(request.user, project, ref, change=change)
    document = get_object_or_404(EvidenceDocument, participation=p, pk=pk)
    return project, p, document


@login_required
def document_download(request, code, ref, pk):
    project, p, document = _document(request, code, ref, pk)
    response = file_response(document.file, download_name=f"{project.code}-{p.person_ref}-{document.pk}".replace(
        "/", "_"), as_attachment=True)
    services.evidence_downloaded(document=document, by=request.user)
    return response


@login_required
@require_POST
def document_delete(request, code, ref, pk):
    project, p, document = _document(request, code, ref, pk, change=True)
    services.evidence_delete(document=document, by=request.user)
    messages.success(request, _("The document has been deleted."))
    return redirect(_participant_url(project, p, "#documents"))
