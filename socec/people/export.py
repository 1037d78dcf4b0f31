"""Subject access: everything the platform holds about one person, as a ZIP for them (GDPR art. 15).

    README.txt              what the files are
    person.json             the facts about the person (sex, birth date) and the list below
    identity.json           the identifiers (names, CNP, contacts, address), unless they were erased
    participations/*.json   one per participation in a project the requesting user may see: entry data,
                            results, consent, vulnerable categories, training (enrolments, attendance,
                            certificates, counselling), jobs held, events attended, evidence documents
    audit.json              the audit log's entries about these records: who saw or changed what, when
    files/...               the evidence documents themselves

Asking for it is permission-checked like seeing the identifiers (SEE_IDENTIFIERS, or REVEAL_IDENTIFIERS
with a reason) and recorded in the audit log of every project whose records it holds.
"""

import datetime as dt
import decimal
import io
import json
import re
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import actor_name, audit_record
from socec.programmes.access import require
from socec.programmes.roles import Cap

from .access import participation_access, participations_visible_to
from .models import EvidenceDocument, Identity, Participation

README = """Personal data held by SOCEC about one person, exported on request (GDPR art. 15).

person.json            the facts about the person and the list of their participations
identity.json          names, CNP, contacts and address (absent when they were erased)
participations/*.json  one file per project: data on entry, results, consent, training, jobs, events,
                       evidence documents
audit.json             who registered, changed or saw these records, and when
files/                 the evidence documents
"""


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return str(value)


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain)


