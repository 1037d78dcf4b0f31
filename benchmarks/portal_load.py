"""Load test of the public portal: directory searches and enterprise profiles under concurrent users.

    .venv/bin/python benchmarks/portal_load.py [--db sqlite|postgres|both] [--quick]

For each database: a fresh database with 20,000 public social economy structures (and 1,000 that are
not public), their products, 40,000 jobs and their holders; `collectstatic`; then the production
server setup of the README (gunicorn, several sync workers, DEBUG off) on 127.0.0.1; then the load.

The load is open-loop: requests are scheduled at a fixed rate (--rate per second) whatever the
server does, spread over at most --connections connections in flight at once, and each request's
latency counts from the moment it was due, so a slow server is not hidden by clients that wait for
it (no coordinated omission). The mix: 45% directory searches (half typed without diacritics),
25% directory filters (county, region, area, legal form, CAEN section, attested, reserved contracts,
sorted), 30% enterprise profiles. The first --warmup seconds are reported apart (each worker's
caches start empty: socec/portal/freshness.py), then the measured window runs --seconds; the
script prints requests, errors, the achieved rate and the latency percentiles of both, and checks
the target on the measured window (p95 at most 50 ms, no errors). Traffic goes to 127.0.0.1
only, bounded in count and time.
"""

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_bench import (  # noqa: E402 - after the path is set
    PG_ADMIN_URL,
    PG_HOST,
    PG_PORT,
    PG_USER,
    child_env,
    cpu_model,
    migrate,
    postgres_version,
    progress,
    ram_gb,
    socec_command,
    throwaway_keys,
)

PG_DB = "socec_portal_bench"
BENCH_DIR = ROOT / "var" / "bench" / "portal"
TARGET_P95_MS = 50.0
SEED = 7

# Words the synthetic names are made of; searches use them with and without diacritics.
KINDS = ["Cooperativa", "Asociația", "Atelierul", "Întreprinderea socială", "Fundația", "Casa"]
TRADES = ["Meșteșugarilor", "Țesătoarelor", "Grădinarilor", "Brutarilor", "Tâmplarilor", "Croitoreselor",
          "Apicultorilor", "Olarilor", "Reciclării", "Îngrijirii", "Cărților", "Pâinii"]
PLACES = ["din Călărași", "din Brașov", "din Iași", "de la Șimleu", "din Târgu Jiu", "din Bârlad",
          "din Făgăraș", "din Sălaj", "de pe Mureș", "din Focșani"]
PRODUCTS = ["ștergare", "pâine", "miere", "mobilier", "haine", "ceramică", "legume", "săpun", "coșuri",
            "covoare", "servicii de curățenie", "catering"]
CAEN = ["1071", "1392", "8130", "5610", "8891", "4711", "0113", "3832", "9601", "1624", "1413", "3299"]
LEGAL_FORMS = ["cooperative", "association", "foundation", "company", "sheltered_unit", "mutual_aid_house"]


