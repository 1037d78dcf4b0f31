"""The blank programme workbook: instructions in Romanian and English, then one empty sheet per
schema sheet with its header, drop-down lists for coded columns and date checks.

Everything comes from schema.py, so the template cannot drift from what the import reads.
The `instructions` and the hidden `lists` sheets are not imported.
"""

import datetime as dt
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from .schema import BOOL, DATE, DECIMAL, ENUM, INT, LIST, SHEETS, TEXT, YES_NO, Column, Sheet

LANGUAGES = ("ro", "en")
INSTRUCTIONS = "instructions"
LISTS = "lists"
DATE_FORMAT = "yyyy-mm-dd"
VALIDATED_ROWS = 10_000
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

GENERAL_RULES = (
    gettext_lazy("This workbook brings a programme's data into SOCEC, and SOCEC exports in the same form. Fill "
                 "in one sheet per table; keep the first row of each sheet (the column names) as it is."),
    gettext_lazy("Dates: YYYY-MM-DD, for example 2024-03-01 (date cells are accepted too)."),
    gettext_lazy("Yes/no columns: yes or no (da or nu, true or false, 1 or 0 are accepted too)."),
    gettext_lazy("Lists: values separated by ';', for example roma;single_parent_family."),
    gettext_lazy("An empty cell means unknown or none."),
    gettext_lazy("Required columns have bold names and 'yes' under 'required' below: fill them in on every row."),
    gettext_lazy("Places: siruta is a SIRUTA locality code; county a county code (AB, AR, ... B for Bucharest); "
                 "region a development region code (RO11 ... RO42)."),
    gettext_lazy("Each row is found again by its key (code, person_ref, ...): the import creates what is new and "
                 "updates what changed, so importing the same file twice changes nothing."),
    gettext_lazy("All or nothing: if any row has an error, nothing is imported, and the report lists every error "
                 "with its sheet, row and column."),
    gettext_lazy("The sheets project and organisations are required; the others may be left empty or deleted. The "
                 "instructions and lists sheets are not imported."),
)
TABLE_HEADER = (gettext_lazy("sheet"), gettext_lazy("column"), gettext_lazy("required"),
                gettext_lazy("allowed values"), gettext_lazy("meaning"))


def column_width(column: Column) -> float:
    """A width that shows the header and a typical value."""
    typical = {DATE: 12, BOOL: 8, INT: 10, DECIMAL: 10, ENUM: 16, LIST: 30}.get(column.kind, 0)
    if column.kind == TEXT:
        typical = 40 if (column.max_length or 1000) > 100 else min(column.max_length or 20, 24)
    return max(len(column.name) + 3, typical)


# --- Instructions --------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _range(column: Column, number: str) -> str:
    low, high = column.min_value, column.max_value
    if low is not None and high is not None:
        return _("%(kind)s from %(min)s to %(max)s") % {"kind": number, "min": _number(low), "max": _number(high)}
    if low is not None:
        return _("%(kind)s, at least %(min)s") % {"kind": number, "min": _number(low)}
    return number


def allowed_values(column: Column) -> str:
    """What a cell of the column may hold, in the active language."""
    values = ", ".join(column.choices)
    if column.kind == DATE:
        return _("a date, YYYY-MM-DD")
    if column.kind == BOOL:
        return _("yes or no")
    if column.kind == INT:
        return _range(column, _("a whole number"))
    if column.kind == DECIMAL:
        return _range(column, _("a number"))
    if column.kind == ENUM:
        return _("one of: %(values)s") % {"values": values}
    if column.kind == LIST:
        return _("one or more, separated by ';', of: %(values)s") % {"values": values}
    if column.max_length:
        n = column.max_length
        return ngettext("text, at most %(n)s character", "text, at most %(n)s characters", n) % {"n": n}
    return _("text")


def _meaning(sheet: Sheet, column: Column) -> str:
    parts = [str(column.help)] if column.help else []
    if column.name in sheet.key:
        parts.append(_("Identifies the row (key)."))
    if column.extension:
        parts.append(_("SOCEC's own column, optional."))
    return " ".join(parts)


def _table_rows(sheet: Sheet) -> list[list[str]]:
    required = _("required sheet") if sheet.required else _("optional sheet")
    rows = [[sheet.name, "", required, "", str(sheet.help)]]
    for column in sheet.columns:
        rows.append([sheet.name, column.name, _("yes") if column.required else _("no"), allowed_values(column),
                     _meaning(sheet, column)])
    return rows


