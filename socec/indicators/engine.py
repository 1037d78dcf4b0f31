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
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, Func, IntegerField, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from socec.jobs.models import Employment, Job
from socec.outreach.models import Campaign, Event, EventAttendance, Publication
from socec.people.models import Participation
from socec.places.models import County
from socec.programmes.models import Partnership, Project, Target
from socec.training.models import Enrolment

from .definitions import BY_CODE, CODES

ALL = "ALL"


@dataclass(frozen=True)
class Scope:
    """One project (`project`), some projects (`projects`, their codes), or every project (neither)."""

    project: Project | None = None
    projects: tuple[str, ...] | None = None

    @property
    def code(self) -> str:
        if self.project is not None:
            return self.project.code
        return ALL if self.projects is None else "+".join(self.projects)

    def filter(self, qs, path: str = "project"):
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


def held_on(as_of: dt.date) -> Q:
    return Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))


def job_conditions(as_of: dt.date) -> dict[str, Q]:
    vulnerable = Employment.objects.filter(_vulnerable_holder(), job=OuterRef("pk"), start_date__lte=as_of)
    active = Employment.objects.filter(held_on(as_of), job=OuterRef("pk"))
    return {"SE04": Q(), "SE05": Q(Exists(vulnerable)), "SE06": Q(Exists(active))}


def insertion_enterprises(scope: Scope, as_of: dt.date) -> list[int]:
    """SE07: ids of the supported partnerships whose organisation meets Law 219/2015 art. 10 on D."""
    partnerships = {(p.project_id, p.organisation_id): p.pk for p in supported(scope).only("project", "organisation")}
    if not partnerships:
        return []
    categories = Participation.vulnerable.through.objects.filter(participation_id=OuterRef("participation_id"))
    rows = scope.filter(Employment.objects.filter(held_on(as_of)), "job__project").annotate(
        participant_vulnerable=Exists(categories)).values_list(
        "job__project_id", "job__employer_id", "participation_id", "person_name_key", "hours_per_week",
        "job__hours_per_week", "vulnerable", "participant_vulnerable")
    # (project, organisation) -> person -> [hours, vulnerable]
    staff: dict[tuple, dict] = defaultdict(dict)
    for project_id, employer_id, participation_id, name_key, hours, job_hours, flagged, in_category in rows:
        key = (project_id, employer_id)
        if key not in partnerships:
            continue
        person = ("p", participation_id) if participation_id else ("n", name_key)
        is_vulnerable = in_category if participation_id else bool(flagged)
        entry = staff[key].setdefault(person, [0, False])
        entry[0] += hours if hours is not None else (job_hours or 0)
        entry[1] = entry[1] or is_vulnerable
    found = []
    for key, people in staff.items():
        total = len(people)
        vulnerable = [h for h, v in people.values() if v]
        hours = sum(h for h, _v in people.values())
        if total and len(vulnerable) * 10 >= total * 3 and sum(vulnerable) * 10 >= hours * 3:
            found.append(partnerships[key])
    return sorted(found)


def events_held(scope: Scope, as_of: dt.date):
    return scope.filter(Event.objects.filter(date__lte=as_of))


# --- the report -----------------------------------------------------------------------------------


def report(scope: Scope, as_of: dt.date | None = None) -> dict:
    """The report object of indicators.md for the scope as of D (default today)."""
    as_of = as_of or dt.date.today()
    regions = dict(County.objects.values_list("code", "region_id"))
    out: dict[str, dict] = {code: {"name": str(BY_CODE[code].name), "value": 0} for code in CODES}

    _people(out, scope, as_of, regions)
    _organisations(out, scope, as_of, regions)
    _jobs(out, scope, as_of, regions)
    _events(out, scope, as_of, regions)
    _campaigns_and_publications(out, scope, as_of)
    _targets(out, scope)
    if scope.project is None and (scope.projects is None or len(scope.projects) > 1):
        _distinct_persons(out, scope, as_of)
    else:
        for code in PERSON_CODES:
            out[code]["distinct_persons"] = out[code]["value"]
    for entry in out.values():
        if "by" in entry:
            entry["by"] = {kind: dict(sorted(parts.items())) for kind, parts in entry["by"].items()}
    return {"scope": scope.code, "as_of": as_of.isoformat(), "indicators": out}


