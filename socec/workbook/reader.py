"""Reading a programme workbook file: an .xlsx, or a .zip of UTF-8 CSV files, one per sheet.

The reader only turns a file into sheets of rows of cells, streaming, with bounded memory;
it knows nothing of what the cells mean. Whatever is wrong with the file itself (empty, not a
workbook, password-protected, corrupt, a zip bomb, not UTF-8, too many rows, formulas, merged
cells, hidden sheets) becomes a FileProblem or an issue with a message a person can act on.
"""

import contextlib
import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .report import ERROR, WARNING, Issue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted (password) .xlsx and old .xls
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# Sheets of the blank template that are not data.
IGNORED_SHEETS = frozenset({"instructions", "instructiuni", "instrucțiuni", "lists", "liste"})


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_uncompressed() -> int:
    """Total bytes a workbook may unpack to (a zip bomb unpacks to far more)."""
    return _limit("SOCEC_IMPORT_MAX_UNCOMPRESSED", 4 * 1024**3)


def max_xlsx_rows() -> int:
    return _limit("SOCEC_IMPORT_MAX_XLSX_ROWS", 200_000)


def max_csv_rows() -> int:
    return _limit("SOCEC_IMPORT_MAX_CSV_ROWS", 5_000_000)


MAX_CELL_CHARS = 10_000
MAX_MEMBERS = 200
# An .xlsx keeps all its distinct texts in one part, read whole into memory.
MAX_SHARED_STRINGS_BYTES = 256 * 1024**2


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str, sheet: str = ""):
        super().__init__(message)
        self.message = message
        self.sheet = sheet


def normalise_header(value) -> str:
    return str(value if value is not None else "").strip().lower()