def _language_block(ws, language: str) -> None:
    """The general rules and the table of sheets and columns, in one language."""
    with translation.override(language):
        name = translation.get_language_info(language)["name_local"]
        ws.append([f"{_('Programme workbook: instructions')} ({name})"])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
        for rule in GENERAL_RULES:
            ws.append([str(rule)])
        ws.append([])
        ws.append([str(h) for h in TABLE_HEADER])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
        for sheet in SHEETS:
            for row in _table_rows(sheet):
                ws.append(row)
                if not row[1]:
                    ws.cell(ws.max_row, 1).font = BOLD
        ws.append([])
        ws.append([])


def _instructions(wb: Workbook, language: str) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS
    for lang in (language, *[lang for lang in LANGUAGES if lang != language]):
        _language_block(ws, lang)
    for letter, width in zip("ABCDE", (18, 24, 16, 50, 70), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_col=4, max_col=5):
        for cell in row:
            cell.alignment = WRAP


# --- Lists and validation ------------------------------------------------------------------------


def _choices(column: Column, language: str) -> tuple[str, ...]:
    if column.kind == BOOL:
        return YES_NO + (("da", "nu") if language == "ro" else ())
    return column.choices


def _lists(wb: Workbook, language: str) -> dict[tuple[str, ...], str]:
    """The hidden sheet of drop-down values: one column per distinct list, its range by list."""
    ws = wb.create_sheet(LISTS)
    ws.sheet_state = "hidden"
    ranges: dict[tuple[str, ...], str] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            values = _choices(column, language)
            if column.kind not in (ENUM, BOOL) or not values or values in ranges:
                continue
            col = len(ranges) + 1
            ws.cell(1, col, column.name)
            for i, value in enumerate(values, 2):
                ws.cell(i, col, value)
            letter = get_column_letter(col)
            ranges[values] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _list_validation(formula: str) -> DataValidation:
    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorTitle=_("Not in the list"),
                          error=_("Choose a value from the drop-down list, or leave the cell empty."))


def _date_validation() -> DataValidation:
    return DataValidation(type="date", operator="between", allow_blank=True, showErrorMessage=True,
                          formula1=str(int(to_excel(dt.date(1900, 1, 1)))),
                          formula2=str(int(to_excel(dt.date(2199, 12, 31)))),
                          errorTitle=_("Not a date"),
                          error=_("Write a date as YYYY-MM-DD, for example 2024-03-01, or leave the cell empty."))


def _validation(column: Column, ranges: dict, language: str) -> DataValidation | None:
    if column.kind == DATE:
        return _date_validation()
    formula = ranges.get(_choices(column, language))
    return _list_validation(formula) if column.kind in (ENUM, BOOL) and formula else None


# --- Data sheets ---------------------------------------------------------------------------------


def _data_sheet(wb: Workbook, sheet: Sheet, ranges: dict, language: str) -> None:
    ws = wb.create_sheet(sheet.name)
    ws.append(sheet.column_names)
    ws.freeze_panes = "A2"
    for i, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(i)
        if column.required:
            ws.cell(1, i).font = BOLD
        dimension = ws.column_dimensions[letter]
        dimension.width = column_width(column)
        # Typed values keep their form: dates as dates, codes and CNPs with their leading zeros.
        if column.kind in (DATE, TEXT):
            dimension.number_format = DATE_FORMAT if column.kind == DATE else "@"
        validation = _validation(column, ranges, language)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            ws.add_data_validation(validation)


def write_template(path, *, language: str = "ro") -> None:
    """Writes the blank workbook to `path` (.xlsx). `language` puts its instructions first and
    words the spreadsheet's own messages; the instructions are always in Romanian and English."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(_("The template is an .xlsx workbook: choose a file name ending in .xlsx."))
    if language not in LANGUAGES:
        raise ValueError(_("The template's language is ro or en, not %(language)s.") % {"language": language})
    wb = Workbook()
    _instructions(wb, language)
    with translation.override(language):
        ranges = _lists(wb, language)
        for sheet in SHEETS:
            _data_sheet(wb, sheet, ranges, language)
    wb.move_sheet(LISTS, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS))
    wb.save(path)

