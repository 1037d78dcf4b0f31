"""SOCEC indicator report benchmark: `report(Scope(), D)` at national scale, on SQLite and PostgreSQL, vs DuckDB.

The report of all projects adds up cached per-project parts (socec/indicators/cache.py): the warm-up
fills them, the timed runs read them back, and after a change only the changed project is counted
again. The same report counted afresh with nothing cached is timed too and printed beside it.

    .venv/bin/python benchmarks/report_bench.py            # 1,000,000 participants over 500 projects, 5 runs a case
    .venv/bin/python benchmarks/report_bench.py --quick    # 1/50 of that: a smoke test

A fresh database per backend is migrated (`socec migrate`) and filled with synthetic rows written
straight into SOCEC's tables (SQLite: executemany; PostgreSQL: COPY of the same rows), then
ANALYZEd. A child process with production-like settings (DEBUG off, throw-away keys) times, after
a warm-up, the report of all projects, the report of the largest project, and each of them again
right after one participant's labour status was changed through the service (checking that the
figures moved). DuckDB computes the participant indicators from the same rows with SQL written
here: its figures must equal SOCEC's. See benchmarks/README.md for how to read the output.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import asdict, dataclass, field
from math import exp
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_bench import (  # noqa: E402 - after the path is set
    PG_ADMIN_URL,
    PG_HOST,
    PG_PORT,
    PG_USER,
    child_env,
    cpu_model,
    fmt_runs,
    migrate,
    postgres_version,
    progress,
    ram_gb,
    throwaway_keys,
)

PG_DB = "socec_report_bench"
PG_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DB}"
BENCH_DIR = ROOT / "var" / "bench"
SEED = 1

# The national scale; --quick takes QUICK_FRACTION of it.
FULL = {"participants": 1_000_000, "projects": 500, "organisations": 20_000, "jobs": 100_000,
        "employments": 100_000, "events": 5_000}
QUICK_FRACTION = 1 / 50
TARGET_ALL_MS = 2000.0
TARGET_PROJECT_MS = 150.0

AS_OF = dt.date(2026, 9, 30)  # D of every report
CUTOFF = dt.date(2026, 11, 15)  # the records' "today": nothing recorded happens after it
FIRST_START, LAST_START = dt.date(2022, 1, 1), dt.date(2024, 12, 31)  # project start dates
REUSE_SHARE = 0.0196  # of participations: a person already in another project (~2% of persons)
VULNERABLE_SHARE = 0.40
URBAN_OUTSIDE_BUCHAREST = 0.49  # 54% urban overall (2021 census), Bucharest's 1.7 million all urban
PARTICIPANTS_PER_COURSE = 25

# Codes DuckDB recomputes and compares.
PERSON_CODES = [f"EECO{k:02d}" for k in range(1, 18)] + [f"EECR{k:02d}" for k in range(1, 7)]
ACTIVITY_CODES = ["SE01", "SE02", "SE10"]
COMPARED = PERSON_CODES + ACTIVITY_CODES


@dataclass(frozen=True)
class Size:
    participants: int
    projects: int
    organisations: int
    jobs: int
    employments: int
    events: int

    @classmethod
    def scaled(cls, fraction: float) -> "Size":
        return cls(**{k: max(1, round(v * fraction)) for k, v in FULL.items()})

    @property
    def full(self) -> bool:
        return asdict(self) == FULL


# -- synthetic rows ------------------------------------------------------------------------------

def _weights_table(weights: dict, size: int = 1000) -> list:
    from socec.workbook.synthetic import _table

    return _table(weights, size)


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), each part at least `minimum`."""
    minimum = min(minimum, total // len(weights))
    rest = total - minimum * len(weights)
    s = sum(weights)
    exact = [w * rest / s for w in weights]
    parts = [int(x) for x in exact]
    for k in sorted(range(len(weights)), key=lambda k: parts[k] - exact[k])[: rest - sum(parts)]:
        parts[k] += 1
    return [p + minimum for p in parts]


_ISO: dict[int, str] = {}


def iso(ordinal: int) -> str:
    text = _ISO.get(ordinal)
    if text is None:
        text = _ISO[ordinal] = dt.date.fromordinal(ordinal).isoformat()
    return text


@dataclass
class Project:
    id: int
    code: str
    size: int
    region: str
    start: int  # ordinal
    end: int
    lead: int
    partners: list[int] = field(default_factory=list)
    supported: list[int] = field(default_factory=list)
    first_participation: int = 0
    last_participation: int = 0


COLUMNS = {
    "orgs_organisation": ["id", "code", "name", "legal_form", "cui", "area", "founded_on", "caen", "caen_section",
                          "is_ses", "attested_on", "attestation_no", "social_mark_on", "social_mark_no", "public",
                          "website", "contact_email", "contact_phone", "description", "created_at", "updated_at",
                          "county_id", "locality_id", "search_text"],
    "programmes_project": ["id", "code", "title", "programme", "funder", "start_date", "end_date", "description",
                           "created_at", "updated_at", "lead_organisation_id"],
    "programmes_partnership": ["id", "role", "organisation_id", "project_id"],
    "people_person": ["id", "sex", "birth_date", "person_key", "created_at"],
    "people_participation": ["id", "person_ref", "area", "entry_date", "labour_status", "isced", "disability",
                             "minority", "third_country_national", "foreign_background", "homeless", "exit_date",
                             "exit_status", "qualification_gained", "status_6m", "improved_6m", "consent_on",
                             "erased_at", "created_at", "updated_at", "county_id", "locality_id", "organisation_id",
                             "person_id", "project_id"],
    "people_participation_vulnerable": ["id", "participation_id", "vulnerablecategory_id"],
    "training_course": ["id", "code", "title", "kind", "hours", "min_attendance_pct", "start_date", "end_date",
                        "accredited", "occupation_code", "county_id", "locality_id", "project_id"],
    "training_enrolment": ["id", "enrolled_on", "completed", "completed_on", "certified", "certificate_no",
                           "course_id", "participation_id"],
    "jobs_job": ["id", "code", "title", "created_on", "hours_per_week", "employer_id", "project_id"],
    "jobs_employment": ["id", "person_name", "person_name_key", "start_date", "end_date", "hours_per_week",
                        "vulnerable", "participation_id", "vulnerable_category_id", "job_id"],
    "outreach_event": ["id", "code", "kind", "title", "date", "area", "venue", "participants", "theme",
                       "conclusions", "county_id", "locality_id", "project_id", "public"],
    "outreach_eventattendance": ["id", "event_id", "organisation_id", "participation_id"],
    "outreach_campaign": ["id", "code", "channel", "title", "start_date", "end_date", "reach", "project_id"],
    "outreach_publication": ["id", "code", "kind", "title", "published_on", "url", "file", "project_id", "public"],
    "programmes_target": ["id", "indicator", "value", "county_id", "project_id", "region_id"],
}
TABLES = list(COLUMNS)  # in the order they are filled (foreign keys point backwards)

EVENT_KINDS = {"caravan_stop": 30, "counselling_session": 25, "workshop": 15, "conference": 10, "round_table": 10,
               "debate": 4, "fair": 4, "other": 2}
COURSE_KINDS = {"training": 70, "counselling": 20, "mentoring": 10}
YNR = {"disability": {"yes": 9, "no": 85, "refused": 2, "": 4}, "minority": {"yes": 12, "no": 80, "refused": 4, "": 4},
       "foreign_background": {"yes": 2, "no": 92, "refused": 2, "": 4}}
CHANNELS = ["press", "radio", "tv", "outdoor", "online", "film", "print", "event"]
PUBLICATION_KINDS = ["study", "research", "report", "guide", "film", "other"]
TARGET_CODES = {"EECO01": 1.05, "EECO02": 0.5, "EECO17": 0.4, "EECR04": 0.2, "SE01": 0.6}


class Population:
    """Deterministic synthetic rows (fixed seed) at the given size, written with executemany into a
    migrated SQLite database. Proportions: socec/workbook/synthetic.py (2021 census counties, sex,
    age, labour status, education, exits, vulnerable groups), dates in 2022-2026."""

    def __init__(self, size: Size, seed: int, localities: dict[str, list[int]]):
        from socec.people.categories import CATEGORY_CODES
        from socec.places.data import COUNTIES
        from socec.workbook import synthetic as syn

        self.size, self.rng, self.localities = size, Random(seed), localities
        self.counties = {code: region for code, _name, region, _jud, _siruta in COUNTIES}
        population = syn.COUNTY_POPULATION_2021
        self.national = _weights_table(population, 10_000)
        self.by_region: dict[str, list[str]] = {}
        for region in sorted(set(self.counties.values())):
            self.by_region[region] = _weights_table({c: p for c, p in population.items()
                                                     if self.counties[c] == region}, 1000)
        region_population = {r: sum(population[c] for c in population if self.counties[c] == r)
                             for r in self.by_region}
        self.regions = _weights_table(region_population, 1000)
        self.sex = _weights_table(syn.SEX_WEIGHTS)
        self.age_bands = _weights_table({(a, b): w for a, b, w in syn.AGE_BANDS})
        self.labour = _weights_table(syn.LABOUR_WEIGHTS)
        self.isced = [int(x) for x in _weights_table(syn.ISCED_WEIGHTS)]
        self.exit_status = _weights_table(syn.EXIT_WEIGHTS)
        self.status_6m = _weights_table(syn.STATUS_6M_WEIGHTS)
        self.ynr = {k: _weights_table(v) for k, v in YNR.items()}
        self.categories = _weights_table({c: syn.VULNERABLE_WEIGHTS.get(c, 1) for c in CATEGORY_CODES})
        self.course_kinds = _weights_table(COURSE_KINDS)
        self.job_hours = _weights_table(syn.JOB_HOURS)
        self.ses_forms = _weights_table(syn.SES_FORMS)
        self.event_kinds = _weights_table(EVENT_KINDS)
        self.projects: list[Project] = []
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.reused = 0

    # helpers
    def pick(self, table: list):
        return table[int(self.rng.random() * len(table))]

    def area(self, county: str) -> str:
        """Urban or rural (1% not recorded); Bucharest is all urban."""
        if county == "B":
            return "urban"
        r = self.rng.random()
        return "" if r < 0.01 else ("urban" if r < 0.01 + 0.99 * URBAN_OUTSIDE_BUCHAREST else "rural")

    def key(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def insert(self, db: sqlite3.Connection, table: str, rows: list) -> None:
        if rows:
            cols = COLUMNS[table]
            db.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})', rows)
            self.counts[table] += len(rows)

    # the plan: projects, their organisations and partnerships
    def plan(self) -> None:
        n_proj, rng = self.size.projects, self.rng
        weights = [exp(rng.gauss(0, 0.9)) for _ in range(n_proj)]
        sizes = apportion(self.size.participants, weights, minimum=50)
        n_partner_pool = min(2 * n_proj, max(0, self.size.organisations - n_proj - 3 * n_proj))
        first_supported = n_proj + n_partner_pool + 1
        supported_ids = list(range(first_supported, self.size.organisations + 1))
        per_project = apportion(len(supported_ids), sizes, minimum=3)
        cursor = 0
        for k in range(n_proj):
            start = FIRST_START.toordinal() + rng.randrange(LAST_START.toordinal() - FIRST_START.toordinal())
            p = Project(id=k + 1, code=f"PRJ{k + 1:04d}", size=sizes[k], region=self.pick(self.regions),
                        start=start, end=start + rng.randrange(730, 1280), lead=k + 1)
            if n_partner_pool:
                p.partners = rng.sample(range(n_proj + 1, n_proj + n_partner_pool + 1), rng.randint(1, 3))
            p.supported = supported_ids[cursor:cursor + per_project[k]]
            cursor += per_project[k]
            self.projects.append(p)
        # 5% of the supported organisations are supported by a second project too
        for org in rng.sample(supported_ids, len(supported_ids) // 20) if n_proj > 1 else []:
            p = self.pick(self.projects)
            if org not in p.supported:
                p.supported.append(org)

    def organisations(self, db) -> None:
        rng, rows = self.rng, []
        home: dict[int, str] = {}
        for p in self.projects:
            for org in p.supported:
                home.setdefault(org, p.region)
        n_proj = self.size.projects
        for org in range(1, self.size.organisations + 1):
            region = home.get(org)
            county = self.pick(self.by_region[region] if region and rng.random() < 0.85 else self.national)
            founded = FIRST_START.toordinal() - rng.randrange(200, 9000)
            if region:  # supported: social economy structures, many created by the projects
                is_ses = rng.random() < 0.85
                form = self.pick(self.ses_forms) if is_ses else "company"
                if is_ses and rng.random() < 0.45:
                    founded = FIRST_START.toordinal() + rng.randrange(CUTOFF.toordinal() - FIRST_START.toordinal())
            else:
                is_ses = rng.random() < 0.3
                form = ("association", "foundation", "public_authority")[0 if org <= n_proj else rng.randrange(3)]
            created = iso(min(founded, CUTOFF.toordinal())) + " 08:00:00"
            rows.append((org, f"ORG{org:06d}", f"Organizația {org}", form, "", self.area(county), iso(founded), "", "",
                         is_ses, None, "", None, "", rng.random() < 0.5, "", "", "", "", created, created, county,
                         None, f"organizatia {org} org{org:06d}"))
        self.insert(db, "orgs_organisation", rows)

    def projects_and_partnerships(self, db) -> None:
        rows, partnerships = [], []
        for p in self.projects:
            created = iso(p.start) + " 08:00:00"
            rows.append((p.id, p.code, f"Proiect de economie socială {p.id}", "PEO 2021-2027", "FSE+", iso(p.start),
                         iso(p.end), "", created, created, p.lead))
            for org, role in [(p.lead, "lead"), *((o, "partner") for o in p.partners),
                              *((o, "supported") for o in p.supported)]:
                partnerships.append((len(partnerships) + 1, role, org, p.id))
        self.insert(db, "programmes_project", rows)
        self.insert(db, "programmes_partnership", partnerships)

    # people: persons, participations, vulnerable categories, courses, enrolments (one project at a time)
    def people(self, db) -> None:
        rng, random, pick = self.rng, self.rng.random, self.pick
        cutoff = CUTOFF.toordinal()
        pool = array("q")  # person ids of the projects done so far
        reused: set[int] = set()
        person_id = participation_id = vulnerable_id = course_id = enrolment_id = 0
        for p in self.projects:
            first, last = p.start + 30, min(p.end - 60, cutoff)
            entries = sorted(first + int(random() * (last - first + 1)) for _ in range(p.size))
            region_counties = self.by_region[p.region]
            registrars = [p.lead, p.lead, *p.partners]
            persons, parts, vulnerable, courses, enrolments = [], [], [], [], []
            used: set[int] = set()
            p.first_participation = participation_id + 1
            course_kind = "training"
            for i, entry in enumerate(entries):
                participation_id += 1
                if pool and random() < REUSE_SHARE:
                    for _ in range(5):
                        person = pool[int(random() * len(pool))]
                        if person not in reused and person not in used:
                            break
                    else:
                        person = 0
                else:
                    person = 0
                if person:
                    reused.add(person)
                    self.reused += 1
                else:
                    person_id += 1
                    person = person_id
                    lo, hi = pick(self.age_bands)
                    birth = entry - int(rng.randint(lo, hi) * 365.2425) - int(random() * 365)
                    persons.append((person, pick(self.sex), iso(birth), self.key(), iso(entry) + " 09:00:00"))
                used.add(person)
                county = pick(region_counties) if random() < 0.8 else pick(self.national)
                exit_date = exit_status = status_6m = ""
                qualification = improved = None
                if random() < 0.8:
                    exit_day = entry + rng.randint(130, 420)
                    if exit_day <= cutoff:
                        exit_date, exit_status = iso(exit_day), pick(self.exit_status)
                        r = random()
                        qualification = True if r < 0.4 else (False if r < 0.85 else None)
                        if exit_day + 183 <= cutoff:
                            status_6m = pick(self.status_6m)
                            r = random()
                            improved = True if r < 0.35 else (False if r < 0.85 else None)
                r = random()
                tcn = True if r < 0.01 else (False if r < 0.96 else None)
                r = random()
                homeless = True if r < 0.02 else (False if r < 0.96 else None)
                stamp = iso(entry) + " 09:00:00"
                parts.append((participation_id, f"P{i + 1:07d}", self.area(county), iso(entry), pick(self.labour),
                              pick(self.isced), pick(self.ynr["disability"]), pick(self.ynr["minority"]), tcn,
                              pick(self.ynr["foreign_background"]), homeless, exit_date or None, exit_status,
                              qualification, status_6m, improved, iso(entry), None, stamp, stamp, county, None,
                              pick(registrars), person, p.id))
                if random() < VULNERABLE_SHARE:
                    cats = {pick(self.categories)}
                    if random() < 0.25:
                        cats.add(pick(self.categories))
                    for cat in sorted(cats):
                        vulnerable_id += 1
                        vulnerable.append((vulnerable_id, participation_id, cat))
                if i % PARTICIPANTS_PER_COURSE == 0:
                    course_id += 1
                    course_kind = pick(self.course_kinds)
                    hours = rng.choice([40, 60, 80, 90]) if course_kind == "training" else rng.choice([8, 12, 16, 24])
                    courses.append((course_id, f"C{i // PARTICIPANTS_PER_COURSE + 1:05d}", f"Curs {course_id}",
                                    course_kind, hours, 80 if course_kind == "training" else None, iso(entry + 7),
                                    iso(entry + 67), course_kind == "training" and random() < 0.6, "", county, None,
                                    p.id))
                enrolled = entry + int(random() * 8)
                r = random()
                completed = completed_on = certified = None
                done = enrolled + rng.randint(20, 120)
                if done <= cutoff:
                    if r < (0.78 if course_kind == "training" else 0.6):
                        completed, completed_on = True, iso(done)
                        certified = random() < 0.65 if course_kind == "training" else None
                    elif r < 0.9:
                        completed = False
                enrolment_id += 1
                enrolments.append((enrolment_id, iso(enrolled), completed, completed_on, certified,
                                   f"CERT-{enrolment_id}" if certified else "", course_id, participation_id))
            p.last_participation = participation_id
            self.insert(db, "people_person", persons)
            self.insert(db, "people_participation", parts)
            self.insert(db, "people_participation_vulnerable", vulnerable)
            self.insert(db, "training_course", courses)
            self.insert(db, "training_enrolment", enrolments)
            pool.extend(row[0] for row in persons)

    def jobs(self, db) -> None:
        rng, random, pick, cutoff = self.rng, self.rng.random, self.pick, CUTOFF.toordinal()
        per_project = apportion(self.size.jobs, [p.size for p in self.projects], minimum=1)
        jobs, employments = [], []
        n_employments = self.size.employments
        job_id = employment_id = 0
        for p, count in zip(self.projects, per_project, strict=True):
            for k in range(count):
                job_id += 1
                r = random()
                employer = (pick(p.supported) if r < 0.85 or not p.partners else
                            pick(p.partners) if r < 0.95 else p.lead)
                window = min(p.end, cutoff)
                created = (p.start - rng.randint(1, 200) if random() < 0.07
                           else p.start + int(random() * (window - p.start + 1)))
                hours = pick(self.job_hours)
                jobs.append((job_id, f"J{k + 1:05d}", "lucrător", iso(created), hours, employer, p.id))
                # one job in ten has no employment, one in ten two (one after the other): as many as jobs
                slot = job_id % 10
                holders = min(0 if slot == 0 else 2 if slot == 1 else 1, n_employments - employment_id)
                start = created + rng.randint(0, 60)
                for h in range(holders):
                    employment_id += 1
                    end = None
                    if h == 0 and holders == 2:
                        end = start + rng.randint(60, 300)
                    elif random() < 0.22:
                        end = start + rng.randint(30, 500)
                    if random() < 0.7:
                        participation = (p.first_participation
                                         + int(random() * (p.last_participation - p.first_participation + 1)))
                        name_key, vulnerable, category = "", None, None
                    else:
                        participation, name_key = None, self.key()
                        r = random()
                        vulnerable = True if r < 0.35 else (False if r < 0.9 else None)
                        category = pick(self.categories) if vulnerable and random() < 0.5 else None
                    hours_held = None if random() < 0.7 else rng.choice([20, 30, 40])
                    employments.append((employment_id, "", name_key, iso(start), iso(end) if end else None,
                                        hours_held, vulnerable, participation, category, job_id))
                    if end:
                        start = end + rng.randint(1, 30)
        self.insert(db, "jobs_job", jobs)
        self.insert(db, "jobs_employment", employments)

    def outreach(self, db) -> None:
        rng, random, pick, cutoff = self.rng, self.rng.random, self.pick, CUTOFF.toordinal()
        per_project = apportion(self.size.events, [p.size for p in self.projects], minimum=2)
        events, attendance, campaigns, publications, targets = [], [], [], [], []
        event_id = 0
        for p, count in zip(self.projects, per_project, strict=True):
            window = min(p.end, cutoff)
            region_counties = self.by_region[p.region]
            for k in range(count):
                event_id += 1
                kind = pick(self.event_kinds)
                county = pick(region_counties)
                locality = None
                places = self.localities.get(county)
                if places and random() < (0.7 if kind == "caravan_stop" else 0.2):
                    locality = rng.choice(places[:40])  # the caravan comes back to some places
                title = f"Eveniment {k + 1}"
                if kind == "caravan_stop":  # without a locality, the same few titles: SE09 counts each once
                    title = f"Caravana la {locality}" if locality else f"Caravana - punctul {rng.randrange(6)}"
                date = p.start + int(random() * (window - p.start + 1))
                events.append((event_id, f"E{k + 1:04d}", kind, title, iso(date), self.area(county), "",
                               rng.randint(10, 200) if random() < 0.6 else None, "", "", county, locality, p.id,
                               True))
                people = p.last_participation - p.first_participation + 1
                attendees = []
                if kind == "counselling_session":
                    attendees = rng.sample(range(people), min(8, people))
                elif kind == "workshop" and random() < 0.5:
                    attendees = rng.sample(range(people), min(12, people))
                for a in attendees:
                    attendance.append((len(attendance) + 1, event_id, None, p.first_participation + a))
                if kind == "conference" and random() < 0.3:
                    for org in {p.lead, *p.partners}:
                        attendance.append((len(attendance) + 1, event_id, org, None))
            for k in range(3):
                start = p.start + int(random() * (window - p.start + 1)) if random() < 0.9 else None
                campaigns.append((len(campaigns) + 1, f"CMP{k + 1}", CHANNELS[rng.randrange(len(CHANNELS))],
                                  f"Campania {k + 1}", iso(start) if start else None,
                                  iso(start + rng.randint(10, 90)) if start else None,
                                  rng.randint(1000, 200_000) if random() < 0.7 else None, p.id))
            for k in range(2):
                published = p.start + int(random() * (window - p.start + 1)) if random() < 0.85 else None
                publications.append((len(publications) + 1, f"PUB{k + 1}", rng.choice(PUBLICATION_KINDS),
                                     f"Publicația {k + 1}", iso(published) if published else None, "", "", p.id,
                                     True))
            for code, share in TARGET_CODES.items():
                targets.append((len(targets) + 1, code, round(p.size * share), None, p.id, None))
            targets.append((len(targets) + 1, "SE04", len(p.supported) * 2, None, p.id, None))
            targets.append((len(targets) + 1, "SE08", count, None, p.id, p.region))
            for county in sorted(set(region_counties))[:2]:
                targets.append((len(targets) + 1, "EECO01", round(p.size * 0.3), county, p.id, None))
        self.insert(db, "outreach_event", events)
        self.insert(db, "outreach_eventattendance", attendance)
        self.insert(db, "outreach_campaign", campaigns)
        self.insert(db, "outreach_publication", publications)
        self.insert(db, "programmes_target", targets)

    def write(self, db: sqlite3.Connection) -> None:
        self.plan()
        self.organisations(db)
        self.projects_and_partnerships(db)
        self.people(db)
        self.jobs(db)
        self.outreach(db)


# -- loading the databases -----------------------------------------------------------------------

def sqlite_localities(path: Path) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    with sqlite3.connect(path) as db:
        for siruta, county in db.execute("SELECT siruta, county_id FROM places_locality WHERE level = 3 "
                                         "ORDER BY siruta"):
            out.setdefault(county, []).append(siruta)
    return out


def fill_sqlite(path: Path, size: Size, seed: int) -> Population:
    """The synthetic rows into the migrated SQLite file; secondary indexes dropped and rebuilt around the
    load (the same CREATE INDEX statements the migrations made), then ANALYZE."""
    population = Population(size, seed, sqlite_localities(path))
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-262144")
        names = ", ".join(f"'{t}'" for t in TABLES)
        indexes = db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                             f"AND tbl_name IN ({names})").fetchall()
        db.execute("BEGIN")
        for name, _sql in indexes:
            db.execute(f'DROP INDEX "{name}"')
        population.write(db)
        for _name, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        db.execute("ANALYZE")
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()
    return population


