"""Load test of the REST API with writes: 100 staff users with tokens, reading and writing at once, on PostgreSQL.

    .venv/bin/python benchmarks/api_load.py [--users 100] [--seconds 300] [--participants 3000] [--quick]

A fresh PostgreSQL database (socec_api_bench), migrated; project BENCH led by BENCH-LEAD with four partner
organisations, 500 public social economy structures (the public pages' and public API's data, made by
portal_load.fill), --participants participants registered through the service by the users themselves
(each user its own share), and an API token for each of --users staff users spread over the five
organisations (per organisation: 15% managers, 10% monitoring officers, the rest field workers). Then the
production setup of the README (gunicorn, --workers sync workers, DEBUG off) on 127.0.0.1, and the load:
--users concurrent clients, closed loop (each sends its next request when the previous one has answered),
for --seconds, every request on its own connection, as gunicorn's sync workers want. Each user does:

- staff API reads: the participants list with filters (county, organisation, entry dates, a reference,
  a page size), a participant's details, the counselling list, the project's indicator report (managers
  and monitoring officers, who may see it);
- staff API writes: registering a participant (a person reference no one else uses), changing one of its
  own participants (the area, with the version it last saw: a user changes only its own rows, so a 409
  would be a lost-update bug, not a real conflict), recording a counselling session, creating an event
  and recording its attendance (field workers and managers: monitoring officers change only people);
- public reads, without credentials: the portal's home, directory and enterprise profiles, the public API
  (organisations, impact figures).

Every write that answered 2xx is counted by the client. After the run the server stops and the database is
counted: new participants, the participants' versions (each change raises the version by one), counselling
sessions, events and attendance rows, and the audit entries of the project must equal exactly what the clients
were told was written (no lost or phantom writes); and no request may have got a 5xx, a transport error
(refused, reset, timed out) or any status other than the expected 2xx. The anonymous API limit
(SOCEC_API_PUBLIC_PER_MINUTE) is lifted for the run: all the clients share one address. Output: per-kind
requests, errors, throughput, p50/p95/p99 latency; the machine and the PostgreSQL version. Exit code 1 if a
check fails. Traffic goes to 127.0.0.1 only, bounded in count and time.
"""

