"""County boundaries for the map: a GeoJSON FeatureCollection of county polygons -> CountyShape rows.

Counties are matched by a property: an ISO 3166-2 code (`RO-CJ`), the county code (`CJ`) or the name
("Călărași" or "Calarasi"), diacritics-insensitive. Longitude and latitude are projected with a simple
equirectangular projection (x = lon * cos 46°, y = -lat), scaled so the whole file is WIDTH units wide,
and every ring is simplified (Ramer-Douglas-Peucker) to keep the paths small. Either every feature is
understood and all shapes are replaced, or GeometryError says what is wrong and nothing is written.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from socec.core.crypto import normalise_name
from socec.places.models import County

from .. import freshness
from ..models import CountyShape

WIDTH = 1000.0
TOLERANCE = 0.6  # SVG units: about 0.2 km on a 1000-unit wide Romania
MIN_RING_AREA = 4.0  # square SVG units: islets smaller than this are dropped (the largest ring stays)
COS_46 = math.cos(math.radians(46))
PREFERRED_KEYS = ("iso_3166_2", "iso3166_2", "iso", "iso_code", "county", "county_code", "code", "mnemonic",
                  "name", "county_name", "ne_name", "NAME", "NAME_1", "name_ro", "name_en")
MAX_BYTES = 50 * 1024 * 1024


class GeometryError(Exception):
    pass


@dataclass
class Shape:
    code: str
    path: str
    label_x: float
    label_y: float
    min_x: float
    min_y: float
    max_x: float
    max_y: float


def _county_index() -> dict[str, str]:
    index = {}
    for code, name in County.objects.values_list("code", "name"):
        index[code.upper()] = code
        index[f"RO-{code.upper()}"] = code
        index[normalise_name(name)] = code
    index.setdefault("bucharest", "B")
    return index


def _match(properties: dict, index: dict[str, str]) -> str | None:
    keys = [k for k in PREFERRED_KEYS if k in properties] + [k for k in properties if k not in PREFERRED_KEYS]
    for key in keys:
        value = properties.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        for candidate in (value.strip().upper(), normalise_name(value)):
            if candidate in index:
                return index[candidate]
    return None


def _rings(geometry, where: str) -> list[list[tuple[float, float]]]:
    if not isinstance(geometry, dict):
        raise GeometryError(_("%(where)s has no geometry.") % {"where": where})
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise GeometryError(_("%(where)s: the geometry is %(kind)s, not a Polygon or MultiPolygon.") % {
            "where": where, "kind": kind})
    rings = []
    try:
        for polygon in polygons:
            for ring in polygon:
                points = [(float(p[0]), float(p[1])) for p in ring]
                if len(points) < 4:
                    raise GeometryError(_("%(where)s: a ring has fewer than 4 points.") % {"where": where})
                if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in points):
                    raise GeometryError(_("%(where)s: a coordinate is not a longitude and latitude in degrees.")
                                        % {"where": where})
                rings.append(points)
    except (TypeError, ValueError, IndexError, KeyError) as e:
        raise GeometryError(_("%(where)s: the coordinates are malformed.") % {"where": where}) from e
    if not rings:
        raise GeometryError(_("%(where)s has no polygon.") % {"where": where})
    return rings


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker, iterative; the first and last points stay."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = -1.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = (math.hypot(x - x1, y - y1) if length == 0
                        else abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area_centroid(ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return abs(area), cx / (6 * area), cy / (6 * area)


def _inside(x: float, y: float, rings) -> bool:
    """Even-odd rule over every ring (holes included)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _edge_distance(x: float, y: float, rings) -> float:
    best = math.inf
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = x2 - x1, y2 - y1
            length2 = dx * dx + dy * dy
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length2))
            best = min(best, math.hypot(x - x1 - t * dx, y - y1 - t * dy))
    return best


