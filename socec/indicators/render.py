"""The indicator report object (indicators.md, "The report") written as CSV, XLSX and PDF.

Pure functions of the report dict: nothing here reads the database. CSV is the long, machine-readable
form (fixed column names, codes as they are); XLSX and PDF are for people, with headings in the active
language or in extra["language"]. The PDF embeds DejaVu Sans, shipped in socec/static/fonts/, because
the PDF base fonts have no ș and ț.
"""

import csv
import datetime as dt
import io
import math
import re
from contextlib import nullcontext, suppress
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from socec.indicators.definitions import BY_CODE, CODES
from socec.outreach.models import Campaign, EventKind, Publication
from socec.people.models import Sex
from socec.places.models import Area

CSV_COLUMNS = ("scope", "as_of", "indicator", "name", "breakdown", "part", "value", "target", "refused",
               "distinct_persons", "reach")
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT, FONT_BOLD = "SOCEC-DejaVuSans", "SOCEC-DejaVuSans-Bold"
UNKNOWN = "unknown"  # the engine's part for a place it does not know

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

INK = colors.HexColor("#1f2d3d")
ACCENT = colors.HexColor("#1f5f99")
DONE = colors.HexColor("#2e7d4f")
TRACK = colors.HexColor("#dde4ec")
RULE = colors.HexColor("#c3ccd6")
HEAD_FILL = colors.HexColor("#e6ecf3")
GROUP_FILL = colors.HexColor("#f3f6f9")
MUTED = colors.HexColor("#5b6775")


# --- the figures, whatever the format -------------------------------------------------------------


def _codes(report: dict) -> list[str]:
    """The indicators in the order of definitions.CODES, then any others in the report's order."""
    indicators = report.get("indicators") or {}
    return [code for code in CODES if code in indicators] + [code for code in indicators if code not in BY_CODE]


def _name(code: str, entry: dict) -> str:
    if entry.get("name"):
        return str(entry["name"])
    return str(BY_CODE[code].name) if code in BY_CODE else code


def _part_order(part) -> tuple:
    return (str(part) == UNKNOWN, str(part))


def _breakdowns(entry: dict) -> dict[str, list[tuple[str, int, int | float | None]]]:
    """{kind: [(part, value, target or None)]}: the parts of `by` and of `targets_by` together (a part
    left out of `by` counts 0), sorted, with "unknown" last."""
    by = entry.get("by") or {}
    targets_by = entry.get("targets_by") or {}
    out = {}
    for kind in [*by, *(k for k in targets_by if k not in by)]:
        values, targets = by.get(kind) or {}, targets_by.get(kind) or {}
        parts = sorted({*values, *targets}, key=_part_order)
        if parts:
            out[kind] = [(str(p), values.get(p, 0), targets.get(p)) for p in parts]
    return out


def _share(value, target) -> float | None:
    """value / target, None without a (non-zero) target."""
    if isinstance(target, int | float) and target:
        return (value or 0) / target
    return None


def _language(extra: dict | None):
    language = (extra or {}).get("language")
    return translation.override(language) if language else nullcontext()


def _scope_label(scope) -> str:
    return _("All projects") if scope in (None, "", "ALL") else str(scope)


def _unit_label(unit: str) -> str:
    labels = {"persons": _("persons"), "entities": _("entities"), "jobs": _("jobs"), "events": _("events"),
              "localities": _("localities"), "campaigns": _("campaigns"), "publications": _("publications")}
    return labels.get(unit, unit)


def _unit(code: str) -> str:
    return _unit_label(BY_CODE[code].unit) if code in BY_CODE else ""


def _kind_label(kind: str) -> str:
    labels = {"sex": _("sex"), "region": _("region"), "county": _("county"), "area": _("area"), "kind": _("kind"),
              "channel": _("channel")}
    return str(labels.get(kind, kind))


def _part_label(kind: str, part: str) -> str:
    """A readable name for a part (female, caravan stop, television); places keep their codes."""
    if part == UNKNOWN:
        return _("unknown")
    choices = {"sex": Sex.choices, "area": Area.choices, "channel": Campaign.Channel.choices,
               "kind": EventKind.choices + Publication.Kind.choices}.get(kind, [])
    return str(dict(choices).get(part, part))


# --- CSV ------------------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text  # CSV injection: a spreadsheet would run it as a formula
    return text


