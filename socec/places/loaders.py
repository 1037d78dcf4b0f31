"""Loading reference places: the built-in regions, counties and localities (django-siruta),
and the official INS SIRUTA CSV, which adds UAT rows, SIRUTA types and urban/rural."""

import csv
import io
from collections.abc import Iterable

from .data import COUNTIES, REGIONS, display_name


def load_builtin(Region, County, Locality) -> None:
    """Regions and counties from data.py; localities from the django-siruta package.

    django-siruta ships level-3 localities and, for each UAT, its seat locality; the UAT
    rows are added under their own codes with the seat's name, so a UAT code is accepted
    wherever a SIRUTA code is. Area stays empty until `socec load_siruta` runs."""
    from siruta import data as siruta_data

    for code, name, number in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name, "siruta_number": number})
    by_jud = {}
    for code, name, region, jud, siruta in COUNTIES:
        by_jud[jud] = County.objects.update_or_create(
            code=code, defaults={"name": name, "region_id": region, "jud": jud, "siruta": siruta})[0]
    existing = set(Locality.objects.values_list("siruta", flat=True))
    rows, county_of = [], {}
    for jud, localities in siruta_data.LOCALITIES_BY_COUNTY_ID.items():
        for siruta, name in localities.items():
            county_of[siruta] = jud
            if siruta not in existing:
                rows.append(Locality(siruta=siruta, name=display_name(name), county_id=by_jud[jud].code, level=3))
    for uat, seat in siruta_data.LOCALITY_ALIASES.items():
        if uat not in existing and uat not in county_of and seat in county_of:
            county = by_jud[county_of[seat]]
            # Bucharest's UAT aliases to sector 1; every other UAT bears its seat's name.
            name = county.name if county.code == "B" else display_name(
                siruta_data.LOCALITIES_BY_COUNTY_ID[county_of[seat]][seat])
            rows.append(Locality(siruta=uat, name=name, county_id=county.code, level=2))
    Locality.objects.bulk_create(rows, batch_size=2000)


INS_COLUMNS = {"SIRUTA", "DENLOC", "JUD", "SIRSUP", "TIP", "NIV", "MED"}


class SirutaFileError(ValueError):
    pass


def read_ins_csv(raw: bytes) -> Iterable[dict]:
    """Rows of the INS SIRUTA CSV (as published on data.gov.ro): UTF-8 or Windows-1250,
    comma or semicolon separated."""
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1250 decodes almost anything
        raise SirutaFileError("The file is neither UTF-8 nor Windows-1250 text.")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {h.strip().upper() for h in (reader.fieldnames or [])}
    missing = INS_COLUMNS - header
    if missing:
        raise SirutaFileError(f"Not an INS SIRUTA file: missing columns {', '.join(sorted(missing))}.")
    for line, row in enumerate(reader, start=2):
        clean = {k.strip().upper(): (v or "").strip().strip('"') for k, v in row.items() if k}
        try:
            yield {
                "line": line,
                "siruta": int(clean["SIRUTA"]),
                "name": clean["DENLOC"],
                "jud": int(clean["JUD"]),
                "sirsup": int(clean["SIRSUP"] or 0),
                "tip": int(clean["TIP"] or 0),
                "niv": int(clean["NIV"] or 0),
                "med": int(clean["MED"] or 0),
            }
        except ValueError as exc:
            raise SirutaFileError(f"Line {line}: a number was expected ({exc}).") from None


def load_ins(raw: bytes, County, Locality) -> dict:
    """Upserts every UAT (level 2) and locality (level 3) of the INS file, with type and area."""
    counties = {c.jud: c.code for c in County.objects.all()}
    existing = {loc.siruta: loc for loc in Locality.objects.all()}
    created, updated = [], []
    for row in read_ins_csv(raw):
        if row["niv"] not in (2, 3):
            continue
        county = counties.get(row["jud"])
        if county is None:
            raise SirutaFileError(f"Line {row['line']}: county number {row['jud']} is unknown.")
        values = {
            "name": display_name(row["name"]),
            "county_id": county,
            "level": row["niv"],
            "parent_siruta": row["sirsup"] if row["niv"] == 3 else None,
            "siruta_type": row["tip"],
            "area": {1: "urban", 3: "rural"}.get(row["med"], ""),
        }
        loc = existing.get(row["siruta"])
        if loc is None:
            created.append(Locality(siruta=row["siruta"], **values))
        elif any(getattr(loc, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(loc, k, v)
            updated.append(loc)
    Locality.objects.bulk_create(created, batch_size=2000)
    if updated:
        from django.db import connection

        table = connection.ops.quote_name(Locality._meta.db_table)
        with connection.cursor() as cursor:
            sql = (f"UPDATE {table} SET name = %s, county_id = %s, level = %s, "  # noqa: S608 (quoted model table)
                   "parent_siruta = %s, siruta_type = %s, area = %s WHERE siruta = %s")
            cursor.executemany(
                sql,
                [(x.name, x.county_id, x.level, x.parent_siruta, x.siruta_type, x.area, x.siruta) for x in updated])
    return {"created": len(created), "updated": len(updated)}
