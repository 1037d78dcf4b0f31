"""One-file backups of an installation: the database and the uploaded files, with a manifest.

The archive is an uncompressed .tar (the database dump is compressed already where it matters):

    manifest.json        format, date, database engine, the migrations applied, and the SHA-256
                         of every other member
    database.sqlite3     SQLite: a consistent copy made with the online backup API while the site runs
    database.pgdump      PostgreSQL: `pg_dump --format=custom`
    files/...            the uploaded files (the default storage: var/private), same layout

`restore` checks the archive completely (manifest, engine, checksums, migrations) before it changes
anything, then replaces the database (SQLite: the backup API again; PostgreSQL: `pg_restore --clean
--if-exists --single-transaction`) and the uploaded files. The connection used is the one Django
is configured with at that moment (connection.settings_dict), so a test database is what a test
backs up and restores.

The encryption keys (SOCEC_ENCRYPTION_KEYS, SOCEC_PSEUDONYM_KEY) are NOT in the archive: the
identifiers in it can only be read with them. Keep the keys apart from the backups, and safe.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "socec-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES = "files"
CHUNK = 1 << 20
# Files that are only ever in the middle of being written (progress of a running import).
SKIP_SUFFIXES = (".part",)


class BackupError(Exception):
    """A problem a person can act on; the message says what and where."""


def engine_name(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups are made for SQLite and PostgreSQL only, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def files_root() -> Path | None:
    """Where the uploaded files live (the default storage, var/private)."""
    location = getattr(default_storage, "location", None)
    return Path(location).resolve() if location else None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        out.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


def _pg_env_and_args(settings_dict: dict) -> tuple[dict, list[str]]:
    """Connection parameters of the database in use, for pg_dump / pg_restore (password in the
    environment, never on the command line)."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                             ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE"), ("service", "PGSERVICE")):
        if options.get(option):
            env[variable] = str(options[option])
    args += ["--no-password"]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(_("The PostgreSQL program %(tool)s was not found. Install the PostgreSQL client programs "
                            "(for example the package postgresql-client) of the same or a newer version than the "
                            "server, then try again.") % {"tool": name})
    return found


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our args
    if result.returncode != 0:
        detail = (result.stderr or result.stdout or "").strip().splitlines()
        raise BackupError(_("%(what)s failed: %(detail)s") % {"what": what, "detail": " ".join(detail[-3:])})


# --- backup ------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    files: int = 0
    size: int = 0


def _dump_database(alias: str, target: Path) -> str:
    """Writes the database to `target`; returns the archive member name."""
    connection = connections[alias]
    vendor = engine_name(alias)
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API: a consistent copy while other connections keep reading and writing.
            connection.connection.backup(destination, pages=4096)
        finally:
            destination.close()
        return SQLITE_MEMBER
    env, args = _pg_env_and_args(connection.settings_dict)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args,
          "--dbname", str(connection.settings_dict["NAME"])], env, _("The database dump (pg_dump)"))
    return PG_MEMBER


def _uploaded_files(root: Path | None):
    if root is None or not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(SKIP_SUFFIXES):
            yield path, path.relative_to(root).as_posix()


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else ".") / "backups" / f"socec-{stamp}.tar"


