"""Parsing a whole column of a chunk of rows at once, for the common case of clean text cells.

A CSV of a million rows has tens of millions of cells, nearly all well formed. Parsing them one
call at a time costs more than everything else an import does, so the importer first hands each
column of a chunk of rows to the function here, which checks the whole column with one regular
expression or one dictionary look-up per cell done by `map` (C speed), and returns the values; or
None when any cell needs a closer look, and then that column of that chunk goes through the
per-cell parser (`cells.parser_for`), which also says what is wrong. Both give the same values:
the fast path accepts only what the per-cell parser reads the same way.
"""

import datetime as dt
import itertools
import re

from . import schema
from .cells import _lookup

_MISSING = object()
_DATES = re.compile(r"(?:\d{4}-\d{2}-\d{2})?(?:\n(?:\d{4}-\d{2}-\d{2})?)*", re.ASCII)
_INTS = re.compile(r"(?:-?[0-9]{1,15})?(?:\n(?:-?[0-9]{1,15})?)*")


def fast_parser_for(column: schema.Column):
    """A function (cells: tuple of str) -> list of values, or None when some cell is not plainly
    well formed (or is empty in a required column). Only for cells that are all str, none longer
    than 10,000 characters (the caller checks)."""
    builder = _BUILDERS.get(column.kind)
    return builder(column) if builder else None


def _text(column):
    limit = min(column.max_length or 10_000, 10_000)
    required = column.required
    strip = str.strip

    def parse(col):
        values = list(map(strip, col))
        if max(map(len, values), default=0) > limit or (required and "" in values):
            return None
        return values

    return parse


def _date(column):
    required = column.required
    fromiso = dt.date.fromisoformat

    def parse(col):
        if (required and "" in col) or not _DATES.fullmatch("\n".join(col)):
            return None
        try:
            return [fromiso(c) if c else None for c in col]
        except ValueError:  # a date that does not exist: the per-cell parser says so
            return None

    return parse


def _table(column, table: dict):
    required = column.required
    table = {**table, "": None} if not required else dict(table)

    def parse(col):
        values = list(map(table.get, col, itertools.repeat(_MISSING, len(col))))
        if _MISSING in values:
            return None
        return values

    return parse


def _enum(column):
    return _table(column, _lookup(column))


def _bool(column):
    words = dict.fromkeys(schema.TRUE_WORDS, True) | dict.fromkeys(schema.FALSE_WORDS, False)
    return _table(column, words)


def _int(column):
    required = column.required
    low, high = column.min_value, column.max_value

    def parse(col):
        if (required and "" in col) or not _INTS.fullmatch("\n".join(col)):
            return None
        try:
            values = [int(c) if c else None for c in col]
        except ValueError:  # a cell holding a line break between numbers
            return None
        present = [v for v in values if v is not None]
        if present and ((low is not None and min(present) < low) or (high is not None and max(present) > high)):
            return None
        return values

    return parse


def _list(column):
    table = _lookup(column)
    required = column.required
    single = {k: [v] for k, v in table.items()}

    def parse(col):
        out = []
        append = out.append
        for c in col:
            if not c:
                if required:
                    return None
                append([])
                continue
            found = single.get(c)
            if found is None:
                found = []
                for part in c.split(";"):
                    part = part.strip()
                    if not part:
                        continue
                    value = table.get(part.lower())
                    if value is None:
                        return None
                    if value not in found:
                        found.append(value)
                if required and not found:
                    return None
                append(found)
            else:
                append(list(found))
        return out

    return parse


_BUILDERS = {schema.TEXT: _text, schema.DATE: _date, schema.BOOL: _bool, schema.INT: _int, schema.ENUM: _enum,
             schema.LIST: _list}
