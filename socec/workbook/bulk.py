"""Writing many rows fast inside the import's transaction.

The import assigns primary keys itself (so the rows that point at each other can be written in
batches without reading ids back), then sends each batch with one statement: executemany on
SQLite, COPY on PostgreSQL. Only the import's fast path uses this; every row it writes has
passed the same validation as the services, and the import writes the audit entries.
"""

import contextlib
import json

from django.db import connection
from django.utils import timezone


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def date_value():
    """A function date -> what the database driver takes."""
    if is_postgres():
        return lambda d: d
    return lambda d: None if d is None else d.isoformat()


def now_value():
    now = timezone.now()
    return now if is_postgres() else connection.ops.adapt_datetimefield_value(now)


class Inserter:
    """INSERTs into one model's table, the columns given by field names (attnames)."""

    def __init__(self, model, fields: list[str]):
        meta = model._meta
        self.table = meta.db_table
        self.columns = [meta.get_field(f).column for f in fields]
        self.pk_column = meta.pk.column
        self._next_id = None
        self.written = 0

    def allocate(self, n: int) -> list[int]:
        """n fresh primary keys. The import holds the write lock (SQLite) or uses the sequence (PostgreSQL)."""
        if n <= 0:
            return []
        with connection.cursor() as cur:
            if is_postgres():
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                            [self.table, self.pk_column, n])
                return [r[0] for r in cur.fetchall()]
            if self._next_id is None:
                cur.execute(f'SELECT COALESCE(MAX("{self.pk_column}"), 0) FROM "{self.table}"')  # noqa: S608
                self._next_id = cur.fetchone()[0] + 1
                cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cur.fetchone()
                if row and row[0] + 1 > self._next_id:
                    self._next_id = row[0] + 1
        first = self._next_id
        self._next_id += n
        return list(range(first, first + n))

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if _load is not None:
            _load.growing(self.table, len(rows))
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cur:
            if is_postgres():
                raw = cur.cursor
                with raw.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cur.executemany(f'INSERT INTO "{self.table}" ({cols}) VALUES ({marks})', rows)  # noqa: S608
        self.written += len(rows)


def json_value(data) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


@contextlib.contextmanager
def tuned_connection():
    """For the length of an import on SQLite: a larger page cache (the default 2 MB makes inserting
    into large indexes crawl) and, when the import opens the transaction itself, no per-row
    foreign-key look-ups (every reference was resolved by the import; SQLite only allows the
    switch outside a transaction, so inside a caller's transaction the checks stay on)."""
    if connection.vendor != "sqlite":
        yield
        return
    outside = not connection.in_atomic_block
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -200000")  # about 200 MB
        cur.execute("PRAGMA mmap_size = 0")  # the import writes: mapped pages would only swell its memory
        if outside:
            cur.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if outside:
            with connection.cursor() as cur:
                cur.execute("PRAGMA foreign_keys = ON")
                cur.execute("PRAGMA cache_size = -2000")
                cur.execute("PRAGMA mmap_size = 1073741824")


# --- large loads --------------------------------------------------------------------------------
# Keeping a dozen secondary indexes (and, on PostgreSQL, foreign-key triggers) up to date row by
# row is what makes a million-row import slow: past the page cache every insert touches pages all
# over each index. When an import adds at least as many rows to a table as it already holds, the
# table's non-unique indexes (and PostgreSQL foreign keys) are dropped and built again once, from
# sorted data, before the transaction commits. Unique indexes stay, so duplicates are still refused
# row by row. Everything happens inside the import's transaction: a rollback restores the indexes.

LARGE_LOAD_MIN_ROWS = 20_000
_load = None  # the active _Load, within bulk_load()


class _Load:
    def __init__(self):
        self.existing: dict[str, int] = {}
        self.added: dict[str, int] = {}
        self.dropped: dict[str, list[str]] = {}  # table -> statements that rebuild what was dropped

    def growing(self, table: str, n: int) -> None:
        if table in self.dropped:
            return
        if table not in self.existing:
            with connection.cursor() as cur:
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - once per table and import
                self.existing[table] = cur.fetchone()[0]
        added = self.added[table] = self.added.get(table, 0) + n
        if added >= LARGE_LOAD_MIN_ROWS and added >= self.existing[table]:
            self.dropped[table] = _drop_secondary(table)

    def rebuild(self) -> None:
        with connection.cursor() as cur:
            for statements in self.dropped.values():
                for sql in statements:
                    cur.execute(sql)
        self.dropped = {}

    def discard(self) -> None:
        """The transaction will be rolled back: nothing to rebuild."""
        self.dropped = {}


def _drop_secondary(table: str) -> list[str]:
    """Drops the table's non-unique indexes (and PostgreSQL foreign keys); returns how to rebuild them."""
    rebuild = []
    with connection.cursor() as cur:
        if is_postgres():
            # rows written so far have their foreign-key checks queued to the commit, and a table
            # with queued checks cannot be altered: run them now (Django's keys are all deferred)
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                        "AND contype = 'f'", [table])
            for name, definition in cur.fetchall():
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                rebuild.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cur.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_index x ON x.indexrelid = "
                        "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass "
                        "WHERE i.tablename = %s AND i.schemaname = current_schema() AND NOT x.indisunique", [table])
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'", [table])
        for name, definition in cur.fetchall():
            cur.execute(f'DROP INDEX "{name}"')
            rebuild.append(definition)
    return sorted(rebuild, key=lambda sql: "FOREIGN KEY" in sql)  # indexes first: the checks use them


@contextlib.contextmanager
def bulk_load():
    """Within the import's transaction: lets Inserter drop the secondary indexes of the tables a
    large import fills, and builds them again on the way out (not when the block raises: the
    rollback restores them). Call discard() when the transaction will be rolled back anyway."""
    global _load
    outer, _load = _load, _Load()
    load = _load
    try:
        yield load
    except BaseException:
        load.dropped = {}
        raise
    else:
        load.rebuild()
    finally:
        _load = outer