def fresh_postgres_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DB)))


def drop_postgres_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB)))


def fill_postgres(sqlite_path: Path) -> dict[str, str]:
    """The same rows, read from the filled SQLite file, into the migrated PostgreSQL database with COPY.
    Secondary indexes are dropped and rebuilt from their definitions, foreign-key triggers are off
    for the load (session_replication_role = replica; the rows are consistent by construction; CHECK
    constraints still apply), sequences are moved past the ids, then VACUUM ANALYZE."""
    import psycopg

    url = PG_URL.replace("postgres://", "postgresql://")
    source = sqlite3.connect(sqlite_path)
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET TimeZone = 'UTC'")
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)", (TABLES,)).fetchall()
        for name, _definition in indexes:
            conn.execute(f"DROP INDEX {name}")
        with conn.cursor() as cur:
            for table in TABLES:
                cols = ", ".join(COLUMNS[table])
                rows = source.execute(f'SELECT {cols} FROM "{table}" ORDER BY id')
                with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    while chunk := rows.fetchmany(10_000):
                        for row in chunk:
                            copy.write_row(row)
        for _name, definition in indexes:
            conn.execute(definition)
        for table in TABLES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), max(id)) FROM \"{table}\" "
                         f"HAVING max(id) IS NOT NULL")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        settings = dict(conn.execute("SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN "
                                     "('shared_buffers', 'work_mem', 'effective_cache_size', 'jit', "
                                     "'max_parallel_workers_per_gather')").fetchall())
    source.close()
    return settings