def to_csv(report: dict) -> str:
    """Long format: per indicator, its total (empty breakdown and part; with refused answers, distinct
    persons and reach where the report has them) then one row per breakdown part."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    scope, as_of = report.get("scope"), report.get("as_of")
    for code in _codes(report):
        entry = report["indicators"][code]
        head = [scope, as_of, code, _name(code, entry)]
        writer.writerow([_csv_cell(v) for v in [*head, "", "", entry.get("value", 0), entry.get("target"),
                                                entry.get("refused"), entry.get("distinct_persons"),
                                                entry.get("reach")]])
        for kind, parts in _breakdowns(entry).items():
            for part, value, target in parts:
                writer.writerow([_csv_cell(v) for v in [*head, kind, part, value, target, None, None, None]])
    return out.getvalue()


# --- XLSX -----------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E6ECF3")
_MUTED = Font(italic=True, color="5B6775")


def _sheet_title(label: str, used: set[str]) -> str:
    """A valid sheet name (at most 31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("-", str(label)).strip("' ")[:31] or "sheet"
    title, n = base, 1
    while title.casefold() in used:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}-{n}"
    used.add(title.casefold())
    return title


def _number_format(value) -> str:
    return "#,##0.0#" if isinstance(value, float) and not value.is_integer() else "#,##0"


def _append(ws, values, *, font=None, fill=None) -> list:
    """Appends a row; text stays text (openpyxl would take "=..." for a formula), numbers get a format."""
    clean = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    ws.append(clean)
    cells = list(ws[ws.max_row])
    for cell, value in zip(cells, clean, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = _number_format(value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
    return cells


def _header(ws, values, freeze: str) -> None:
    for cell in _append(ws, values, font=_BOLD, fill=_HEAD_FILL):
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = freeze


def _widths(ws, *, minimum=6, maximum=60) -> None:
    widest: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = f"{cell.value:,}" if isinstance(cell.value, int | float) else str(cell.value)
            widest[cell.column] = max(widest.get(cell.column, 0), len(text))
    for column, width in widest.items():
        ws.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, width + 2))


def to_xlsx(report: dict, path_or_file, *, extra: dict | None = None) -> None:
    """Sheet "indicators" (one row per indicator), one sheet per breakdown kind, then "about"."""
    with _language(extra):
        wb = Workbook()
        used: set[str] = set()
        indicators = report.get("indicators") or {}
        codes = _codes(report)

        ws = wb.active
        ws.title = _sheet_title(_("indicators"), used)
        _header(ws, [_("Code"), _("Name"), _("Unit"), _("Value"), _("Target"), _("% of target"), _("Refused"),
                     _("Distinct persons"), _("Reach")], "C2")
        for code in codes:
            entry = indicators[code]
            value, target = entry.get("value", 0), entry.get("target")
            cells = _append(ws, [code, _name(code, entry), _unit(code), value, target, _share(value, target),
                                 entry.get("refused"), entry.get("distinct_persons"), entry.get("reach")])
            cells[5].number_format = "0.0%"
        _widths(ws)

        breakdowns = {code: _breakdowns(indicators[code]) for code in codes}
        kinds = list(dict.fromkeys(kind for parts in breakdowns.values() for kind in parts))
        for kind in kinds:
            ws = wb.create_sheet(_sheet_title(_kind_label(kind), used))
            parts = sorted({p for b in breakdowns.values() for p, _v, _t in b.get(kind, [])}, key=_part_order)
            column = {part: i for i, part in enumerate(parts, start=2)}
            _header(ws, [_("Code"), _("Name"), *parts, _("Total")], "C2")
            for code in codes:
                rows = breakdowns[code].get(kind)
                if not rows:
                    continue
                values = [code, _name(code, indicators[code])] + [None] * len(parts)
                for part, value, _target in rows:
                    values[column[part]] = value
                _append(ws, [*values, sum(value for _p, value, _t in rows)])
                if any(target is not None for _p, _v, target in rows):
                    targets = [code, _("%(name)s (target)") % {"name": _name(code, indicators[code])}]
                    targets += [None] * len(parts)
                    for part, _value, target in rows:
                        targets[column[part]] = target
                    _append(ws, targets, font=_MUTED)
            _widths(ws, minimum=8)
            ws.column_dimensions["B"].width = min(ws.column_dimensions["B"].width, 45)

        ws = wb.create_sheet(_sheet_title(_("about"), used))
        _about_sheet(ws, report, extra or {})
        wb.save(path_or_file)


