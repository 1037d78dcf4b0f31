"""Exporting a project as a programme workbook: the format `socec import` reads back.

An .xlsx (one sheet per schema sheet, dates as real date cells, every other value as text so
codes and CNPs keep their leading zeros) or a .zip of UTF-8 CSV files, one per sheet. Both are
written streaming, row by row, so a project of a million participants fits in little memory.
The export shows identifiers in bulk: it needs the right to see them and is logged.
"""

import contextlib
import csv
import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.programmes.access import require
from socec.programmes.roles import Cap

from .rows import sheet_rows
from .schema import DATE, SHEETS, Column, Sheet
from .template import DATE_FORMAT, column_width

AUDIT_REASON = "workbook export"
# A worksheet holds 1,048,576 rows, the header included.
XLSX_MAX_ROWS = 1_048_575


def export_project(project, path, *, by=None) -> dict[str, int]:
    """Writes every sheet of the schema (empty ones with their header) to `path`, a .xlsx or a
    .zip of CSV files, and returns the number of rows written per sheet."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(_("Cannot export to %(name)s: choose a file name ending in .xlsx (a workbook) or .zip "
                           "(CSV files).") % {"name": path.name})
    require(by, project, Cap.SEE_IDENTIFIERS)
    audit_record(by=by, action=AuditEntry.Action.VIEW_IDENTIFIERS, obj=project, project=project,
                 reason=AUDIT_REASON)
    with _replacing(path) as part:
        return writer(project, part, by)


@contextlib.contextmanager
def _replacing(path: Path):
    """Writes beside the target and moves into place at the end: no half-written file is left."""
    part = path.with_name(f".{path.name}.part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


# --- .xlsx ---------------------------------------------------------------------------------------


def _xlsx_cell(ws, column: Column, text: str):
    """A date cell for a date, text for everything else (never a number, formula or error)."""
    if text == "":
        return None
    if column.kind == DATE:
        cell = WriteOnlyCell(ws, value=dt.date.fromisoformat(text))
        cell.number_format = DATE_FORMAT
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith("=") or text in ERROR_CODES:
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        return cell
    return text


def _xlsx_sheet(wb: Workbook, sheet: Sheet, project, by) -> int:
    ws = wb.create_sheet(sheet.name)
    for i, column in enumerate(sheet.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = column_width(column)
    ws.freeze_panes = "A2"
    ws.append(sheet.column_names)
    count = 0
    for row in sheet_rows(sheet.name, project, by=by):
        count += 1
        if count > XLSX_MAX_ROWS:
            raise ValueError(_("The sheet %(sheet)s has more rows than a spreadsheet can hold: export to a .zip "
                               "of CSV files instead.") % {"sheet": sheet.name})
        ws.append([_xlsx_cell(ws, c, row[c.name]) for c in sheet.columns])
    return count


def _write_xlsx(project, path: Path, by) -> dict[str, int]:
    wb = Workbook(write_only=True)
    counts = {sheet.name: _xlsx_sheet(wb, sheet, project, by) for sheet in SHEETS}
    wb.save(path)
    return counts


# --- .zip of CSV ---------------------------------------------------------------------------------


def _csv_sheet(zf: zipfile.ZipFile, sheet: Sheet, project, by) -> int:
    count = 0
    names = sheet.column_names
    with zf.open(f"{sheet.name}.csv", "w", force_zip64=True) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(names)
        for row in sheet_rows(sheet.name, project, by=by):
            writer.writerow([row[name] for name in names])
            count += 1
    return count


def _write_zip(project, path: Path, by) -> dict[str, int]:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        return {sheet.name: _csv_sheet(zf, sheet, project, by) for sheet in SHEETS}


WRITERS = {".xlsx": _write_xlsx, ".zip": _write_zip}
