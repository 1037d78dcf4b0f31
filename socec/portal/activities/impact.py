"""The impact figures of the public portal: people trained, social economy structures created, jobs
created and jobs created for vulnerable people, per development region and per year, over all
projects, from the indicator engine.

A year's figure is the indicator's value as of 31 December of that year (today for the current
year) less its value as of 31 December of the year before; the region is the region of the
engine's breakdown (the participant's residence, the organisation's or the employer's seat). The
engine keeps one part per project and date, so after the first visit only projects whose records
changed are counted again. Years run from the earliest project start to today: bounded.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min
from django.utils.translation import gettext as _

from socec.indicators.cache import cached_parts
from socec.indicators.definitions import BY_CODE
from socec.indicators.engine import Scope, merge_parts
from socec.places.models import Region
from socec.programmes.models import Project

# indicators.md: SE01 persons trained, SE03 social economy structures created, SE04 jobs created,
# SE05 jobs created for vulnerable persons.
CODES = ("SE01", "SE03", "SE04", "SE05")
UNKNOWN = "unknown"  # the engine's region key for a record without a county
COLUMNS = ("region_code", "region", "year", "indicator", "indicator_name", "value")


@dataclass(frozen=True)
class ImpactRow:
    region_code: str
    year: int
    indicator: str
    value: int


def years(today: dt.date | None = None) -> list[int]:
    """From the year the earliest project started to this year; none without projects."""
    today = today or dt.date.today()
    first = Project.objects.aggregate(first=Min("start_date"))["first"]
    if first is None:
        return []
    return list(range(min(first.year, today.year), today.year + 1))


def _by_region(as_of: dt.date) -> dict[str, dict[str, int]]:
    """code -> region code -> value as of the date, over every project."""
    merged = merge_parts(cached_parts(Scope(), as_of).values())
    return {code: dict(merged[code]["by"].get("region", {})) for code in CODES}


def impact_figures(today: dt.date | None = None) -> list[ImpactRow]:
    """One row per (region, year, indicator), every development region (zero where nothing counts)
    plus `unknown` where some records have no county; ordered by indicator, region, year."""
    today = today or dt.date.today()
    span = years(today)
    if not span:
        return []
    before = _by_region(dt.date(span[0] - 1, 12, 31))
    per_year: dict[int, dict[str, dict[str, int]]] = {}
    for year in span:
        now = _by_region(min(dt.date(year, 12, 31), today))
        per_year[year] = {code: {region: now[code].get(region, 0) - before[code].get(region, 0)
                                 for region in set(now[code]) | set(before[code])} for code in CODES}
        before = now
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    if any(per_year[y][code].get(UNKNOWN) for y in span for code in CODES):
        regions.append(UNKNOWN)
    return [ImpactRow(region_code=region, year=year, indicator=code, value=per_year[year][code].get(region, 0))
            for code in CODES for region in regions for year in span]


def region_names() -> dict[str, str]:
    names = dict(Region.objects.values_list("code", "name"))
    names[UNKNOWN] = _("Region unknown")
    return names


def indicator_name(code: str) -> str:
    return str(BY_CODE[code].name)


def open_data_rows(rows: list[ImpactRow]) -> list[dict]:
    """The open data records, in the documented column order."""
    names = region_names()
    return [dict(zip(COLUMNS, (r.region_code, names.get(r.region_code, r.region_code), r.year, r.indicator,
                               indicator_name(r.indicator), r.value), strict=True)) for r in rows]


@dataclass
class Bar:
    label: str
    value: int
    pct: str  # the bar's width in % of the largest, as an SVG attribute ("37.5")


def bars(items: list[tuple[str, int]]) -> list[Bar]:
    top = max((v for _, v in items), default=0)
    return [Bar(label=label, value=v, pct=f"{(100 * max(v, 0) / top) if top > 0 else 0:.1f}") for label, v in items]


@dataclass
class IndicatorTable:
    code: str
    name: str
    total: int
    years: list[int]
    rows: list[tuple[str, str, list[int], int]]  # region code, name, value per year, total
    year_totals: list[int]
    by_region: list[Bar]
    by_year: list[Bar]


def impact_tables(rows: list[ImpactRow]) -> list[IndicatorTable]:
    """For the page: per indicator a regions x years table with totals, and the bars by region and
    by year (whose numbers the table carries too)."""
    if not rows:
        return []
    names = region_names()
    span = sorted({r.year for r in rows})
    values = {(r.indicator, r.region_code, r.year): r.value for r in rows}
    regions = list(dict.fromkeys(r.region_code for r in rows))
    tables = []
    for code in CODES:
        table_rows = []
        for region in regions:
            per_year = [values.get((code, region, y), 0) for y in span]
            table_rows.append((region, names.get(region, region), per_year, sum(per_year)))
        year_totals = [sum(values.get((code, region, y), 0) for region in regions) for y in span]
        tables.append(IndicatorTable(
            code=code, name=indicator_name(code), total=sum(year_totals), years=span, rows=table_rows,
            year_totals=year_totals, by_region=bars([(name, total) for _, name, _, total in table_rows]),
            by_year=bars([(str(y), t) for y, t in zip(span, year_totals, strict=True)])))
    return tables