# -- the child: timing SOCEC's report ------------------------------------------------------------

def child_main(params_file: str) -> int:
    """Runs in a child process with production-like settings; writes its results as JSON."""
    params = json.loads(Path(params_file).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socec.settings")
    import django

    django.setup()
    from django.db import connection

    from socec.indicators.engine import Scope, report
    from socec.people.models import Participation
    from socec.people.services import participant_update
    from socec.programmes.models import Project

    as_of, runs = dt.date.fromisoformat(params["as_of"]), params["runs"]
    project = Project.objects.get(code=params["project"])
    scopes = {"all": Scope(), "project": Scope(project)}
    out: dict = {"checks": [], "vendor": connection.vendor}

    def timed(scope) -> tuple[float, dict]:
        started = time.perf_counter()
        result = report(scope, as_of)
        return (time.perf_counter() - started) * 1000, result

    # the project's dashboard page (/staff/p/<code>/report/): its report, charts and timeline, rendered,
    # through the whole request (middleware, session, template), as a superuser
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off: pages name the hashed static files
    admin = get_user_model().objects.filter(username="bench-admin").first() or \
        get_user_model().objects.create_superuser("bench-admin", "bench@example.org", None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    dashboard_url = f"/staff/p/{project.code}/report/?as_of={as_of.isoformat()}"

    def dashboard_ms() -> float:
        started = time.perf_counter()
        response = client.get(dashboard_url, secure=True, HTTP_ACCEPT_LANGUAGE="ro")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"dashboard: HTTP {response.status_code}")
        return elapsed

    base = {name: report(scope, as_of) for name, scope in scopes.items()}  # warm-up
    Path(params["report_out"]).write_text(json.dumps(base["all"], sort_keys=True))
    for name, scope in scopes.items():
        out[name], same = [], True
        for _ in range(runs):
            ms, result = timed(scope)
            out[name].append(ms)
            same = same and result == base[name]
        out["checks"].append((f"{name}: the same report on every run", same))
    dashboard_ms()  # warm-up (templates)
    out["dashboard"] = [dashboard_ms() for _ in range(runs)]

    # the first report of a date, with no cached part: every project counted afresh (not a target: a
    # date's first report of several projects fills the part cache, see socec/indicators/cache.py)
    out["all_fresh"], same = [], True
    for _ in range(max(1, min(runs, 3))):
        started = time.perf_counter()
        result = report(scopes["all"], as_of, cached=False)
        out["all_fresh"].append((time.perf_counter() - started) * 1000)
        same = same and result == base["all"]
    out["checks"].append(("all: counted afresh, the same report as from the cached parts", same))

    # change one participant (unemployed -> inactive), then the next report; it must show the change
    candidates = list(Participation.objects.filter(project=project, labour_status="unemployed",
                                                   entry_date__lte=as_of).order_by("pk")[:3 * runs])
    out["update"], changed, moved = [], 0, {"all": True, "project": True}
    for k in range(runs):
        for j, (name, scope) in enumerate(scopes.items()):
            participation = candidates[2 * k + j]
            started = time.perf_counter()
            participant_update(participation=participation, data={"labour_status": "inactive"}, by=None)
            out["update"].append((time.perf_counter() - started) * 1000)
            changed += 1
            ms, result = timed(scope)
            out.setdefault(f"change_{name}", []).append(ms)
            figures = result["indicators"]
            before = base[name]["indicators"]
            if not (figures["EECO02"]["value"] == before["EECO02"]["value"] - changed
                    and figures["EECO04"]["value"] == before["EECO04"]["value"] + changed):
                print(f"change {k} {name}: {changed} changes, EECO02 {before['EECO02']['value']} -> "
                      f"{figures['EECO02']['value']}, EECO04 {before['EECO04']['value']} -> "
                      f"{figures['EECO04']['value']}", flush=True)
            moved[name] = moved[name] and (
                figures["EECO02"]["value"] == before["EECO02"]["value"] - changed
                and figures["EECO04"]["value"] == before["EECO04"]["value"] + changed
                and figures["EECO01"]["value"] == before["EECO01"]["value"])
            if name == "project":  # and the dashboard after another change
                participant_update(participation=candidates[2 * runs + k], data={"labour_status": "inactive"},
                                   by=None)
                changed += 1
                out.setdefault("change_dashboard", []).append(dashboard_ms())
    for name in scopes:
        out["checks"].append((f"change -> {name}: EECO02 -1 and EECO04 +1 per change, EECO01 unchanged, "
                              f"on every run", moved[name]))

    # one diagnostic run of each scope (not timed above): each statement's time until the next one starts,
    # i.e. executing it, fetching its rows (SQLite computes much of a grouped query while it is fetched)
    # and the Python work on them
    for name, scope in scopes.items():
        marks: list[tuple[float, str]] = []

        def log(execute, sql, params_, many, context, marks=marks):
            marks.append((time.perf_counter(), sql))
            return execute(sql, params_, many, context)

        with connection.execute_wrapper(log):
            started = time.perf_counter()
            report(scope, as_of)
            ended = time.perf_counter()
        spans = [((marks[k + 1][0] if k + 1 < len(marks) else ended) - t) * 1000 for k, (t, _sql) in enumerate(marks)]
        out[f"queries_{name}"] = {"total_ms": (ended - started) * 1000, "count": len(marks),
                                  "top": sorted(zip(spans, (sql for _t, sql in marks), strict=True),
                                                key=lambda q: -q[0])[:6]}
    Path(params["out"]).write_text(json.dumps(out))
    return 0


@dataclass
class Measured:
    backend: str
    ok: bool
    note: str = ""
    results: dict = field(default_factory=dict)
    report: dict | None = None


def measure(backend: str, url: str, work: Path, keys: dict, as_of: dt.date, project: str, runs: int,
            timeout: float) -> Measured:
    params = {"as_of": as_of.isoformat(), "project": project, "runs": runs,
              "out": str(work / f"{backend}-results.json"), "report_out": str(work / f"{backend}-report.json")}
    params_file = work / f"{backend}-params.json"
    params_file.write_text(json.dumps(params))
    log = work / f"{backend}-child.log"
    env = child_env(url, work, keys)
    with log.open("ab") as out:
        try:
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(params_file)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    if code != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-8:]
        return Measured(backend, False, f"child exit {code}; log {log}: " + " | ".join(tail))
    return Measured(backend, True, results=json.loads(Path(params["out"]).read_text()),
                    report=json.loads(Path(params["report_out"]).read_text()))


