"""Participants, enrolments and attendance: the sheets that come by the hundred thousand.

New rows are checked here with the rules of the people and training services (the same
validators, the same keyed hashes and encryption) and written in batches; rows that change an
existing record go through the services one by one (participant_update, enrolment_save,
attendance_record).
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from socec.core import crypto
from socec.core.validators import parse_cnp
from socec.people.models import Identity, NameDigest, Participation, Person
from socec.people.services import index_names, name_digests_for, participant_update
from socec.programmes.models import Partnership
from socec.programmes.roles import Cap
from socec.training.models import Attendance, CourseSession, Enrolment
from socec.training.services import attendance_record, enrolment_save, session_save

from .. import bulk
from ..importer import BATCH, Importer, Row
from .common import BulkAudit, missing, participation_ids, scope, visible_participation

SHEET = "participants"
FACT_COLUMNS = ("siruta", "county", "area", "entry_date", "labour_status", "isced", "disability", "minority",
                "third_country_national", "foreign_background", "homeless", "exit_date", "exit_status",
                "qualification_gained", "status_6m", "improved_6m", "consent_on")
IDENTITY_COLUMNS = ("first_name", "last_name", "cnp", "phone", "email", "address")
_REF = Participation._meta.get_field("person_ref").validators[0].regex  # a lazy object: compile it for real
_REF_OK = re.compile(_REF.pattern, _REF.flags)


def participants(imp: Importer):
    refs = participation_ids(imp)
    sheet = imp.present(SHEET)
    if sheet is None:
        return
    project = imp.project
    default_org, own_org = scope(imp)
    allowed = imp.can(Cap.CHANGE_PEOPLE)
    partner_orgs = set(Partnership.objects.filter(project=project, role__in=["lead", "partner"]).values_list(
        "organisation__code", "organisation_id"))
    partner_orgs = dict(partner_orgs)
    partner_orgs.setdefault(project.lead_organisation.code, project.lead_organisation_id)
    imp.load_places()
    counties = imp.counties
    existing_names = _existing_names(project) if refs else {}
    seen_cnp: dict[str, int] = {}
    seen_names: dict[int, str] = {}
    batch: list[tuple[Row, dict]] = []
    writer = _ParticipantWriter(imp)
    updater = _Updater(imp)
    imp.vulnerable_created = set()
    today = dt.date.today()
    if not allowed:
        imp.error(SHEET, None, "", _("Your role does not allow registering or changing participants in this "
                                     "project."))
    for row in imp.keyed_rows(sheet):
        v = row.values
        ref = v.get("person_ref") or ""
        if ref and not _REF_OK.match(ref):
            imp.error(SHEET, row, "person_ref", _("Use letters, digits, '.', '_', '/' or '-' (at most 40)."))
        if v.get("county") and v["county"] not in counties:
            imp.error(SHEET, row, "county", _("Not a county code."))
        locality, county, area = imp.place(SHEET, row)
        cnp = v.get("cnp") or ""
        if cnp:
            _check_cnp(imp, row, cnp, today)
        birth, entry = v.get("birth_date"), v.get("entry_date")
        if birth and entry and birth > entry:
            imp.error(SHEET, row, "birth_date", _("The birth date is after the entry date."))
        if v.get("exit_date") and entry and v["exit_date"] < entry:
            imp.error(SHEET, row, "exit_date", _("The exit date is before the entry date."))
        org_id = default_org
        if v.get("organisation"):
            org_id = partner_orgs.get(v["organisation"])
            if org_id is None:  # quietly when its own row failed: the error is reported there
                missing(imp, SHEET, row, "organisation", "organisations", v["organisation"],
                        _("Not the lead organisation or a partner of the project."))
            elif own_org is not None and org_id != own_org:
                imp.error(SHEET, row, "organisation", _("You can register participants only for your own "
                                                        "organisation."))
        if cnp and row.ok:
            first = seen_cnp.get(cnp)
            if first is not None:
                imp.error(SHEET, row, "cnp", _("The same CNP is on row %(row)d: one person, two rows.") % {
                    "row": first})
            else:
                seen_cnp[cnp] = row.number
        if not row.ok or not allowed:
            continue
        name = hash((crypto.normalise_name(v["first_name"]), crypto.normalise_name(v["last_name"]), birth))
        other = seen_names.get(name) or existing_names.get(name)
        if other is not None and other != ref:
            imp.warning(SHEET, row, "last_name", _("Probably the same person as %(ref)s (same name and birth "
                                                   "date). Check it is not one person under two references.")
                        % {"ref": other})
        else:
            seen_names[name] = ref
        if ref in refs:
            updater.add(row, refs[ref], locality, county, area)
            continue
        batch.append((row, {"org": org_id, "locality": locality, "county": county, "area": area}))
        if len(batch) >= BATCH:
            writer.flush(batch)
            batch = []
    writer.flush(batch)
    updater.flush()


def _check_cnp(imp: Importer, row: Row, cnp: str, today):
    v = row.values
    try:
        facts = parse_cnp(cnp, today)
    except ValidationError as exc:
        imp.error(SHEET, row, "cnp", " ".join(exc.messages))
        return
    if v.get("birth_date") and facts.birth_date != v["birth_date"]:
        imp.error(SHEET, row, "cnp", _("The CNP encodes the birth date %(cnp_date)s, but birth_date is %(date)s.") % {
            "cnp_date": facts.birth_date.isoformat(), "date": v["birth_date"].isoformat()})
    if facts.sex and v.get("sex") in ("F", "M") and facts.sex != v["sex"]:
        imp.error(SHEET, row, "cnp", _("The CNP encodes sex %(cnp_sex)s, but sex is %(sex)s.") % {
            "cnp_sex": facts.sex, "sex": v["sex"]})


def _existing_names(project) -> dict[int, str]:
    """Normalised name and birth date of the project's participants (to warn of likely duplicates)."""
    out = {}
    rows = Participation.objects.filter(project=project, person__identity__isnull=False).values_list(
        "person_ref", "person__birth_date", "person__identity__first_name", "person__identity__last_name")
    for ref, birth, first, last in rows.iterator(chunk_size=5_000):
        out[hash((crypto.normalise_name(first), crypto.normalise_name(last), birth))] = ref
    return out


