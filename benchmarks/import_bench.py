"""SOCEC import benchmarks: `socec import` of synthetic workbooks into SQLite and PostgreSQL.

    .venv/bin/python benchmarks/import_bench.py                 # 1,000,000 participants, 3 runs
    .venv/bin/python benchmarks/import_bench.py --quick         # 20,000 participants, 1 run: a smoke test

Each case imports one workbook into a fresh database (migrated first, not timed) by running
`socec import FILE` as a child process, and measures that child alone: wall seconds, rows per
second (participants + enrolments) and peak resident memory (its own rusage, from os.wait4).
PostgreSQL's COPY of the same participant and enrolment CSV rows into plain text tables gives
the floor to compare with. See benchmarks/README.md for how to read the output.
"""

import argparse
import hashlib
import json
import os
import platform
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PG_ADMIN_URL = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/postgres"
PG_BENCH_DB = "socec_bench"
PG_BENCH_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_BENCH_DB}"
CACHE = ROOT / "var" / "bench"
SEED = 1

# The targets, and the sizes they are stated for.
CSV_TARGET_PARTICIPANTS = 1_000_000
CSV_TARGET_SECONDS = 60.0
CSV_TARGET_RSS_MB = 1024.0
XLSX_TARGET_PARTICIPANTS = 50_000
XLSX_TARGET_SECONDS = 30.0


@dataclass
class Run:
    wall: float
    rows_per_s: float
    rss_mb: float | None
    ok: bool = True
    note: str = ""


@dataclass
class Case:
    label: str
    backend: str  # sqlite | postgres
    kind: str  # csv | xlsx | copy
    participants: int
    rows: int  # participants + enrolments
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float | None:
        values = [getattr(r, attr) for r in self.runs if r.ok and getattr(r, attr) is not None]
        return statistics.median(values) if values else None

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)


# -- the machine ---------------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def postgres_version() -> tuple[str | None, str]:
    """(version, '') when reachable, else (None, why not)."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0], ""
    except psycopg.Error as exc:
        return None, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# -- workbooks -------------------------------------------------------------------------------------

def generator_digest() -> str:
    """Part of the cache key: a changed generator makes new files."""
    source = (ROOT / "socec" / "workbook" / "synthetic.py").read_bytes()
    source += (ROOT / "socec" / "workbook" / "schema.py").read_bytes()
    return hashlib.sha256(source).hexdigest()[:8]


def workbook(participants: int, suffix: str, seed: int) -> tuple[Path, dict[str, int], str]:
    """The cached synthetic workbook (generated when missing): path, rows per sheet, how it was obtained."""
    from socec.workbook.synthetic import generate

    path = CACHE / f"SYN-{participants}-s{seed}-{generator_digest()}{suffix}"
    meta = path.with_name(path.name + ".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text()), "cached"
    CACHE.mkdir(parents=True, exist_ok=True)
    progress(f"generating {path.relative_to(ROOT)} ({participants:,} participants) ...")
    started = time.perf_counter()
    counts = generate(path, participants=participants, seed=seed)
    seconds = time.perf_counter() - started
    meta.write_text(json.dumps(counts))
    return path, counts, f"generated in {seconds:.1f} s"


# -- running `socec` -------------------------------------------------------------------------------

def socec_command() -> list[str]:
    script = Path(sys.executable).parent / "socec"
    return [str(script)] if script.exists() else [sys.executable, "-m", "socec.manage"]


def child_env(database_url: str, var_dir: Path, keys: dict[str, str]) -> dict[str, str]:
    """Production-like settings (DEBUG off: no query log) with throw-away keys."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCEC_", "DATABASE_URL"))}
    env.update(keys)
    env.update({"DEBUG": "0", "ALLOWED_HOSTS": "localhost", "DATABASE_URL": database_url,
                "SOCEC_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"})
    return env


def throwaway_keys() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {"SECRET_KEY": secrets.token_urlsafe(50), "SOCEC_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SOCEC_PSEUDONYM_KEY": secrets.token_urlsafe(32)}


def migrate(env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        subprocess.run([*socec_command(), "migrate", "--noinput", "-v", "0"], env=env, stdout=out,
                       stderr=subprocess.STDOUT, check=True)


def timed_import(path: Path, env: dict[str, str], log: Path, timeout: float) -> tuple[float, float, int]:
    """Runs `socec import FILE`; returns (wall seconds, the child's peak RSS in MB, exit code)."""
    with log.open("ab") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([*socec_command(), "import", str(path)], env=env, stdout=out,
                                stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss: kilobytes on Linux


def stored_rows(backend: str, database: str) -> int:
    """Participants + enrolments actually in the database after an import."""
    sql = "SELECT (SELECT count(*) FROM people_participation) + (SELECT count(*) FROM training_enrolment)"
    if backend == "sqlite":
        with sqlite3.connect(database) as conn:
            return conn.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(database) as conn:
        return conn.execute(sql).fetchone()[0]


def fresh_postgres_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_BENCH_DB)))