import argparse
import asyncio
import collections
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_bench import (  # noqa: E402 - after the path is set
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
from benchmarks.portal_load import free_port, percentile, wait_ready  # noqa: E402

PG_DB = "socec_api_bench"
BENCH_DIR = ROOT / "var" / "bench" / "api"
PROJECT = "BENCH"
SEED = 11
PARTNERS = ["BENCH-LEAD", "PART-A", "PART-B", "PART-C", "PART-D"]
COUNTIES = ["AB", "B", "BV", "CJ", "CL", "IS", "SJ", "TM", "VN", "GJ", "IF", "MS"]
FIRST = ["Ana", "Maria", "Ioana", "Elena", "Ion", "Gheorghe", "Vasile", "Mihai", "Florin", "Daniela"]
LAST = ["Popescu", "Ionescu", "Stan", "Dumitru", "Lungu", "Rusu", "Marin", "Tudor", "Matei", "Stoica"]
LABOUR = ["unemployed", "long_term_unemployed", "inactive", "employed"]
WRITE_KINDS = ("register", "update", "counselling", "event", "attendance")


# -- the data (in a child process whose environment names the bench database) ------------------------------------


def seed(users: int, participants: int, out: Path) -> None:
    import datetime as dt

    from benchmarks.portal_load import fill

    fill(500, 20)  # django.setup(); project BENCH, its lead BENCH-LEAD, 500 public SES, their jobs
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from socec.api.tokens import api_token_create
    from socec.audit.models import AuditEntry
    from socec.orgs.models import Organisation
    from socec.people.services import participant_register
    from socec.places.models import County
    from socec.programmes.models import Project
    from socec.programmes.roles import Role
    from socec.programmes.services import membership_grant, partnership_set

    rnd = random.Random(SEED)
    project = Project.objects.get(code=PROJECT)
    orgs = [Organisation.objects.get(code=PARTNERS[0])]
    partnership_set(project=project, organisation=orgs[0], role="lead", by=None)  # fill() made the project bare
    for code in PARTNERS[1:]:
        org = Organisation.objects.create(code=code, name=f"Asociatia {code}", legal_form="association",
                                          county=County.objects.get(pk=rnd.choice(COUNTIES)))
        partnership_set(project=project, organisation=org, role="partner", by=None)
        orgs.append(org)
    password = make_password(None)  # unusable: these users only have tokens
    people = []
    for n in range(users):
        org = orgs[n % len(orgs)]
        rank = n // len(orgs)  # the user's place in its organisation
        per_org = -(-users // len(orgs))
        role = (Role.MANAGER if rank < max(1, per_org * 15 // 100)
                else Role.MONITORING if rank < max(2, per_org * 25 // 100) else Role.FIELD_WORKER)
        user = get_user_model().objects.create(username=f"bench{n:03d}", password=password,
                                               email=f"bench{n:03d}@example.org")
        membership_grant(project=project, user=user, organisation=org, role=role, by=None)
        _, token = api_token_create(user=user, name="load test", by=None)
        people.append({"n": n, "username": user.username, "token": token, "organisation": org.code,
                       "organisation_id": org.pk, "role": str(role), "own": [], "user": user})
    started = time.perf_counter()
    for k in range(participants):
        person = people[k % users]
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(40 * 365))
        entry = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(700))
        p = participant_register(project=project, by=person["user"], data={
            "person_ref": f"S{person['n']:03d}-{k:05d}", "first_name": rnd.choice(FIRST),
            "last_name": rnd.choice(LAST), "sex": rnd.choice("MF"), "birth_date": birth, "county": rnd.choice(COUNTIES),
            "entry_date": entry, "labour_status": rnd.choice(LABOUR), "isced": rnd.randint(0, 8),
            "consent_on": entry, "area": rnd.choice(["urban", "rural"])})
        person["own"].append([p.pk, p.version, p.area])
        if (k + 1) % 1000 == 0:
            progress(f"  {k + 1:,} participants registered ({(k + 1) / (time.perf_counter() - started):.0f}/s)")
    for person in people:
        del person["user"]
    out.write_text(json.dumps({"users": people, "project_id": project.pk,
                               "public": list(Organisation.objects.filter(public=True).values_list("code", flat=True)),
                               "audit_before": audit_counts(AuditEntry, project.code)}))


AUDITED = {"register": ("people.participation", "create"), "update": ("people.participation", "update"),
           "counselling": ("training.counsellingsession", "create"), "event": ("outreach.event", "create"),
           "attendance": ("outreach.eventattendance", "create")}


def audit_counts(audit_entry, project_code: str) -> dict[str, int]:
    """The project's audit entries of each write kind."""
    rows = audit_entry.objects.filter(project__code=project_code).values_list("model", "action")
    found = collections.Counter(f"{m} {a}" for m, a in rows)
    return {kind: found[f"{m} {a}"] for kind, (m, a) in AUDITED.items()}


def count(out: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socec.settings")
    django.setup()
    from django.db.models import Sum

    from socec.audit.models import AuditEntry
    from socec.outreach.models import Event, EventAttendance
    from socec.people.models import Participation
    from socec.training.models import CounsellingSession

    seeded = Participation.objects.filter(project__code=PROJECT, person_ref__startswith="S")
    out.write_text(json.dumps({
        "registered": Participation.objects.filter(project__code=PROJECT, person_ref__startswith="R").count(),
        "seeded": seeded.count(),
        "version_sum": Participation.objects.filter(project__code=PROJECT).aggregate(v=Sum("version"))["v"],
        "counselling": CounsellingSession.objects.filter(project__code=PROJECT).count(),
        "event": Event.objects.filter(project__code=PROJECT, title__startswith="Load ").count(),
        "attendance": EventAttendance.objects.filter(event__project__code=PROJECT).count(),
        "audit": audit_counts(AuditEntry, PROJECT),
    }))


# -- the clients ------------------------------------------------------------------------------------------------


class Result:
    def __init__(self):
        self.latencies: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.writes: collections.Counter = collections.Counter()
        self.updates_sent_version: int = 0
        self.samples: list[str] = []  # the first few unexpected answers, to show


async def http(port: int, method: str, path: str, token: str | None = None, body: dict | None = None,
               timeout: float = 60.0) -> tuple[int, bytes]:
    """One request on its own connection; (status, body). Status 0: a transport error."""

    async def go():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            data = json.dumps(body).encode() if body is not None else b""
            head = [f"{method} {path} HTTP/1.1", "Host: localhost", "Connection: close", "Accept-Language: ro"]
            if token:
                head.append(f"Authorization: Bearer {token}")
            if body is not None:
                head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        header, _, content = raw.partition(b"\r\n\r\n")
        if b"transfer-encoding: chunked" in header.lower():
            content = dechunk(content)
        return int(header.split(b" ", 2)[1]), content

    try:
        return await asyncio.wait_for(go(), timeout)
    except (TimeoutError, OSError, IndexError, ValueError):
        return 0, b""


def dechunk(data: bytes) -> bytes:
    out, rest = [], data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2:]
    return b"".join(out)


class User:
    def __init__(self, spec: dict, data: dict, port: int, result: Result, rnd: random.Random):
        self.spec, self.port, self.result, self.rnd = spec, port, result, rnd
        self.token = spec["token"]
        self.own = {pk: [version, area] for pk, version, area in spec["own"]}
        self.public = data["public"]
        self.registered = 0
        self.events: list[tuple[int, set]] = []  # (event id, participants recorded there)
        can_activities = spec["role"] in ("manager", "field_worker")
        reports = spec["role"] in ("manager", "monitoring")
        mix = [("list", 22), ("detail", 13), ("counselling_list", 3), ("report", 3 if reports else 0),
               ("register", 8), ("update", 10), ("counselling", 5 if can_activities else 0),
               ("event", 1.5 if can_activities else 0), ("attendance", 4.5 if can_activities else 0),
               ("page", 15), ("public_api", 15)]
        self.kinds = [k for k, w in mix if w]
        self.weights = [w for k, w in mix if w]

    async def call(self, kind: str, method: str, path: str, expect: int, body=None, auth=True):
        started = time.perf_counter()
        status, content = await http(self.port, method, path, self.token if auth else None, body)
        self.result.latencies[kind].append((time.perf_counter() - started) * 1000)
        if status != expect:
            self.result.errors[kind][status] += 1
            if len(self.result.samples) < 10:
                self.result.samples.append(f"{kind}: {method} {path} -> {status} {content[:300]!r}")
            return None
        try:
            return json.loads(content) if content and content[:1] in (b"{", b"[") else {}
        except ValueError:
            return {}

    async def step(self) -> None:
        kind = self.rnd.choices(self.kinds, self.weights)[0]
        api = f"/api/v1/projects/{PROJECT}"
        rnd = self.rnd
        if kind == "list":
            choice = rnd.choice([
                {"county": rnd.choice(COUNTIES)}, {"organisation": self.spec["organisation"]},
                {"entry_from": "2024-01-01", "entry_to": "2024-06-30"}, {"limit": 200},
                {"person_ref": f"S{self.spec['n']:03d}-{rnd.randrange(10_000):05d}"}, {}])
            await self.call(kind, "GET", f"{api}/participants?{urlencode(choice)}", 200)
        elif kind == "detail":
            await self.call(kind, "GET", f"{api}/participants/{rnd.choice(list(self.own))}", 200)
        elif kind == "counselling_list":
            await self.call(kind, "GET", f"{api}/counselling", 200)
        elif kind == "report":
            await self.call(kind, "GET", f"{api}/report", 200)
        elif kind == "register":
            self.registered += 1
            entry = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            body = {"person_ref": f"R{self.spec['n']:03d}-{self.registered:05d}", "first_name": rnd.choice(FIRST),
                    "last_name": rnd.choice(LAST), "sex": rnd.choice("MF"),
                    "birth_date": f"{rnd.randint(1960, 2004)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                    "county": rnd.choice(COUNTIES), "entry_date": entry, "labour_status": rnd.choice(LABOUR),
                    "isced": rnd.randint(0, 8), "consent_on": entry, "area": "urban"}
            created = await self.call(kind, "POST", f"{api}/participants", 201, body)
            if created is not None:
                self.result.writes[kind] += 1
                self.own[created["id"]] = [created["version"], created["area"]]
        elif kind == "update":
            pk = rnd.choice(list(self.own))
            version, area = self.own[pk]
            new_area = "rural" if area == "urban" else "urban"  # always a change: the version must move
            changed = await self.call(kind, "PATCH", f"{api}/participants/{pk}", 200,
                                      {"area": new_area, "version": version})
            if changed is not None:
                self.result.writes[kind] += 1
                self.own[pk] = [changed["version"], changed["area"]]
        elif kind == "counselling":
            body = {"participant_id": rnd.choice(list(self.own)), "kind": rnd.choice(["counselling", "mentoring"]),
                    "date": f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}", "hours": 2,
                    "counsellor": self.spec["username"]}
            if await self.call(kind, "POST", f"{api}/counselling", 201, body) is not None:
                self.result.writes[kind] += 1
        elif kind == "event" or (kind == "attendance" and not self.events):
            body = {"kind": "workshop", "title": f"Load {self.spec['username']}", "date": "2024-05-05",
                    "county": rnd.choice(COUNTIES)}
            created = await self.call("event", "POST", f"{api}/events", 201, body)
            if created is not None:
                self.result.writes["event"] += 1
                self.events.append((created["id"], set()))
        elif kind == "attendance":
            event, present = self.events[-1]
            free = [pk for pk in self.own if pk not in present]
            if not free:
                return
            pk = rnd.choice(free)
            present.add(pk)  # tried once: recorded or an error counted, never sent twice
            if await self.call(kind, "POST", f"{api}/events/{event}/attendance", 201,
                               {"participant_id": pk}) is not None:
                self.result.writes[kind] += 1
        elif kind == "page":
            path = rnd.choice(["/", "/enterprises/", f"/enterprises/?county={rnd.choice(COUNTIES)}",
                               f"/enterprises/{rnd.choice(self.public)}/"])
            await self.call(kind, "GET", path, 200, auth=False)
        elif kind == "public_api":
            path = rnd.choice(["/api/v1/public/organisations", "/api/v1/public/impact",
                               f"/api/v1/public/organisations?county={rnd.choice(COUNTIES)}"])
            await self.call(kind, "GET", path, 200, auth=False)


async def load(port: int, data: dict, users: int, seconds: float) -> tuple[Result, float]:
    result = Result()
    clients = [User(spec, data, port, result, random.Random(SEED * 1000 + spec["n"])) for spec in data["users"][:users]]
    deadline = time.perf_counter() + seconds

    async def run(user: User):
        await asyncio.sleep(user.rnd.random())  # not all at the same instant
        while time.perf_counter() < deadline:
            await user.step()

    started = time.perf_counter()
    await asyncio.gather(*(run(u) for u in clients))
    return result, time.perf_counter() - started


# -- the run ----------------------------------------------------------------------------------------------------


def recreate_postgres(drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    from benchmarks.import_bench import PG_ADMIN_URL

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DB)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--participants", type=int, default=3000, help="registered before the run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--quick", action="store_true", help="20 users, 30 s, 600 participants: a smoke test")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_into:
        seed(args.users, args.participants, args.seed_into)
        return 0
    if args.count_into:
        count(args.count_into)
        return 0
    if args.quick:
        args.users, args.seconds, args.participants = 20, 30.0, 600
    pg, why = postgres_version()
    if pg is None:
        print(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} ({why}): this benchmark needs it.")
        return 2

    work = BENCH_DIR
    work.mkdir(parents=True, exist_ok=True)
    log = work / "log.txt"
    log.write_text("")
    recreate_postgres()
    env = child_env(f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DB}", work / "var", throwaway_keys())
    env["ALLOWED_HOSTS"] = "localhost,127.0.0.1"
    env["SOCEC_API_PUBLIC_PER_MINUTE"] = "100000000"  # one client address for everybody
    progress(f"migrate; {args.users} users with tokens, {args.participants:,} participants, 500 public SES")
    migrate(env, log)
    data_file, counts_file = work / "seed.json", work / "counts.json"
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--seed-into", str(data_file), "--users", str(args.users),
                    "--participants", str(args.participants)], env=env, check=True, cwd=ROOT)
    progress(f"seeded in {time.perf_counter() - started:.0f} s; collectstatic")
    with log.open("ab") as out:
        subprocess.run([*socec_command(), "collectstatic", "--noinput", "-v", "0"], env=env, check=True,
                       stdout=out, stderr=subprocess.STDOUT)
    data = json.loads(data_file.read_text())
    before = {"seeded_versions": sum(v for u in data["users"] for _, v, _ in u["own"])}
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "socec.wsgi", "--workers", str(args.workers), "--bind",
                               f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120",
                               "--log-level", "warning"], env=env, cwd=ROOT, stdout=log.open("ab"),
                              stderr=subprocess.STDOUT)
    try:
        wait_ready(port)
        progress(f"{args.workers} gunicorn workers on 127.0.0.1:{port}; {args.users} users for {args.seconds:.0f} s")
        result, elapsed = asyncio.run(load(port, data, args.users, args.seconds))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    subprocess.run([sys.executable, __file__, "--count-into", str(counts_file)], env=env, check=True, cwd=ROOT)
    after = json.loads(counts_file.read_text())
    if not args.keep:
        recreate_postgres(drop_only=True)
    return report(args, data, before, after, result, elapsed, pg)