class _Updater:
    """Rows whose person_ref is already in the project, compared in batches (one query for the
    records, one for their categories); only the rows that change go through participant_update."""

    def __init__(self, imp: Importer):
        self.imp = imp
        self.pending = []

    def add(self, row: Row, participation_id: int, locality, county, area):
        self.pending.append((row, participation_id, locality, county, area))
        if len(self.pending) >= 1_000:
            self.flush()

    def flush(self):
        imp = self.imp
        ids = [p[1] for p in self.pending]
        records = Participation.objects.select_related("person", "person__identity").in_bulk(ids)
        codes: dict[int, list[str]] = {}
        for pid, code in Participation.vulnerable.through.objects.filter(participation_id__in=ids).values_list(
                "participation_id", "vulnerablecategory_id"):
            codes.setdefault(pid, []).append(code)
        for row, pid, locality, county, area in self.pending:
            participation = records[pid]
            data = _data(row.values, locality, county, area)
            if not _differs(participation, data, sorted(codes.get(pid, []))):
                imp.count(SHEET, "unchanged")
                continue
            done = imp.service(SHEET, row, lambda p=participation, d=data: participant_update(
                participation=p, data=d, by=imp.by), {"locality": "siruta", "person_ref": "person_ref"})
            if done is not None:
                imp.count(SHEET, "updated")
        self.pending = []


def _data(v: dict, locality, county, area) -> dict:
    """The service's data for a row: only the columns the sheet has."""
    data = {}
    for col in FACT_COLUMNS:
        if col in v and col not in ("siruta", "county", "area"):
            field = Participation._meta.get_field(col)
            data[col] = "" if v[col] is None and not field.null else v[col]
    if "siruta" in v:
        data["locality"] = locality
    data["county"] = county
    if "area" in v or locality:
        data["area"] = area
    for col in ("sex", "birth_date"):
        data[col] = v[col]
    for col in IDENTITY_COLUMNS:
        if col in v:
            data[col] = v[col] or ""
    if "vulnerable" in v:
        data["vulnerable"] = v["vulnerable"]
    return data


def _differs(p: Participation, data: dict, vulnerable_codes: list[str]) -> bool:
    person = p.person
    identity = getattr(person, "identity", None)
    for key, value in data.items():
        if key in ("sex", "birth_date"):
            current = getattr(person, key)
        elif key in IDENTITY_COLUMNS:
            current = getattr(identity, key, "") if identity is not None else value
        elif key == "vulnerable":
            current = vulnerable_codes
            value = sorted(value)
        elif key == "locality":
            current = p.locality_id
        elif key == "county":
            current = p.county_id
        else:
            current = getattr(p, key)
        if current != value:
            return True
    return False