# -- DuckDB ----------------------------------------------------------------------------------------

DUCK_TABLES = {
    "people_participation": ["id", "project_id", "person_id", "county_id", "area", "entry_date", "labour_status",
                             "isced", "disability", "minority", "third_country_national", "foreign_background",
                             "homeless", "exit_date", "exit_status", "qualification_gained", "status_6m",
                             "improved_6m"],
    "people_person": ["id", "sex", "birth_date", "person_key"],
    "training_course": ["id", "kind"],
    "training_enrolment": ["id", "course_id", "participation_id", "enrolled_on", "completed", "completed_on",
                           "certified"],
    "outreach_event": ["id", "kind", "date"],
    "outreach_eventattendance": ["id", "event_id", "participation_id"],
    "places_county": ["code", "region_id"],
}
BOOLEAN_COLUMNS = {"third_country_national", "homeless", "qualification_gained", "improved_6m", "completed",
                   "certified"}
DATE_COLUMNS = {"entry_date", "exit_date", "birth_date", "enrolled_on", "completed_on", "date"}
INTEGER_COLUMNS = {"id", "project_id", "person_id", "isced", "course_id", "participation_id", "event_id"}

# The indicators as SQL conditions on one entered participant (columns of the CTE `p` below).
DUCK_PERSON = {
    "EECO01": "TRUE",
    "EECO02": "labour_status IN ('unemployed', 'long_term_unemployed')",
    "EECO03": "labour_status = 'long_term_unemployed'",
    "EECO04": "labour_status = 'inactive'",
    "EECO05": "labour_status IN ('employed', 'self_employed')",
    "EECO06": "age < 18",
    "EECO07": "age BETWEEN 18 AND 29",
    "EECO08": "age >= 55",
    "EECO09": "isced <= 2",
    "EECO10": "isced BETWEEN 3 AND 4",
    "EECO11": "isced >= 5",
    "EECO12": "disability = 'yes'",
    "EECO13": "third_country_national",
    "EECO14": "foreign_background = 'yes'",
    "EECO15": "minority = 'yes'",
    "EECO16": "homeless",
    "EECO17": "area = 'rural'",
    "EECR01": "has_left AND exit_status = 'job_searching'",
    "EECR02": "has_left AND exit_status = 'education_training'",
    "EECR03": "has_left AND qualification_gained",
    "EECR04": "has_left AND exit_status IN ('employed', 'self_employed')",
    "EECR05": "left_6m AND status_6m IN ('employed', 'self_employed')",
    "EECR06": "left_6m AND improved_6m",
}
DUCK_REFUSED = {"EECO12": "disability = 'refused'", "EECO14": "foreign_background = 'refused'",
                "EECO15": "minority = 'refused'"}
