"""The indicator engine: every figure of ../shared/spec/indicators.md, computed from the records.

`report(scope, as_of)` is a pure function of the scope (one project, or all) and the date D: it
reads the records as they are now and answers with the report object of indicators.md. Nothing
is stored or cached, so a change to a record shows in the next report.

Each indicator is defined once, as a condition on the records of its kind (`person_conditions`,
`job_queryset`, ...). The same conditions count the figures here and list the records behind a
figure (`selectors.records_behind`), so the list always adds up to the number.

Counting is done by the database in a handful of grouped queries (one for the participant
output and result indicators, by sex, county and area at once), never by loading the records.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from socec.jobs import insertion
from socec.jobs.models import Employment, Job
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.people.models import Participation, Person
from socec.places.models import County
from socec.programmes.models import Partnership, Project, Target
from socec.training.models import Enrolment

from .definitions import BY_CODE, CODES

ALL = "ALL"


@dataclass(frozen=True)
class Scope:
    """One project (`project`), some projects (`projects`, their codes), or every project (neither).
    `ids` (project primary keys) narrows any of them further: the part cache counts again only
    the projects that changed."""

    project: Project | None = None
    projects: tuple[str, ...] | None = None
    ids: tuple[int, ...] | None = None

    @property
    def code(self) -> str:
        if self.project is not None:
            return self.project.code
        return ALL if self.projects is None else "+".join(self.projects)

    def filter(self, qs, path: str = "project"):
        if self.ids is not None:
            qs = qs.filter(**{f"{path}_id__in": self.ids} if len(self.ids) != 1 else {f"{path}_id": self.ids[0]})
        if self.project is not None:
            return qs.filter(**{path: self.project})
        if self.projects is not None:
            return qs.filter(**{f"{path}__code__in": self.projects})
        return qs


# --- dates ----------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or that month's last day where it does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def left_six_months_by(as_of: dt.date) -> dt.date:
    """The last exit date E with E plus 6 months <= D (adding months is not one-to-one: 29, 30 and
    31 August all reach the end of February, so this is not simply D minus 6 months)."""
    day = add_months(as_of, -6)
    while add_months(day + dt.timedelta(days=1), 6) <= as_of:
        day += dt.timedelta(days=1)
    while add_months(day, 6) > as_of:
        day -= dt.timedelta(days=1)
    return day


class YMD(Func):
    """A date as the integer YYYYMMDD. The difference of two of them is at least N*10000 exactly
    when the second date is N full years or more after the first: age in full years, in SQL."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, conn, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(REPLACE({sql}, '-', '') AS INTEGER)", params

    def as_postgresql(self, compiler, conn, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(TO_CHAR({sql}, 'YYYYMMDD') AS INTEGER)", params


def _age_key():
    return YMD(F("entry_date")) - YMD(F("person__birth_date"))


# --- participants ---------------------------------------------------------------------------------

WORKING = ["employed", "self_employed"]
YES_NO_REFUSED = {"EECO12": "disability", "EECO14": "foreign_background", "EECO15": "minority"}


def person_conditions(as_of: dt.date) -> dict[str, Q]:
    """Participant indicators: the condition on a participation (annotated with age_key) that has
    entered by D (`entered`)."""
    left = Q(exit_date__lte=as_of)
    left_6m = Q(exit_date__lte=left_six_months_by(as_of))
    return {
        "EECO01": Q(),
        "EECO02": Q(labour_status__in=["unemployed", "long_term_unemployed"]),
        "EECO03": Q(labour_status="long_term_unemployed"),
        "EECO04": Q(labour_status="inactive"),
        "EECO05": Q(labour_status__in=WORKING),
        "EECO06": Q(age_key__lt=180000),
        "EECO07": Q(age_key__gte=180000, age_key__lt=300000),
        "EECO08": Q(age_key__gte=550000),
        "EECO09": Q(isced__lte=2),
        "EECO10": Q(isced__gte=3, isced__lte=4),
        "EECO11": Q(isced__gte=5),
        "EECO12": Q(disability="yes"),
        "EECO13": Q(third_country_national=True),
        "EECO14": Q(foreign_background="yes"),
        "EECO15": Q(minority="yes"),
        "EECO16": Q(homeless=True),
        "EECO17": Q(area="rural"),
        "EECR01": left & Q(exit_status="job_searching"),
        "EECR02": left & Q(exit_status="education_training"),
        "EECR03": left & Q(qualification_gained=True),
        "EECR04": left & Q(exit_status__in=WORKING),
        "EECR05": left_6m & Q(status_6m__in=WORKING),
        "EECR06": left_6m & Q(improved_6m=True),
    }


def refused_conditions() -> dict[str, Q]:
    return {code: Q(**{field: "refused"}) for code, field in YES_NO_REFUSED.items()}


def entered(scope: Scope, as_of: dt.date):
    return scope.filter(Participation.objects.filter(entry_date__lte=as_of)).annotate(age_key=_age_key())


def activity_conditions(as_of: dt.date, scope: Scope | None = None, *, correlated: bool = False) -> dict[str, Q]:
    """SE01, SE02, SE10: conditions on any participation of the scope (entered or not).

    Two forms that select the same rows: membership in the set of participations the activity
    records name (for a WHERE: the database builds the set once and joins), or a correlated EXISTS
    (inside an aggregate or CASE, where PostgreSQL would otherwise run the set's query again for
    every row once the set outgrows work_mem)."""
    scope = scope or Scope()
    trained = scope.filter(Enrolment.objects.filter(course__kind="training", completed=True, completed_on__lte=as_of),
                           "course__project")
    counselled = scope.filter(Enrolment.objects.filter(course__kind__in=["counselling", "mentoring"],
                                                       enrolled_on__lte=as_of), "course__project")
    session = scope.filter(EventAttendance.objects.filter(
        participation__isnull=False, event__kind="counselling_session", event__date__lte=as_of), "event__project")
    if correlated:
        def named(*sets):
            q = Q()
            for qs in sets:
                q |= Q(Exists(qs.filter(participation=OuterRef("pk"))))
            return q
    else:
        def named(*sets):  # one IN of the union: an OR of two INs defeats PostgreSQL's semi-join
            ids = [qs.values("participation_id").order_by() for qs in sets]
            return Q(pk__in=ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0])
    return {
        "SE01": named(trained),
        "SE02": named(trained.filter(certified=True)),
        "SE10": named(counselled, session),
    }


