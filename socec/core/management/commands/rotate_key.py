"""Re-encrypts every stored identifier under the first key of SOCEC_ENCRYPTION_KEYS."""

import argparse
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import connection, transaction

from socec.core import crypto
from socec.core.fields import EncryptedTextField

HELP = """Re-encrypts every encrypted value (every EncryptedTextField of every model) under the FIRST key of
SOCEC_ENCRYPTION_KEYS, and prints per model how many values there are and how many were still under an old key.

Rotating the encryption key:
  1. Generate a new key (`socec generate_keys` prints one) and put it FIRST in SOCEC_ENCRYPTION_KEYS, keeping
     the old key after it: SOCEC_ENCRYPTION_KEYS=NEW,OLD. Restart the web and task workers: from now on
     everything written is encrypted under NEW, and values under OLD still decrypt.
  2. Run `socec rotate_key`. It works in batches, each in its own transaction; it can be interrupted and run
     again (values already under the first key are skipped), and it is safe while the site is in use (a value
     changed meanwhile is left as its writer stored it).
  3. Run `socec rotate_key --check`: it only counts, and exits with status 1 while any value is still under an
     old key (or cannot be decrypted). When it reports 0, remove OLD: SOCEC_ENCRYPTION_KEYS=NEW, restart.
  Keep the old key in the backups' safe for as long as backups made before the rotation are kept: they can only
  be read with it. SOCEC_PSEUDONYM_KEY (the keyed hashes) is never rotated.

Reading identifiers stays logged as before (each view or reveal is in the audit log); this command reads no
identifier for anyone and writes nothing to the audit log: the values do not change, only their encryption."""


class _Formatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


@dataclass
class Counts:
    values: int = 0  # non-empty encrypted values
    current: int = 0  # already under the first key
    old: int = 0  # under an old key (or written by Fernet)
    rotated: int = 0  # re-encrypted by this run
    unreadable: int = 0  # no configured key decrypts them
    changed_meanwhile: int = 0  # changed by someone else between read and write: left as written


def encrypted_models() -> list[tuple[type, list[EncryptedTextField]]]:
    """Every model with an encrypted column, found through the app registry (a new field is rotated too)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda item: item[0]._meta.label)


def rotate_model(model, fields, *, check: bool = False, batch: int = 1000) -> Counts:
    """Walks the table by primary key, `batch` rows at a time, each batch in one transaction. Reads and writes
    the stored tokens in SQL (not through the field, which would decrypt); a row is updated only if its tokens
    are still the ones read."""
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    columns = [qn(f.column) for f in fields]
    counts = Counts()
    last = None
    while True:
        where = "" if last is None else f"WHERE {pk} > %s"
        select = f"SELECT {pk}, {', '.join(columns)} FROM {table} {where} ORDER BY {pk} LIMIT %s"  # noqa: S608
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, ([] if last is None else [last]) + [batch])
            rows = cursor.fetchall()
            for row in rows:
                changes = []  # (column, old token, new token)
                for column, token in zip(columns, row[1:], strict=True):
                    if token in (None, ""):
                        continue
                    counts.values += 1
                    if crypto.is_current(token):
                        counts.current += 1
                        continue
                    counts.old += 1
                    try:
                        fresh = crypto.reencrypt(token)
                    except ImproperlyConfigured:
                        counts.unreadable += 1
                        continue
                    changes.append((column, token, fresh))
                if check or not changes:
                    continue
                sets = ", ".join(f"{c} = %s" for c, _old, _new in changes)
                same = " AND ".join(f"{c} = %s" for c, _old, _new in changes)
                cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s AND {same}",  # noqa: S608 - names only
                               [new for _c, _old, new in changes] + [row[0]] + [old for _c, old, _new in changes])
                if cursor.rowcount == 1:
                    counts.rotated += len(changes)
                else:
                    counts.changed_meanwhile += len(changes)
        if len(rows) < batch:
            return counts
        last = rows[-1][0]


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Only count; exit 1 while any value is still under an old key.")
        parser.add_argument("--batch", type=int, default=1000, help="Rows per transaction (default 1000).")

    def handle(self, *args, check, batch, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        try:
            crypto.encrypt("")  # the keys are configured and well formed
        except (ImproperlyConfigured, ValueError) as exc:
            raise CommandError(f"SOCEC_ENCRYPTION_KEYS: {exc}") from None
        total = Counts()
        for model, fields in encrypted_models():
            counts = rotate_model(model, fields, check=check, batch=batch)
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
            line = (f"{model._meta.label}: {counts.values} values, {counts.old} under an old key"
                    + ("" if check else f", {counts.rotated} re-encrypted")
                    + (f", {counts.unreadable} cannot be decrypted" if counts.unreadable else "")
                    + (f", {counts.changed_meanwhile} changed meanwhile (left as written)"
                       if counts.changed_meanwhile else ""))
            self.stdout.write(line)
        self.stdout.write(f"total: {total.values} values, {total.old} were under an old key"
                          + ("" if check else f", {total.rotated} re-encrypted"))
        if total.unreadable:
            raise CommandError(f"{total.unreadable} values cannot be decrypted with any key of "
                               "SOCEC_ENCRYPTION_KEYS: put the key they were written with back in the list (after "
                               "the first) and run again.")
        if check and total.old:
            raise CommandError(f"{total.old} values are still under an old key: run `socec rotate_key` before "
                               "removing it.")
