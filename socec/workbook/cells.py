"""Turning one cell into a value of its column's kind, or a message saying what is wrong.

A parser per column is built once per sheet (`parser_for`), so the per-cell work on a file of a
million rows is one call and a few comparisons.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import schema
from .reader import FormulaCell


class CellError(ValueError):
    pass


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE = re.compile(r"-?[0-9]{1,15}")


def _text(column):
    limit = column.max_length

    def parse(cell):
        value = cell if isinstance(cell, str) else _plain_number(cell)
        value = value.strip()
        if limit and len(value) > limit:
            raise CellError(_("Too long: at most %(n)d characters.") % {"n": limit})
        return value

    return parse


def _plain_number(cell) -> str:
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _date(column):
    def parse(cell):
        if type(cell) is str and len(cell) == 10 and cell[4] == "-" and cell[7] == "-" and cell[:4].isdigit():
            try:
                return dt.date.fromisoformat(cell)
            except ValueError:
                pass  # the checks below say what is wrong
        if isinstance(cell, dt.datetime):
            return cell.date()
        if isinstance(cell, dt.date):
            return cell
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise CellError(_("A number, not a date: format the cell as a date or write the date as YYYY-MM-DD."))
        text = str(cell).strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise CellError(_("There is no such date.")) from None
        raise CellError(_("Not a date: write it as YYYY-MM-DD (for example 2024-03-15)."))

    return parse


def _bool(column):
    def parse(cell):
        if isinstance(cell, bool):
            return cell
        text = (cell if type(cell) is str else _plain_number(cell)).strip().lower()
        if text in schema.TRUE_WORDS:
            return True
        if text in schema.FALSE_WORDS:
            return False
        raise CellError(_("Write yes or no (da or nu)."))

    return parse


def _range_check(column, value):
    if column.min_value is not None and value < column.min_value:
        raise CellError(_("Must be at least %(min)s.") % {"min": _num(column.min_value)})
    if column.max_value is not None and value > column.max_value:
        raise CellError(_("Must be at most %(max)s.") % {"max": _num(column.max_value)})
    return value


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _int(column):
    def parse(cell):
        if isinstance(cell, bool):
            raise CellError(_("Not a whole number."))
        if isinstance(cell, int):
            value = cell
        elif isinstance(cell, float):
            if not cell.is_integer():
                raise CellError(_("Not a whole number."))
            value = int(cell)
        else:
            text = str(cell).strip()
            if text.endswith(".0"):
                text = text[:-2]
            # ASCII digits only: str.isdigit() also takes '²' and int() a second '-' neither reads
            if not _WHOLE.fullmatch(text):
                raise CellError(_("Not a whole number."))
            value = int(text)
        return _range_check(column, value)

    return parse


def _decimal(column):
    def parse(cell):
        if isinstance(cell, bool):
            raise CellError(_("Not a number."))
        text = repr(cell) if isinstance(cell, float) else str(cell).strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise CellError(_("Not a number.")) from None
        if not value.is_finite() or abs(value) >= Decimal("1e10"):
            raise CellError(_("Not a number."))
        value = value.quantize(Decimal("0.01"))
        return _range_check(column, value)

    return parse


def _lookup(column) -> dict[str, str]:
    """Value as written -> the canonical value: exact spellings first, then lower case; yes/no
    answers also in Romanian (da/nu, refuz) as for booleans."""
    table = {c.lower(): c for c in column.choices}
    if "yes" in column.choices:
        table.update(dict.fromkeys(schema.TRUE_WORDS, "yes") | dict.fromkeys(schema.FALSE_WORDS, "no"))
        if "refused" in column.choices:
            table.update({"refuz": "refused", "refuzat": "refused", "refuză": "refused"})
    return {**table, **{c: c for c in column.choices}}


def _allowed(column) -> str:
    choices = column.choices
    shown = ", ".join(choices[:15]) + (", …" if len(choices) > 15 else "")
    return _("Allowed: %(values)s.") % {"values": shown}


def _enum(column):
    table = _lookup(column)

    def parse(cell):
        text = cell if type(cell) is str else _plain_number(cell)
        found = table.get(text) or table.get(text.strip().lower())
        if found is None:
            raise CellError(_("Not an allowed value.") + " " + _allowed(column))
        return found

    return parse


def _list(column):
    table = _lookup(column)

    def parse(cell):
        out = []
        for part in _plain_number(cell).split(";"):
            part = part.strip()
            if not part:
                continue
            found = table.get(part.lower()) if table else part
            if found is None:
                raise CellError(_("%(value)s is not an allowed value.") % {"value": part} + " " + _allowed(column))
            if found not in out:
                out.append(found)
        return out

    return parse


_BUILDERS = {schema.TEXT: _text, schema.DATE: _date, schema.BOOL: _bool, schema.INT: _int,
             schema.DECIMAL: _decimal, schema.ENUM: _enum, schema.LIST: _list}


def parser_for(column: schema.Column):
    """A function cell -> value (None for an empty cell) raising CellError with the problem."""
    inner = _BUILDERS[column.kind](column)
    empty = [] if column.kind == schema.LIST else (None if column.kind != schema.TEXT else "")
    text = column.kind == schema.TEXT
    limit = min(column.max_length or 10_000, 10_000)

    def parse(cell):
        if cell is None or cell == "":
            return empty
        if type(cell) is str:  # the common case, CSV cells: no formula, no other type
            if text:
                value = cell.strip()
                if len(value) > limit:
                    raise CellError(_("Too long: at most %(n)d characters.") % {"n": limit})
                return value
            if len(cell) > 10_000:
                raise CellError(_("Too long: at most %(n)d characters.") % {"n": 10_000})
            return inner(cell) if cell.strip() else empty
        if type(cell) is FormulaCell:
            raise CellError(_("The cell holds a formula (%(formula)s). Replace it by its value: copy the cells, "
                              "then Paste Special → Values.") % {"formula": cell[:60]})
        if isinstance(cell, str) and len(cell) > 10_000:
            raise CellError(_("Too long: at most %(n)d characters.") % {"n": 10_000})
        if isinstance(cell, str) and cell.strip() == "" and column.kind != schema.TEXT:
            return empty
        return inner(cell)

    return parse


def shown(cell) -> str:
    """A cell as the report shows it."""
    if cell is None:
        return ""
    text = _plain_number(cell)
    return text if len(text) <= 80 else text[:77] + "…"