def fill(organisations: int, hidden: int) -> dict:
    """Runs in a child process whose environment names the bench database."""
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socec.settings")
    django.setup()
    from django.db import transaction

    from socec.core.crypto import keyed_hash
    from socec.core.validators import caen_section
    from socec.jobs.models import Employment, Job
    from socec.orgs.models import Organisation, Product
    from socec.people.models import VulnerableCategory
    from socec.places.models import County, Locality
    from socec.programmes.models import Project

    rnd = random.Random(SEED)
    counties = list(County.objects.all())
    localities: dict[str, list] = {}
    for locality in Locality.objects.all().only("pk", "name", "county_id", "area"):
        localities.setdefault(locality.county_id, []).append(locality)
    categories = list(VulnerableCategory.objects.all()) or [None]
    today = dt.date.today()
    with transaction.atomic():
        lead = Organisation.objects.create(code="BENCH-LEAD", name="Bench lead", legal_form="association",
                                           county=counties[0])
        project = Project.objects.create(code="BENCH", title="Bench", start_date=dt.date(2022, 1, 1),
                                         end_date=dt.date(2026, 12, 31), lead_organisation=lead)
        batch = []
        for i in range(organisations + hidden):
            county = rnd.choice(counties)
            locality = rnd.choice(localities[county.pk]) if localities.get(county.pk) else None
            org = Organisation(
                code=f"SES-{i:05d}", name=f"{rnd.choice(KINDS)} {rnd.choice(TRADES)} {rnd.choice(PLACES)} {i}",
                legal_form=rnd.choice(LEGAL_FORMS), county=county, locality=locality,
                area=(locality.area if locality else "") or rnd.choice(["urban", "rural"]),
                caen=rnd.choice(CAEN), is_ses=True, public=i < organisations,
                description=f"Produce {rnd.choice(PRODUCTS)} și {rnd.choice(PRODUCTS)}.",
                attested_on=today - dt.timedelta(days=rnd.randint(30, 2500)) if rnd.random() < 0.6 else None,
                website=f"https://ses{i}.example.org")
            if org.attested_on:
                org.attestation_no = f"AT-{i}"
                if rnd.random() < 0.4:
                    org.social_mark_on, org.social_mark_no = org.attested_on, f"MS-{i}"
            org.caen_section = caen_section(org.caen)  # what save() derives
            batch.append(org)
        Organisation.objects.bulk_create(batch, batch_size=2000)
        orgs = list(Organisation.objects.filter(code__startswith="SES-").only("pk"))
        Product.objects.bulk_create(
            [Product(organisation=o, name=f"{name} {n}", kind="product")
             for o in orgs for n, name in enumerate(rnd.sample(PRODUCTS, 2))], batch_size=5000)
        jobs = [Job(project=project, code=f"J{k}-{o.pk}", employer=o, title="Lucrător",
                    created_on=dt.date(2024, 1, 1), hours_per_week=rnd.choice([20, 40]))
                for o in orgs for k in range(2)]
        Job.objects.bulk_create(jobs, batch_size=5000)
        employments = []
        for n, job in enumerate(Job.objects.filter(project=project).only("pk")):
            vulnerable = rnd.random() < 0.5
            employments.append(Employment(job=job, person_name="", person_name_key=keyed_hash("bench", str(n)),
                                          start_date=dt.date(2024, 2, 1), vulnerable=vulnerable,
                                          vulnerable_category=rnd.choice(categories) if vulnerable else None))
        Employment.objects.bulk_create(employments, batch_size=5000)
        # The search text with the products, as product_save() keeps it.
        refreshed = []
        for org in Organisation.objects.filter(code__startswith="SES-").select_related("locality", "county"):
            org.search_text = org.build_search_text()
            refreshed.append(org)
        Organisation.objects.bulk_update(refreshed, ["search_text"], batch_size=2000)
    return {"organisations": organisations, "hidden": hidden}


def urls(organisations: int, rnd: random.Random) -> list[str]:
    """The request mix, as paths."""
    from unidecode import unidecode

    counties = ["AB", "B", "BV", "CJ", "CL", "IS", "SJ", "TM", "VN", "GJ", "IF", "MS"]
    regions = ["RO11", "RO12", "RO21", "RO22", "RO31", "RO32", "RO41", "RO42"]
    paths = []
    for _ in range(4000):
        roll = rnd.random()
        if roll < 0.45:
            word = rnd.choice(TRADES + PLACES + PRODUCTS).split()[-1]
            if rnd.random() < 0.5:
                word = unidecode(word)
            page = "&page=2" if rnd.random() < 0.1 else ""
            paths.append(f"/enterprises/?q={word}{page}")
        elif roll < 0.70:
            choice = rnd.choice([f"county={rnd.choice(counties)}", f"region={rnd.choice(regions)}",
                                 "area=rural", f"legal_form={rnd.choice(LEGAL_FORMS)}",
                                 f"caen_section={rnd.choice('ACGINQS')}", "attested=1", "reserved=1",
                                 "sort=jobs", f"county={rnd.choice(counties)}&sort=county"])
            paths.append(f"/enterprises/?{choice}")
        else:
            paths.append(f"/enterprises/SES-{rnd.randrange(organisations):05d}/")
    return [quote(p, safe="/?=&") for p in paths]


async def one_request(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept-Language: ro\r\n"
                     f"Connection: close\r\n\r\n".encode())
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the rest, to the end (Connection: close)
        return int(status_line.split()[1])
    finally:
        writer.close()


