"""The county map of the public portal, drawn server-side as inline SVG (no tiles, no script).

Without loaded boundaries (`socec load_geometry`) every county is a tile of the schematic grid of
socec.outreach.countygrid; with them, its real outline. Each county is coloured by one figure
(enterprises or jobs) in STEPS classes and links to the directory filtered by that county. The map is
only a picture of the table printed next to it.
"""

import math
from dataclasses import dataclass, field

from socec.core.crypto import normalise_name
from socec.outreach.countygrid import grid_map
from socec.places.models import County

from ..models import CountyShape

STEPS = 5  # colour classes above zero: map-step-1 ... map-step-5 (map-step-0 is none)
METRICS = ("enterprises", "jobs")


@dataclass
class Area:
    code: str
    name: str
    value: int
    step: int
    href: str
    label_x: float
    label_y: float
    path: str = ""  # a real outline
    x: float = 0  # a tile
    y: float = 0
    size: float = 0
    current: bool = False  # the county the directory is filtered by


@dataclass
class LegendStep:
    step: int
    low: int
    high: int


@dataclass
class CountyMap:
    metric: str
    width: float
    height: float
    min_x: float
    min_y: float
    areas: list[Area]
    legend: list[LegendStep]
    shapes: bool = False
    rows: list[dict] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"{self.min_x:g} {self.min_y:g} {self.width:g} {self.height:g}"


def bounds(top: int) -> list[LegendStep]:
    """STEPS classes of equal width from 1 to `top` (fewer when `top` is small)."""
    if top <= 0:
        return []
    ranges, low = [], 1
    for i in range(1, STEPS + 1):
        high = math.ceil(top * i / STEPS)
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    # The darkest class always marks the largest figures, however few classes there are.
    return [LegendStep(step=math.ceil(i * STEPS / len(ranges)), low=lo, high=hi)
            for i, (lo, hi) in enumerate(ranges, start=1)]


def step_of(value: int, legend: list[LegendStep]) -> int:
    for s in legend:
        if s.low <= value <= s.high:
            return s.step
    return 0


def county_map(figures: dict[str, dict[str, int]], metric: str, href, current: str = "") -> CountyMap:
    """figures: {county code: {"enterprises": n, "jobs": n}}; href(code) -> the county's link; `current`:
    the county shown (outlined)."""
    metric = metric if metric in METRICS else METRICS[0]
    names = dict(County.objects.values_list("code", "name"))
    values = {code: figures.get(code, {}).get(metric, 0) for code in names}
    legend = bounds(max(values.values(), default=0))
    shapes = list(CountyShape.objects.all())
    areas = []
    if shapes:
        for s in shapes:
            code = s.county_id
            value = values.get(code, 0)
            areas.append(Area(code=code, name=names.get(code, code), value=value, step=step_of(value, legend),
                              href=href(code), label_x=round(s.label_x, 1), label_y=round(s.label_y, 1),
                              path=s.svg_path, current=code == current))
        min_x, min_y = min(s.min_x for s in shapes), min(s.min_y for s in shapes)
        width = max(s.max_x for s in shapes) - min_x
        height = max(s.max_y for s in shapes) - min_y
        pad = width / 100
        min_x, min_y, width, height = min_x - pad, min_y - pad, width + 2 * pad, height + 2 * pad
    else:
        grid = grid_map(names=names)
        for t in grid.tiles:
            value = values.get(t.code, 0)
            areas.append(Area(code=t.code, name=t.name, value=value, step=step_of(value, legend), href=href(t.code),
                              label_x=t.label_x, label_y=t.label_y, x=t.x, y=t.y, size=t.size,
                              current=t.code == current))
        min_x, min_y, width, height = 0, 0, grid.width, grid.height
    rows = sorted(({"code": code, "name": name, "enterprises": figures.get(code, {}).get("enterprises", 0),
                    "jobs": figures.get(code, {}).get("jobs", 0), "href": href(code)}
                   for code, name in names.items()), key=lambda r: normalise_name(r["name"]))
    areas.sort(key=lambda a: (a.current, normalise_name(a.name)))  # the current county on top
    return CountyMap(metric=metric, width=round(width, 1), height=round(height, 1), min_x=round(min_x, 1),
                     min_y=round(min_y, 1), areas=areas, legend=legend, shapes=bool(shapes), rows=rows)