PERSON_CODES = [*person_conditions(dt.date.today()), "SE01", "SE02", "SE10"]


# --- organisations, jobs, events ------------------------------------------------------------------


def supported(scope: Scope):
    return scope.filter(Partnership.objects.filter(role=Partnership.Role.SUPPORTED))


def ses_created(scope: Scope, as_of: dt.date):
    return supported(scope).filter(organisation__is_ses=True, organisation__founded_on__gte=F("project__start_date"),
                                   organisation__founded_on__lte=as_of)


def jobs_created(scope: Scope, as_of: dt.date):
    employer_supported = Partnership.objects.filter(project=OuterRef("project"), organisation=OuterRef("employer"),
                                                    role=Partnership.Role.SUPPORTED)
    return scope.filter(Job.objects.filter(Exists(employer_supported), created_on__gte=F("project__start_date"),
                                           created_on__lte=as_of))


def _vulnerable_holder() -> Q:
    return Q(participation__isnull=False, participation__vulnerable__isnull=False) | Q(
        participation__isnull=True, vulnerable=True)


held_on = insertion.held_on


def job_conditions(as_of: dt.date) -> dict[str, Q]:
    vulnerable = Employment.objects.filter(_vulnerable_holder(), job=OuterRef("pk"), start_date__lte=as_of)
    active = Employment.objects.filter(held_on(as_of), job=OuterRef("pk"))
    return {"SE04": Q(), "SE05": Q(Exists(vulnerable)), "SE06": Q(Exists(active))}