async def load(port: int, paths: list[str], rate: float, connections: int, seconds: float,
               warmup: float) -> tuple[list[float], int, int, float, list[float], int]:
    """Open-loop load: request k is due at start + k/rate; at most `connections` in flight."""
    slots = asyncio.Semaphore(connections)
    latencies: list[float] = []
    cold: list[float] = []  # the warm-up: every worker's caches still empty
    cold_errors: list[int] = []
    errors = 0
    sent = 0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1
    total = int((warmup + seconds) * rate)
    measure_from = int(warmup * rate)
    tasks = []

    async def fire(k: int, due: float, path: str):
        nonlocal errors
        async with slots:
            try:
                status = await asyncio.wait_for(one_request(port, path), timeout=30)
            except (TimeoutError, OSError, IndexError, ValueError):
                status = 0
        (latencies if k >= measure_from else cold).append((loop.time() - due) * 1000)
        if status != 200:
            if k >= measure_from:
                errors += 1
            else:
                cold_errors.append(status)

    for k in range(total):
        due = start + k / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(fire(k, due, paths[k % len(paths)])))
        sent += 1
    await asyncio.gather(*tasks)
    elapsed = loop.time() - (start + warmup)
    return latencies, errors, sent - measure_from, elapsed, cold, len(cold_errors)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def recreate_postgres(drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DB)))


def run_case(backend: str, args, keys: dict) -> dict:
    work = BENCH_DIR / backend
    work.mkdir(parents=True, exist_ok=True)
    log = work / "log.txt"
    log.write_text("")
    if backend == "sqlite":
        db = work / "portal.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    else:
        recreate_postgres()
        url = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DB}"
    env = child_env(url, work / "var", keys)
    env["ALLOWED_HOSTS"] = "localhost,127.0.0.1"
    progress(f"[{backend}] migrate, {args.organisations:,} organisations, collectstatic")
    migrate(env, log)
    subprocess.run([sys.executable, __file__, "--fill", str(args.organisations), "--hidden", str(args.hidden)],
                   env=env, check=True, cwd=ROOT)
    with log.open("ab") as out:
        subprocess.run([*socec_command(), "collectstatic", "--noinput", "-v", "0"], env=env, check=True,
                       stdout=out, stderr=subprocess.STDOUT)
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "socec.wsgi", "--workers", str(args.workers), "--bind",
                               f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning"],
                              env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    try:
        wait_ready(port)
        rnd = random.Random(SEED)
        paths = urls(args.organisations, rnd)
        progress(f"[{backend}] {args.workers} gunicorn workers on 127.0.0.1:{port}; {args.rate}/s over at most "
                 f"{args.connections} connections, {args.warmup:.0f} s warm-up + {args.seconds:.0f} s")
        latencies, errors, measured, elapsed, cold, cold_errors = asyncio.run(
            load(port, paths, args.rate, args.connections, args.seconds, args.warmup))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if backend == "postgres" and not args.keep:
            recreate_postgres(drop_only=True)
    return {"backend": backend, "requests": measured, "errors": errors, "rate": measured / elapsed,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
            "max": max(latencies), "mean": statistics.fmean(latencies),
            "cold": {"requests": len(cold), "errors": cold_errors, "p50": percentile(cold, 50),
                     "p95": percentile(cold, 95), "p99": percentile(cold, 99), "max": max(cold)}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--hidden", type=int, default=1_000, help="organisations not marked public")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second, open loop")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=40.0,
                        help="seconds before the measured window (each worker fills its caches)")
    parser.add_argument("--quick", action="store_true", help="2,000 organisations, 10 s: a smoke test")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill is not None:
        fill(args.fill, args.hidden)
        return 0
    if args.quick:
        args.organisations, args.hidden, args.seconds, args.warmup = 2_000, 100, 10.0, 3.0
    keys = throwaway_keys()
    backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [run_case(b, args, keys) for b in backends]
    pg = postgres_version()[0] if "postgres" in backends else None
    print(f"\nPortal load, {args.organisations:,} public organisations; {cpu_model()}, {os.cpu_count()} cores, "
          f"{ram_gb():.1f} GB; gunicorn {args.workers} sync workers; open loop {args.rate:g} requests/s, at most "
          f"{args.connections} connections; {args.seconds:g} s measured" + (f"; PostgreSQL {pg}" if pg else ""))
    print("| database | requests | errors | achieved/s | p50 ms | p95 ms | p99 ms | max ms | target p95 ≤ 50 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    failed = False
    for r in results:
        ok = r["p95"] <= TARGET_P95_MS and r["errors"] == 0
        failed |= not ok
        c = r["cold"]
        print(f"| {r['backend']}, first {args.warmup:g} s (caches empty; not the target) | {c['requests']:,} | "
              f"{c['errors']} | | {c['p50']:.1f} | {c['p95']:.1f} | {c['p99']:.1f} | {c['max']:.1f} | |")
        print(f"| {r['backend']}, the next {args.seconds:g} s | {r['requests']:,} | {r['errors']} | {r['rate']:.1f} | "
              f"{r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {'PASS' if ok else 'FAIL'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