def label_point(rings, fallback: tuple[float, float], samples: int = 16) -> tuple[float, float]:
    """A point well inside the shape (the sampled point farthest from every edge), where the label goes:
    unlike the centroid it never falls in a hole (Ilfov around București) or outside a curved county."""
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    best, where = -1.0, fallback
    for i in range(1, samples):
        for j in range(1, samples):
            x = min(xs) + (max(xs) - min(xs)) * i / samples
            y = min(ys) + (max(ys) - min(ys)) * j / samples
            if _inside(x, y, rings):
                d = _edge_distance(x, y, rings)
                if d > best:
                    best, where = d, (x, y)
    return where


def _fmt(v: float) -> str:
    return f"{round(v, 1):g}"


def parse(path: Path) -> list[Shape]:
    """The shapes of a GeoJSON file, or GeometryError."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise GeometryError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise GeometryError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": e.strerror or e}) from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GeometryError(_("%(file)s is not a JSON file: %(error)s") % {"file": path, "error": e}) from e
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise GeometryError(_("The file is not a GeoJSON FeatureCollection."))
    if not data["features"]:
        raise GeometryError(_("The FeatureCollection has no features."))
    index = _county_index()
    found: dict[str, list] = {}
    problems = []
    for n, feature in enumerate(data["features"], start=1):
        where = _("Feature %(n)s") % {"n": n}
        if not isinstance(feature, dict):
            problems.append(_("%(where)s is not a GeoJSON Feature.") % {"where": where})
            continue
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        code = _match(properties, index)
        if code is None:
            problems.append(_("%(where)s: no county matches its properties (%(props)s).") % {
                "where": where, "props": ", ".join(f"{k}={v}" for k, v in list(properties.items())[:4]) or "—"})
            continue
        if code in found:
            problems.append(_("%(where)s: county %(code)s appears twice.") % {"where": where, "code": code})
            continue
        try:
            found[code] = _rings(feature.get("geometry"), f"{where} ({code})")
        except GeometryError as e:
            problems.append(str(e))
    if problems:
        raise GeometryError("\n".join(problems[:20]))
    return _project(found)


def _project(found: dict[str, list]) -> list[Shape]:
    projected = {code: [[(lon * COS_46, -lat) for lon, lat in ring] for ring in rings]
                 for code, rings in found.items()}
    xs = [x for rings in projected.values() for ring in rings for x, _y in ring]
    ys = [y for rings in projected.values() for ring in rings for _x, y in ring]
    span = (max(xs) - min(xs)) or 1.0
    scale = WIDTH / span
    x0, y0 = min(xs), min(ys)
    shapes = []
    for code, rings in sorted(projected.items()):
        parts, best = [], None
        all_points = []
        for ring in rings:
            scaled = [((x - x0) * scale, (y - y0) * scale) for x, y in ring]
            simple = simplify(scaled, TOLERANCE)
            if len(simple) < 4:
                simple = scaled
            area, cx, cy = _area_centroid(simple[:-1] if simple[0] == simple[-1] else simple)
            parts.append((area, simple))
            if best is None or area > best[0]:
                best = (area, cx, cy)
        kept = [p for a, p in parts if a >= MIN_RING_AREA] or [max(parts, key=lambda ap: ap[0])[1]]
        path, open_rings = [], []
        for points in kept:
            if points[0] == points[-1]:
                points = points[:-1]
            all_points.extend(points)
            open_rings.append(points)
            path.append("M" + "L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in points) + "Z")
        label_x, label_y = label_point(open_rings, (best[1], best[2]))
        shapes.append(Shape(code=code, path="".join(path), label_x=label_x, label_y=label_y,
                            min_x=min(p[0] for p in all_points), min_y=min(p[1] for p in all_points),
                            max_x=max(p[0] for p in all_points), max_y=max(p[1] for p in all_points)))
    return shapes


@transaction.atomic
def load(path: Path) -> list[Shape]:
    """Replaces every county shape by the file's (all or nothing)."""
    shapes = parse(path)
    CountyShape.objects.all().delete()
    CountyShape.objects.bulk_create([
        CountyShape(county_id=s.code, svg_path=s.path, label_x=s.label_x, label_y=s.label_y, min_x=s.min_x,
                    min_y=s.min_y, max_x=s.max_x, max_y=s.max_y) for s in shapes])
    freshness.bump()  # the maps drawn until now are drawn again
    return shapes
