"""The sheets that hold tens or hundreds of rows: each row goes through its service."""

from django.utils.translation import gettext as _

from socec.core.validators import caen_section, normalise_caen, normalise_cui, validate_caen, validate_cui
from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.orgs.models import Organisation
from socec.orgs.services import can_change_organisation, organisation_save
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.outreach.services import campaign_save, event_save, publication_save
from socec.places.models import Region
from socec.programmes.models import Partnership, Project, Target
from socec.programmes.roles import Cap
from socec.programmes.services import partnership_set, project_save, target_set
from socec.training.models import Course
from socec.training.services import course_save

from ..importer import Importer, Row, changed
from .common import Creator, missing, participation_ids, scope, visible_participation, vulnerable_participations

ORG_FIELDS = {"name": "name", "legal_form": "legal_form", "founded_on": "founded_on", "website": "website",
              "description": "description", "attestation_no": "attestation_no", "social_mark_no": "social_mark_no",
              "contact_email": "contact_email", "contact_phone": "contact_phone", "attested_on": "attested_on",
              "social_mark_on": "social_mark_on"}
ORG_COLUMN_OF = {"cui": "cui", "caen": "caen", "locality": "siruta", "county": "county", "area": "area",
                 "is_ses": "is_ses", "public": "public", "code": "code", **{v: k for k, v in ORG_FIELDS.items()}}


def _values(row: Row, mapping: dict[str, str]) -> dict:
    """Model values from the columns present in the row ('' for empty text)."""
    return {field: row.values[col] for col, field in mapping.items() if col in row.values}


def _upsert(imp: Importer, sheet: str, row: Row, instance, values: dict, save, column_of=None, creator=None):
    """Creates (in a batch, through `creator`) or updates through `save(instance, values)`,
    counting what happened."""
    if instance.pk is not None and not changed(instance, values):
        imp.count(sheet, "unchanged")
        return instance
    created = instance.pk is None
    if created and creator is not None:
        for k, val in values.items():
            setattr(instance, k, val)
        return instance if creator.add(row, instance, column_of) else None
    result = imp.service(sheet, row, lambda: save(instance, values), column_of)
    if result is not None:
        imp.count(sheet, "created" if created else "updated")
    return result


# --- organisations, project, partnerships, targets ---------------------------------------------


