"""Writes about people. Each checks permission, validates, runs in one transaction and audits."""

import calendar
import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import MASK, audit_record, diff, masked, snapshot
from socec.core import crypto, locking, uploads
from socec.core.validators import parse_cnp
from socec.orgs.models import Organisation
from socec.places.models import County, Locality
from socec.programmes.access import require
from socec.programmes.models import Partnership, Project
from socec.programmes.roles import Cap

from .access import participation_access
from .models import (
    EvidenceDocument,
    ExitStatus,
    Identity,
    NameDigest,
    Participation,
    Person,
    Status6m,
    VulnerableCategory,
)

IDENTITY_FIELDS = ("first_name", "last_name", "cnp", "phone", "email", "address")
FACT_FIELDS = (
    "person_ref", "locality", "county", "area", "entry_date", "labour_status", "isced", "disability", "minority",
    "third_country_national", "foreign_background", "homeless", "exit_date", "exit_status", "qualification_gained",
    "status_6m", "improved_6m", "consent_on",
)
PERSON_FIELDS = ("sex", "birth_date")


def _resolve_place(data: dict) -> dict:
    """A locality (SIRUTA code or object) decides county and, when known, area."""
    out = dict(data)
    loc = out.get("locality")
    if loc == "":
        out["locality"] = loc = None  # no locality (the field is optional), not a code
    if loc is not None and not isinstance(loc, Locality):
        found = Locality.objects.filter(pk=loc).select_related("county").first() if str(loc).isdigit() else None
        if found is None:
            raise ValidationError({"locality": _("%(code)s is not a known SIRUTA code.") % {"code": loc}})
        out["locality"] = loc = found
    if isinstance(loc, Locality):
        out["county"] = loc.county
        if loc.area:
            out["area"] = loc.area
    elif "county" in out and out["county"] in (None, ""):
        # the county is required: sent empty, it would reach the model as "" and fail there (ValueError)
        raise ValidationError({"county": _("Give the county of residence (its code, e.g. CJ) or a SIRUTA "
                                           "locality.")})
    county = out.get("county")
    if county not in (None, "") and not isinstance(county, County):
        found = County.objects.filter(pk=str(county).upper()).first()
        if found is None:
            raise ValidationError({"county": _("%(code)s is not a county code.") % {"code": county}})
        out["county"] = found
    return out


def _vulnerable(codes) -> list[VulnerableCategory]:
    codes = [c for c in (codes or []) if c]
    found = {c.code: c for c in VulnerableCategory.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"vulnerable": _("Unknown vulnerable category: %(codes)s.") % {
            "codes": ", ".join(unknown)}})
    return [found[c] for c in dict.fromkeys(codes)]


def _check_cnp(data: dict) -> str:
    cnp = (data.get("cnp") or "").strip()
    if not cnp:
        return ""
    try:
        facts = parse_cnp(cnp)
    except ValidationError as exc:
        raise ValidationError({"cnp": exc.messages}) from None
    errors = {}
    if data.get("birth_date") and facts.birth_date != data["birth_date"]:
        errors["birth_date"] = _("The CNP encodes the birth date %(date)s.") % {"date": facts.birth_date.isoformat()}
    if facts.sex and data.get("sex") in ("F", "M") and facts.sex != data["sex"]:
        errors["sex"] = _("The CNP encodes sex %(sex)s.") % {"sex": facts.sex}
    if errors:
        raise ValidationError(errors)
    return cnp


def _fact_snapshot(p: Participation) -> dict:
    snap = snapshot(p, FACT_FIELDS)
    snap["vulnerable"] = sorted(p.vulnerable.values_list("code", flat=True)) if p.pk else []
    snap["sex"] = p.person.sex
    snap["birth_date"] = p.person.birth_date.isoformat()
    return snap


def _identity_snapshot(identity: Identity | None) -> dict:
    """The identifiers as they are (compared in memory, never stored: see `_identity_changes`)."""
    return {f: (getattr(identity, f, "") or "") if identity else "" for f in IDENTITY_FIELDS}


def _identity_changes(before: dict, after: dict) -> dict:
    """For the audit log: which identifiers changed, masked (the log never holds an identifier)."""
    return {f: [masked(f, before[f]), masked(f, after[f])] for f in IDENTITY_FIELDS if before[f] != after[f]}