class _ParticipantWriter:
    """Writes new participants in batches: Person, Identity, Participation, vulnerable links, audit."""

    def __init__(self, imp: Importer):
        self.imp = imp
        self.persons = bulk.Inserter(Person, ["id", "sex", "birth_date", "person_key", "created_at"])
        self.identities = bulk.Inserter(Identity, ["person", "first_name", "last_name", "cnp", "cnp_digest", "phone",
                                                   "email", "address", "updated_at"])
        self.participations = bulk.Inserter(Participation, [
            "id", "project", "person", "person_ref", "organisation", "locality", "county", "area", "entry_date",
            "labour_status", "isced", "disability", "minority", "third_country_national", "foreign_background",
            "homeless", "exit_date", "exit_status", "qualification_gained", "status_6m", "improved_6m",
            "consent_on", "created_at", "updated_at"])
        through = Participation.vulnerable.through
        self.links = bulk.Inserter(through, ["participation", "vulnerablecategory"])
        self.names = bulk.Inserter(NameDigest, ["identity", "digest"])  # the blind index of names: search
        self.audit = BulkAudit(imp, "people.participation")
        self.day = bulk.date_value()
        self.identities_before = Identity.objects.exists()  # else no CNP can be known already

    def flush(self, batch: list[tuple[Row, dict]]):
        if not batch:
            return
        imp = self.imp
        project = imp.project
        digests = {}
        for row, extra in batch:
            cnp = row.values.get("cnp")
            if cnp:
                extra["digest"] = digests[row.number] = crypto.cnp_key(cnp)
        known = {}
        if digests and self.identities_before:
            known = _persons_by_digest(list(digests.values()))
        in_project = {}
        if known:
            in_project = {pid: (ref, org) for pid, ref, org in Participation.objects.filter(
                project=project, person_id__in=list(known.values())).values_list(
                "person_id", "person_ref", "organisation_id")}
        _default, own_org = scope(imp)
        ready = []
        for row, extra in batch:
            person_id = known.get(extra.get("digest"))
            if person_id is not None and person_id in in_project:
                ref, org = in_project[person_id]
                if own_org is None or org == own_org:
                    msg = _("This person (same CNP) is already a participant in the project as %(ref)s.") % {"ref": ref}
                else:
                    msg = _("This person (same CNP) is already a participant in the project, registered by another "
                            "partner.")
                imp.error(SHEET, row, "cnp", msg)
                imp.failed.setdefault(SHEET, set()).add(row.values["person_ref"])
                continue
            extra["person_id"] = person_id
            ready.append((row, extra))
        if not ready:
            return
        new_people = [x for x in ready if x[1]["person_id"] is None]
        for (_row, extra), pk in zip(new_people, self.persons.allocate(len(new_people)), strict=True):
            extra["new_person"] = pk
        pids = self.participations.allocate(len(ready))
        now = bulk.now_value()
        day = self.day
        enc = crypto.encrypt
        person_rows, identity_rows, part_rows, link_rows, name_rows = [], [], [], [], []
        code = project.code
        for (row, extra), pk in zip(ready, pids, strict=True):
            v = row.values
            cnp = v.get("cnp") or ""
            if extra["person_id"] is None:
                person_id = extra["new_person"]
                key = extra["digest"] if cnp else crypto.name_key(v["first_name"], v["last_name"], v["birth_date"])
                person_rows.append((person_id, v["sex"], day(v["birth_date"]), key, now))
                identity_rows.append((
                    person_id, enc(v["first_name"]), enc(v["last_name"]), enc(cnp) if cnp else "",
                    extra.get("digest"), _enc(enc, v.get("phone")), _enc(enc, v.get("email")),
                    _enc(enc, v.get("address")), now))
                name_rows += [(person_id, d) for d in name_digests_for(v["first_name"], v["last_name"])]
            else:
                person_id = extra["person_id"]
                _refresh_identity(person_id, v)
            part_rows.append((
                pk, project.pk, person_id, v["person_ref"], extra["org"], extra["locality"], extra["county"],
                extra["area"] or "", day(v["entry_date"]), v["labour_status"], v["isced"], v.get("disability") or "",
                v.get("minority") or "", v.get("third_country_national"), v.get("foreign_background") or "",
                v.get("homeless"), day(v.get("exit_date")), v.get("exit_status") or "", v.get("qualification_gained"),
                v.get("status_6m") or "", v.get("improved_6m"), day(v["consent_on"]), now, now))
            for category in v.get("vulnerable") or ():
                link_rows.append((pk, category))
            if v.get("vulnerable"):
                imp.vulnerable_created.add(pk)
            self.audit.add(pk, f"{code}/{v['person_ref']}")
            imp.refs[v["person_ref"]] = pk
            imp.ref_org[v["person_ref"]] = extra["org"]
            imp.count(SHEET, "created")
        self.persons.insert(person_rows)
        self.identities.insert(identity_rows)
        self.participations.insert(part_rows)
        self.links.insert(link_rows)
        self.names.insert(name_rows)
        self.audit.flush()


