"""What an import found: every error and warning with its place, and what it changed."""

import csv
import io
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

ERROR = "error"
WARNING = "warning"


@dataclass
class Issue:
    level: str  # ERROR or WARNING
    sheet: str  # "" for the file as a whole
    row: int | None  # the row number as the spreadsheet shows it (the header is row 1)
    column: str  # "" when the issue is about the whole row or sheet
    value: str
    message: str  # already in the user's language

    def line(self) -> str:
        where = [self.sheet or _("file")]
        if self.row is not None:
            where.append(_("row %(n)s") % {"n": self.row})
        if self.column:
            where.append(_("column %(c)s") % {"c": self.column})
        value = f" {self.value!r}" if self.value not in ("", None) else ""
        label = _("error") if self.level == ERROR else _("warning")
        return f"{label}: {', '.join(where)}:{value} {self.message}"


@dataclass
class ImportReport:
    file_name: str = ""
    project_code: str = ""
    dry_run: bool = False
    issues: list[Issue] = field(default_factory=list)
    # sheet -> {"created": n, "updated": n, "unchanged": n}
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    rows_read: int = 0
    seconds: float = 0.0
    # The import stops collecting after this many errors (the report says so), to stay bounded.
    truncated: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_by_sheet(self) -> dict[str, list[Issue]]:
        out: dict[str, list[Issue]] = {}
        for issue in self.errors:
            out.setdefault(issue.sheet, []).append(issue)
        return out

    def lines(self) -> list[str]:
        """Errors first, then warnings, each on one line."""
        return [i.line() for i in self.errors] + [i.line() for i in self.warnings]

    def summary_lines(self) -> list[str]:
        out = []
        for sheet, counts in self.summary.items():
            out.append(_("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
                "sheet": sheet, **counts})
        return out

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["level", "sheet", "row", "column", "value", "message"])
        for i in self.errors + self.warnings:
            w.writerow([i.level, i.sheet, "" if i.row is None else i.row, i.column, _inert(i.value), i.message])
        return buf.getvalue()

    def to_dict(self) -> dict:
        return {"file_name": self.file_name, "project_code": self.project_code, "dry_run": self.dry_run,
                "ok": self.ok, "summary": self.summary, "rows_read": self.rows_read, "seconds": self.seconds,
                "truncated": self.truncated, "issues": [asdict(i) for i in self.issues]}

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        report = cls(**{k: data[k] for k in ("file_name", "project_code", "dry_run", "summary", "rows_read",
                                             "seconds", "truncated") if k in data})
        report.issues = [Issue(**i) for i in data.get("issues", [])]
        return report


def _inert(value: str) -> str:
    """A cell value quoted so that a spreadsheet opening the report does not run it as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