def participant_register(*, project: Project, data: dict, by, organisation=None) -> Participation:
    """Registers a person in a project (finding them by CNP when already known elsewhere)."""
    access = require(by, project, Cap.CHANGE_PEOPLE)
    if organisation is None:
        organisation = (project.lead_organisation if access.organisation_id is None
                        else Organisation.objects.get(pk=access.organisation_id))
    if access.organisation_id is not None and organisation.pk != access.organisation_id:
        raise PermissionDenied(_("You can register participants only for your own organisation."))
    if not Partnership.objects.filter(project=project, organisation=organisation,
                                      role__in=["lead", "partner"]).exists() \
            and organisation.pk != project.lead_organisation_id:
        raise ValidationError({"organisation": _("%(org)s is not a partner of the project.") % {"org": organisation}})

    data = _resolve_place(data)
    for required in ("first_name", "last_name", "sex", "birth_date"):
        if data.get(required) in (None, ""):
            raise ValidationError({required: _("This field is required.")})
    cnp = _check_cnp(data)
    vulnerable = _vulnerable(data.get("vulnerable"))

    with transaction.atomic():
        person = None
        identity = None
        if cnp:
            identity = Identity.objects.select_related("person").filter(cnp_digest=crypto.cnp_key(cnp)).first()
            person = identity.person if identity else None
        if person is not None:
            existing = Participation.objects.filter(project=project, person=person).first()
            if existing is not None:
                visible = participation_access(by, existing) is not None
                if visible:
                    msg = _("This person is already a participant in the project as %(ref)s.") % {
                        "ref": existing.person_ref}
                else:
                    msg = _("This person is already a participant in the project (registered by another partner).")
                raise ValidationError({"cnp": msg})
        else:
            person = Person(sex=data["sex"], birth_date=data["birth_date"],
                            person_key=crypto.cnp_key(cnp) if cnp else crypto.name_key(
                                data["first_name"], data["last_name"], data["birth_date"]))
            person.full_clean()
            person.save()
        before_identity = _identity_snapshot(identity)
        if identity is None:
            identity = Identity(person=person)
        for f in IDENTITY_FIELDS:
            if f in data and data[f] is not None:
                setattr(identity, f, str(data[f]).strip())
        identity.cnp = cnp or identity.cnp
        identity.cnp_digest = crypto.cnp_key(identity.cnp) if identity.cnp else None
        identity.full_clean(exclude=["person"])
        identity.save()
        index_names(identity)

        participation = Participation(project=project, person=person, organisation=organisation,
                                      **{f: data[f] for f in FACT_FIELDS if f in data and data[f] is not None})
        for f in ("disability", "minority", "foreign_background", "area", "exit_status", "status_6m"):
            if getattr(participation, f) is None:
                setattr(participation, f, "")
        participation.full_clean()
        participation.save()
        participation.vulnerable.set(vulnerable)
        changes = diff({}, _fact_snapshot(participation))
        changes.update(_identity_changes(before_identity, _identity_snapshot(identity)))
        changes["organisation"] = [None, organisation.pk]
        audit_record(by=by, action=AuditEntry.Action.CREATE, obj=participation, project=project, changes=changes)
    return participation


def participant_update(*, participation: Participation, data: dict, by,
                       expected_version: int | None = None) -> Participation:
    """Changes a participant's facts and/or identifiers. Only the keys present in `data` change.
    `expected_version`: the participation's version the change was based on; if it has moved on,
    locking.Conflict and nothing written (None: no check). See socec/core/locking.py."""
    project = participation.project
    require(by, project, Cap.CHANGE_PEOPLE)
    if by is not None and participation_access(by, participation) is None:
        raise PermissionDenied(_("You cannot change a participant registered by another organisation."))
    data = _resolve_place(data) if ("locality" in data or "county" in data) else dict(data)

    with transaction.atomic():
        locking.claim(participation, expected_version)
        participation = Participation.objects.select_for_update().select_related("person").get(pk=participation.pk)
        person = participation.person
        identity = Identity.objects.filter(person=person).first()
        before = _fact_snapshot(participation)
        before_identity = _identity_snapshot(identity)

        check = {"sex": data.get("sex", person.sex), "birth_date": data.get("birth_date", person.birth_date),
                 "cnp": data.get("cnp", identity.cnp if identity else "")}
        if "cnp" in data or "sex" in data or "birth_date" in data:
            _check_cnp(check)
        for f in PERSON_FIELDS:
            if f in data:
                setattr(person, f, data[f])
        for f in FACT_FIELDS:
            if f in data:
                value = data[f]
                field = Participation._meta.get_field(f)
                if value is None and not field.null:
                    value = ""
                setattr(participation, f, value)
        if any(f in data for f in IDENTITY_FIELDS):
            if identity is None:
                raise ValidationError(_("This person's identifiers were erased and cannot be changed."))
            for f in IDENTITY_FIELDS:
                if f in data:
                    setattr(identity, f, (data[f] or "").strip())
            new_digest = crypto.cnp_key(identity.cnp) if identity.cnp else None
            if new_digest and Identity.objects.filter(cnp_digest=new_digest).exclude(person=person).exists():
                raise ValidationError({"cnp": _("Another person is already registered with this CNP.")})
            identity.cnp_digest = new_digest
            identity.full_clean(exclude=["person"])
            identity.save()
            if "first_name" in data or "last_name" in data:
                index_names(identity)
        if identity is not None and identity.cnp:
            person.person_key = crypto.cnp_key(identity.cnp)
        elif identity is not None:
            person.person_key = crypto.name_key(identity.first_name, identity.last_name, person.birth_date)
        person.full_clean()
        person.save()
        participation.full_clean()
        participation.save()
        if "vulnerable" in data:
            participation.vulnerable.set(_vulnerable(data["vulnerable"]))
        changes = diff(before, _fact_snapshot(participation))
        changes.update(_identity_changes(before_identity, _identity_snapshot(identity)))
        if changes:
            Participation.objects.filter(pk=participation.pk).update(version=F("version") + 1)
            participation.version += 1
            audit_record(by=by, action=AuditEntry.Action.UPDATE, obj=participation, project=project, changes=changes)
    return participation


