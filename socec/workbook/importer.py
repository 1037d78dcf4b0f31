"""Importing a programme workbook: all or nothing, with every error located.

`import_workbook` reads the file (reader.py), checks every sheet, row and cell, and writes in
one transaction as the given user: with any error, or with dry_run, the transaction is rolled
back and nothing at all is written. The report lists every error (sheet, row as the
spreadsheet numbers it, column, value, message) and then the warnings, or on success what was
created, updated and left unchanged per sheet.

Small sheets (project, organisations, courses, jobs, events...) go row by row through the same
services as the staff application (permission, validation, audit). Participants, enrolments
and attendance can come by the hundred thousand: new ones are validated here with the same
rules and written in batches (bulk.py) with an audit entry each; changes to existing ones go
through the services.
"""

import hashlib
import itertools
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record, snapshot
from socec.indicators import versions
from socec.orgs.models import Organisation
from socec.places.models import County, Locality
from socec.portal import freshness
from socec.programmes.access import project_access
from socec.programmes.models import Project

from . import bulk, schema
from .cells import CellError, parser_for, shown
from .columns import fast_parser_for
from .reader import FileProblem, SheetSource, open_workbook
from .report import ERROR, WARNING, ImportReport, Issue

logger = logging.getLogger(__name__)

MAX_ISSUES = 5_000
BATCH = 5_000
CHUNK = 2_000  # rows parsed together, a column at a time


class StopImport(Exception):
    """Too many errors to list; the report says so."""


@dataclass(slots=True)
class Row:
    number: int
    values: dict  # column -> parsed value, only for columns present in the sheet
    cells: list  # the raw cells, to show values in messages
    ok: bool = True