def _add(part: dict, key, n: int) -> None:
    if n:
        part[key] = part.get(key, 0) + n


def _place_breakdown(out, codes, rows, regions, *, sex=True):
    """rows: (sex or None, county, area, {code: n}) -> value and by sex/region/county/area."""
    for code in codes:
        entry = out[code]
        by = {"sex": {}, "region": {}, "county": {}, "area": {}} if sex else {"region": {}, "county": {}, "area": {}}
        total = 0
        for row_sex, county, area, counts in rows:
            n = counts.get(code, 0)
            if not n:
                continue
            total += n
            if sex:
                _add(by["sex"], row_sex, n)
            _add(by["region"], regions.get(county, "unknown") if county else "unknown", n)
            _add(by["county"], county or "unknown", n)
            _add(by["area"], area or "unknown", n)
        entry["value"] = total
        entry["by"] = by


def participant_conditions(scope: Scope, as_of: dt.date, *, correlated: bool = True) -> dict[str, Q]:
    """Every participant indicator as a condition on any participation of the scope annotated
    with age_key: the output and result ones include having entered by D, SE01/SE02/SE10 do not."""
    entered_by = Q(entry_date__lte=as_of)
    out = {code: entered_by & q if q else entered_by for code, q in person_conditions(as_of).items()}
    return out | activity_conditions(as_of, scope, correlated=correlated)


def _participants(scope: Scope):
    return scope.filter(Participation.objects.all()).annotate(age_key=_age_key())


def _people(out, scope, as_of, regions):
    """The participant output and result indicators, their refused answers and breakdowns in one
    grouped pass; then SE01, SE02 and SE10, each a join with the set its activity records name."""
    conditions = {code: Q(entry_date__lte=as_of) & q if q else Q(entry_date__lte=as_of)
                  for code, q in person_conditions(as_of).items()}
    refused = {code: Q(entry_date__lte=as_of) & q for code, q in refused_conditions().items()}
    aggregates = {code: Count("pk", filter=q) for code, q in conditions.items()}
    aggregates |= {f"{code}__refused": Count("pk", filter=q) for code, q in refused.items()}
    rows = _participants(scope).values("person__sex", "county_id", "area").annotate(**aggregates).order_by()
    grouped = []
    refused_totals = dict.fromkeys(refused, 0)
    for row in rows:
        grouped.append((row["person__sex"], row["county_id"], row["area"], row))
        for code in refused:
            refused_totals[code] += row[f"{code}__refused"]
    _place_breakdown(out, conditions, grouped, regions)
    for code in conditions:
        out[code]["refused"] = refused_totals.get(code, 0)
    for code, q in activity_conditions(as_of, scope).items():
        rows = scope.filter(Participation.objects.filter(q)).values("person__sex", "county_id", "area").annotate(
            n=Count("pk")).order_by()
        _place_breakdown(out, [code], [(r["person__sex"], r["county_id"], r["area"], {code: r["n"]}) for r in rows],
                         regions)
        out[code]["refused"] = 0


def _organisations(out, scope, as_of, regions):
    places = ("organisation__county_id", "organisation__area")
    eeco19 = supported(scope).values(*places).annotate(n=Count("pk")).order_by()
    se03 = ses_created(scope, as_of).values(*places).annotate(n=Count("pk")).order_by()
    # SE07 from the supported partnerships in Python: an IN of thousands of ids plans badly
    se07_ids = set(insertion_enterprises(scope, as_of))
    counts: dict[tuple, int] = {}
    for pk, county, area in supported(scope).values_list("pk", *places):
        if pk in se07_ids:
            counts[(county, area)] = counts.get((county, area), 0) + 1
    se07 = [{"organisation__county_id": c, "organisation__area": a, "n": n} for (c, a), n in counts.items()]
    for code, rows in (("EECO19", eeco19), ("SE03", se03), ("SE07", se07)):
        _place_breakdown(out, [code], [(None, r["organisation__county_id"], r["organisation__area"], {code: r["n"]})
                                       for r in rows], regions, sex=False)