def insertion_enterprises(scope: Scope, as_of: dt.date) -> list[int]:
    """SE07: ids of the supported partnerships whose organisation meets Law 219/2015 art. 10 on D
    (the rule of socec.jobs.insertion, which the enterprise page shows too)."""
    partnerships = {(p.project_id, p.organisation_id): p.pk for p in supported(scope).only("project", "organisation")}
    if not partnerships:
        return []
    rows = insertion.employment_rows(scope.filter(Employment.objects.all(), "job__project"), as_of,
                                     "job__project_id", "job__employer_id")
    return sorted(partnerships[key] for key, figures in insertion.tally(rows, groups=2).items()
                  if key in partnerships and figures.qualifies)


def events_held(scope: Scope, as_of: dt.date):
    return scope.filter(Event.objects.filter(date__lte=as_of))


# --- the report -----------------------------------------------------------------------------------

PERSON_KINDS = ("sex", "region", "county", "area")
PLACE_KINDS = ("region", "county", "area")
EVENT_KINDS = ("kind", "region", "county")


KINDS = {code: PERSON_KINDS if code in PERSON_CODES else EVENT_KINDS if code in ("SE08", "SE09", "SE11")
         else {"SE12": ("channel",), "SE13": ("kind",)}.get(code, PLACE_KINDS) for code in CODES}


def _kinds(code: str) -> tuple[str, ...]:
    return KINDS[code]


def report(scope: Scope, as_of: dt.date | None = None, *, cached: bool = True) -> dict:
    """The report object of indicators.md for the scope as of D (default today).

    The report is the sum of one part per project (`project_parts`). The parts come from the part
    cache (`socec.indicators.cache`) where a project's records have not changed since its part was
    computed, so only changed projects are counted again; `cached=False` counts everything afresh.
    Targets are never cached; `distinct_persons` comes from the parts too (each part keeps the
    flags of its participants who are someone else's too, `SHARED`)."""
    as_of = as_of or dt.date.today()
    from .cache import cached_parts  # the cache builds on this module

    parts = cached_parts(scope, as_of) if cached else project_parts(scope, as_of)
    out = merge_parts(parts.values())
    _targets(out, scope)
    if scope.project is None and (scope.projects is None or len(scope.projects) > 1):
        _distinct_persons(out, parts.values())
    else:
        for code in PERSON_CODES:
            out[code]["distinct_persons"] = out[code]["value"]
    for entry in out.values():
        entry["by"] = {kind: dict(sorted(part.items())) for kind, part in entry["by"].items()}
    return {"scope": scope.code, "as_of": as_of.isoformat(), "indicators": out}


def merge_parts(parts) -> dict[str, dict]:
    """Every indicator with its name, value 0 and empty breakdowns, plus the sum of the parts."""
    out: dict[str, dict] = {}
    for code in CODES:
        entry = out[code] = {"name": str(BY_CODE[code].name), "value": 0}
        if KINDS[code] is PERSON_KINDS:
            entry["refused"] = 0
        if code == "SE12":
            entry["reach"] = 0
        entry["by"] = {kind: {} for kind in _kinds(code)}
    for part in parts:
        for code, counted in part.items():
            if code.startswith("_"):  # SHARED: not a figure
                continue
            entry = out[code]
            entry["value"] += counted["value"]
            for extra in ("refused", "reach"):
                if extra in counted:
                    entry[extra] += counted[extra]
            by = entry["by"]
            for kind, values in counted["by"].items():
                into = by[kind]
                for key, n in values.items():
                    into[key] = into.get(key, 0) + n
    return out


class _Part(dict):
    """One project's part: code -> {"value", "by", and "refused" or "reach" where they apply}."""

    def entry(self, code: str) -> dict:
        found = self.get(code)
        if found is None:
            found = self[code] = {"value": 0, "by": {kind: {} for kind in _kinds(code)}}
        return found

    def count(self, code: str, n: int, regions: dict, *, county, area=None, sex=None, kind=None) -> None:
        """n records of `code` in this place (and of this sex or kind, for the codes broken down so)."""
        if not n:
            return
        entry = self.entry(code)
        entry["value"] += n
        by = entry["by"]
        keys = {"sex": sex, "kind": kind, "region": regions.get(county, "unknown") if county else "unknown",
                "county": county or "unknown", "area": area or "unknown"}
        for kind_name, part in by.items():
            key = keys[kind_name]
            part[key] = part.get(key, 0) + n