def import_workbook(path, *, by=None, dry_run: bool = False, progress=None, file_name: str | None = None
                    ) -> ImportReport:
    """Validates and (unless dry_run or invalid) imports the workbook at `path` as user `by`
    (None: the system). Never raises for anything in the file: problems go in the report."""
    path = Path(path)
    report = ImportReport(file_name=file_name or path.name, dry_run=dry_run)
    started = time.monotonic()
    try:
        with open_workbook(path) as wb:
            report.issues.extend(wb.issues)
            Importer(wb, by=by, report=report, progress=progress, sha256=_sha256(path)).run(dry_run=dry_run)
    except FileProblem as exc:
        report.issues.append(Issue(ERROR, exc.sheet, None, "", "", exc.message))
    except StopImport:
        report.truncated = True
    except Exception:  # noqa: BLE001 - nothing in a file may end in a server error
        logger.exception("Import of %s failed unexpectedly", report.file_name)
        report.issues.append(Issue(ERROR, "", None, "", "", _(
            "The file could not be read to the end because of an unexpected problem. Nothing was written. Check "
            "that it opens in a spreadsheet program and save it again; if it still fails, send it to the "
            "administrators.")))
    report.seconds = round(time.monotonic() - started, 3)
    if not report.ok:
        report.summary = {}
    return report


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def messages_of(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError."""
    if hasattr(exc, "error_dict"):
        return [(f, m) for f, errs in exc.message_dict.items() for m in errs]
    return [("", m) for m in exc.messages]


class Importer:
    def __init__(self, wb, *, by, report: ImportReport, progress=None, sha256: str = ""):
        self.wb = wb
        self.by = by
        self.report = report
        self.progress = progress
        self.sha256 = sha256
        self.project: Project | None = None
        self.project_row: Row | None = None  # read first: the organisations sheet needs the project's code
        self.created_project = False
        self.broken: set[str] = set()  # sheets whose structure is wrong: no rows read, no references checked
        self.orgs: dict[str, Organisation] = {}
        self.org_rows: dict[str, Row] = {}
        self.localities: dict[int, tuple[str, str]] | None = None
        self.counties: set[str] = set()
        self.rows_done = 0
        self.summary: dict[str, dict[str, int]] = {}
        # Keys of rows that failed, per sheet: rows naming them are skipped without a second error.
        self.failed: dict[str, set] = {}

    # --- reporting ---------------------------------------------------------------------------

    def issue(self, level, sheet, row, column, value, message):
        if len(self.report.issues) >= MAX_ISSUES:
            raise StopImport
        self.report.issues.append(Issue(level, sheet, row, column, shown(value) if value is not None else "",
                                        str(message)))

    def error(self, sheet, row: Row | None, column, message, value=None):
        if row is not None:
            row.ok = False
        self.issue(ERROR, sheet, row.number if row else None, column, self._cell(sheet, row, column, value), message)

    def warning(self, sheet, row: Row | None, column, message, value=None):
        self.issue(WARNING, sheet, row.number if row else None, column, self._cell(sheet, row, column, value),
                   message)

    def _cell(self, sheet, row: Row | None, column, value):
        """The cell's value as written, for the report."""
        if value is None and row is not None and column and column in self.columns.get(sheet, {}):
            idx = self.columns[sheet][column]
            value = row.cells[idx] if idx < len(row.cells) else None
        return value

    def count(self, sheet, what):
        counts = self.summary.setdefault(sheet, {"created": 0, "updated": 0, "unchanged": 0})
        counts[what] += 1

    def tick(self, stage, n=1):
        self.rows_done += n
        self.report.rows_read = self.rows_done
        if self.progress and self.rows_done % 10_000 < n:
            self.progress(self.rows_done, None, stage)

    # --- structure -----------------------------------------------------------------------------

    def check_structure(self):
        self.columns: dict[str, dict[str, int]] = {}
        present = self.wb.sheets
        for sheet in schema.SHEETS:
            if sheet.name not in present:
                if sheet.required:
                    self.issue(ERROR, sheet.name, None, "", None,
                               _("The sheet is missing; it is required."))
                    self.broken.add(sheet.name)
                continue
            source = present[sheet.name]
            index: dict[str, int] = {}
            for i, raw in enumerate(source.header):
                name = str(raw or "").strip().lower()
                if not name:
                    continue
                if name in index:
                    self.issue(ERROR, sheet.name, 1, name, None, _("This column appears twice."))
                    self.broken.add(sheet.name)
                elif name not in sheet.by_name:
                    self.issue(WARNING, sheet.name, 1, str(raw).strip(), None,
                               _("Unknown column: it was ignored."))
                else:
                    index[name] = i
            for name in sheet.required_columns:
                if name not in index:
                    self.issue(ERROR, sheet.name, 1, name, None, _("The required column is missing."))
                    self.broken.add(sheet.name)
            self.columns[sheet.name] = index
        known = {s.name for s in schema.SHEETS}
        for name, source in present.items():
            if name not in known:
                self.issue(WARNING, source.title, None, "", None, _("Unknown sheet: it was ignored."))

    def rows(self, sheet: schema.Sheet):
        """Parsed rows of a sheet; cell errors are reported and the row marked not ok.

        Rows are read CHUNK at a time and parsed a column at a time: a column of clean text cells
        goes through columns.fast_parser_for in one pass; any other goes cell by cell, which also
        reports what is wrong. The values are the same either way."""
        source: SheetSource = self.wb.sheets[sheet.name]
        index = self.columns[sheet.name]
        plan = [(name, i, parser_for(sheet.by_name[name]), sheet.by_name[name].required,
                 fast_parser_for(sheet.by_name[name]) if source.text_only else None) for name, i in index.items()]
        names = [p[0] for p in plan]
        width = max([p[1] for p in plan], default=-1) + 1
        required_msg = _("Required: this cell cannot be empty.")
        rows = source.rows()
        while chunk := list(itertools.islice(rows, CHUNK)):
            padded = [cells if len(cells) == width else cells[:width] if len(cells) > width else
                      [*cells, *([""] * (width - len(cells)))] for _number, cells in chunk]
            by_column = list(zip(*padded, strict=True)) if width else []  # every row is width long
            parsed = []
            failed: dict[int, list[str]] = {}  # position in the chunk -> columns whose cell could not be read
            empty: set[int] = set()  # positions with a required cell empty
            for name, i, parse, required, fast in plan:
                col = by_column[i]
                values = fast(col) if fast is not None and max(map(len, col)) <= 10_000 else None
                if values is None:
                    values = []
                    for k, cell in enumerate(col):
                        if cell == "" and not source.text_only:
                            cell = None
                        try:
                            value = parse(cell)
                        except CellError as exc:
                            self.issue(ERROR, sheet.name, chunk[k][0], name, chunk[k][1][i] if i < len(
                                chunk[k][1]) else None, str(exc))
                            failed.setdefault(k, []).append(name)
                            values.append(None)
                            continue
                        if required and (value is None or value == "" or value == []):
                            self.issue(ERROR, sheet.name, chunk[k][0], name, None, required_msg)
                            empty.add(k)
                        values.append(value)
                parsed.append(values)
            for k, row_values in enumerate(zip(*parsed, strict=True) if parsed else [()] * len(chunk)):
                number, cells = chunk[k]
                row = Row(number, dict(zip(names, row_values, strict=True)), cells)
                bad = failed.get(k)
                if bad:
                    row.ok = False
                    for name in bad:
                        del row.values[name]
                if k in empty:
                    row.ok = False
                yield row
            self.tick(sheet.name, len(chunk))

    def keyed_rows(self, sheet: schema.Sheet, key=None):
        """Rows, with a duplicate of the sheet's key reported at the later row."""
        seen: dict[str, int] = {}  # the key as one string: a million 1- or 2-tuples cost memory
        key = key or sheet.key
        single = key[0] if len(key) == 1 else None
        for row in self.rows(sheet):
            if single is not None:  # most sheets: one text column, already stripped
                part = row.values.get(single)
                k = (part if type(part) is str else _key_part(part),)
            else:
                k = tuple(_key_part(row.values.get(c)) for c in key)
            flat = k[0] if single is not None else "\x1f".join(k)
            if any(k) and flat in seen:
                self.error(sheet.name, row, key[0], _("Duplicate: row %(row)d has the same %(key)s.") % {
                    "row": seen[flat], "key": ", ".join(key)})
                continue
            seen[flat] = row.number
            yield row
            if not row.ok:
                self.failed.setdefault(sheet.name, set()).add(k[0] if len(k) == 1 else k)

    # --- places --------------------------------------------------------------------------------

    def load_places(self):
        if self.localities is None:
            self.localities = {s: (c, a) for s, c, a in Locality.objects.values_list("siruta", "county_id", "area")}
            self.counties = set(County.objects.values_list("code", flat=True))

    def place(self, sheet, row: Row, *, area=True) -> tuple[int | None, str | None, str]:
        """(locality, county, area) from siruta / county / area: a known siruta decides."""
        self.load_places()
        siruta = row.values.get("siruta")
        county = row.values.get("county")
        area_value = row.values.get("area") or ""
        if siruta is not None:
            found = self.localities.get(siruta)
            if found is None:
                self.error(sheet, row, "siruta", _("Not a known SIRUTA locality code."))
                return None, county, area_value
            county = found[0]
            if found[1] and area:
                area_value = found[1]
        return siruta, county, area_value

    # --- the run --------------------------------------------------------------------------------

    def run(self, dry_run: bool):
        self.check_structure()
        try:
            with bulk.tuned_connection(), transaction.atomic(), versions.deferred(), bulk.bulk_load() as load:
                self._run_sheets()
                if not self.report.errors:
                    self.report.summary = self.summary
                    for sheet in schema.SHEETS:
                        if sheet.name in self.wb.sheets and sheet.name not in self.summary:
                            self.summary[sheet.name] = {"created": 0, "updated": 0, "unchanged": 0}
                    self.report.summary = {s.name: self.summary[s.name] for s in schema.SHEETS
                                           if s.name in self.summary}
                    if not dry_run:
                        self._audit_import()
                        # rows written in bulk send no signals: their projects' reports change
                        versions.touch(versions.projects_sharing(self.project.pk))
                        freshness.bump()  # and what the public directory shows
                if self.report.errors or dry_run:
                    load.discard()
                    transaction.set_rollback(True)
        except (IntegrityError, DatabaseError) as exc:
            # Validation should make this impossible; if it happens, say so and write nothing.
            self.report.issues.append(Issue(ERROR, "", None, "", "", _(
                "The data could not be saved (%(error)s). Nothing was written.") % {"error": exc}))

    def _run_sheets(self):
        from .sheets import participants, small

        self.project_row = small.read_project_row(self)
        small.organisations(self)
        small.project(self)
        if self.project is None:
            return
        small.partnerships(self)
        small.targets(self)
        participants.participants(self)
        small.courses(self)
        participants.enrolments(self)
        participants.attendance(self)
        small.jobs(self)
        small.employments(self)
        small.events(self)
        small.event_attendance(self)
        small.campaigns(self)
        small.publications(self)
        if self.progress:
            self.progress(self.rows_done, self.rows_done, "done")

    def is_failed(self, sheet: str, key) -> bool:
        """Did the row with this key fail (or its whole sheet)? Then a row naming it is skipped
        quietly: the error is already reported where it belongs."""
        return sheet in self.broken or key in self.failed.get(sheet, ())

    def present(self, name) -> schema.Sheet | None:
        if name in self.wb.sheets and name not in self.broken:
            return schema.BY_NAME[name]
        return None

    def _audit_import(self):
        audit_record(by=self.by, action=AuditEntry.Action.CREATE if self.created_project else AuditEntry.Action.UPDATE,
                     obj=self.project, project=self.project,
                     changes={"workbook_import": [None, {"file": self.report.file_name, "sha256": self.sha256,
                                                         "summary": self.report.summary}]},
                     reason=_("workbook import"))

    # --- shared checks -------------------------------------------------------------------------

    def service(self, sheet, row: Row, call, column_of=None):
        """Runs a service for one row; its refusal or validation errors become row errors.
        Returns the service's result, or None."""
        try:
            with transaction.atomic():
                return call()
        except PermissionDenied as exc:
            self.error(sheet, row, "", str(exc) or _("You may not change this."))
        except ValidationError as exc:
            for field_name, message in messages_of(exc):
                column = (column_of or {}).get(field_name, field_name if field_name in
                                               schema.BY_NAME[sheet].by_name else "")
                self.error(sheet, row, column, message)
        return None

    def access(self):
        return project_access(self.by, self.project) if self.by is not None else None

    def can(self, cap) -> bool:
        if self.by is None or self.by.is_superuser:
            return True
        access = self.access()
        return access is not None and access.can(cap)


def _key_part(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value).strip() if isinstance(value, str) else str(value)


def changed(instance, values: dict) -> bool:
    """Would setting `values` on the (saved) instance change it?"""
    before = snapshot(instance)
    saved = {k: getattr(instance, k) for k in values}
    for k, v in values.items():
        setattr(instance, k, v)
    after = snapshot(instance)
    for k, v in saved.items():
        setattr(instance, k, v)
    return before != after