def make_backup(output: str | Path | None = None, *, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Backs up the database in use and the uploaded files into one .tar at `output` (default
    var/backups/socec-DATE-TIME.tar). The archive appears complete or not at all."""
    vendor = engine_name(alias)
    path = Path(output) if output else default_backup_path()
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = files_root()
    with tempfile.TemporaryDirectory(prefix="socec-backup-", dir=path.parent) as work:
        work = Path(work)
        dump = work / "database"
        member = _dump_database(alias, dump)
        checksums = {member: _sha256_file(dump)}
        files = list(_uploaded_files(root))
        part = work / (path.name + ".part")
        with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dump, arcname=member, recursive=False)
            for file_path, relative in files:
                name = f"{FILES}/{relative}"
                checksums[name] = _sha256_file(file_path)
                tar.add(file_path, arcname=name, recursive=False)
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(timespec="seconds"),
                "engine": vendor,
                "database": str(connections[alias].settings_dict.get("NAME") or ""),
                "migrations": applied_migrations(alias),
                "files": len(files),
                "checksums": checksums,
                "note": "The encryption keys are not in this archive: keep them apart, safely.",
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        os.chmod(part, 0o600)  # personal data
        os.replace(part, path)
    return BackupResult(path=path, manifest=manifest, files=len(files), size=path.stat().st_size)


# --- restore -----------------------------------------------------------------------------------------------


@dataclass
class Checked:
    """An archive that passed every check, ready to restore."""

    path: Path
    manifest: dict
    database_member: str
    file_members: list[str] = field(default_factory=list)
    missing_migrations: list[str] = field(default_factory=list)  # in the code, not in the backup: migrate after


def _safe_member(name: str) -> bool:
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:") as tar:
            try:
                member = tar.getmember(MANIFEST)
            except KeyError:
                raise BackupError(_("%(file)s is not a SOCEC backup: it has no manifest.json.") % {
                    "file": path.name}) from None
            manifest = json.loads(tar.extractfile(member).read().decode())
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("%(file)s cannot be read as a SOCEC backup (.tar archive): %(error)s") % {
            "file": path.name, "error": exc}) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(_("The manifest of %(file)s is damaged (not valid JSON).") % {"file": path.name}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(file)s is not a SOCEC backup (its manifest says otherwise).") % {"file": path.name})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("%(file)s is a backup of format %(version)s, which this version of SOCEC cannot "
                            "restore.") % {"file": path.name, "version": manifest.get("format_version")})
    return manifest


def check_backup(path: str | Path, *, alias: str = DEFAULT_DB_ALIAS) -> Checked:
    """Every check, before anything is changed: the manifest, the engine, each member's checksum,
    and that the code knows every migration the backup's database has."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    manifest = read_manifest(path)
    vendor = engine_name(alias)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if manifest.get("engine") != vendor:
        raise BackupError(_("%(file)s is a backup of a %(theirs)s database, but this installation uses %(ours)s. "
                            "Restore it on an installation that uses %(theirs)s (DATABASE_URL).") % {
            "file": path.name, "theirs": names.get(manifest.get("engine"), manifest.get("engine")),
            "ours": names[vendor]})
    database_member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
    checksums = manifest.get("checksums") or {}
    if database_member not in checksums:
        raise BackupError(_("%(file)s has no database in it.") % {"file": path.name})
    with tarfile.open(path, "r:") as tar:
        members = {m.name: m for m in tar.getmembers()}
        for name, expected in checksums.items():
            member = members.get(name)
            if member is None or not member.isfile() or not _safe_member(name):
                raise BackupError(_("%(file)s is incomplete or damaged: %(member)s is missing.") % {
                    "file": path.name, "member": name})
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            while chunk := source.read(CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != expected:
                raise BackupError(_("%(file)s is damaged: %(member)s does not match its checksum.") % {
                    "file": path.name, "member": name})
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    theirs = {(app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in theirs - set(known))
    if unknown:
        raise BackupError(_("%(file)s comes from a newer version of SOCEC (its database has changes this version "
                            "does not know: %(names)s). Install that version first, then restore.") % {
            "file": path.name, "names": ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")})
    missing = sorted(f"{app}.{name}" for app, name in set(known) - theirs)
    files = sorted(name for name in checksums if name.startswith(f"{FILES}/"))
    return Checked(path=path, manifest=manifest, database_member=database_member, file_members=files,
                   missing_migrations=missing)


def _restore_database(checked: Checked, source: Path, alias: str) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError(_("A restore cannot run inside a transaction."))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)  # replaces every page of the database in use
        finally:
            backup.close()
        return
    env, args = _pg_env_and_args(connection.settings_dict)
    connection.close()  # no session of ours holds a lock on what is dropped
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", *args, "--dbname", str(connection.settings_dict["NAME"]), str(source)], env,
         _("The database restore (pg_restore)"))


def restore_backup(checked: Checked, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replaces the database and the uploaded files with those of a checked archive. The files are
    unpacked first beside their folder; the database is replaced (in one transaction on
    PostgreSQL); then the folder of files is swapped in."""
    root = files_root()
    with tempfile.TemporaryDirectory(prefix="socec-restore-") as work:
        work = Path(work)
        database = work / "database"
        staged = None
        if root is not None:
            root.parent.mkdir(parents=True, exist_ok=True)
            staged = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
        try:
            with tarfile.open(checked.path, "r:") as tar:
                with tar.extractfile(checked.database_member) as src, database.open("wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                if staged is not None:
                    for name in checked.file_members:
                        target = staged.joinpath(*PurePosixPath(name).parts[1:])
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with tar.extractfile(name) as src, target.open("wb") as dst:
                            shutil.copyfileobj(src, dst, CHUNK)
            _restore_database(checked, database, alias)
        except BaseException:
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
            raise
    if staged is not None:
        old = None
        if root.exists():
            old = root.with_name(f".{root.name}.replaced-{timezone.now():%Y%m%d%H%M%S%f}")
            os.replace(root, old)
        os.replace(staged, root)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