def report(args, data, before, after, result: Result, elapsed: float, pg: str) -> int:
    writes = result.writes
    total = sum(len(v) for v in result.latencies.values())
    print(f"\nAPI load with writes: {args.users} users (closed loop), {elapsed:.0f} s; {args.participants:,} "
          f"participants before; gunicorn {args.workers} sync workers, DEBUG off, 127.0.0.1; {cpu_model()}, "
          f"{os.cpu_count()} cores, {ram_gb():.1f} GB RAM; PostgreSQL {pg}")
    print("| kind | requests | errors | per s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    everything: list[float] = []
    order = ["list", "detail", "counselling_list", "report", *WRITE_KINDS, "page", "public_api"]
    for kind in order:
        values = result.latencies.get(kind)
        if not values:
            continue
        everything += values
        errs = sum(result.errors[kind].values())
        print(f"| {kind} | {len(values):,} | {errs} | {len(values) / elapsed:.1f} | {percentile(values, 50):.0f} | "
              f"{percentile(values, 95):.0f} | {percentile(values, 99):.0f} | {max(values):.0f} |")
    errors = collections.Counter()
    for counter in result.errors.values():
        errors.update(counter)
    print(f"| all | {total:,} | {sum(errors.values())} | {total / elapsed:.1f} | {percentile(everything, 50):.0f} | "
          f"{percentile(everything, 95):.0f} | {percentile(everything, 99):.0f} | {max(everything):.0f} |")
    print(f"writes acknowledged: {dict(writes)} = {sum(writes.values()):,} ({sum(writes.values()) / elapsed:.1f}/s)")
    if errors:
        print("unexpected answers by status (0 = transport error): "
              + ", ".join(f"{s}: {n}" for s, n in sorted(errors.items())))
        for line in result.samples:
            print("  " + line)

    checks = [
        ("new participants in the database = registrations acknowledged", after["registered"], writes["register"]),
        ("seeded participants still there", after["seeded"], args.participants),
        ("sum of participant versions - before = updates acknowledged + new participants' versions",
         after["version_sum"] - before["seeded_versions"], writes["update"] + writes["register"]),
        ("counselling sessions = recorded", after["counselling"], writes["counselling"]),
        ("events = created", after["event"], writes["event"]),
        ("event attendance rows = recorded", after["attendance"], writes["attendance"]),
    ] + [(f"audit entries '{' '.join(AUDITED[kind])}' - before = {kind} writes",
          after["audit"][kind] - data["audit_before"][kind], writes[kind]) for kind in WRITE_KINDS]
    failed = False
    for label, found, expected in checks:
        ok = found == expected
        failed |= not ok
        print(f"{'OK  ' if ok else 'FAIL'} {label}: {found:,} (expected {expected:,})")
    server_errors = sum(n for s, n in errors.items() if s >= 500)
    for label, n in [("no 5xx", server_errors), ("no transport error", errors.get(0, 0)),
                     ("no 409 (each user changes only its own rows)", errors.get(409, 0)),
                     ("no other unexpected status", sum(errors.values()) - server_errors - errors.get(0, 0)
                      - errors.get(409, 0))]:
        failed |= n != 0
        print(f"{'OK  ' if n == 0 else 'FAIL'} {label}: {n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