def drop_postgres_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_BENCH_DB)))


def import_run(case: Case, path: Path, keys: dict[str, str], timeout: float, keep: bool) -> Run:
    work = Path(tempfile.mkdtemp(prefix="socec-bench-"))
    log = work / "socec.log"
    try:
        if case.backend == "sqlite":
            database = str(work / "bench.sqlite3")
            url = f"sqlite:///{database}"
        else:
            fresh_postgres_database()
            url = database = PG_BENCH_URL
        env = child_env(url, work, keys)
        migrate(env, log)
        wall, rss, code = timed_import(path, env, log, timeout)
        if code != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            keep = True
            return Run(wall, 0.0, rss, ok=False, note=f"exit {code}; log {log}: " + " | ".join(tail))
        stored = stored_rows(case.backend, database.replace("postgres://", "postgresql://"))
        if stored != case.rows:
            keep = True
            return Run(wall, case.rows / wall, rss, ok=False,
                       note=f"{stored:,} participants + enrolments stored, {case.rows:,} expected; log {log}")
        return Run(wall, case.rows / wall, rss)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def copy_run(case: Case, path: Path) -> Run:
    """PostgreSQL's COPY of the participants and enrolments CSV members into text tables: the floor."""
    import psycopg
    from psycopg import sql

    fresh_postgres_database()
    with zipfile.ZipFile(path) as zf, psycopg.connect(PG_BENCH_URL.replace("postgres://", "postgresql://")) as conn:
        tables = []
        for sheet in ("participants", "enrolments"):
            with zf.open(f"{sheet}.csv") as raw:
                header = raw.readline().decode("utf-8").strip().split(",")
            table = sql.Identifier(f"staging_{sheet}")
            columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
            tables.append((sheet, table))
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur:
            for sheet, table in tables:
                statement = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(table)
                with zf.open(f"{sheet}.csv") as raw, cur.copy(statement) as copy:
                    while data := raw.read(1 << 20):
                        copy.write(data)
        conn.commit()
        wall = time.perf_counter() - started
        stored = sum(conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0] for _, t in tables)
    if stored != case.rows:
        return Run(wall, stored / wall, None, ok=False, note=f"{stored:,} rows copied, {case.rows:,} expected")
    return Run(wall, case.rows / wall, None)


# -- reporting -------------------------------------------------------------------------------------

def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fmt_runs(values: list[float | None], digits: int) -> str:
    return " ".join("-" if v is None else f"{v:.{digits}f}" for v in values)


def report(cases: list[Case]) -> list[tuple[str, str]]:
    """Prints the table; returns the targets as (line, PASS|FAIL|n/a)."""
    print()
    print(f"{'case':<30} {'rows':>10}  {'wall s: median [runs]':<28} {'rows/s: median [runs]':<30} "
          f"{'peak RSS MB: median [runs]'}")
    for c in cases:
        runs = c.runs
        wall = c.median("wall")
        rate = c.median("rows_per_s")
        rss = c.median("rss_mb")
        wall_s = "failed" if wall is None else f"{wall:.1f} [{fmt_runs([r.wall for r in runs], 1)}]"
        rate_s = "-" if rate is None else f"{rate:,.0f} [{fmt_runs([r.rows_per_s for r in runs], 0)}]"
        rss_s = "- (in the server)" if c.kind == "copy" else (
            "-" if rss is None else f"{rss:.0f} [{fmt_runs([r.rss_mb for r in runs], 0)}]")
        print(f"{c.label:<30} {c.rows:>10,}  {wall_s:<28} {rate_s:<30} {rss_s}")
        for r in runs:
            if not r.ok:
                print(f"    FAILED: {r.note}")

    targets = []
    for c in cases:
        if c.kind == "copy":
            continue
        wall, rss = c.median("wall"), c.median("rss_mb")
        if c.kind == "csv":
            checks = [(f"{c.label}: wall <= {CSV_TARGET_SECONDS:.0f} s", wall, CSV_TARGET_SECONDS, "s"),
                      (f"{c.label}: peak RSS < {CSV_TARGET_RSS_MB:.0f} MB", rss, CSV_TARGET_RSS_MB, "MB")]
            size = CSV_TARGET_PARTICIPANTS
        else:
            checks = [(f"{c.label}: wall <= {XLSX_TARGET_SECONDS:.0f} s", wall, XLSX_TARGET_SECONDS, "s")]
            size = XLSX_TARGET_PARTICIPANTS
        for text, value, limit, unit in checks:
            shown = "failed" if value is None else f"{value:.1f} {unit}"
            if c.participants != size:
                targets.append((f"{text} (stated for {size:,} participants; this run has {c.participants:,}): "
                                f"{shown}", "n/a"))
            elif value is None or not c.ok:
                targets.append((f"{text}: {shown}", "FAIL"))
            else:
                passed = value < limit if unit == "MB" else value <= limit
                targets.append((f"{text}: {shown}", "PASS" if passed else "FAIL"))
    if targets:
        print("\ntargets")
        for text, verdict in targets:
            print(f"  {verdict:<5} {text}")

    print("\nSOCEC import vs PostgreSQL COPY (participants + enrolments rows per second)")
    copy = next((c for c in cases if c.kind == "copy" and c.median("rows_per_s")), None)
    for c in cases:
        if c.kind != "csv" or c.median("rows_per_s") is None:
            continue
        line = f"  {c.label}: SOCEC import {c.median('rows_per_s'):,.0f} rows/s"
        if copy is not None and copy.participants == c.participants:
            ratio = copy.median("rows_per_s") / c.median("rows_per_s")
            line += f" vs COPY {copy.median('rows_per_s'):,.0f} rows/s (COPY is {ratio:.1f}x faster)"
        print(line)
    return targets