def _jobs(out, scope, as_of, regions):
    conditions = job_conditions(as_of)
    aggregates = {code: Count("pk", filter=q) if q else Count("pk") for code, q in conditions.items()}
    rows = jobs_created(scope, as_of).values("employer__county_id", "employer__area").annotate(**aggregates).order_by()
    _place_breakdown(out, conditions, [(None, r["employer__county_id"], r["employer__area"], r) for r in rows],
                     regions, sex=False)


def _event_breakdown(out, code, rows, regions):
    """rows: (kind, county, n)."""
    by = {"kind": {}, "region": {}, "county": {}}
    total = 0
    for kind, county, n in rows:
        if not n:
            continue
        total += n
        _add(by["kind"], kind, n)
        _add(by["region"], regions.get(county, "unknown"), n)
        _add(by["county"], county, n)
    out[code]["value"] = total
    out[code]["by"] = by


def _events(out, scope, as_of, regions):
    held = events_held(scope, as_of)
    _event_breakdown(out, "SE08", [(r["kind"], r["county_id"], r["n"]) for r in held.values(
        "kind", "county_id").annotate(n=Count("pk")).order_by()], regions)
    # SE09: distinct places per project (siruta, or county and title), summed over projects
    places: dict[tuple, tuple] = {}
    for project_id, siruta, county, title in held.filter(kind=Event.Kind.CARAVAN_STOP).values_list(
            "project_id", "locality_id", "county_id", "title"):
        key = (project_id, siruta) if siruta else (project_id, county, title.strip().lower())
        places.setdefault(key, county)
    _event_breakdown(out, "SE09", [("caravan_stop", county, 1) for county in places.values()], regions)
    # SE11: attendance rows, or the head count of an event without any
    rows = held.annotate(rows=Count("attendance")).values_list("kind", "county_id", "rows", "participants")
    _event_breakdown(out, "SE11", [(kind, county, n if n else (head or 0)) for kind, county, n, head in rows],
                     regions)


def _campaigns_and_publications(out, scope, as_of):
    campaigns = scope.filter(Campaign.objects.filter(start_date__lte=as_of)).values("channel").annotate(
        n=Count("pk"), reach=Coalesce(Sum("reach"), 0)).order_by()
    by = {}
    reach = 0
    for row in campaigns:
        _add(by, row["channel"], row["n"])
        reach += row["reach"]
    out["SE12"].update(value=sum(by.values()), reach=reach, by={"channel": by})
    publications = scope.filter(Publication.objects.filter(published_on__lte=as_of)).values("kind").annotate(
        n=Count("pk")).order_by()
    by = {}
    for row in publications:
        _add(by, row["kind"], row["n"])
    out["SE13"].update(value=sum(by.values()), by={"kind": by})


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


def _distinct_persons(out, scope, as_of):
    """Across projects: each person once (the pseudonymous person key: same CNP, or without one the
    same normalised name and birth date), for every participant indicator.

    A person differs from a participation only when the person has several participations in the
    scope, and few do: so the distinct count is the value less, for each such person, the
    participations that count beyond their first. Only those people's rows are grouped."""
    conditions = participant_conditions(scope, as_of)
    shared = (scope.filter(Participation.objects.all()).values("person__person_key")
              .annotate(n=Count("pk")).filter(n__gt=1).values("person__person_key"))
    rows = _participants(scope).filter(person__person_key__in=shared).values("person__person_key").annotate(
        **{f"c_{code}": Count("pk", filter=q) for code, q in conditions.items()},
        **{f"m_{code}": Max(_flag(q)) for code, q in conditions.items()}).order_by()
    extra = dict.fromkeys(conditions, 0)
    for row in rows:
        for code in conditions:
            extra[code] += row[f"c_{code}"] - row[f"m_{code}"]
    for code in conditions:
        out[code]["distinct_persons"] = out[code]["value"] - extra[code]


def _flag(q: Q):
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