def _persons_by_digest(digests: list[str]) -> dict[str, int]:
    """cnp_digest -> person id, for the digests already in the database (one plain query: the ORM
    spends longer building an IN of thousands of values than the database answering it)."""
    with connection.cursor() as cur:
        if bulk.is_postgres():
            cur.execute("SELECT cnp_digest, person_id FROM people_identity WHERE cnp_digest = ANY(%s)", [digests])
        else:
            marks = ", ".join(["%s"] * len(digests))
            cur.execute(f"SELECT cnp_digest, person_id FROM people_identity WHERE cnp_digest IN ({marks})",  # noqa: S608
                        digests)
        return dict(cur.fetchall())


def _enc(enc, value) -> str:
    return enc(value) if value else ""


class _Batch:
    """New rows of one table, written BATCH at a time, each with its audit entry."""

    def __init__(self, imp: Importer, model, fields: list[str]):
        self.inserter = bulk.Inserter(model, ["id", *fields])
        self.audit = BulkAudit(imp, model._meta.label_lower)
        self.pending: list[tuple[tuple, str]] = []

    def add(self, values: tuple, label: str):
        self.pending.append((values, label))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self):
        ids = self.inserter.allocate(len(self.pending))
        self.inserter.insert([(pk, *values) for (values, _label), pk in zip(self.pending, ids, strict=True)])
        for (_values, label), pk in zip(self.pending, ids, strict=True):
            self.audit.add(pk, label)
        self.audit.flush()
        self.pending = []


def _refresh_identity(person_id: int, v: dict):
    """A person known from another project (same CNP): their identifiers take this row's values,
    as participant_register does."""
    identity = Identity.objects.get(person_id=person_id)
    for col in IDENTITY_COLUMNS:
        if v.get(col):
            setattr(identity, col, v[col])
    identity.save()
    index_names(identity)


# --- enrolments -----------------------------------------------------------------------------------


def enrolments(imp: Importer):
    sheet = imp.present("enrolments")
    participation_ids(imp)
    imp.completed = {}
    if sheet is None:
        return
    _default, own_org = scope(imp)
    if not imp.can(Cap.CHANGE_ACTIVITIES):
        imp.error("enrolments", None, "", _("Your role does not allow changing training records in this project."))
        return
    existing = {}
    if Enrolment.objects.filter(course__project=imp.project).exists():
        for e in Enrolment.objects.filter(course__project=imp.project).values_list(
                "id", "course_id", "participation_id", "enrolled_on", "completed", "completed_on", "certified",
                "certificate_no").iterator(chunk_size=20_000):
            existing[(e[1], e[2])] = e
    batch = _Batch(imp, Enrolment, ["course", "participation", "enrolled_on", "completed", "completed_on", "certified",
                                    "certificate_no"])
    day = bulk.date_value()

    for row in imp.keyed_rows(sheet):
        v = row.values
        course = imp.courses.get(v.get("course")) if v.get("course") else None
        if v.get("course") and course is None:
            missing(imp, "enrolments", row, "course", "courses", v["course"], _("Not in the courses sheet."))
        pid = visible_participation(imp, "enrolments", row, v["person_ref"], own_org) if v.get("person_ref") else None
        if v.get("completed") and not v.get("completed_on"):
            imp.error("enrolments", row, "completed_on", _("Required when completed is yes."))
        if v.get("completed_on") and v.get("enrolled_on") and v["completed_on"] < v["enrolled_on"]:
            imp.error("enrolments", row, "completed_on", _("The completion date is before the enrolment date."))
        if not row.ok or course is None:
            continue
        if v.get("completed") and course.min_attendance_pct:
            imp.completed[(course.code, v["person_ref"])] = row.number
        current = existing.get((course.pk, pid))
        if current is None:
            batch.add((course.pk, pid, day(v["enrolled_on"]), v.get("completed"), day(v.get("completed_on")),
                       v.get("certified"), v.get("certificate_no") or ""), f"{course.code} / {v['person_ref']}")
            imp.count("enrolments", "created")
            continue
        values = {k: v[k] for k in ("enrolled_on", "completed", "completed_on", "certified") if k in v}
        if "certificate_no" in v:
            values["certificate_no"] = v["certificate_no"] or ""
        before = dict(zip(("enrolled_on", "completed", "completed_on", "certified", "certificate_no"), current[3:],
                          strict=True))
        if all(before[k] == val for k, val in values.items()):
            imp.count("enrolments", "unchanged")
            continue
        enrolment = Enrolment.objects.select_related("course", "participation").get(pk=current[0])
        if imp.service("enrolments", row, lambda e=enrolment, vals=values: enrolment_save(
                enrolment=e, by=imp.by, **vals)) is not None:
            imp.count("enrolments", "updated")
    batch.flush()


