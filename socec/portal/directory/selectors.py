"""Reads of the public directory. Every public read starts from `public_organisations()`: only
organisations marked public, and only the fields a visitor may see are ever put on a page (no
contact e-mail or phone, no people).

Jobs are counted in the same query as the rows (correlated subqueries, no query per row):
  jobs             the organisation's jobs held today (at least one employment active today);
  jobs_vulnerable  of those, the jobs held today by at least one vulnerable person (the art. 10
                   rule of socec.jobs.insertion: a participant with a vulnerable category, anyone
                   else whose employment says vulnerable).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from socec.core.crypto import normalise_name
from socec.jobs.insertion import held_on
from socec.jobs.models import Employment, Job
from socec.orgs.models import Organisation
from socec.people.models import Participation

from . import reserved

MAX_WORDS = 10
SORTS = ("name", "county", "jobs")


def public_organisations() -> QuerySet:
    """The organisations the public may see: the base of every public read."""
    return Organisation.objects.filter(public=True)


def vulnerable_employment_q() -> Q:
    """An employment held by a vulnerable person (socec.jobs.insertion.is_vulnerable, in SQL)."""
    in_category = Participation.vulnerable.through.objects.filter(participation_id=OuterRef("participation_id"))
    return Q(participation__isnull=True, vulnerable=True) | (Q(participation__isnull=False) & Exists(in_category))


def _job_count(today: dt.date, *, vulnerable: bool) -> Coalesce:
    held = Employment.objects.filter(held_on(today), job=OuterRef("pk"))
    if vulnerable:
        held = held.filter(vulnerable_employment_q())
    jobs = (Job.objects.filter(Exists(held), employer=OuterRef("pk")).order_by().values("employer")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(jobs, output_field=IntegerField()), Value(0))


def with_figures(qs: QuerySet, today: dt.date) -> QuerySet:
    """Rows with county (and region), certificates and job counts, all in the one query."""
    qs = qs.select_related("county__region", "locality").annotate(
        jobs_held=_job_count(today, vulnerable=False), jobs_vulnerable=_job_count(today, vulnerable=True))
    return reserved.annotate_certificates(qs, today)


@dataclass
class DirectoryFilters:
    q: str = ""
    county: str = ""  # county code
    region: str = ""  # region code
    area: str = ""
    legal_form: str = ""
    caen_section: str = ""
    caen: str = ""
    vulnerable: str = ""  # VulnerableCategory code
    attested: bool = False
    social_mark: bool = False
    reserved: bool = False
    sort: str = "name"


def search_words(q: str) -> list[str]:
    return normalise_name(q or "").split()[:MAX_WORDS]


def filter_organisations(qs: QuerySet, f: DirectoryFilters, today: dt.date) -> QuerySet:
    for word in search_words(f.q):
        qs = qs.filter(search_text__contains=word)
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.region:
        qs = qs.filter(county__region_id=f.region)
    if f.area:
        qs = qs.filter(area=f.area)
    if f.legal_form:
        qs = qs.filter(legal_form=f.legal_form)
    if f.caen_section:
        qs = qs.filter(caen_section=f.caen_section)
    if f.caen:
        qs = qs.filter(caen=f.caen)
    if f.vulnerable:
        employs = Employment.objects.filter(held_on(today), job__employer=OuterRef("pk")).filter(
            Q(participation__isnull=True, vulnerable_category_id=f.vulnerable)
            | Q(participation__vulnerable__code=f.vulnerable))
        qs = qs.filter(Exists(employs))
    if f.attested:
        qs = qs.filter(reserved.attestation_valid_q(today))
    if f.social_mark:
        qs = qs.filter(reserved.social_mark_valid_q(today))
    if f.reserved:
        qs = qs.filter(reserved.eligible_q(today))
    return qs


def _ordered(qs: QuerySet, sort: str) -> QuerySet:
    if sort == "county":
        return qs.order_by("county__name", "name", "pk")
    if sort == "jobs":
        return qs.order_by(F("jobs_held").desc(), "name", "pk")
    return qs.order_by("name", "pk")


def directory_search(filters: DirectoryFilters, today: dt.date | None = None) -> QuerySet:
    """The public organisations matching the filters, with their figures, in the chosen order."""
    today = today or dt.date.today()
    qs = filter_organisations(public_organisations(), filters, today)
    # Lists never read the contact details (nor the search text): they are not even fetched.
    qs = with_figures(qs, today).defer("contact_email", "contact_phone", "search_text")
    return _ordered(qs, filters.sort if filters.sort in SORTS else "name")


# --- the directory's pages, fast: the ids of a search, then one page of rows ----------------------


def public_stats(today: dt.date) -> dict[int, tuple[str, int, int]]:
    """Every public organisation: pk -> (county, jobs held today, of them by vulnerable people). One
    query over all of them (the job counts are the expensive part), kept per worker and public data
    version (socec.portal.freshness.memo): a search then adds up its counties from it."""
    rows = public_organisations().annotate(
        jobs_held=_job_count(today, vulnerable=False), jobs_vulnerable=_job_count(today, vulnerable=True),
    ).values_list("pk", "county_id", "jobs_held", "jobs_vulnerable").order_by()
    return {pk: (county, held or 0, vulnerable or 0) for pk, county, held, vulnerable in rows}


def search_ids(filters: DirectoryFilters, today: dt.date, stats: dict) -> list[int]:
    """The public organisations matching the filters, in the chosen order: their ids only."""
    qs = filter_organisations(public_organisations(), filters, today).order_by()
    if filters.sort == "jobs":
        found = list(qs.values_list("pk", "name"))
        found.sort(key=lambda row: (-stats.get(row[0], ("", 0, 0))[1], row[1], row[0]))
        return [pk for pk, _name in found]
    order = ("county__name", "name", "pk") if filters.sort == "county" else ("name", "pk")
    return list(qs.order_by(*order).values_list("pk", flat=True))


def rows_of(ids: list[int], today: dt.date, stats: dict) -> list[Organisation]:
    """The organisations of these ids, in this order, with their certificates and job counts."""
    found = {o.pk: o for o in reserved.annotate_certificates(
        Organisation.objects.filter(pk__in=ids).select_related("county__region", "locality"), today)
        .defer("contact_email", "contact_phone", "search_text")}
    rows = []
    for pk in ids:
        org = found.get(pk)
        if org is not None:
            _county, org.jobs_held, org.jobs_vulnerable = stats.get(pk, ("", 0, 0))
            rows.append(org)
    return rows


def figures_of(ids, stats: dict) -> dict[str, dict[str, int]]:
    """{county code: {"enterprises": n, "jobs": n}} of these organisations, added up from the stats."""
    out: dict[str, dict[str, int]] = {}
    for pk in ids:
        county, held, _vulnerable = stats.get(pk, (None, 0, 0))
        if county is None:
            continue
        entry = out.setdefault(county, {"enterprises": 0, "jobs": 0})
        entry["enterprises"] += 1
        entry["jobs"] += held
    return out


def public_profile(code: str, today: dt.date | None = None) -> Organisation | None:
    today = today or dt.date.today()
    return with_figures(public_organisations().filter(code=code), today).first()


def totals(figures: dict[str, dict[str, int]]) -> dict[str, int]:
    return {"enterprises": sum(v["enterprises"] for v in figures.values()),
            "jobs": sum(v["jobs"] for v in figures.values())}


# --- open data ----------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = ("code", "name", "legal_form", "county", "region", "area", "caen", "attested", "social_mark",
                     "reserved_contract_eligible", "jobs", "jobs_vulnerable")
CHUNK = 2000


def open_data_rows(today: dt.date | None = None, *, after: str = "", limit: int | None = None):
    """One tuple per public organisation, in OPEN_DATA_COLUMNS order (by code), read in chunks
    (constant memory); `after` a code and `limit` give one page of them (the API's cursor)."""
    today = today or dt.date.today()
    base = public_organisations().filter(code__gt=after) if after else public_organisations()
    qs = reserved.annotate_certificates(base, today).annotate(
        jobs_held=_job_count(today, vulnerable=False), jobs_vulnerable=_job_count(today, vulnerable=True),
    ).order_by("code").values_list("code", "name", "legal_form", "county_id", "county__region_id", "area", "caen",
                                   "attested", "social_marked", "reserved_eligible", "jobs_held", "jobs_vulnerable")
    if limit is not None:
        qs = qs[:limit]
    for row in qs.iterator(chunk_size=CHUNK):
        yield (*row[:7], bool(row[7]), bool(row[8]), bool(row[9]), row[10] or 0, row[11] or 0)

