"""The records of a project as workbook rows: for each sheet of the schema, one dict per record
mapping every column to its canonical cell text (schema.format_value).

Streamed for projects of a million participants: each sheet is one ordered query read with
.iterator(); what a row needs from other tables (a participant's vulnerable categories and
identifiers) is read once per chunk of rows, never once per row.

Scope: `by=None` is the system and sees everything. A user sees the project's activities and
only the participants they may see (people.access.participations_visible_to); a record that
points at a participant they cannot see (an enrolment, an attendance, a job held...) is left out.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby, islice

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from socec.jobs.models import Employment, Job
from socec.orgs.models import Organisation
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.people.access import participations_visible_to
from socec.people.models import Identity, Participation
from socec.programmes.access import project_access
from socec.programmes.models import Partnership, Project, Target
from socec.programmes.roles import Cap
from socec.training.models import Attendance, Course, Enrolment

from .schema import BY_NAME, DATE, DECIMAL, INT, Sheet, format_value

CHUNK = 2000
IDENTITY_COLUMNS = ("first_name", "last_name", "cnp", "phone", "email", "address")


@dataclass(frozen=True)
class Scope:
    """What the reader may see of the project's participants."""

    participations: QuerySet
    whole: bool  # every participant: no need to filter the records that point at one

    def limit(self, qs: QuerySet, lookup: str) -> QuerySet:
        """Leaves out the records whose participant (`lookup`, may be empty) is not visible."""
        if self.whole:
            return qs
        visible = self.participations.values("pk")
        return qs.filter(Q(**{f"{lookup}__isnull": True}) | Q(**{f"{lookup}__in": visible}))


def _scope(project: Project, by) -> Scope:
    access = project_access(by, project)
    if access is None:
        raise PermissionDenied(_("You do not have access to project %(code)s.") % {"code": project.code})
    whole = access.whole_project and access.can(Cap.VIEW_PEOPLE)
    return Scope(participations_visible_to(by, project), whole)


# --- Reading -------------------------------------------------------------------------------------


def _fields(sheet: Sheet, paths: dict[str, str], skip=()) -> dict[str, str]:
    """{column: ORM lookup} for the columns read straight from the query."""
    return {c.name: paths.get(c.name, c.name) for c in sheet.columns if c.name not in skip}


def _ascending(sheet: Sheet, column: str, lookup: str):
    """Order by a key column, the same on every database: empty first, text by code point."""
    expr = F(lookup)
    if sheet.by_name[column].kind not in (DATE, INT, DECIMAL) and connection.vendor == "postgresql":
        expr = Collate(expr, "C")
    return expr.asc(nulls_first=True)


def _key_order(sheet: Sheet, paths: dict[str, str], key=None) -> list:
    return [_ascending(sheet, k, paths.get(k, k)) for k in (key or sheet.key)]


def _stream(qs: QuerySet, fields: dict[str, str], order: list) -> Iterator[dict]:
    names = list(fields)
    values = qs.order_by(*order).values_list(*fields.values()).iterator(chunk_size=CHUNK)
    return (dict(zip(names, v, strict=True)) for v in values)


def _chunks(items: Iterator, size: int = CHUNK) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


# --- Sheets that are one query ---------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    model: type
    project_lookup: str  # how the model reaches the project
    paths: dict[str, str] = field(default_factory=dict)  # column -> lookup, where not the column's name
    person: str = ""  # the lookup of the participant a record points at, for scoping

    def records(self, sheet: Sheet, project: Project, scope: Scope) -> Iterator[dict]:
        qs = self.model.objects.filter(**{self.project_lookup: project})
        if self.person:
            qs = scope.limit(qs, self.person)
        return _stream(qs, _fields(sheet, self.paths), _key_order(sheet, self.paths))


SOURCES: dict[str, Source] = {
    "targets": Source(Target, "project", {"target": "value"}),
    "courses": Source(Course, "project", {"siruta": "locality"}),
    "enrolments": Source(Enrolment, "course__project", {"person_ref": "participation__person_ref",
                                                        "course": "course__code"}, person="participation"),
    "attendance": Source(Attendance, "session__course__project", {
        "course": "session__course__code", "session_date": "session__date",
        "person_ref": "participation__person_ref"}, person="participation"),
    "jobs": Source(Job, "project", {"employer": "employer__code"}),
    "events": Source(Event, "project", {"siruta": "locality"}),
    "event_attendance": Source(EventAttendance, "event__project", {
        "event": "event__code", "person_ref": "participation__person_ref",
        "organisation": "organisation__code"}, person="participation"),
    "campaigns": Source(Campaign, "project"),
    "publications": Source(Publication, "project"),
}


# --- Sheets that need more -----------------------------------------------------------------------


def _project(sheet: Sheet, project: Project, scope: Scope) -> Iterator[dict]:
    p = Project.objects.select_related("lead_organisation").get(pk=project.pk)
    yield {"code": p.code, "title": p.title, "programme": p.programme, "funder": p.funder,
           "start_date": p.start_date, "end_date": p.end_date, "lead_organisation": p.lead_organisation.code,
           "regions": list(p.regions.values_list("code", flat=True)), "description": p.description}