def _about_sheet(ws, report: dict, extra: dict) -> None:
    as_of = report.get("as_of")
    with suppress(TypeError, ValueError):
        as_of = dt.date.fromisoformat(as_of)  # a date cell; anything else stays as it is
    _header(ws, [_("Indicator report"), ""], "A2")
    _append(ws, [_("Scope"), _scope_label(report.get("scope"))])
    cells = _append(ws, [_("Figures as of"), as_of])
    if isinstance(as_of, dt.date):
        cells[1].number_format = "yyyy-mm-dd"
        cells[1].alignment = Alignment(horizontal="left")
    if extra.get("title"):
        _append(ws, [_("Project"), str(extra["title"])])
    if extra.get("period"):
        _append(ws, [_("Period"), str(extra["period"])])
    for i, partner in enumerate(extra.get("partners") or []):
        _append(ws, [_("Partners") if i == 0 else "", str(partner)])
    for cell in ws["A"]:
        cell.font = _BOLD
    _widths(ws, maximum=80)


# --- PDF ------------------------------------------------------------------------------------------


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=20, leading=25, textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=15, textColor=MUTED, spaceAfter=4),
        "h1": ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=13, leading=17, textColor=ACCENT,
                             spaceBefore=12, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=9.5, leading=13, spaceBefore=8, spaceAfter=3),
        "note": ParagraphStyle("note", base, fontSize=7.5, leading=10, textColor=MUTED, spaceBefore=3),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "cell_done": ParagraphStyle("cell_done", base, fontSize=8, leading=10, alignment=TA_RIGHT, textColor=DONE),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8, leading=10),
        "head_right": ParagraphStyle("head_right", base, fontName=FONT_BOLD, fontSize=8, leading=10,
                                     alignment=TA_RIGHT),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9),
        "small_bold": ParagraphStyle("small_bold", base, fontName=FONT_BOLD, fontSize=7.5, leading=9),
        "figure": ParagraphStyle("figure", base, fontSize=7.5, leading=9, alignment=TA_RIGHT),
    }


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, force_grouping=True)


def _pct(share: float | None) -> str:
    if share is None:
        return ""
    # rounded here: number_format cuts the decimals of a float, it does not round them
    return formats.number_format(round(share * 100, 1), decimal_pos=1, force_grouping=True) + "%"


def _date_label(as_of) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(as_of), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(as_of or "")


def _group_label(code: str) -> str:
    if code.startswith("EECO"):
        return _("ESF+ common output indicators")
    if code.startswith("EECR"):
        return _("ESF+ common result indicators")
    if code.startswith("SE"):
        return _("Social economy indicators")
    return _("Other indicators")


def _table_style(extra_commands=()) -> TableStyle:
    """Tables of paragraphs: a shaded header row, thin rules between rows."""
    return TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *extra_commands,
    ])


def _cells(values, styles, numbers_from: int, *, head=False) -> list[Paragraph]:
    """A table row as paragraphs, so that all cells share one baseline: text left, figures right."""
    cells = []
    for i, value in enumerate(values):
        style = ("head" if head else "cell") + ("_right" if i >= numbers_from else "")
        cells.append(value if isinstance(value, Paragraph) else Paragraph(escape(str(value)), styles[style]))
    return cells


def _summary_table(report: dict, codes: list[str], styles, width: float) -> Table:
    indicators = report["indicators"]
    head = [_("Code"), _("Indicator"), _("Unit"), _("Value"), _("Target"), _("% of target")]
    rows, commands, group = [_cells(head, styles, 3, head=True)], [], None
    for code in codes:
        entry = indicators[code]
        if _group_label(code) != group:
            group = _group_label(code)
            commands += [("SPAN", (0, len(rows)), (-1, len(rows))),
                         ("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_FILL)]
            rows.append([Paragraph(escape(group), styles["head"]), "", "", "", "", ""])
        value, target = entry.get("value", 0), entry.get("target")
        share = _share(value, target)
        reached = Paragraph(_pct(share), styles["cell_done"]) if share is not None and share >= 1 else _pct(share)
        rows.append(_cells([code, _name(code, entry), _unit(code), _fmt(value), _fmt(target), reached], styles, 3))
    widths = [16 * mm, None, 26 * mm, 19 * mm, 17 * mm, 22 * mm]
    widths[1] = width - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(commands))
    return table


def _other_figures_table(report: dict, codes: list[str], styles, width: float) -> Table | None:
    """Refused answers, persons counted once across projects and campaign reach, where they say something."""
    indicators = report["indicators"]
    rows = [_cells([_("Code"), _("Indicator"), _("Refused"), _("Distinct persons"), _("Reach")], styles, 2,
                   head=True)]
    for code in codes:
        entry = indicators[code]
        refused, distinct, reach = entry.get("refused"), entry.get("distinct_persons"), entry.get("reach")
        if refused or reach is not None or (distinct is not None and distinct != entry.get("value", 0)):
            rows.append(_cells([code, _name(code, entry), _fmt(refused), _fmt(distinct), _fmt(reach)], styles, 2))
    if len(rows) == 1:
        return None
    widths = [17 * mm, None, 20 * mm, 30 * mm, 22 * mm]
    widths[1] = width - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style())
    return table