def identity_for(*, participation: Participation, by, reason: str = "") -> Identity | None:
    """The person's identifiers, for someone allowed to see them; every call is logged.

    Roles with SEE_IDENTIFIERS get them (logged as a view); the funder auditor only through
    an explicit reveal with a reason (logged as a reveal). Anyone else: PermissionDenied.
    """
    access = participation_access(by, participation) if by is not None else require(
        None, participation.project, Cap.SEE_IDENTIFIERS)
    if access is None:
        raise PermissionDenied(_("You may not see this person."))
    if access.can(Cap.SEE_IDENTIFIERS):
        action = AuditEntry.Action.VIEW_IDENTIFIERS
    elif access.can(Cap.REVEAL_IDENTIFIERS):
        if not reason.strip():
            raise ValidationError({"reason": _("Say why you need to see this person's identifiers.")})
        action = AuditEntry.Action.REVEAL
    else:
        raise PermissionDenied(_("Your role does not allow seeing identifiers."))
    identity = Identity.objects.filter(person_id=participation.person_id).first()
    audit_record(by=by, action=action, obj=participation, project=participation.project, reason=reason)
    return identity


def participant_erase(*, participation: Participation, by, reason: str) -> None:
    """Erasure on the person's request: their identifiers (names, CNP, contacts) are deleted; the
    pseudonymous facts (sex, birth date, person key, everything on the participation) stay, so
    every report, past or future, keeps its figures. A project manager's decision, with a reason."""
    require(by, participation.project, Cap.MANAGE_PROJECT)
    if by is not None and participation_access(by, participation) is None:
        raise PermissionDenied(_("You may not see this person."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the identifiers are erased (for example, the person's request "
                                           "of a given date).")})
    with transaction.atomic():
        deleted, _counts = Identity.objects.filter(person_id=participation.person_id).delete()
        documents = _erase_documents(participation.person_id)
        now = timezone.now()
        for p in Participation.objects.filter(person_id=participation.person_id, erased_at__isnull=True):
            p.erased_at = now
            p.save(update_fields=["erased_at"])
            changes = {"identifiers": ["…", None]} if deleted else {}
            if documents.get(p.pk):
                changes["documents"] = [documents[p.pk], 0]
            audit_record(by=by, action=AuditEntry.Action.ERASE, obj=p, project=p.project, reason=reason,
                         changes=changes)


def _erase_documents(person_id) -> dict[int, int]:
    """Erasure deletes the person's evidence documents (identity cards, certificates: identifiers themselves),
    their files once the transaction commits, and the file names the audit log kept of them (a name may be the
    person's). Returns participation id -> documents deleted. Part of the caller's transaction."""
    documents = list(EvidenceDocument.objects.filter(participation__person_id=person_id).select_related(
        "participation"))
    if not documents:
        return {}
    counts: dict[int, int] = {}
    for d in documents:
        counts[d.participation_id] = counts.get(d.participation_id, 0) + 1
        AuditEntry.objects.filter(model=EvidenceDocument._meta.label_lower, object_id=str(d.pk)).update(
            object_repr=f"{d.participation.person_ref}: {MASK}", changes={}, reason="")
    files = [(d.file.storage, d.file.name) for d in documents if d.file.name]
    EvidenceDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return counts