def _involved_organisations(project: Project, scope: Scope) -> set[int]:
    """The lead, the partners, and every organisation the project's records name."""
    ids = set(Partnership.objects.filter(project=project).values_list("organisation_id", flat=True))
    ids.add(project.lead_organisation_id)
    ids.update(Job.objects.filter(project=project).values_list("employer_id", flat=True))
    ids.update(EventAttendance.objects.filter(event__project=project, organisation__isnull=False)
               .values_list("organisation_id", flat=True))
    ids.update(scope.participations.order_by().values_list("organisation_id", flat=True).distinct())
    return ids


def _organisations(sheet: Sheet, project: Project, scope: Scope) -> Iterator[dict]:
    roles = dict(Partnership.objects.filter(project=project).values_list("organisation_id", "role"))
    paths = {"siruta": "locality"}
    fields = {"id": "pk", **_fields(sheet, paths, skip=("project_role",))}
    qs = Organisation.objects.filter(pk__in=_involved_organisations(project, scope))
    for record in _stream(qs, fields, _key_order(sheet, paths)):
        record["project_role"] = roles.get(record.pop("id"), Partnership.Role.NONE)
        yield record


PARTICIPANT_PATHS = {"sex": "person__sex", "birth_date": "person__birth_date", "siruta": "locality",
                     "organisation": "organisation__code"}


def _vulnerable_codes(participation_ids: list[int]) -> dict[int, list[str]]:
    through = Participation.vulnerable.through
    out: dict[int, list[str]] = {}
    for pid, code in through.objects.filter(participation_id__in=participation_ids).values_list(
            "participation_id", "vulnerablecategory_id"):
        out.setdefault(pid, []).append(code)
    return out


def _identities(person_ids: list[int]) -> dict[int, dict[str, str]]:
    """Decrypted identifiers (the field decrypts on reading) of a chunk of people, in one query."""
    rows = Identity.objects.filter(person_id__in=person_ids).values_list("person_id", *IDENTITY_COLUMNS)
    return {row[0]: dict(zip(IDENTITY_COLUMNS, row[1:], strict=True)) for row in rows}


def _participants(sheet: Sheet, project: Project, scope: Scope) -> Iterator[dict]:
    fields = {"id": "pk", "person_id": "person_id",
              **_fields(sheet, PARTICIPANT_PATHS, skip=(*IDENTITY_COLUMNS, "vulnerable"))}
    rows = _stream(scope.participations, fields, _key_order(sheet, PARTICIPANT_PATHS))
    for chunk in _chunks(rows):
        codes = _vulnerable_codes([r["id"] for r in chunk])
        identities = _identities([r["person_id"] for r in chunk])
        for record in chunk:
            record["vulnerable"] = codes.get(record["id"], ())
            record.update(identities.get(record["person_id"], {}))  # erased: no identity, empty names
            yield record


EMPLOYMENT_PATHS = {"job": "job__code", "person_ref": "participation__person_ref"}


def _employment_key(record: dict) -> tuple:
    return record["person_ref"] or "", record["person_name"] or "", record["start_date"]


def _employments(sheet: Sheet, project: Project, scope: Scope) -> Iterator[dict]:
    """Ordered by job in the database; within a job by the rest of the key in Python, since
    person_name is encrypted. Memory holds one job's employments at a time."""
    qs = scope.limit(Employment.objects.filter(job__project=project), "participation")
    rows = _stream(qs, _fields(sheet, EMPLOYMENT_PATHS), _key_order(sheet, EMPLOYMENT_PATHS, key=("job",)))
    for _job, group in groupby(rows, key=lambda r: r["job"]):
        yield from sorted(group, key=_employment_key)


Reader = Callable[[Sheet, Project, Scope], Iterator[dict]]
READERS: dict[str, Reader] = {
    "project": _project,
    "organisations": _organisations,
    "participants": _participants,
    "employments": _employments,
    **{name: source.records for name, source in SOURCES.items()},
}


# --- Public --------------------------------------------------------------------------------------


def sheet_rows(sheet_name: str, project, *, by=None) -> Iterator[dict[str, str]]:
    """Every record of the sheet in the project that `by` may see, as {column: canonical text},
    ordered by the sheet's key. PermissionDenied when `by` has no access to the project.
    Identifiers are included: a caller that shows them checks SEE_IDENTIFIERS and logs the view
    (export_project does)."""
    sheet = BY_NAME[sheet_name]
    records = READERS[sheet_name](sheet, project, _scope(project, by))
    columns = sheet.columns
    return ({c.name: format_value(c, record.get(c.name)) for c in columns} for record in records)


def row_key(sheet_name: str, row: dict[str, str]) -> tuple[str, ...]:
    """The values of the sheet's key columns in a row."""
    return tuple(row.get(name, "") for name in BY_NAME[sheet_name].key)