def _progress_chart(rows: list[tuple[str, int, float]], width: float) -> Drawing:
    """Horizontal bars, one per indicator with a target: the value as a share of the target, with the
    figures beside it; the dashed line is the target (100%)."""
    row_h, top, label_w, text_w = 15, 14, 44, 120
    bar_w = width - label_w - text_w
    scale = max(1.0, min(2.0, max(value / target for _c, value, target in rows)))
    height = top + row_h * len(rows) + 2
    drawing = Drawing(width, height)
    x_target = label_w + bar_w / scale
    for i, (code, value, target) in enumerate(rows):
        y = height - top - row_h * (i + 1) + 4
        share = value / target
        drawing.add(String(0, y + 2, code, fontName=FONT_BOLD, fontSize=7.5, fillColor=INK))
        drawing.add(Rect(label_w, y, x_target - label_w, row_h - 6, fillColor=TRACK, strokeColor=None))
        drawing.add(Rect(label_w, y, bar_w * min(share, scale) / scale, row_h - 6,
                         fillColor=DONE if share >= 1 else ACCENT, strokeColor=None))
        text = f"{_fmt(value)} / {_fmt(target)}   {_pct(share)}"
        drawing.add(String(label_w + bar_w + 8, y + 2, text, fontName=FONT, fontSize=7.5, fillColor=INK))
    drawing.add(Line(x_target, 2, x_target, height - top + 2, strokeColor=INK, strokeWidth=0.6,
                     strokeDashArray=[2, 2]))
    drawing.add(String(x_target, height - top + 5, _("target"), fontName=FONT, fontSize=7, fillColor=MUTED,
                       textAnchor="middle"))
    return drawing


def _parts_chart(kind: str, parts: list[tuple[str, int, int | float | None]], width: float) -> Drawing:
    """Vertical bars, one per part (counties), with the part's target beside it where there is one."""
    height = 190
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 40, width - 44, height - 62
    has_targets = any(target is not None for _p, _v, target in parts)
    chart.data = [[value for _p, value, _t in parts]]
    if has_targets:
        chart.data.append([target for _p, _v, target in parts])
    chart.categoryAxis.categoryNames = [_part_label(kind, part) for part, _v, _t in parts]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5 if len(parts) > 20 else 7.5
    chart.categoryAxis.labels.angle = 90 if len(parts) > 20 else 0
    chart.categoryAxis.labels.boxAnchor = "e" if len(parts) > 20 else "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _fmt
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = TRACK
    top = max([v for series in chart.data for v in series if v is not None] + [1])
    chart.valueAxis.valueMax = top * 1.1
    chart.valueAxis.valueStep = _nice_step(top * 1.1)
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = ACCENT
    chart.barSpacing = 0.5
    chart.groupSpacing = 3 if len(parts) > 20 else 8
    drawing.add(chart)
    if has_targets:
        chart.bars[1].fillColor = colors.HexColor("#b7c4d3")
        legend = Legend()
        legend.fontName, legend.fontSize = FONT, 7.5
        legend.x, legend.y, legend.alignment = 40, height - 6, "right"
        legend.columnMaximum, legend.deltax, legend.dx, legend.dy = 1, 70, 8, 8
        legend.colorNamePairs = [(ACCENT, _("Value")), (colors.HexColor("#b7c4d3"), _("Target"))]
        drawing.add(legend)
    return drawing


def _nice_step(top: float) -> float:
    """A round axis step giving about five gridlines."""
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return max(1, factor * magnitude)
    return max(1, 10 * magnitude)


def _breakdown_table(kinds: dict, styles, width: float) -> Table:
    """One block of rows per breakdown kind; the parts flow over four columns of (part, value), or three
    when a part has a target (value / target needs the room)."""
    with_targets = any(target is not None for parts in kinds.values() for _p, _v, target in parts)
    groups, label_w = 3 if with_targets else 4, 26 * mm
    part_w = (width - label_w) / groups
    rows, commands = [], []
    for kind, parts in kinds.items():
        cells = []
        for part, value, target in parts:
            figure = _fmt(value) if target is None else f"{_fmt(value)} / {_fmt(target)}"
            cells += [Paragraph(escape(_part_label(kind, part)), styles["small"]), Paragraph(figure, styles["figure"])]
        cells += [""] * (-len(cells) % (2 * groups))
        first = len(rows)
        for i in range(0, len(cells), 2 * groups):
            label = "" if i else Paragraph(escape(_kind_label(kind).capitalize()), styles["small_bold"])
            rows.append([label, *cells[i:i + 2 * groups]])
        commands += [("SPAN", (0, first), (0, len(rows) - 1)),
                     ("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.4, RULE)]
    share = 0.5 if with_targets else 0.62  # of a group's width, for the part's name
    widths = [label_w] + [part_w * share, part_w * (1 - share)] * groups
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *[("RIGHTPADDING", (c, 0), (c, -1), 8) for c in range(2, 1 + 2 * groups, 2)],
        *commands,
    ]))
    return table