DUCK_ACTIVITY = {"SE01": "trained", "SE02": "certified", "SE10": "counselled"}

# Age in full years on the entry date, written differently from the engine (which compares YYYYMMDD
# integers); "six months after leaving" with DuckDB's own month arithmetic (31 Aug + 6 months = end Feb).
DUCK_PEOPLE = """
    SELECT pe.sex, pa.county_id, coalesce(c.region_id, 'unknown') AS region,
           CASE WHEN pa.area = '' THEN 'unknown' ELSE pa.area END AS place_area, pa.area, pe.person_key,
           pa.labour_status, pa.isced, pa.disability, pa.minority, pa.third_country_national,
           pa.foreign_background, pa.homeless, pa.exit_status, pa.qualification_gained, pa.status_6m,
           pa.improved_6m,
           year(pa.entry_date) - year(pe.birth_date)
             - CASE WHEN month(pa.entry_date) * 100 + day(pa.entry_date)
                         < month(pe.birth_date) * 100 + day(pe.birth_date) THEN 1 ELSE 0 END AS age,
           coalesce(pa.exit_date <= $d, FALSE) AS has_left,
           coalesce(pa.exit_date + INTERVAL 6 MONTH <= $d, FALSE) AS left_6m
    FROM people_participation pa
    JOIN people_person pe ON pe.id = pa.person_id
    LEFT JOIN places_county c ON c.code = pa.county_id
    WHERE pa.entry_date <= $d
"""
DUCK_ACTIVITIES = """
    WITH trained AS (
        SELECT e.participation_id, bool_or(coalesce(e.certified, FALSE)) AS certified
        FROM training_enrolment e JOIN training_course c ON c.id = e.course_id
        WHERE c.kind = 'training' AND e.completed AND e.completed_on <= $d
        GROUP BY e.participation_id),
    counselled AS (
        SELECT e.participation_id FROM training_enrolment e JOIN training_course c ON c.id = e.course_id
        WHERE c.kind IN ('counselling', 'mentoring') AND e.enrolled_on <= $d
        UNION
        SELECT a.participation_id FROM outreach_eventattendance a JOIN outreach_event ev ON ev.id = a.event_id
        WHERE ev.kind = 'counselling_session' AND ev.date <= $d AND a.participation_id IS NOT NULL)
    SELECT pe.sex, pa.county_id, coalesce(c.region_id, 'unknown') AS region,
           CASE WHEN pa.area = '' THEN 'unknown' ELSE pa.area END AS place_area, pe.person_key,
           t.participation_id IS NOT NULL AS trained, coalesce(t.certified, FALSE) AS certified,
           s.participation_id IS NOT NULL AS counselled
    FROM people_participation pa
    JOIN people_person pe ON pe.id = pa.person_id
    LEFT JOIN places_county c ON c.code = pa.county_id
    LEFT JOIN trained t ON t.participation_id = pa.id
    LEFT JOIN counselled s ON s.participation_id = pa.id
"""
BREAKDOWNS = {"sex": "sex", "region": "region", "county": "county_id", "area": "place_area"}