def _safe(name: str) -> str:
    """A file or folder name for the archive: no separators, nothing outside letters, digits, '.', '_', '-'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"


def _check(participation: Participation, by, reason: str) -> str:
    """The audit action for this request; PermissionDenied / ValidationError like identity_for."""
    access = participation_access(by, participation) if by is not None else require(
        None, participation.project, Cap.SEE_IDENTIFIERS)
    if access is None:
        raise PermissionDenied(_("You may not see this person."))
    if access.can(Cap.SEE_IDENTIFIERS):
        return AuditEntry.Action.VIEW_IDENTIFIERS
    if access.can(Cap.REVEAL_IDENTIFIERS):
        if not reason.strip():
            raise ValidationError({"reason": _("Say why you export this person's data (for example, their request "
                                               "of a given date).")})
        return AuditEntry.Action.REVEAL
    raise PermissionDenied(_("Your role does not allow seeing identifiers."))


def _participation_data(p: Participation) -> tuple[dict, list[EvidenceDocument], dict[str, list[str]]]:
    """One participation as a dict, its evidence documents, and the records it names (for the audit)."""
    from socec.jobs.models import Employment
    from socec.outreach.models import EventAttendance
    from socec.training.models import Attendance, CounsellingSession, Enrolment

    related: dict[str, list[str]] = {Participation._meta.label_lower: [str(p.pk)]}

    def note(obj):
        related.setdefault(obj._meta.label_lower, []).append(str(obj.pk))

    enrolments = []
    attendance = {}
    for a in Attendance.objects.filter(participation=p).select_related("session").order_by("session__date"):
        note(a)
        attendance.setdefault(a.session.course_id, []).append(
            {"date": a.session.date, "topic": a.session.topic, "present": a.present, "hours": a.hours})
    for e in Enrolment.objects.filter(participation=p).select_related("course").order_by("enrolled_on", "pk"):
        note(e)
        enrolments.append({
            "course": e.course.code, "title": e.course.title, "kind": e.course.kind, "hours": e.course.hours,
            "enrolled_on": e.enrolled_on, "completed": e.completed, "completed_on": e.completed_on,
            "certified": e.certified, "certificate_no": e.certificate_no,
            "attendance": attendance.get(e.course_id, [])})
    counselling = []
    for c in CounsellingSession.objects.filter(participation=p).order_by("date", "pk"):
        note(c)
        counselling.append({"kind": c.kind, "date": c.date, "hours": c.hours, "counsellor": c.counsellor,
                            "topic": c.topic, "notes": c.notes})
    employments = []
    for e in Employment.objects.filter(participation=p).select_related("job", "job__employer",
                                                                        "vulnerable_category"):
        note(e)
        employments.append({
            "job": e.job.code, "title": e.job.title, "employer": e.job.employer.name, "start_date": e.start_date,
            "end_date": e.end_date, "hours_per_week": e.hours_per_week or e.job.hours_per_week,
            "vulnerable": e.vulnerable,
            "vulnerable_category": e.vulnerable_category_id})
    events = []
    for a in EventAttendance.objects.filter(participation=p).select_related("event").order_by("event__date"):
        note(a)
        events.append({"event": a.event.code, "title": a.event.title, "kind": a.event.kind, "date": a.event.date})
    documents = list(EvidenceDocument.objects.filter(participation=p).select_related("category").order_by("pk"))
    for d in documents:
        note(d)
    folder = _safe(f"{p.project.code}_{p.person_ref}")
    data = {
        "project": {"code": p.project.code, "title": p.project.title, "programme": p.project.programme,
                    "funder": p.project.funder, "start_date": p.project.start_date, "end_date": p.project.end_date,
                    "identifiers_kept_until": p.project.retention_until},
        "person_ref": p.person_ref,
        "registered_by": p.organisation.name,
        "registered_at": p.created_at,
        "entry": {
            "entry_date": p.entry_date, "county": p.county.name, "locality": p.locality.name if p.locality else "",
            "area": p.area, "labour_status": p.labour_status, "isced": p.isced, "disability": p.disability,
            "minority": p.minority, "third_country_national": p.third_country_national,
            "foreign_background": p.foreign_background, "homeless": p.homeless,
            "vulnerable": [{"code": v.code, "name": v.name} for v in p.vulnerable.all()],
        },
        "results": {"exit_date": p.exit_date, "exit_status": p.exit_status,
                    "qualification_gained": p.qualification_gained, "status_6m": p.status_6m,
                    "improved_6m": p.improved_6m},
        "consent": {"informed_and_consented_on": p.consent_on},
        "identifiers_erased_at": p.erased_at,
        "training": {"enrolments": enrolments, "counselling": counselling},
        "employments": employments,
        "events": events,
        "evidence_documents": [
            {"file": f"files/{folder}/{d.pk}-{_safe(d.original_name)}", "name": d.original_name,
             "description": d.description, "proves": d.category_id, "content_type": d.content_type, "size": d.size,
             "uploaded_at": d.uploaded_at} for d in documents],
    }
    return data, documents, related


def subject_access_export(*, participation: Participation, by, reason: str = "") -> bytes:
    """The ZIP of everything held about the person of `participation`, in the projects `by` may see."""
    action = _check(participation, by, reason)
    person = participation.person
    visible = list(participations_visible_to(by).filter(person_id=person.pk).select_related(
        "project", "organisation", "county", "locality").order_by("project__code"))
    if participation.pk not in {p.pk for p in visible}:  # `by` None sees all; a user sees at least this one
        raise PermissionDenied(_("You may not see this person."))
    why = _("Subject access export") + (f": {reason.strip()}" if reason.strip() else "")
    now = timezone.now()
    buffer = io.BytesIO()
    with transaction.atomic():
        for p in visible:
            audit_record(by=by, action=action, obj=p, project=p.project, reason=why,
                         changes={"export": [None, "subject access"]})
        identity = Identity.objects.filter(person_id=person.pk).first()
        names, related, files = [], {}, []
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", README)
            for p in visible:
                data, documents, records = _participation_data(p)
                name = f"participations/{_safe(f'{p.project.code}_{p.person_ref}')}.json"
                names.append(name)
                for model, ids in records.items():
                    related.setdefault(model, []).extend(ids)
                for d, entry in zip(documents, data["evidence_documents"], strict=True):
                    try:
                        with d.file.open("rb") as f:
                            archive.writestr(entry["file"], f.read())
                        files.append(entry["file"])
                    except OSError:
                        entry["file"] = None
                        entry["missing"] = True
                archive.writestr(name, _dump(data))
            archive.writestr("person.json", _dump({
                "exported_at": now, "exported_by": actor_name(by),
                "person": {"sex": person.sex, "birth_date": person.birth_date,
                           "first_registered_at": person.created_at},
                "identifiers": "identity.json" if identity is not None else None,
                "identifiers_erased": identity is None,
                "participations": names,
                "files": files,
            }))
            if identity is not None:
                archive.writestr("identity.json", _dump({
                    "first_name": identity.first_name, "last_name": identity.last_name, "cnp": identity.cnp,
                    "phone": identity.phone, "email": identity.email, "address": identity.address,
                    "updated_at": identity.updated_at}))
            about = Q(pk__in=[])
            for model, ids in related.items():
                about |= Q(model=model, object_id__in=ids)
            entries = AuditEntry.objects.filter(about).select_related("project").order_by("at", "pk")
            archive.writestr("audit.json", _dump([
                {"at": e.at, "who": e.actor_name, "action": e.action, "action_label": e.get_action_display(),
                 "project": e.project.code if e.project else None, "record": f"{e.model}#{e.object_id}",
                 "description": e.object_repr, "changes": e.changes, "reason": e.reason} for e in entries]))
    return buffer.getvalue()