# -- main ------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=CSV_TARGET_PARTICIPANTS,
                        help="participants (and as many enrolments) of the CSV workbook; 0 skips those cases")
    parser.add_argument("--xlsx-participants", type=int, default=XLSX_TARGET_PARTICIPANTS,
                        help="participants of the .xlsx workbook; 0 skips those cases")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 20,000 participants (CSV), 5,000 (.xlsx), 1 run")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before an import is killed")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite files and logs")
    parser.add_argument("--strict", action="store_true", help="exit 3 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.xlsx_participants, args.runs = 20_000, 5_000, 1
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")

    pg_version, pg_problem = postgres_version() if "postgres" in backends else (None, "not asked for")
    ram = ram_gb()
    print(f"SOCEC import benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"machine:   {cpu_model()}, {os.cpu_count()} cores, {'?' if ram is None else f'{ram:.1f}'} GB RAM, "
          f"{platform.system()} {platform.release()}")
    print(f"software:  Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL "
          f"{pg_version or '-'}")
    if "postgres" in backends and pg_version is None:
        print(f"PostgreSQL skipped: not reachable at {PG_HOST}:{PG_PORT} as {PG_USER} ({pg_problem}).")
        backends.remove("postgres")

    cases: list[tuple[Case, Path]] = []
    for participants, suffix, kind in ((args.participants, ".zip", "csv"), (args.xlsx_participants, ".xlsx", "xlsx")):
        if participants <= 0:
            continue
        path, counts, how = workbook(participants, suffix, args.seed)
        rows = counts["participants"] + counts["enrolments"]
        size = path.stat().st_size / 1024 / 1024
        print(f"workbook:  {path.relative_to(ROOT)}: {counts['participants']:,} participants, "
              f"{counts['enrolments']:,} enrolments, {sum(counts.values()):,} rows in all sheets, {size:.1f} MB "
              f"({how})")
        name = "CSV zip" if kind == "csv" else ".xlsx"
        for backend in backends:
            cases.append((Case(f"{backend} {name} {participants:,}", backend, kind, participants, rows), path))
        if kind == "csv" and "postgres" in backends:
            cases.append((Case(f"postgres COPY {participants:,}", "postgres", "copy", participants, rows), path))
    if not cases:
        print("Nothing to run.")
        return 0
    print(f"runs:      {args.runs} per case; each import into a fresh, migrated database "
          f"(SOCEC with DEBUG off, throw-away keys)")

    keys = throwaway_keys()
    for case, path in cases:
        for k in range(args.runs):
            progress(f"[{case.label}] run {k + 1}/{args.runs} ...")
            run = copy_run(case, path) if case.kind == "copy" else import_run(case, path, keys, args.timeout,
                                                                              args.keep)
            case.runs.append(run)
            rss = "" if run.rss_mb is None else f", peak RSS {run.rss_mb:.0f} MB"
            progress(f"[{case.label}] run {k + 1}/{args.runs}: {'ok' if run.ok else 'FAILED'} {run.wall:.1f} s, "
                     f"{run.rows_per_s:,.0f} rows/s{rss}" + ("" if run.ok else f" ({run.note})"))
    if "postgres" in backends:
        drop_postgres_database()

    targets = report([c for c, _ in cases])
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "ram_gb": ram,
                        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                        "postgres": pg_version},
            "cases": [asdict(c) for c, _ in cases],
            "targets": [{"target": t, "verdict": v} for t, v in targets],
        }, indent=1))
    if not all(c.ok for c, _ in cases):
        return 1
    if args.strict and any(v == "FAIL" for _, v in targets):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