def mask_identity(identity: Identity | None) -> dict:
    """What roles without identifiers see: initials only."""
    if identity is None:
        return {"first_name": "", "last_name": "", "cnp": "", "full_name": _("(erased)")}
    fi = (identity.first_name or "?")[:1]
    li = (identity.last_name or "?")[:1]
    return {"first_name": f"{fi}.", "last_name": f"{li}.", "cnp": "•" * 13 if identity.cnp else "",
            "full_name": f"{fi}. {li}."}


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# --- search by name: a blind index --------------------------------------------------------------------
# Names are encrypted, so a search cannot look inside them. Each normalised word of the first and last
# names is stored as its keyed hash (NameDigest); a search hashes the words typed and finds the people
# holding all of them through an index, at any number of participants. Whole words only: "ion" finds
# "Ion Popescu", not "Ionela".


def name_words(text: str) -> list[str]:
    """'Ana-Maria  POPESCU' -> ['ana', 'maria', 'popescu']: lower case, no diacritics, no punctuation."""
    plain = crypto.normalise_name(text or "")
    cleaned = "".join(c if c.isalnum() else " " for c in plain)
    return list(dict.fromkeys(cleaned.split()))


def name_digest(word: str) -> str:
    return crypto.keyed_hash("name-word", word)


def name_digests_for(first_name: str, last_name: str) -> list[str]:
    """The digests to store for a person (for bulk writers, such as an import, that bypass the services)."""
    return [name_digest(w) for w in name_words(f"{first_name} {last_name}")]


def index_names(identity: Identity) -> None:
    """(Re)writes the name search keys of one identity. Part of the caller's transaction."""
    NameDigest.objects.filter(identity=identity).delete()
    NameDigest.objects.bulk_create([NameDigest(identity=identity, digest=d)
                                    for d in name_digests_for(identity.first_name, identity.last_name)])