@dataclass
class SheetSource:
    """One sheet: its name as in the file, its header, and its rows (streamed once)."""

    title: str
    header: list[str]
    _rows: Iterator = field(repr=False, default=None)
    text_only: bool = False  # every cell is a str (CSV): the importer may parse whole columns at once

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as the spreadsheet shows it, cells). Blank rows are skipped."""
        return self._rows


def _check_zip(zf: zipfile.ZipFile, what: str) -> None:
    infos = zf.infolist()
    if len(infos) > 10_000:
        raise FileProblem(_("The %(what)s holds %(n)d files: too many to be a workbook.") % {"what": what,
                                                                                          "n": len(infos)})
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileProblem(_("The %(what)s is password-protected. Save it again without a password.")
                              % {"what": what})
        total += info.file_size
        # Text compresses up to a few hundred times; far more than that is a zip bomb.
        if info.file_size > 50 * 1024**2 and info.file_size > 1000 * max(info.compress_size, 1):
            raise FileProblem(_("The %(what)s unpacks to far more than it holds (%(name)s: %(size)s MB from "
                                "%(packed)s KB). It looks like a zip bomb and was not opened.") % {
                "what": what, "name": info.filename, "size": info.file_size // 1024**2,
                "packed": info.compress_size // 1024})
    if total > max_uncompressed():
        raise FileProblem(_("The %(what)s unpacks to %(size)s MB, more than the %(limit)s MB allowed. "
                            "Split it into several files.") % {
            "what": what, "size": total // 1024**2, "limit": max_uncompressed() // 1024**2})


def sniff(path: Path) -> str:
    """'xlsx' or 'zip', or a FileProblem saying what the file is instead."""
    size = path.stat().st_size
    if size == 0:
        raise FileProblem(_("The file is empty (0 bytes). Choose the workbook file again."))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise FileProblem(_("This file is password-protected or an old Excel 97-2003 (.xls) file. Open it in "
                            "Excel, remove the password (File → Info → Protect Workbook) and save it as an .xlsx "
                            "workbook."))
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise FileProblem(_("The .zip file is empty: put one CSV file per sheet in it."))
    if not head.startswith(ZIP_MAGIC):
        if head[:1] in (b"<",) or head.startswith(b"%PDF"):
            raise FileProblem(_("This is not a workbook. Upload an .xlsx workbook or a .zip of CSV files."))
        raise FileProblem(_("This is not an .xlsx workbook or a .zip of CSV files. A single CSV file is not "
                            "enough: put one CSV file per sheet (project.csv, organisations.csv, ...) in a .zip."))
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(_("The file is damaged and cannot be opened (%(error)s). Save it again, or export "
                            "it again from the spreadsheet program.") % {"error": exc}) from None
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "[Content_Types].xml" in names:
        raise FileProblem(_("This is a document of another kind (Word or PowerPoint?), not a workbook."))
    return "zip"


class Workbook:
    """Opened with `open_workbook`; `.sheets` maps lower-case sheet names to sources."""

    def __init__(self, path: Path):
        self.path = path
        self.kind = ""
        self.sheets: dict[str, SheetSource] = {}
        self.issues: list[Issue] = []
        self._closers = []
        self._values = None

    def close(self):
        for c in reversed(self._closers):
            # Closing after an error: the first error is the one to tell.
            with contextlib.suppress(Exception):
                c()
        self._closers.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_workbook(path) -> Workbook:
    path = Path(path)
    wb = Workbook(path)
    wb.kind = sniff(path)
    try:
        if wb.kind == "xlsx":
            _open_xlsx(wb)
        else:
            _open_zip(wb)
    except BaseException:
        wb.close()
        raise
    return wb


# --- .zip of CSV ------------------------------------------------------------------------------


def _open_zip(wb: Workbook) -> None:
    zf = zipfile.ZipFile(wb.path)
    wb._closers.append(zf.close)
    _check_zip(zf, _(".zip file"))
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = info.filename.rsplit("/", 1)[-1]
        if name.startswith(".") or info.filename.startswith("__MACOSX/"):
            continue
        stem, _dot, suffix = name.rpartition(".")
        if suffix.lower() != "csv":
            wb.issues.append(Issue(WARNING, "", None, "", info.filename,
                                   _("Only .csv files are read from the .zip; this one was ignored.")))
            continue
        key = normalise_header(stem)
        if key in wb.sheets:
            raise FileProblem(_("The .zip holds two CSV files for the sheet %(sheet)s.") % {"sheet": key})
        header, rows = _csv_sheet(zf, info, key)
        wb.sheets[key] = SheetSource(title=stem, header=header, _rows=rows, text_only=True)
    if not wb.sheets:
        raise FileProblem(_("The .zip holds no CSV file. Put one CSV file per sheet in it (project.csv, "
                            "organisations.csv, ...)."))


def _csv_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str):
    raw = zf.open(info)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise FileProblem(_("%(file)s is not UTF-8 text. In Excel choose File → Save As → 'CSV UTF-8 (comma "
                            "delimited)'; in LibreOffice choose the character set 'Unicode (UTF-8)'.")
                          % {"file": info.filename}, sheet) from None
    # Romanian Excel writes CSV with ';' between fields: accept it when the header says so.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header_rows = list(csv.reader([first], delimiter=delimiter))
    header = header_rows[0] if header_rows else []

    def rows():
        reader = csv.reader(text, delimiter=delimiter)
        number = 1
        limit = max_csv_rows()
        try:
            for record in reader:
                number += 1
                if number > limit + 1:
                    raise FileProblem(_("%(file)s has more than %(n)s rows. Split it into several files.")
                                      % {"file": info.filename, "n": f"{limit:,}"}, sheet)
                if not any(record):
                    continue
                yield number, record
        except UnicodeDecodeError:
            raise FileProblem(_("%(file)s is not UTF-8 text (the problem is after row %(row)s). In Excel choose "
                                "File → Save As → 'CSV UTF-8 (comma delimited)'.")
                              % {"file": info.filename, "row": number}, sheet) from None
        except csv.Error as exc:
            raise FileProblem(_("%(file)s cannot be read after row %(row)s: %(error)s. Check the quotes in that "
                                "row.") % {"file": info.filename, "row": number, "error": exc}, sheet) from None
        finally:
            text.close()

    return header, rows()


# --- .xlsx -------------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


_FORMULA = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)([0-9]+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]{0,200}))')
_ROW = re.compile(rb"<(?:\w+:)?row[\s>]")


@dataclass
class SheetScan:
    merged: list[str] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column from 0) -> formula
    rows: int = 0


def _scan_sheet(zf: zipfile.ZipFile, part: str) -> SheetScan:
    """One pass over a sheet's XML, without parsing it: its merged cells (listed after the data),
    the cells holding formulas (the values reader gives only their results) and its number of rows
    (checked before the sheet is loaded)."""
    scan = SheetScan()
    buf = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(1 << 20)
            buf += chunk
            # Keep the last 300 bytes for the next round (a tag may be cut in two), unless this is the end.
            limit = len(buf) if not chunk else max(0, len(buf) - 300)
            scan.merged.extend(m.group(1).decode() for m in _MERGE.finditer(buf, 0, limit + 200) if m.start() < limit)
            for m in _FORMULA.finditer(buf):
                if m.start() < limit:
                    text = html.unescape((m.group(3) or b"").decode("utf-8", "replace"))
                    scan.formulas[(int(m.group(2)), _column_index(m.group(1).decode()))] = "=" + text
            scan.rows += sum(1 for m in _ROW.finditer(buf) if m.start() < limit)
            buf = buf[limit:]
            if not chunk:
                return scan


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _open_xlsx(wb: Workbook) -> None:
    with zipfile.ZipFile(wb.path) as zf:
        _check_zip(zf, _("workbook"))
        strings = [i for i in zf.infolist() if i.filename.lower() == "xl/sharedstrings.xml"]
        if strings and strings[0].file_size > MAX_SHARED_STRINGS_BYTES:
            raise FileProblem(_("The workbook is too large to read as .xlsx. Save each sheet as CSV UTF-8 and "
                                "upload them in a .zip."))
    archive = zipfile.ZipFile(wb.path)
    wb._closers.append(archive.close)
    for title, state, part in _structure(archive):
        key = normalise_header(title)
        if key in IGNORED_SHEETS:
            continue
        if state != "visible":
            wb.issues.append(Issue(ERROR, title, None, "", "", _(
                "This sheet is hidden. Unhide it (right-click a sheet tab → Unhide) so you can check what it "
                "holds, or delete it; hidden data is not imported.")))
            continue
        scan = _scan_sheet(archive, part)
        for ref in scan.merged[:20]:
            wb.issues.append(Issue(ERROR, title, _first_row(ref), "", ref, _(
                "Merged cells: unmerge them (Home → Merge & Center) and fill in every cell.")))
        if scan.merged:
            continue
        if scan.rows > max_xlsx_rows() + 1:
            raise FileProblem(_("The sheet %(sheet)s has more than %(n)s rows. For so many rows save each sheet "
                                "as CSV UTF-8 and upload them in a .zip.") % {"sheet": title,
                                                                             "n": f"{max_xlsx_rows():,}"}, title)
        header, rows = _xlsx_sheet(wb, title, scan.formulas)
        if key in wb.sheets:
            raise FileProblem(_("The workbook has two sheets named %(sheet)s.") % {"sheet": title})
        wb.sheets[key] = SheetSource(title=title, header=header, _rows=rows)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _structure(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(title, visible/hidden/veryHidden, part name) of each worksheet, in the workbook's order,
    from the workbook's own index (reading it with a spreadsheet library would load every text
    of the workbook first)."""
    from xml.etree import ElementTree

    def index(name: str):
        if zf.getinfo(name).file_size > 10 * 1024**2:
            raise ValueError(name)
        # expat (2.4+, bundled with Python 3.11) refuses entity-expansion bombs and never loads external
        # entities; the two index parts are small (checked above).
        return ElementTree.fromstring(zf.read(name))  # noqa: S314

    try:
        book = index("xl/workbook.xml")
        rels = index("xl/_rels/workbook.xml.rels")
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(_("The workbook is damaged and cannot be read (%(error)s). Open it in Excel or "
                            "LibreOffice and save it again as .xlsx.") % {"error": type(exc).__name__}) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    names = set(zf.namelist())
    out = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part not in names:
            continue  # a chart sheet or a dangling entry: nothing to read
        out.append((sheet.get("name", ""), sheet.get("state", "visible"), part))
    return out


