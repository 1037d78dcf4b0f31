"""A schematic map of Romania: each of the 42 counties is one square tile placed roughly where it
lies (column from west to east, row from north to south). Drawn by the application itself as SVG:
no tiles from the internet, no geography files. Reusable by any page (the staff caravan, later the
public portal): `grid_map(highlight=..., route=[county codes in order])` gives everything a template
needs to draw it.

The map is decorative: pages that draw it also list what it shows as text.
"""

from dataclasses import dataclass, field

# County code -> (column, row). Bucharest (B) sits beside Ilfov (IF), which surrounds it.
GRID: dict[str, tuple[int, int]] = {
    "SM": (2, 0), "MM": (3, 0), "SV": (5, 0), "BT": (6, 0),
    "BH": (1, 1), "SJ": (2, 1), "CJ": (3, 1), "BN": (4, 1), "NT": (5, 1), "IS": (6, 1),
    "AR": (1, 2), "AB": (2, 2), "MS": (3, 2), "HR": (4, 2), "BC": (5, 2), "VS": (6, 2),
    "TM": (0, 3), "HD": (1, 3), "SB": (2, 3), "BV": (3, 3), "CV": (4, 3), "VN": (5, 3), "GL": (6, 3),
    "CS": (0, 4), "GJ": (1, 4), "VL": (2, 4), "AG": (3, 4), "DB": (4, 4), "PH": (5, 4), "BZ": (6, 4),
    "BR": (7, 4), "TL": (8, 4),
    "MH": (1, 5), "DJ": (2, 5), "OT": (3, 5), "TR": (4, 5), "IF": (5, 5), "IL": (6, 5), "CL": (7, 5),
    "CT": (8, 5),
    "GR": (4, 6), "B": (5, 6),
}

COLUMNS = 1 + max(c for c, _ in GRID.values())
ROWS = 1 + max(r for _, r in GRID.values())
CELL = 60  # SVG user units per tile, gap included
GAP = 4

# Where the 1st, 2nd... marker in the same county goes, relative to the tile's centre (clear of the
# county code written in the tile's top left corner).
_OFFSETS = [(4, 4), (-14, 16), (16, 16), (16, -12), (-16, 0), (2, 20), (0, -12), (18, 2)]


@dataclass
class Tile:
    code: str
    name: str
    x: int
    y: int
    size: int
    label_x: int
    label_y: int
    highlighted: bool = False


@dataclass
class Marker:
    number: int
    code: str
    x: int
    y: int


@dataclass
class GridMap:
    width: int
    height: int
    tiles: list[Tile]
    markers: list[Marker] = field(default_factory=list)
    path: str = ""  # SVG polyline points through the markers, in route order


def centre(code: str) -> tuple[int, int]:
    col, row = GRID[code]
    return col * CELL + CELL // 2, row * CELL + CELL // 2


def grid_map(*, names: dict[str, str] | None = None, highlight=(), route=()) -> GridMap:
    """The tiles of every county (highlighted ones flagged), and one numbered marker per route
    stop (`route`: county codes in order; unknown codes are skipped but keep their number)."""
    names = names or {}
    highlight = set(highlight)
    size = CELL - GAP
    tiles = []
    for code, (col, row) in GRID.items():
        x, y = col * CELL + GAP // 2, row * CELL + GAP // 2
        tiles.append(Tile(code=code, name=names.get(code, code), x=x, y=y, size=size, label_x=x + 4,
                          label_y=y + 14, highlighted=code in highlight))
    markers, seen = [], {}
    for number, code in enumerate(route, start=1):
        if code not in GRID:
            continue
        k = seen.get(code, 0)
        seen[code] = k + 1
        cx, cy = centre(code)
        dx, dy = _OFFSETS[k % len(_OFFSETS)]
        markers.append(Marker(number=number, code=code, x=cx + dx, y=cy + dy))
    path = " ".join(f"{m.x},{m.y}" for m in markers)
    return GridMap(width=COLUMNS * CELL, height=ROWS * CELL, tiles=tiles, markers=markers, path=path)