def duck_load(sqlite_path: Path, work: Path):
    """The rows DuckDB needs, from the SQLite file: its sqlite extension when it is installed, else
    CSV files exported here and read into DuckDB tables (not timed either way)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    try:
        con.execute("LOAD sqlite")
        con.execute(f"ATTACH '{sqlite_path}' AS src (TYPE sqlite, READ_ONLY)")
        for table, cols in DUCK_TABLES.items():
            con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(duck_cast(c) for c in cols)} FROM src.{table}")
        con.execute("DETACH src")
        return con, "DuckDB's sqlite extension (tables copied into DuckDB)"
    except duckdb.Error:
        pass
    source = sqlite3.connect(sqlite_path)
    for table, cols in DUCK_TABLES.items():
        path = work / f"{table}.csv"
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(cols)
            null = "'\\N'"
            writer.writerows(source.execute(f"SELECT {', '.join(f'coalesce({c}, {null})' for c in cols)} FROM {table}"))
        types = ", ".join(f"'{c}': '{duck_type(c)}'" for c in cols)
        con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(duck_cast(c) for c in cols)} FROM read_csv('{path}', "
                    f"header = true, nullstr = '\\N', columns = {{{types}}})")
        path.unlink()
    source.close()
    return con, "CSV exported from the SQLite file (DuckDB's sqlite extension is not installed)"


def duck_type(column: str) -> str:
    if column in DATE_COLUMNS:
        return "DATE"
    if column in INTEGER_COLUMNS or column in BOOLEAN_COLUMNS:
        return "BIGINT"
    return "VARCHAR"


def duck_cast(column: str) -> str:
    return f"CAST({column} AS BOOLEAN) AS {column}" if column in BOOLEAN_COLUMNS else column


def duck_report(con, as_of: dt.date) -> dict:
    """EECO01-17, EECR01-06, SE01, SE02, SE10 of all projects: value, by sex/region/county/area, refused
    (EECO12/14/15), distinct persons. Per group of indicators, one query counts by (sex, county, region,
    area) at once (a few hundred rows, summed here into the breakdowns) and one counts persons (each
    person_key once, flagged when any of its participations counts)."""
    out: dict[str, dict] = {}
    params = {"d": as_of}
    kinds, places = list(BREAKDOWNS), ", ".join(BREAKDOWNS.values())
    for query, conditions, refused in ((DUCK_PEOPLE, DUCK_PERSON, DUCK_REFUSED), (DUCK_ACTIVITIES, DUCK_ACTIVITY, {})):
        n = len(conditions)
        counts = ", ".join(f"count(*) FILTER (WHERE {q})" for q in [*conditions.values(), *refused.values()])
        entries = {code: {"value": 0, "by": {kind: {} for kind in kinds}, "refused": 0} for code in conditions}
        for row in con.execute(f"SELECT {places}, {counts} FROM ({query}) GROUP BY ALL", params).fetchall():
            keys, values = row[:len(kinds)], row[len(kinds):]
            for code, count in zip(conditions, values[:n], strict=True):
                if count:
                    entry = entries[code]
                    entry["value"] += count
                    for kind, key in zip(kinds, keys, strict=True):
                        entry["by"][kind][key] = entry["by"][kind].get(key, 0) + count
            for code, count in zip(refused, values[n:], strict=True):
                entries[code]["refused"] += count
        flags = ", ".join(f"bool_or({q}) AS f{k}" for k, q in enumerate(conditions.values()))
        persons = ", ".join(f"count(*) FILTER (WHERE f{k})" for k in range(n))
        row = con.execute(f"SELECT {persons} FROM (SELECT person_key, {flags} FROM ({query}) GROUP BY person_key)",
                          params).fetchone()
        for code, count in zip(conditions, row, strict=True):
            entries[code]["distinct_persons"] = count
        out |= entries
    for entry in out.values():
        entry["by"] = {kind: dict(sorted(parts.items())) for kind, parts in entry["by"].items()}
    return out


def compare(duck: dict, socec: dict) -> list[str]:
    """Differences between DuckDB's figures and SOCEC's report, for the compared codes."""
    problems = []
    for code in COMPARED:
        mine, theirs = duck[code], socec["indicators"][code]
        for key in ("value", "distinct_persons", "refused"):
            if mine[key] != theirs.get(key, 0):
                problems.append(f"{code} {key}: DuckDB {mine[key]}, SOCEC {theirs.get(key)}")
        for kind in BREAKDOWNS:
            got = theirs.get("by", {}).get(kind, {})
            if mine["by"][kind] != got:
                keys = sorted(set(mine["by"][kind]) | set(got))
                diff = [f"{k}: {mine['by'][kind].get(k, 0)} vs {got.get(k, 0)}" for k in keys
                        if mine["by"][kind].get(k, 0) != got.get(k, 0)]
                problems.append(f"{code} by {kind} (DuckDB vs SOCEC): {', '.join(diff[:5])}")
    return problems


def time_duck(con, as_of: dt.date, runs: int) -> tuple[list[float], dict]:
    result = duck_report(con, as_of)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = duck_report(con, as_of)
        times.append((time.perf_counter() - started) * 1000)
    return times, result


# -- output ----------------------------------------------------------------------------------------

CASES = [("all", "all projects", TARGET_ALL_MS), ("project", "one project", TARGET_PROJECT_MS),
         ("change_all", "change -> all projects", TARGET_ALL_MS),
         ("change_project", "change -> one project", TARGET_PROJECT_MS),
         ("dashboard", "one project's dashboard page", TARGET_PROJECT_MS),
         ("change_dashboard", "change -> the dashboard page", TARGET_PROJECT_MS)]


def verdict(median: float, limit: float, size: Size) -> str:
    if not size.full:
        return "n/a"
    return "PASS" if median <= limit else "FAIL"


def print_results(measured: list[Measured], size: Size, project: Project, duck: dict | None) -> list[str]:
    print()
    print(f"{'case':<44} {'median ms':>10}  {'runs ms':<44} {'target':>9}  verdict")
    verdicts = []
    for m in measured:
        if not m.ok:
            print(f"{m.backend:<8} FAILED: {m.note}")
            verdicts.append("FAIL")
            continue
        for key, label, limit in CASES:
            runs = m.results[key]
            median = statistics.median(runs)
            text = f"{m.backend} {label}" + (f" ({project.code})" if key in ("project", "change_project") else "")
            v = verdict(median, limit, size)
            verdicts.append(v)
            print(f"{text:<44} {median:>10.1f}  {fmt_runs(runs, 1):<44} {f'<= {limit:.0f}':>9}  {v}")
        updates = m.results["update"]
        print(f"{m.backend + ' participant_update (not a target)':<44} {statistics.median(updates):>10.1f}  "
              f"{fmt_runs(updates, 1)}")
        fresh = m.results.get("all_fresh")
        if fresh:
            print(f"{m.backend + ' all, nothing cached (not a target)':<44} {statistics.median(fresh):>10.1f}  "
                  f"{fmt_runs(fresh, 1)}")
    if duck and duck.get("times"):
        times = duck["times"]
        print(f"{'duckdb all projects (compared codes only)':<44} {statistics.median(times):>10.1f}  "
              f"{fmt_runs(times, 1):<44}")
    if not size.full:
        print(f"(targets are stated for {FULL['participants']:,} participants; this run has {size.participants:,}: "
              f"n/a)")

    print("\nchecks")
    for m in measured:
        if m.ok:
            for text, ok in m.results["checks"]:
                print(f"  {'OK' if ok else 'FAILED':<6} {m.backend} {text}")
                if not ok:
                    verdicts.append("FAILED")
    good = [m for m in measured if m.ok]
    if len(good) == 2:
        same = good[0].report == good[1].report
        print(f"  {'OK' if same else 'FAILED':<6} sqlite and postgres give the same all-projects report "
              f"(every code, every breakdown)")
        if not same:
            verdicts.append("FAILED")

    if duck:
        print(f"\nDuckDB {duck['version']} vs SOCEC, all projects, as of {AS_OF}: EECO01-17, EECR01-06, SE01, SE02, "
              f"SE10 (value, by sex/region/county/area, refused, distinct persons)")
        print(f"  rows: {duck['how']}")
        for m in good:
            problems = compare(duck["result"], m.report)
            if problems:
                verdicts.append("FAILED")
                print(f"  FAILED {m.backend}: {len(problems)} difference(s)")
                for p in problems[:20]:
                    print(f"         {p}")
            else:
                print(f"  OK     {m.backend}: every compared figure equal")
        d = statistics.median(duck["times"])
        for m in good:
            s = statistics.median(m.results["all"])
            print(f"  {m.backend}: SOCEC all-projects report {s:.1f} ms (all 37 codes) vs DuckDB {d:.1f} ms "
                  f"(the {len(COMPARED)} participant codes): SOCEC/DuckDB = {s / d:.1f}x")

    print("\nwhere the time goes: one more report per scope; its slowest statements, each timed until the next "
          "one starts\n(execution + fetching + Python on the rows; ms, first 150 characters)")
    for m in good:
        for name in ("all", "project"):
            q = m.results[f"queries_{name}"]
            print(f"  {m.backend} {name}: {q['total_ms']:.0f} ms, {q['count']} queries")
            for ms, sql in q["top"][:4]:
                print(f"    {ms:8.1f}  {' '.join(sql.split())[:150]}")
    return verdicts


# -- main ------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"1/{round(1 / QUICK_FRACTION)} of the national scale")
    parser.add_argument("--fraction", type=float, default=1.0, help="of the national scale (default 1)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (after a warm-up)")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB comparison")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a measuring child is killed")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file, the PostgreSQL database, logs")
    parser.add_argument("--strict", action="store_true", help="exit 3 when a target is missed")
    parser.add_argument("--child", metavar="PARAMS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child)
    size = Size.scaled(QUICK_FRACTION if args.quick else args.fraction)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if set(backends) - {"sqlite", "postgres"}:
        parser.error(f"unknown backend(s): {', '.join(sorted(set(backends) - {'sqlite', 'postgres'}))}")

    import django

    pg_version, pg_problem = postgres_version() if "postgres" in backends else (None, "not asked for")
    try:
        import duckdb

        duck_version = duckdb.__version__
    except ImportError:
        duck_version = None
    ram = ram_gb()
    print(f"SOCEC indicator report benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"machine:   {cpu_model()}, {os.cpu_count()} cores, {'?' if ram is None else f'{ram:.1f}'} GB RAM, "
          f"{platform.system()} {platform.release()}")
    print(f"software:  Python {platform.python_version()}, Django {django.get_version()}, SQLite "
          f"{sqlite3.sqlite_version}, PostgreSQL {pg_version or '-'}, DuckDB {duck_version or '-'}")
    if "postgres" in backends and pg_version is None:
        print(f"PostgreSQL skipped: not reachable at {PG_HOST}:{PG_PORT} as {PG_USER} ({pg_problem}).")
        backends.remove("postgres")
    if duck_version is None and not args.no_duckdb:
        print("DuckDB skipped: not installed (make install-dev installs requirements-dev.txt).")

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="socec-report-bench-"))
    sqlite_path = BENCH_DIR / f"report-bench-{size.participants}-s{args.seed}.sqlite3"
    keys = throwaway_keys()
    log = work / "migrate.log"
    results: list[Measured] = []
    duck: dict | None = None
    try:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        progress(f"sqlite: migrating {sqlite_path.relative_to(ROOT)} ...")
        migrate(child_env(f"sqlite:///{sqlite_path}", work, keys), log)
        progress("sqlite: generating and inserting the rows ...")
        started = time.perf_counter()
        population = fill_sqlite(sqlite_path, size, args.seed)
        loads = {"sqlite": time.perf_counter() - started}
        counts = population.counts
        project = max(population.projects, key=lambda p: p.size)
        pg_settings = {}
        if "postgres" in backends:
            progress(f"postgres: fresh database {PG_DB}, migrating ...")
            fresh_postgres_database()
            migrate(child_env(PG_URL, work, keys), log)
            progress("postgres: COPY of the same rows ...")
            started = time.perf_counter()
            pg_settings = fill_postgres(sqlite_path)
            loads["postgres"] = time.perf_counter() - started
        if pg_settings:
            print(f"postgres:  {', '.join(f'{k} {v}' for k, v in sorted(pg_settings.items()))} (server as configured)")
        persons = counts["people_person"]
        print(f"data:      {counts['people_participation']:,} participants ({persons:,} persons, "
              f"{population.reused:,} of them in two projects), {counts['programmes_project']:,} projects, "
              f"{counts['orgs_organisation']:,} organisations ({counts['programmes_partnership']:,} partnerships), "
              f"{counts['training_enrolment']:,} enrolments in {counts['training_course']:,} courses, "
              f"{counts['people_participation_vulnerable']:,} vulnerable-category rows, {counts['jobs_job']:,} jobs, "
              f"{counts['jobs_employment']:,} employments, {counts['outreach_event']:,} events "
              f"({counts['outreach_eventattendance']:,} attendance rows), {counts['outreach_campaign']:,} campaigns, "
              f"{counts['outreach_publication']:,} publications, {counts['programmes_target']:,} targets; "
              f"seed {args.seed}")
        print(f"load:      {', '.join(f'{b} {s:.1f} s' for b, s in loads.items())} (not measured: generation + "
              f"bulk insert / COPY + indexes + ANALYZE)")
        print(f"report:    as of {AS_OF}; one project = the largest, {project.code} ({project.size:,} participants); "
              f"{args.runs} timed runs per case after a warm-up, in a child process with DEBUG off")

        if duck_version and not args.no_duckdb:
            progress("duckdb: loading the rows ...")
            con, how = duck_load(sqlite_path, work)  # before the children change participants
            progress("duckdb: timing ...")
            times, result = time_duck(con, AS_OF, args.runs)
            duck = {"version": duck_version, "how": how, "times": times, "result": result}
            con.close()

        for backend in backends:
            url = f"sqlite:///{sqlite_path}" if backend == "sqlite" else PG_URL
            progress(f"{backend}: timing the reports ...")
            results.append(measure(backend, url, work, keys, AS_OF, project.code, args.runs, args.timeout))
    finally:
        if "postgres" in backends and not args.keep:
            drop_postgres_database()
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            shutil.rmtree(work, ignore_errors=True)
        else:
            progress(f"kept: {sqlite_path}" + (f", PostgreSQL database {PG_DB}" if "postgres" in backends else "")
                     + f", logs in {work}")

    verdicts = print_results(results, size, project, duck)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "ram_gb": ram,
                        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                        "postgres": pg_version, "duckdb": duck_version},
            "size": asdict(size), "counts": counts, "as_of": AS_OF.isoformat(), "project": project.code,
            "results": {m.backend: {k: v for k, v in m.results.items() if not k.startswith("queries")} | {
                "ok": m.ok, "note": m.note} for m in results},
            "duckdb_ms": duck["times"] if duck else None,
        }, indent=1))
    if "FAILED" in verdicts or not all(m.ok for m in results):
        return 1
    if args.strict and "FAIL" in verdicts:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