# --- attendance -----------------------------------------------------------------------------------


def attendance(imp: Importer):
    sheet = imp.present("attendance")
    if sheet is None:
        return
    _default, own_org = scope(imp)
    if not imp.can(Cap.CHANGE_ACTIVITIES):
        imp.error("attendance", None, "", _("Your role does not allow changing training records in this project."))
        return
    sessions = {(s.course_id, s.date): s for s in CourseSession.objects.filter(course__project=imp.project)}
    existing = {(a[1], a[2]): a for a in Attendance.objects.filter(session__course__project=imp.project).values_list(
        "id", "session_id", "participation_id", "present", "hours").iterator(chunk_size=20_000)}
    batch = _Batch(imp, Attendance, ["session", "participation", "present", "hours"])
    decimal = (lambda d: d) if bulk.is_postgres() else (lambda d: None if d is None else str(d))
    # (course code, person_ref) -> [sessions present]; course code -> session dates, for the completion check
    present: dict[tuple[str, str], int] = {}
    dates: dict[str, set] = {}

    for row in imp.keyed_rows(sheet):
        v = row.values
        course = imp.courses.get(v.get("course")) if v.get("course") else None
        if v.get("course") and course is None:
            missing(imp, "attendance", row, "course", "courses", v["course"], _("Not in the courses sheet."))
        pid = visible_participation(imp, "attendance", row, v["person_ref"], own_org) if v.get("person_ref") else None
        if not row.ok or course is None:
            continue
        day = v["session_date"]
        dates.setdefault(course.code, set()).add(day)
        if v["present"]:
            key = (course.code, v["person_ref"])
            present[key] = present.get(key, 0) + 1
        session = sessions.get((course.pk, day))
        if session is None:
            session = imp.service("attendance", row, lambda c=course, d=day: session_save(
                session=CourseSession(course=c, date=d), by=imp.by), {"date": "session_date"})
            if session is None:
                continue
            sessions[(course.pk, day)] = session
        current = existing.get((session.pk, pid))
        if current is None:
            batch.add((session.pk, pid, v["present"], decimal(v.get("hours"))),
                      f"{course.code} {day} {v['person_ref']}")
            imp.count("attendance", "created")
            continue
        if current[3] == v["present"] and current[4] == v.get("hours"):
            imp.count("attendance", "unchanged")
            continue
        participation = Participation.objects.get(pk=pid)
        if imp.service("attendance", row, lambda s=session, p=participation, v=v: attendance_record(
                session=s, participation=p, present=v["present"], hours=v.get("hours"), by=imp.by)) is not None:
            imp.count("attendance", "updated")
    batch.flush()
    _completion_warnings(imp, present, dates)


def _completion_warnings(imp: Importer, present, dates):
    """An enrolment marked completed whose attendance is below the course's minimum: a warning."""
    for (course_code, ref), row_number in getattr(imp, "completed", {}).items():
        total = len(dates.get(course_code, ()))
        if not total:
            continue
        course = imp.courses[course_code]
        pct = 100 * present.get((course_code, ref), 0) / total
        if pct < course.min_attendance_pct:
            imp.issue("warning", "enrolments", row_number, "completed", "yes", _(
                "Marked completed, but %(ref)s attended %(pct)d%% of the sessions in the attendance sheet; the "
                "course asks for at least %(min)d%%.") % {"ref": ref, "pct": pct, "min": course.min_attendance_pct})