def index_missing_names(*, batch: int = 2000) -> int:
    """Writes the search keys of the identities that have none (rows written by bulk imports); returns how
    many identities were indexed. Safe to run again."""
    done = 0
    while True:
        ids = list(Identity.objects.filter(name_digests__isnull=True).values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        with transaction.atomic():
            rows = []
            for identity in Identity.objects.filter(pk__in=ids):
                rows += [NameDigest(identity_id=identity.pk, digest=d)
                         for d in name_digests_for(identity.first_name, identity.last_name)]
            NameDigest.objects.bulk_create(rows, ignore_conflicts=True)
        done += len(ids)
        if len(ids) < batch:
            return done


# --- exit, follow-up and consent --------------------------------------------------------------------------


def _visible_change(by, participation: Participation) -> None:
    require(by, participation.project, Cap.CHANGE_PEOPLE)
    if by is not None and participation_access(by, participation) is None:
        raise PermissionDenied(_("You cannot change a participant registered by another organisation."))


def participant_exit(*, participation: Participation, by, exit_date: dt.date, exit_status: str,
                     qualification_gained: bool | None, today: dt.date | None = None,
                     expected_version: int | None = None) -> Participation:
    """Records that a person left the operation, with what EECR01-04 count: the situation on leaving and
    whether a qualification was gained."""
    _visible_change(by, participation)
    today = today or timezone.localdate()
    errors = {}
    if exit_date is None:
        errors["exit_date"] = _("Give the date the person left.")
    elif exit_date < participation.entry_date:
        errors["exit_date"] = _("The exit date is before the entry date (%(date)s).") % {
            "date": participation.entry_date.isoformat()}
    elif exit_date > today:
        errors["exit_date"] = _("The exit date cannot be in the future.")
    if not exit_status:
        errors["exit_status"] = _("Say what the person's situation was on leaving (or 'unknown').")
    elif exit_status not in ExitStatus.values:
        errors["exit_status"] = _("Choose one of the situations listed.")
    if qualification_gained is None:
        errors["qualification_gained"] = _("Say whether the person gained a qualification.")
    if participation.status_6m and exit_date and exit_date != participation.exit_date \
            and add_months(exit_date, 6) > today:
        errors["exit_date"] = _("A six-month follow-up is recorded: the exit date must be at least six months "
                                "ago.")
    if errors:
        raise ValidationError(errors)
    return participant_update(participation=participation, by=by, expected_version=expected_version, data={
        "exit_date": exit_date, "exit_status": exit_status, "qualification_gained": qualification_gained})


def add_months(day: dt.date, months: int) -> dt.date:
    """As the indicators count (indicators.md): the same day `months` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due_on(participation: Participation) -> dt.date | None:
    """The first day the six-month follow-up may be recorded (exit date plus six calendar months)."""
    return add_months(participation.exit_date, 6) if participation.exit_date else None


def participant_follow_up(*, participation: Participation, by, status_6m: str, improved_6m: bool | None,
                          today: dt.date | None = None, expected_version: int | None = None) -> Participation:
    """Records the person's situation six months after leaving (EECR05, EECR06)."""
    _visible_change(by, participation)
    today = today or timezone.localdate()
    errors = {}
    due = follow_up_due_on(participation)
    if due is None:
        raise ValidationError(_("Record the exit first: the follow-up comes six months after leaving."))
    if due > today:
        raise ValidationError(_("The six-month follow-up can be recorded from %(date)s (six months after the "
                                "exit).") % {"date": due.isoformat()})
    if not status_6m:
        errors["status_6m"] = _("Say what the person's situation is six months after leaving (or 'unknown').")
    elif status_6m not in Status6m.values:
        errors["status_6m"] = _("Choose one of the situations listed.")
    if improved_6m is None:
        errors["improved_6m"] = _("Say whether the person's situation on the labour market improved.")
    if errors:
        raise ValidationError(errors)
    return participant_update(participation=participation, by=by, expected_version=expected_version, data={
        "status_6m": status_6m, "improved_6m": improved_6m})


def participant_consent(*, participation: Participation, by, consent_on: dt.date,
                        today: dt.date | None = None, expected_version: int | None = None) -> Participation:
    """Records the date the person was informed and gave consent."""
    _visible_change(by, participation)
    today = today or timezone.localdate()
    if consent_on is None:
        raise ValidationError({"consent_on": _("Give the date of the consent.")})
    if consent_on > today:
        raise ValidationError({"consent_on": _("The consent date cannot be in the future.")})
    return participant_update(participation=participation, by=by, data={"consent_on": consent_on},
                              expected_version=expected_version)


# --- evidence documents -------------------------------------------------------------------------------------

MB = 1024 * 1024
EVIDENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def evidence_max_bytes() -> int:
    return int(getattr(settings, "SOCEC_EVIDENCE_MAX_BYTES", 10 * MB))


def evidence_kind(file) -> str:
    """'pdf', 'jpg' or 'png', judged by the file's first bytes (never its name), within the size limit."""
    size = uploads.size_of(file)
    if size > evidence_max_bytes():
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": evidence_max_bytes() // MB}})
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    kind = uploads.sniff(file, (uploads.PDF, uploads.JPEG, uploads.PNG))
    if kind is None:
        raise ValidationError({"file": _("The file must be a PDF, JPEG or PNG (its content says otherwise).")})
    return kind.extension


def evidence_add(*, participation: Participation, by, file, category: VulnerableCategory | None = None,
                 description: str = "") -> EvidenceDocument:
    """Stores a proof document (in private storage, under a random name) for a participant."""
    _visible_change(by, participation)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    kind = evidence_kind(file)
    original = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or f"document.{kind}"
    document = EvidenceDocument(participation=participation, category=category,
                                description=(description or "").strip(), original_name=original,
                                content_type=EVIDENCE_TYPES[kind], size=file.size,
                                uploaded_by=by if (by is not None and by.pk) else None)
    document.file.save(f"{uuid.uuid4().hex}.{kind}", file, save=False)
    stored = document.file.name
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
            audit_record(by=by, action=AuditEntry.Action.CREATE, obj=document, project=participation.project,
                         changes={"file": [None, original], "participant": [None, participation.person_ref]},
                         object_repr=f"{participation.person_ref}: {original}")
    except Exception:
        document.file.storage.delete(stored)
        raise
    return document


def evidence_delete(*, document: EvidenceDocument, by) -> None:
    participation = document.participation
    _visible_change(by, participation)
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        pk = document.pk
        document.delete()
        document.pk = pk
        audit_record(by=by, action=AuditEntry.Action.DELETE, obj=document, project=participation.project,
                     changes={"file": [document.original_name, None]},
                     object_repr=f"{participation.person_ref}: {document.original_name}")
        transaction.on_commit(lambda: storage.delete(name))


def evidence_downloaded(*, document: EvidenceDocument, by) -> None:
    """Logs that someone opened a proof document (personal data): called by the download view."""
    participation = document.participation
    if by is not None and participation_access(by, participation) is None:
        raise PermissionDenied(_("You may not see this person."))
    audit_record(by=by, action=AuditEntry.Action.VIEW_IDENTIFIERS, obj=document, project=participation.project,
                 reason=_("Downloaded the evidence document %(name)s of %(ref)s") % {
                     "name": document.original_name, "ref": participation.person_ref},
                 object_repr=f"{participation.person_ref}: {document.original_name}")