def organisations(imp: Importer):
    sheet = imp.present("organisations")
    if sheet is None:
        return
    rows = [r for r in imp.keyed_rows(sheet) if r.ok]
    existing = {o.code: o for o in Organisation.objects.filter(code__in=[r.values["code"] for r in rows])}
    project_code = imp.project_row.values.get("code") if imp.project_row is not None else None
    existing_project = Project.objects.filter(code=project_code).first() if project_code else None
    creator = Creator(imp, "organisations", Organisation, None, allowed=can_change_organisation(
        imp.by, None, existing_project), prepare=_caen_section)
    # A CUI is one organisation's: taken by another one here or in the database, the row is an error
    # (not an IntegrityError at the end, which would name no row).
    cui_owner = dict(Organisation.objects.filter(cui__in={normalise_cui(r.values["cui"]) for r in rows
                                                          if r.values.get("cui")}).values_list("cui", "code"))
    cui_rows: dict[str, int] = {}
    for row in rows:
        v = row.values
        code = v["code"]
        if v.get("cui"):
            try:
                validate_cui(v["cui"])
            except Exception as exc:  # noqa: BLE001 - ValidationError: the message is for the user
                imp.error("organisations", row, "cui", " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                cui = normalise_cui(v["cui"])
                if cui in cui_rows:
                    imp.error("organisations", row, "cui", _("The same CUI is on row %(row)d: one organisation, "
                                                             "two rows.") % {"row": cui_rows[cui]})
                elif cui_owner.get(cui, code) != code:
                    imp.error("organisations", row, "cui", _("Another organisation (%(code)s) already has this "
                                                             "CUI.") % {"code": cui_owner[cui]})
                cui_rows.setdefault(cui, row.number)
        if v.get("caen"):
            try:
                validate_caen(v["caen"])
            except Exception as exc:  # noqa: BLE001
                imp.error("organisations", row, "caen", " ".join(getattr(exc, "messages", [str(exc)])))
        locality, county, area = imp.place("organisations", row)
        if not row.ok:
            imp.failed.setdefault("organisations", set()).add(code)
            continue
        values = _values(row, ORG_FIELDS)
        if "cui" in v:
            values["cui"] = normalise_cui(v["cui"]) if v["cui"] else ""
        if "caen" in v:
            values["caen"] = normalise_caen(v["caen"]) if v["caen"] else ""
        for flag in ("is_ses", "public"):
            if flag in v:
                values[flag] = bool(v[flag])
        if "siruta" in v:
            values["locality_id"] = locality
        values["county_id"] = county
        if "area" in v or locality:
            values["area"] = area
        values = {k: ("" if val is None and k in _TEXTUAL_ORG else val) for k, val in values.items()}
        instance = existing.get(code) or Organisation(code=code)
        imp.org_rows[code] = row
        result = _upsert(imp, "organisations", row, instance, values,
                         lambda inst, vals: organisation_save(organisation=inst, by=imp.by,
                                                              project=existing_project, **vals),
                         ORG_COLUMN_OF, creator)
        if result is not None:
            imp.orgs[code] = result
        else:
            imp.failed.setdefault("organisations", set()).add(code)
    creator.flush()


def _caen_section(org: Organisation):
    """What Organisation.save() derives, for the rows created in bulk (save() is not called)."""
    org.caen_section = caen_section(org.caen) if org.caen else ""
    org.search_text = org.build_search_text()


_TEXTUAL_ORG = {"name", "website", "description", "attestation_no", "social_mark_no", "contact_email",
                "contact_phone", "cui", "caen", "area"}


def read_project_row(imp: Importer):
    sheet = imp.present("project")
    if sheet is None:
        return None
    rows = list(imp.rows(sheet))
    if len(rows) != 1:
        imp.error("project", rows[1] if len(rows) > 1 else None, "",
                  _("The project sheet must have exactly one row (it has %(n)d).") % {"n": len(rows)})
        return None
    return rows[0]


def project(imp: Importer):
    row = imp.project_row
    if row is None:
        return
    v = row.values
    imp.report.project_code = v.get("code") or ""
    lead = None
    if v.get("lead_organisation"):
        lead = imp.orgs.get(v["lead_organisation"]) or Organisation.objects.filter(
            code=v["lead_organisation"]).first()
        if lead is None:
            missing(imp, "project", row, "lead_organisation", "organisations", v["lead_organisation"],
                    _("Not in the organisations sheet."))
    if v.get("start_date") and v.get("end_date") and v["end_date"] < v["start_date"]:
        imp.error("project", row, "end_date", _("The end date is before the start date."))
    instance = Project.objects.filter(code=v["code"]).first() if v.get("code") else None
    if instance is None and imp.by is not None and not imp.by.is_superuser:
        imp.error("project", row, "code", _("Only an administrator can create a project."))
    if not row.ok:
        imp.project = instance or _stand_in(imp, v, lead)
        return
    values = {"title": v["title"], "start_date": v["start_date"], "end_date": v["end_date"],
              "lead_organisation": lead}
    for col in ("programme", "funder", "description"):
        if col in v:
            values[col] = v[col] or ""
    regions = None
    if "regions" in v:
        regions = list(Region.objects.filter(code__in=v["regions"]))
    if instance is not None:
        same_regions = regions is None or sorted(r.code for r in regions) == sorted(
            instance.regions.values_list("code", flat=True))
        if not changed(instance, values) and same_regions:
            imp.count("project", "unchanged")
            imp.project = instance
            return
    created = instance is None
    instance = instance or Project(code=v["code"])
    result = imp.service("project", row, lambda: project_save(project=instance, by=imp.by, regions=regions,
                                                              **values),
                         {"lead_organisation": "lead_organisation"})
    if result is not None:
        imp.project = result
        imp.created_project = created
        imp.count("project", "created" if created else "updated")


def _stand_in(imp: Importer, v: dict, lead) -> Project | None:
    """The project row has errors, so nothing will be written; a stand-in project (rolled back
    with the rest) lets the other sheets be checked, so that every error is reported at once.
    Only where a new project could be created at all (the system or an administrator)."""
    if imp.by is not None and not imp.by.is_superuser:
        return None
    import datetime as dt

    start = v.get("start_date") or dt.date.today()
    # Not an organisation of the file as lead: its own project_role would then seem wrong. The codes
    # start with '~', which no valid code does, so they cannot clash with one in the database.
    lead = lead or Organisation.objects.create(code="~stand-in", name="stand-in", legal_form="other", county_id="B")
    return Project.objects.create(code=(v.get("code") or "~stand-in")[:40], title="stand-in", start_date=start,
                                  end_date=max(start, v.get("end_date") or start), lead_organisation=lead)


def partnerships(imp: Importer):
    project = imp.project
    existing = {p.organisation_id: p for p in Partnership.objects.filter(project=project)}
    creator = Creator(imp, "organisations", Partnership, Cap.MANAGE_PROJECT)
    creator.count = False
    for code, row in imp.org_rows.items():
        org = imp.orgs.get(code)
        role = row.values.get("project_role")
        if org is None or role is None:
            continue
        current = existing.get(org.pk)
        if current is not None and current.role == role:
            continue
        if role == Partnership.Role.LEAD and org.pk != project.lead_organisation_id:
            imp.error("organisations", row, "project_role", _("Only the project's lead organisation "
                                                              "(lead_organisation in the project sheet) is the lead."))
            continue
        if org.pk == project.lead_organisation_id and role != Partnership.Role.LEAD:
            imp.error("organisations", row, "project_role", _("This is the project's lead organisation: its role "
                                                              "is lead."))
            continue
        if current is None and org.pk is not None:
            creator.add(row, Partnership(project=project, organisation=org, role=role), {"role": "project_role"})
            continue
        if imp.service("organisations", row, lambda o=org, r=role: partnership_set(
                project=project, organisation=o, role=r, by=imp.by), {"role": "project_role"}) is not None:
            counts = imp.summary.setdefault("organisations", {"created": 0, "updated": 0, "unchanged": 0})
            if counts["unchanged"] and current is not None:
                counts["unchanged"] -= 1
                counts["updated"] += 1
    creator.flush()


def targets(imp: Importer):
    sheet = imp.present("targets")
    if sheet is None:
        return
    existing = {(t.indicator, t.region_id or "", t.county_id or ""): t for t in Target.objects.filter(
        project=imp.project)}
    for row in imp.keyed_rows(sheet):
        if not row.ok:
            continue
        v = row.values
        if v.get("region") and v.get("county"):
            imp.error("targets", row, "county", _("Give a region or a county, not both."))
            continue
        current = existing.get((v["indicator"], v.get("region") or "", v.get("county") or ""))
        if current is not None and current.value == v["target"]:
            imp.count("targets", "unchanged")
            continue
        result = imp.service("targets", row, lambda v=v: target_set(
            project=imp.project, indicator=v["indicator"], value=v["target"], by=imp.by,
            region=Region.objects.filter(code=v.get("region")).first() if v.get("region") else None,
            county=_county(v.get("county")) if v.get("county") else None),
            {"value": "target"})
        if result is not None:
            imp.count("targets", "updated" if current is not None else "created")


def _county(code):
    from socec.places.models import County

    return County.objects.get(pk=code)


# --- courses --------------------------------------------------------------------------------------


COURSE_FIELDS = {"title": "title", "kind": "kind", "hours": "hours", "min_attendance_pct": "min_attendance_pct",
                 "start_date": "start_date", "end_date": "end_date", "accredited": "accredited",
                 "occupation_code": "occupation_code"}


def courses(imp: Importer):
    sheet = imp.present("courses")
    imp.courses = {c.code: c for c in Course.objects.filter(project=imp.project)}
    if sheet is None:
        return
    creator = Creator(imp, "courses", Course, Cap.CHANGE_ACTIVITIES)
    for row in imp.keyed_rows(sheet):
        v = row.values
        if v.get("start_date") and v.get("end_date") and v["end_date"] < v["start_date"]:
            imp.error("courses", row, "end_date", _("The end date is before the start date."))
        locality, county, _area = imp.place("courses", row, area=False)
        if not row.ok:
            continue
        values = _values(row, COURSE_FIELDS)
        for text in ("occupation_code",):
            if text in values and values[text] is None:
                values[text] = ""
        if "siruta" in v:
            values["locality_id"] = locality
        if "county" in v or locality:
            values["county_id"] = county
        instance = imp.courses.get(v["code"]) or Course(project=imp.project, code=v["code"])
        result = _upsert(imp, "courses", row, instance, values,
                         lambda inst, vals: course_save(course=inst, by=imp.by, **vals), None, creator)
        if result is not None:
            imp.courses[v["code"]] = result
    creator.flush()


# --- jobs and employments --------------------------------------------------------------------------


def _org(imp: Importer, code):
    if code in imp.orgs:
        return imp.orgs[code]
    found = Organisation.objects.filter(code=code).first()
    if found is not None:
        imp.orgs[code] = found
    return found


def jobs(imp: Importer):
    sheet = imp.present("jobs")
    imp.jobs = {j.code: j for j in Job.objects.filter(project=imp.project)}
    if sheet is None:
        return
    creator = Creator(imp, "jobs", Job, Cap.CHANGE_ACTIVITIES)
    for row in imp.keyed_rows(sheet):
        v = row.values
        employer = _org(imp, v["employer"]) if v.get("employer") else None
        if v.get("employer") and employer is None:
            missing(imp, "jobs", row, "employer", "organisations", v["employer"], _("Not in the organisations sheet."))
        if not row.ok:
            continue
        values = {"employer": employer, "created_on": v["created_on"], "hours_per_week": v["hours_per_week"]}
        if "title" in v:
            values["title"] = v["title"] or ""
        instance = imp.jobs.get(v["code"]) or Job(project=imp.project, code=v["code"])
        result = _upsert(imp, "jobs", row, instance, values, lambda inst, vals: job_save(job=inst, by=imp.by, **vals),
                         None, creator)
        if result is not None:
            imp.jobs[v["code"]] = result
    creator.flush()


def employments(imp: Importer):
    from socec.core import crypto

    sheet = imp.present("employments")
    if sheet is None:
        return
    participation_ids(imp)
    _default, own_org = scope(imp)
    vulnerable = vulnerable_participations(imp)
    creator = Creator(imp, "employments", Employment, Cap.CHANGE_ACTIVITIES)
    existing = {}
    for e in Employment.objects.filter(job__project=imp.project).select_related("job", "participation"):
        holder = e.participation.person_ref if e.participation_id else ""
        existing[(e.job.code, holder, e.person_name_key, e.start_date)] = e
    for row in imp.keyed_rows(sheet):
        v = row.values
        job = imp.jobs.get(v.get("job")) if v.get("job") else None
        if v.get("job") and job is None:
            missing(imp, "employments", row, "job", "jobs", v["job"], _("Not in the jobs sheet."))
        ref, name = v.get("person_ref") or "", v.get("person_name") or ""
        if bool(ref) == bool(name):
            imp.error("employments", row, "person_ref", _("Give either person_ref (a participant) or person_name "
                                                          "(someone who is not a participant), exactly one."))
        participation_id = visible_participation(imp, "employments", row, ref, own_org) if ref else None
        if v.get("end_date") and v.get("start_date") and v["end_date"] < v["start_date"]:
            imp.error("employments", row, "end_date", _("The end date is before the start date."))
        if ref and v.get("vulnerable_category"):
            imp.error("employments", row, "vulnerable_category", _("For a participant the vulnerable categories "
                                                                   "are in the participants sheet."))
        if not row.ok:
            continue
        name_key = crypto.keyed_hash("employee", crypto.normalise_name(name)) if name else ""
        instance = existing.get((job.code, ref, name_key, v["start_date"])) or Employment(job=job)
        values = {"start_date": v["start_date"]}
        for col in ("end_date", "hours_per_week", "vulnerable"):
            if col in v:
                values[col] = v[col]
        if ref:
            is_vulnerable = participation_id in vulnerable
            if v.get("vulnerable") is not None and v["vulnerable"] != is_vulnerable:
                imp.error("employments", row, "vulnerable", _(
                    "The participant is %(state)s (participants sheet): the employment cannot say otherwise.") % {
                    "state": _("vulnerable") if is_vulnerable else _("not vulnerable")})
                continue
            values.update(participation_id=participation_id, vulnerable=is_vulnerable)
        else:
            if v.get("vulnerable_category") and v.get("vulnerable") is False:
                imp.error("employments", row, "vulnerable", _("A vulnerable category was given for a person marked "
                                                              "not vulnerable."))
                continue
            values.update(person_name=name, person_name_key=name_key)
            if "vulnerable_category" in v:
                values["vulnerable_category_id"] = v["vulnerable_category"]
                if v["vulnerable_category"]:
                    values["vulnerable"] = True
        _upsert(imp, "employments", row, instance, values,
                lambda inst, vals: employment_save(employment=inst, by=imp.by, **vals),
                {"participation": "person_ref"}, creator)
    creator.flush()


# --- events, attendance, campaigns, publications ---------------------------------------------------


def events(imp: Importer):
    sheet = imp.present("events")
    imp.events = {e.code: e for e in Event.objects.filter(project=imp.project)}
    if sheet is None:
        return
    creator = Creator(imp, "events", Event, Cap.CHANGE_ACTIVITIES)
    for row in imp.keyed_rows(sheet):
        v = row.values
        locality, county, area = imp.place("events", row)
        if not row.ok:
            continue
        values = {"kind": v["kind"], "title": v["title"], "date": v["date"], "county_id": county}
        if "siruta" in v:
            values["locality_id"] = locality
        if "area" in v or locality:
            values["area"] = area
        for col in ("participants",):
            if col in v:
                values[col] = v[col]
        for col in ("theme", "conclusions", "venue"):
            if col in v:
                values[col] = v[col] or ""
        instance = imp.events.get(v["code"]) or Event(project=imp.project, code=v["code"])
        result = _upsert(imp, "events", row, instance, values,
                         lambda inst, vals: event_save(event=inst, by=imp.by, **vals), None, creator)
        if result is not None:
            imp.events[v["code"]] = result
    creator.flush()


def event_attendance(imp: Importer):
    sheet = imp.present("event_attendance")
    if sheet is None:
        return
    participation_ids(imp)
    existing = set(EventAttendance.objects.filter(event__project=imp.project).values_list(
        "event_id", "participation_id", "organisation_id"))
    creator = Creator(imp, "event_attendance", EventAttendance, Cap.CHANGE_ACTIVITIES)
    _default, own_org = scope(imp)
    for row in imp.keyed_rows(sheet):
        v = row.values
        event = imp.events.get(v.get("event"))
        if v.get("event") and event is None:
            missing(imp, "event_attendance", row, "event", "events", v["event"], _("Not in the events sheet."))
        ref, org_code = v.get("person_ref") or "", v.get("organisation") or ""
        if bool(ref) == bool(org_code):
            imp.error("event_attendance", row, "person_ref", _("Give either person_ref or organisation, "
                                                               "exactly one."))
        participation_id = visible_participation(imp, "event_attendance", row, ref, own_org) if ref else None
        org = _org(imp, org_code) if org_code else None
        if org_code and org is None:
            missing(imp, "event_attendance", row, "organisation", "organisations", org_code,
                    _("Not in the organisations sheet."))
        if not row.ok:
            continue
        if (event.pk, participation_id, org.pk if org else None) in existing:
            imp.count("event_attendance", "unchanged")
            continue
        creator.add(row, EventAttendance(event=event, participation_id=participation_id, organisation=org))
    creator.flush()


def campaigns(imp: Importer):
    _simple(imp, "campaigns", Campaign, campaign_save, "campaign",
            ("channel", "title", "start_date", "end_date", "reach"))


def publications(imp: Importer):
    _simple(imp, "publications", Publication, publication_save, "publication",
            ("kind", "title", "published_on", "url"))


def _simple(imp: Importer, name, model, save, arg, columns):
    sheet = imp.present(name)
    if sheet is None:
        return
    existing = {o.code: o for o in model.objects.filter(project=imp.project)}
    creator = Creator(imp, name, model, Cap.CHANGE_ACTIVITIES)
    for row in imp.keyed_rows(sheet):
        v = row.values
        if v.get("start_date") and v.get("end_date") and v["end_date"] < v["start_date"]:
            imp.error(name, row, "end_date", _("The end date is before the start date."))
        if not row.ok:
            continue
        values = {}
        for col in columns:
            if col in v:
                field = model._meta.get_field(col)
                values[col] = "" if v[col] is None and not field.null else v[col]
        instance = existing.get(v["code"]) or model(project=imp.project, code=v["code"])
        _upsert(imp, name, row, instance, values, lambda inst, vals: save(by=imp.by, **{arg: inst}, **vals), None,
                creator)
    creator.flush()