def _first_row(ref: str) -> int | None:
    digits = re.search(r"[0-9]+", ref)
    return int(digits.group()) if digits else None


def _damaged(title: str, exc: BaseException) -> FileProblem:
    return FileProblem(_("The sheet %(sheet)s is damaged and cannot be read to the end (%(error)s). Open the "
                         "workbook in Excel or LibreOffice and save it again as .xlsx.") % {
        "sheet": title, "error": type(exc).__name__}, title)


def _values_reader(wb: Workbook):
    """The cell values come from calamine (compiled, ten times faster than openpyxl on large sheets);
    the workbook's index gives its sheets and the scan the formulas and merged cells."""
    if wb._values is None:
        from python_calamine import CalamineWorkbook

        try:
            wb._values = CalamineWorkbook.from_path(str(wb.path))
        except Exception as exc:  # noqa: BLE001 - any parser failure on a user's file is a damaged file
            raise _damaged(wb.path.name, exc) from None
        wb._closers.append(wb._values.close)
    return wb._values


def _xlsx_sheet(wb: Workbook, title: str, formulas: dict[tuple[int, int], str]):
    try:
        sheet = _values_reader(wb).get_sheet_by_name(title)
        start_row, start_col = sheet.start or (0, 0)
        source = iter(sheet.iter_rows())
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _damaged(title, exc) from None
    lead = [None] * start_col
    header = []
    if start_row == 0:
        first = next(source, [])
        header = ["" if h is None else str(h) for h in lead + list(first)]
        while header and header[-1].strip() == "":
            header.pop()

    def rows():
        number = start_row + (1 if start_row == 0 else 0)
        for cells in source:
            number += 1
            values = []
            blank = True
            for col, v in enumerate(cells, start=start_col):
                if formulas and (number, col) in formulas:
                    v = FormulaCell(formulas[(number, col)])
                elif v == "" or v is None:
                    values.append(None)
                    continue
                elif isinstance(v, dt.time):
                    v = v.isoformat()
                blank = False
                values.append(v)
            if not blank:
                yield number, lead + values

    return header, rows()


class FormulaCell(str):
    """A cell holding a formula: the importer rejects it, saying where."""