def to_pdf(report: dict, path_or_file, *, extra: dict | None = None) -> None:
    """An A4 report for funders: the project, every indicator against its target, charts, breakdowns."""
    _register_fonts()
    extra = extra or {}
    with _language(extra):
        styles = _styles()
        indicators = report.get("indicators") or {}
        codes = _codes(report)
        scope, as_of = _scope_label(report.get("scope")), report.get("as_of") or ""
        title = _("Indicator report")
        doc = SimpleDocTemplate(path_or_file, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                topMargin=16 * mm, bottomMargin=18 * mm, title=f"{title} – {scope} – {as_of}",
                                author="SOCEC", subject=str(extra.get("title") or scope), creator="SOCEC")
        width = doc.width
        story = [Paragraph(escape(title), styles["title"]),
                 Paragraph(escape(_("%(scope)s · figures as of %(date)s") % {"scope": scope,
                                                                              "date": _date_label(as_of)}),
                           styles["subtitle"])]

        partners = [escape(str(p)) for p in extra.get("partners") or []]
        details = [(_("Project"), escape(str(extra.get("title") or ""))),
                   (_("Period"), escape(str(extra.get("period") or ""))), (_("Partners"), "<br/>".join(partners))]
        details = [[Paragraph(escape(label), styles["head"]), Paragraph(markup, styles["cell"])]
                   for label, markup in details if markup]
        if details:
            table = Table(details, colWidths=[30 * mm, width - 30 * mm])
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                                       ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            story += [Spacer(1, 4), table]

        story += [Paragraph(escape(_("Indicators")), styles["h1"]), _summary_table(report, codes, styles, width)]
        other = _other_figures_table(report, codes, styles, width)
        if other is not None:
            story += [Paragraph(escape(_("Refused answers, distinct persons and reach")), styles["h2"]), other,
                      Paragraph(escape(_("Only the indicators with refused answers, with persons counted in "
                                         "several projects or with a reach are listed.")), styles["note"])]

        with_target = [(code, indicators[code].get("value", 0), indicators[code]["target"]) for code in codes
                       if _share(indicators[code].get("value", 0), indicators[code].get("target")) is not None]
        if with_target:
            story.append(KeepTogether([
                Paragraph(escape(_("Progress towards the targets")), styles["h1"]),
                _progress_chart(with_target, width),
                Paragraph(escape(_("Each bar is the value as a share of the target; the dashed line is the "
                                   "target.")), styles["note"])]))

        breakdowns = {code: _breakdowns(indicators[code]) for code in codes}
        counties = breakdowns.get("EECO01", {}).get("county")
        if counties:
            story.append(KeepTogether([
                Paragraph(escape(_("%(code)s by county") % {"code": "EECO01"}), styles["h1"]),
                Paragraph(escape(_name("EECO01", indicators["EECO01"])), styles["note"]),
                _parts_chart("county", counties, width)]))

        heading = [Paragraph(escape(_("Breakdowns")), styles["h1"]),
                   Paragraph(escape(_("Where a part has a target, its figure reads value / target.")), styles["note"])]
        for code in [code for code in codes if breakdowns[code]]:
            story.append(KeepTogether([
                *heading,  # the section's heading on the page of its first table
                Paragraph(f"{escape(code)} · {escape(_name(code, indicators[code]))}", styles["h2"]),
                _breakdown_table(breakdowns[code], styles, width)]))
            heading = []

        footer = f"SOCEC · {scope} · {as_of}"

        def on_page(canvas, document):
            canvas.saveState()
            canvas.setFont(FONT, 7)
            canvas.setFillColor(MUTED)
            canvas.setStrokeColor(RULE)
            canvas.line(document.leftMargin, 13 * mm, A4[0] - document.rightMargin, 13 * mm)
            canvas.drawString(document.leftMargin, 9 * mm, footer)
            canvas.drawRightString(A4[0] - document.rightMargin, 9 * mm, _("Page %(page)d") % {"page": document.page})
            canvas.restoreState()

        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