class _Parts(dict):
    def __missing__(self, project_id):
        part = self[project_id] = _Part()
        return part


def scope_project_ids(scope: Scope) -> list[int]:
    if scope.project is not None and scope.ids is None:
        return [scope.project.pk]
    qs = Project.objects.all()
    if scope.project is not None:
        qs = qs.filter(pk=scope.project.pk)
    if scope.projects is not None:
        qs = qs.filter(code__in=scope.projects)
    if scope.ids is not None:
        qs = qs.filter(pk__in=scope.ids)
    return list(qs.order_by("pk").values_list("pk", flat=True))


def project_parts(scope: Scope, as_of: dt.date) -> dict[int, dict]:
    """Each project of the scope -> its part of the report as of D: the values, breakdowns, refused
    answers and reach that add up over projects (everything but targets and distinct persons).
    Counted in the same grouped queries as one report, with the project as one more group."""
    regions = dict(County.objects.order_by().values_list("code", "region_id"))
    parts = _Parts()
    for project_id in scope_project_ids(scope):
        parts[project_id]  # noqa: B018 - a project without records has an empty part
    _people(parts, scope, as_of, regions)
    _organisations(parts, scope, as_of, regions)
    _jobs(parts, scope, as_of, regions)
    _events(parts, scope, as_of, regions)
    _campaigns_and_publications(parts, scope, as_of)
    if scope.project is None or scope.ids is not None:  # one project's report counts each person once anyway
        _shared_persons(parts, scope, as_of)
    return {pk: dict(part) for pk, part in parts.items()}


def participant_conditions(scope: Scope, as_of: dt.date, *, correlated: bool = True) -> dict[str, Q]:
    """Every participant indicator as a condition on any participation of the scope annotated
    with age_key: the output and result ones include having entered by D, SE01/SE02/SE10 do not."""
    entered_by = Q(entry_date__lte=as_of)
    out = {code: entered_by & q if q else entered_by for code, q in person_conditions(as_of).items()}
    return out | activity_conditions(as_of, scope, correlated=correlated)


def participant_codes() -> list[str]:
    """The participant indicators in the order of `participant_conditions` (the bits of SHARED)."""
    return list(participant_conditions(Scope(), dt.date(2000, 1, 1)))


def _participants(scope: Scope):
    return scope.filter(Participation.objects.all()).annotate(age_key=_age_key())


PLACE = ("project_id", "person__sex", "county_id", "area")


def _people(parts, scope, as_of, regions):
    """The participant output and result indicators, their refused answers and breakdowns in one
    grouped pass; then SE01, SE02 and SE10, each a join with the set its activity records name."""
    conditions = {code: Q(entry_date__lte=as_of) & q if q else Q(entry_date__lte=as_of)
                  for code, q in person_conditions(as_of).items()}
    refused = {code: Q(entry_date__lte=as_of) & q for code, q in refused_conditions().items()}
    activities = activity_conditions(as_of, scope)
    # A few projects (a project's report, the projects a change touched): the activity sets are
    # small, and counted in the same pass, each an IN of its set (hashed once). Many projects: each
    # is joined apart (an IN of a large set inside an aggregate is re-run per row on PostgreSQL).
    together = scope.project is not None or (scope.ids is not None and len(scope.ids) <= SHARED_BY_GROUPING)
    counted = conditions | (activities if together else {})
    aggregates = {code: Count("pk", filter=q) for code, q in counted.items()}
    aggregates |= {f"{code}__refused": Count("pk", filter=q) for code, q in refused.items()}
    for row in _participants(scope).values(*PLACE).annotate(**aggregates).order_by():
        part = parts[row["project_id"]]
        place = {"sex": row["person__sex"], "county": row["county_id"], "area": row["area"]}
        for code in counted:
            part.count(code, row[code], regions, **place)
        for code in refused:
            if row[f"{code}__refused"]:
                entry = part.entry(code)
                entry["refused"] = entry.get("refused", 0) + row[f"{code}__refused"]
    for code, q in ({} if together else activities).items():
        rows = scope.filter(Participation.objects.filter(q)).values(*PLACE).annotate(n=Count("pk")).order_by()
        for row in rows:
            parts[row["project_id"]].count(code, row["n"], regions, sex=row["person__sex"], county=row["county_id"],
                                           area=row["area"])


