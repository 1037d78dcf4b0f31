"""Every staff list exports to CSV or XLSX through one function, with the same columns as on screen."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value if isinstance(value, int | float) else str(value)


def export_response(fmt: str, *, filename: str, headers: Sequence[str], rows: Iterable[Sequence],
                    sheet: str = "list") -> HttpResponse:
    """A download of `rows` under `headers` as `filename`.csv or .xlsx (fmt "csv" or "xlsx").

    CSV streams with a BOM so that Excel reads the diacritics; XLSX is written in write-only mode.
    Cells that start with = + - @ are prefixed with ' so that a spreadsheet never runs them."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    safe = ([_neutral(_cell(v)) for v in row] for row in rows)
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff" + writer.writerow([str(h) for h in headers])
            for row in safe:
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        ws = book.create_sheet(sheet[:31])
        ws.append([str(h) for h in headers])
        for row in safe:
            ws.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _neutral(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