def _organisations(parts, scope, as_of, regions):
    places = ("project_id", "organisation__county_id", "organisation__area")
    for code, qs in (("EECO19", supported(scope)), ("SE03", ses_created(scope, as_of))):
        for project_id, county, area, n in qs.values(*places).annotate(n=Count("pk")).values_list(
                *places, "n").order_by():
            parts[project_id].count(code, n, regions, county=county, area=area)
    # SE07 from the supported partnerships in Python: an IN of thousands of ids plans badly
    se07_ids = set(insertion_enterprises(scope, as_of))
    if se07_ids:
        for pk, project_id, county, area in supported(scope).values_list("pk", *places):
            if pk in se07_ids:
                parts[project_id].count("SE07", 1, regions, county=county, area=area)


def _jobs(parts, scope, as_of, regions):
    conditions = job_conditions(as_of)
    aggregates = {code: Count("pk", filter=q) if q else Count("pk") for code, q in conditions.items()}
    for row in jobs_created(scope, as_of).values("project_id", "employer__county_id", "employer__area").annotate(
            **aggregates).order_by():
        part = parts[row["project_id"]]
        for code in conditions:
            part.count(code, row[code], regions, county=row["employer__county_id"], area=row["employer__area"])


def _events(parts, scope, as_of, regions):
    held = events_held(scope, as_of)
    for project_id, kind, county, n in held.values("project_id", "kind", "county_id").annotate(
            n=Count("pk")).values_list("project_id", "kind", "county_id", "n").order_by():
        parts[project_id].count("SE08", n, regions, kind=kind, county=county)
    # SE09: distinct places per project (siruta, or county and title), summed over projects
    places: dict[tuple, tuple] = {}
    for project_id, siruta, county, title in held.filter(kind=Event.Kind.CARAVAN_STOP).values_list(
            "project_id", "locality_id", "county_id", "title"):
        key = (project_id, siruta) if siruta else (project_id, county, title.strip().lower())
        places.setdefault(key, county)
    for key, county in places.items():
        parts[key[0]].count("SE09", 1, regions, kind=Event.Kind.CARAVAN_STOP.value, county=county)
    # SE11: attendance rows, or the head count of an event without any
    for project_id, kind, county, n, head in held.annotate(rows=Count("attendance")).values_list(
            "project_id", "kind", "county_id", "rows", "participants"):
        parts[project_id].count("SE11", n if n else (head or 0), regions, kind=kind, county=county)


def _campaigns_and_publications(parts, scope, as_of):
    for project_id, channel, n, reach in scope.filter(Campaign.objects.filter(start_date__lte=as_of)).values(
            "project_id", "channel").annotate(n=Count("pk"), reach=Coalesce(Sum("reach"), 0)).values_list(
            "project_id", "channel", "n", "reach").order_by():
        entry = parts[project_id].entry("SE12")
        entry["value"] += n
        entry["reach"] = entry.get("reach", 0) + reach
        entry["by"]["channel"][channel] = entry["by"]["channel"].get(channel, 0) + n
    for project_id, kind, n in scope.filter(Publication.objects.filter(published_on__lte=as_of)).values(
            "project_id", "kind").annotate(n=Count("pk")).values_list("project_id", "kind", "n").order_by():
        entry = parts[project_id].entry("SE13")
        entry["value"] += n
        entry["by"]["kind"][kind] = entry["by"]["kind"].get(kind, 0) + n


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def _targets(out, scope):
    totals: dict[str, Decimal] = {}
    by: dict[str, dict[str, dict[str, Decimal]]] = {}
    for code, value, region, county in scope.filter(Target.objects.all()).values_list(
            "indicator", "value", "region_id", "county_id"):
        if code not in out:
            continue
        if region is None and county is None:
            totals[code] = totals.get(code, Decimal(0)) + value
        else:
            kind, key = ("region", region) if region else ("county", county)
            part = by.setdefault(code, {}).setdefault(kind, {})
            part[key] = part.get(key, Decimal(0)) + value
    for code, value in totals.items():
        out[code]["target"] = _number(value)
    for code, parts in by.items():
        out[code]["targets_by"] = {kind: {k: _number(v) for k, v in sorted(p.items())} for kind, p in parts.items()}


SHARED = "_shared"  # in a part: person key -> the flags of each of its participations in the project
SHARED_BY_GROUPING = 20  # stale projects from which the shared persons are found by grouping everyone


def _shared_persons(parts, scope, as_of):
    """For each project, its participants who are someone else's too: the person has another
    participation (in any project), or another person record has the same person key (same CNP,
    or without one the same name and birth date). For each of them the project's part keeps the
    participant indicators the participation counts in, as a bit mask (bit i: the i-th code of
    `participant_conditions`), under the person key. `_distinct_persons` adds these up over the
    projects of a report; few people are in several projects, so the parts stay small.

    The shared persons are found by two index-only groupings over everyone when many projects
    are counted, or by an index look-up per participant when a few changed projects are."""
    conditions = participant_conditions(scope, as_of)
    flags = {f"f_{i}": _flag(q) for i, q in enumerate(conditions.values())}
    rows = _participants(scope)
    many = scope.ids is None or len(scope.ids) > SHARED_BY_GROUPING
    if many:
        several = (Participation.objects.values("person_id").annotate(n=Count("pk")).filter(n__gt=1)
                   .values("person_id").order_by())
        shared_keys = (Person.objects.values("person_key").annotate(n=Count("pk")).filter(n__gt=1)
                       .values("person_key").order_by())
        twins = Person.objects.filter(person_key__in=shared_keys).values("pk").order_by()
        rows = rows.filter(person_id__in=several.union(twins))
    else:
        other_participation = Participation.objects.filter(person_id=OuterRef("person_id")).exclude(pk=OuterRef("pk"))
        twin = Person.objects.filter(person_key=OuterRef("person__person_key")).exclude(pk=OuterRef("person_id"))
        rows = rows.filter(Q(Exists(other_participation)) | Q(Exists(twin)))
    for project_id, key, *row in rows.annotate(**flags).values_list("project_id", "person__person_key",
                                                                    *flags).order_by():
        mask = 0
        for bit, flag in enumerate(row):
            if flag:
                mask |= 1 << bit
        parts[project_id].setdefault(SHARED, {}).setdefault(key, []).append(mask)


def _distinct_persons(out, parts) -> None:
    """Across projects: each person once (the pseudonymous person key), for every participant
    indicator: the value less, for each person counted by several participations, the
    participations beyond the first (from the parts' SHARED masks)."""
    codes = participant_codes()
    masks: dict[str, list[int]] = {}
    for part in parts:
        for key, found in part.get(SHARED, {}).items():
            masks.setdefault(key, []).extend(found)
    total = [0] * len(codes)  # participations counted, of the shared persons
    anyone = [0] * len(codes)  # shared persons counted at least once
    for found in masks.values():
        if len(found) < 2:
            continue
        union = 0
        for mask in found:
            union |= mask
            while mask:
                low = mask & -mask
                total[low.bit_length() - 1] += 1
                mask ^= low
        while union:
            low = union & -union
            anyone[low.bit_length() - 1] += 1
            union ^= low
    for i, code in enumerate(codes):
        out[code]["distinct_persons"] = out[code]["value"] - (total[i] - anyone[i])


def _flag(q: Q):
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
