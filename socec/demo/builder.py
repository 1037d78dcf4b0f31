"""`socec demo`: the two programmes of the seed press releases, built through the services.

The build has two steps. `plan()` turns the facts of data.py and a `random.Random(2014)`
into plain records (the invented people, jobs, attendance...), the same on every run.
`build()` then writes them through the services with by=None (the system), looking every
record up by its stable key first: a second run finds everything and writes nothing.
"""

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass, field
from random import Random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from socec.audit.models import AuditEntry
from socec.core.validators import cnp_control_digit
from socec.jobs.models import Employment, Job
from socec.jobs.services import employment_save, job_save
from socec.orgs.models import Organisation, Product
from socec.orgs.services import organisation_save, product_save
from socec.outreach.models import Campaign, Event, Publication
from socec.outreach.services import campaign_save, event_save, publication_save
from socec.people.models import Participation, VulnerableCategory
from socec.people.services import participant_register
from socec.places.models import County, Locality
from socec.programmes.models import Membership, Partnership, Project, Target
from socec.programmes.services import membership_grant, partnership_set, project_save, target_set
from socec.training.models import Attendance, Course, CourseSession, Enrolment
from socec.training.services import attendance_record, course_save, enrolment_save, session_save

from . import data
from .data import PLACES, D, places_in

SEED = 2014


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dd in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, dd)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def make_cnp(sex: str, birth: dt.date, jud: int, serial: int) -> str:
    digit = {("M", False): "1", ("F", False): "2", ("M", True): "5", ("F", True): "6"}[(sex, birth.year >= 2000)]
    first12 = f"{digit}{birth:%y%m%d}{jud:02d}{serial % 1000:03d}"
    return first12 + str(cnp_control_digit(first12))


# --- The plan -----------------------------------------------------------------------------------

@dataclass
class PersonPlan:
    ref: str
    org: str  # registering organisation's code
    data: dict  # for participant_register (vulnerable as codes)


@dataclass
class JobPlan:
    code: str
    employer: str
    title: str
    created_on: dt.date
    hours: int
    holder_ref: str = ""  # a participant, or
    holder_name: str = ""  # a person who is not one
    vulnerable: bool = False  # for a non-participant
    category: str = ""  # for a vulnerable non-participant
    start_date: dt.date | None = None
    end_date: dt.date | None = None


@dataclass
class CoursePlan:
    code: str
    values: dict
    sessions: list = field(default_factory=list)  # [(date, hours, topic)]
    enrolments: list = field(default_factory=list)  # [(ref, enrolled_on, completed, completed_on, certified, no)]
    attendance: list = field(default_factory=list)  # [(date, ref, present)]


@dataclass
class ProjectPlan:
    spec: dict
    partners: dict
    ses: list
    people: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    events: list = field(default_factory=list)  # dicts for event_save (locality, county as codes)
    campaigns: list = field(default_factory=list)
    publications: list = field(default_factory=list)


class Planner:
    def __init__(self, jud: dict[str, int]):
        self.rng = Random(SEED)
        self.jud = jud
        self.serial = 100
        self.used_names: set[tuple] = set()

    # People ---------------------------------------------------------------------------------
    def _name(self, sex: str) -> tuple[str, str]:
        rng = self.rng
        while True:
            first = rng.choice(data.FIRST_F if sex == "F" else data.FIRST_M)
            last = rng.choice(data.LAST)
            if (first, last) not in self.used_names:
                self.used_names.add((first, last))
                return first, last

    def person(self, ref: str, org: str, county: str, entry: dt.date, categories: list[str], *, area=None,
               sex=None, age=(18, 60), isced=None, labour=None) -> PersonPlan:
        rng = self.rng
        if area is None:
            area = "urban" if county == "B" else rng.choice(["urban", "rural"])
        siruta = rng.choice(places_in(county, area) or places_in(county))
        if "women_at_risk" in categories:
            sex = "F"
        elif sex is None:
            mostly_women = {"single_parent_family", "domestic_violence_victim"} & set(categories)
            sex = "F" if rng.random() < (0.85 if mostly_women else 0.45) else "M"
        if "child_protection_leaver" in categories:
            age = (18, 24)
        elif "early_school_leaver" in categories:
            age = (18, 34)
        birth = entry - dt.timedelta(days=rng.randint(age[0] * 366 + 1, age[1] * 365 + 300))
        if isced is None:
            isced = rng.choices(range(7), weights=[3, 10, 40, 33, 6, 6, 2])[0]
        if "early_school_leaver" in categories:
            isced = min(isced, 2)
        if labour is None:
            labour = rng.choices(["unemployed", "long_term_unemployed", "inactive", "employed", "self_employed"],
                                 weights=[36, 30, 24, 8, 2])[0]
        first, last = self._name(sex)
        self.serial += 1
        cnp = make_cnp(sex, birth, self.jud[county], self.serial)
        disability = "yes" if "disability" in categories else rng.choices(["no", "refused"], weights=[30, 1])[0]
        return PersonPlan(ref=ref, org=org, data={
            "person_ref": ref, "first_name": first, "last_name": last, "sex": sex, "birth_date": birth, "cnp": cnp,
            "locality": siruta, "county": county, "area": area, "entry_date": entry, "consent_on": entry,
            "labour_status": labour, "isced": isced, "disability": disability,
            "minority": "yes" if "roma" in categories else "no", "third_country_national": False,
            "foreign_background": "no", "homeless": "homeless" in categories, "vulnerable": list(categories),
            "phone": f"07{rng.randint(20, 89)}{rng.randint(100000, 999999)}",
        })

    def categories(self, pool) -> list[str]:
        codes, weights = zip(*pool, strict=True)
        first = self.rng.choices(codes, weights=weights)[0]
        if self.rng.random() < 0.2:
            second = self.rng.choices(codes, weights=weights)[0]
            if second != first:
                return [first, second]
        return [first]

    # Jobs -----------------------------------------------------------------------------------
    def ses_jobs(self, prefix: str, ses_list, last_created: dt.date, end: dt.date) -> list[JobPlan]:
        rng = self.rng
        jobs = []
        for code, _name, _form, _caen, _siruta, founded, _public, n, titles, _d, _p in ses_list:
            dates = sorted(min(founded + dt.timedelta(days=rng.randint(7, 75)), last_created) for _ in range(n))
            for i, created in enumerate(dates):
                title = "coordonator structura de economie sociala" if i == 0 else rng.choice(titles)
                hours = 40 if i == 0 else rng.choice([40, 40, 40, 40, 40, 30, 20, 20])
                start = min(created + dt.timedelta(days=rng.randint(0, 10)), end)
                jobs.append(JobPlan(code=f"{prefix}-{code[-5:]}-{i + 1:02d}", employer=code, title=title,
                                    created_on=created, hours=hours, start_date=start))
        return jobs

    def outsider(self, job: JobPlan, *, category: str = "") -> None:
        first, last = self._name(self.rng.choice("FM"))
        job.holder_name = f"{first} {last}"
        job.vulnerable = bool(category)
        job.category = category


def _region(county: str) -> str:
    return {"B": "RO32", "IF": "RO32"}.get(county, "RO31")


def plan_socec_net(pl: Planner) -> ProjectPlan:
    rng = pl.rng
    spec = data.SOCEC_NET
    p = ProjectPlan(spec=spec, partners=data.SOCEC_NET_PARTNERS, ses=data.SOCEC_NET_SES)
    ses_county = {s[0]: PLACES[s[4]][1] for s in p.ses}

    # Trainees: five groups, one per partner; 152 enrolled, 145 complete.
    trainees = []  # (plan, group index)
    n = 0
    for g, (org, size, counties, _siruta, first_day) in enumerate(data.SOCEC_NET_GROUPS):
        for _ in range(size):
            n += 1
            entry = max(spec["start_date"], first_day - dt.timedelta(days=rng.randint(3, 30)))
            person = pl.person(f"SN-{n:03d}", org, rng.choice(counties), entry, pl.categories(
                data.SOCEC_NET_CATEGORIES))
            trainees.append((person, g))
    dropouts = set(rng.sample(range(len(trainees)), data.SOCEC_NET_DROPOUTS))

    courses = []
    completion = {}
    for g, (_org, _size, _counties, siruta, first_day) in enumerate(data.SOCEC_NET_GROUPS):
        dates = [first_day + dt.timedelta(days=7 * k) for k in range(5)]
        course = CoursePlan(code=f"SN-FORM-G{g + 1}", values={
            "title": f"Antreprenor in economia sociala – grupa {g + 1}", "kind": "training", "hours": 40,
            "min_attendance_pct": 80, "start_date": dates[0], "end_date": dates[-1], "locality": siruta,
            "county": PLACES[siruta][1], "accredited": True, "occupation_code": "112032"},
            sessions=[(d, 8, topic) for d, topic in zip(dates, [
                "Economia sociala: concepte si actori", "Idei de afaceri sociale si analiza pietei",
                "Planul de afaceri social", "Management financiar si fiscalitate",
                "Marketing, parteneriate si sustenabilitate"], strict=True)])
        for i, (person, pg) in enumerate(trainees):
            if pg != g:
                continue
            ref = person.ref
            if i in dropouts:
                last = rng.randint(0, 1)
                for k, d in enumerate(dates):
                    course.attendance.append((d, ref, k <= last))
                course.enrolments.append((ref, person.data["entry_date"], False, None, False, ""))
                completion[ref] = (False, dates[last])
            else:
                missed = rng.randint(1, 4) if rng.random() < 0.2 else None
                for k, d in enumerate(dates):
                    course.attendance.append((d, ref, k != missed))
                course.enrolments.append((ref, person.data["entry_date"], True, dates[-1], True,
                                          f"SN-{g + 1}/{len(course.enrolments) + 1:03d}"))
                completion[ref] = (True, dates[-1])
        courses.append(course)

    # Four future SES coordinators (not vulnerable), counselled with the founding teams.
    managers = []
    for k, ses_code in enumerate(["SN-SES01", "SN-SES03", "SN-SES06", "SN-SES08"]):
        org = ["CJ-IF", "CJ-CL", "CRCA", "LAB-SOLIDARITATE"][k]
        managers.append(pl.person(f"SN-M{k + 1:02d}", org, ses_county[ses_code], D(2015, 1, 5) + dt.timedelta(
            days=k), [], isced=rng.choice([6, 6, 7]), labour="unemployed", age=(28, 50)))

    # Jobs: the first of each SES is its coordinator; 59 held by vulnerable persons, 21 not.
    jobs = pl.ses_jobs("SN", p.ses, D(2015, 8, 14), spec["end_date"])
    coordinators = [j for j in jobs if j.code.endswith("-01")]
    others = [j for j in jobs if not j.code.endswith("-01")]
    rng.shuffle(others)
    not_vulnerable = others[:80 - 59 - len(coordinators)]
    vulnerable = others[len(not_vulnerable):]
    assert len(vulnerable) == 59 and len(coordinators) + len(not_vulnerable) == 21
    by_ses = dict(zip(["SN-SES01", "SN-SES03", "SN-SES06", "SN-SES08"], managers, strict=True))
    for job in coordinators:
        if job.employer in by_ses:
            job.holder_ref = by_ses[job.employer].ref
        else:
            pl.outsider(job)
    for job in not_vulnerable:
        pl.outsider(job)
    outsiders = set(rng.sample(range(len(vulnerable)), 7))
    completers = [t for t, _g in trainees if completion[t.ref][0]]
    hired = {}
    for i, job in enumerate(sorted(vulnerable, key=lambda j: j.code)):
        if i in outsiders:
            pl.outsider(job, category=rng.choice(["minimum_income", "single_parent_family", "large_family", "roma"]))
            continue
        county = ses_county[job.employer]
        free = [t for t in completers if t.ref not in hired]
        choice = ([t for t in free if t.data["county"] == county]
                  or [t for t in free if _region(t.data["county"]) == _region(county)] or free)
        person = choice[0]
        hired[person.ref] = job
        job.holder_ref = person.ref
    for job in jobs:
        if job.start_date and rng.random() < 0.06:
            end = job.start_date + dt.timedelta(days=rng.randint(45, 110))
            job.end_date = end if end <= spec["end_date"] else None

    # Counselling for the founding teams: the coordinators and two hired trainees per SES.
    counselling = CoursePlan(code="SN-CONS-01", values={
        "title": "Consiliere pentru infiintarea structurilor de economie sociala", "kind": "counselling",
        "hours": 24, "start_date": D(2015, 1, 12), "end_date": D(2015, 3, 27), "county": "IF"})
    team = [m.ref for m in managers]
    for ses in p.ses:
        team += [ref for ref, job in sorted(hired.items()) if job.employer == ses[0]][:2]
    for ref in team:
        counselling.enrolments.append((ref, D(2015, 1, 12), True, D(2015, 3, 27), False, ""))
    courses.append(counselling)

    # Exit data follows from the plan: leaving after the last activity, the situation 6 months on.
    for person, _g in trainees:
        done, last_day = completion[person.ref]
        exit_day = D(2015, 3, 27) if person.ref in team else last_day
        job = hired.get(person.ref)
        six = _add_months(exit_day, 6)
        employed_6m = job is not None and job.start_date <= six and (job.end_date is None or job.end_date >= six)
        person.data.update({
            "exit_date": exit_day,
            "exit_status": ("employed" if job is not None and job.start_date <= exit_day else
                            rng.choice(["job_searching", "job_searching", "inactive"]) if done else "inactive"),
            "qualification_gained": done,
            "status_6m": "employed" if employed_6m else rng.choice(["unemployed", "unemployed", "inactive", "unknown"]),
            "improved_6m": employed_6m,
        })
    p.people = [t for t, _g in trainees] + managers
    p.courses = courses
    p.jobs = jobs

    p.events.append(dict(data.SOCEC_NET_CONFERENCE))
    for i, (day, siruta, topic) in enumerate(data.SOCEC_NET_ROUND_TABLES):
        p.events.append({"code": f"SN-MR-{i + 1:02d}", "kind": "round_table", "title": f"Masa rotunda: {topic}",
                         "date": day, "locality": siruta, "county": PLACES[siruta][1], "area": PLACES[siruta][2],
                         "participants": rng.randint(18, 35), "theme": topic})
    p.campaigns = [dict(data.SOCEC_NET_CAMPAIGN)]
    p.publications = [dict(x) for x in data.SOCEC_NET_PUBLICATIONS]
    return p


def plan_ses11(pl: Planner) -> ProjectPlan:
    rng = pl.rng
    spec = data.SES11
    p = ProjectPlan(spec=spec, partners=data.SES11_PARTNERS, ses=data.SES11_SES)
    ses_place = {s[0]: PLACES[s[4]] for s in p.ses}
    jobs = pl.ses_jobs("S11", p.ses, D(2015, 11, 30), spec["end_date"])
    categories = [code for code, count in data.SES11_CATEGORIES for _ in range(count)]
    rng.shuffle(categories)
    nine = [code for code, _c in data.SES11_CATEGORIES]
    n = 0
    for job in jobs:
        if job.code.endswith("-01"):
            pl.outsider(job)  # the SES's coordinator, not vulnerable
            continue
        cats = [categories[n]]
        if rng.random() < 0.15:
            extra = rng.choice(nine)
            if extra not in cats:
                cats.append(extra)
        n += 1
        _name, county, area = ses_place[job.employer]
        if rng.random() < 0.3 and places_in(county, "rural" if area == "urban" else "urban"):
            area = "rural" if area == "urban" else "urban"
        entry = max(spec["start_date"], job.created_on - dt.timedelta(days=rng.randint(10, 40)))
        person = pl.person(f"S11-{n:03d}", "AEQUILIBRIUM" if rng.random() < 0.7 else "MEDIA-ONE", county, entry,
                           cats, area=area)
        p.people.append(person)
        job.holder_ref = person.ref
    assert n == 47
    p.jobs = jobs
    for i, (day, siruta) in enumerate(data.CARAVAN):
        city, county, area = PLACES[siruta]
        where = {"date": day, "locality": siruta, "county": county, "area": area}
        p.events += [
            {"code": f"S11-CAR-{i + 1:02d}", "kind": "caravan_stop", "title": f"Caravana economiei sociale – {city}",
             "participants": rng.randint(80, 220), **where},
            {"code": f"S11-CONS-{i + 1:02d}", "kind": "counselling_session",
             "title": f"Sesiune de consiliere pentru persoane vulnerabile – {city}",
             "participants": rng.randint(12, 35), **where},
            {"code": f"S11-MR-{i + 1:02d}", "kind": "round_table",
             "title": f"Masa rotunda: beneficiile economiei sociale la nivel regional – {city}",
             "participants": rng.randint(15, 30), **where},
        ]
    p.campaigns = [dict(x) for x in data.SES11_CAMPAIGNS]
    p.publications = [dict(x) for x in data.SES11_PUBLICATIONS]
    return p


def plan() -> list[ProjectPlan]:
    pl = Planner(dict(County.objects.values_list("code", "jud")))
    return [plan_socec_net(pl), plan_ses11(pl)]


# --- Writing ------------------------------------------------------------------------------------

class Writer:
    def __init__(self):
        self.counties = {c.code: c for c in County.objects.all()}
        self.localities = {loc.pk: loc for loc in Locality.objects.filter(pk__in=list(PLACES))}
        missing = sorted(set(PLACES) - set(self.localities))
        if missing:
            raise RuntimeError(f"SIRUTA codes missing from the Locality table: {missing}")
        self.orgs: dict[str, Organisation] = {}

    def place(self, values: dict) -> dict:
        out = dict(values)
        if out.get("locality") is not None:
            out["locality"] = self.localities[out["locality"]]
        if out.get("county") is not None:
            out["county"] = self.counties[out["county"]]
        return out

    def organisation(self, code: str, values: dict, project=None) -> Organisation:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            org = organisation_save(organisation=Organisation(code=code), by=None, project=project,
                                    **self.place(values))
        self.orgs[code] = org
        return org

    def project(self, p: ProjectPlan) -> Project:
        spec = p.spec
        for code, values in p.partners.items():
            self.organisation(code, values)
        project = Project.objects.filter(code=spec["code"]).first()
        if project is None:
            project = project_save(project=Project(code=spec["code"]), by=None, regions=spec["regions"],
                                   **{k: spec[k] for k in ("title", "programme", "funder", "start_date", "end_date",
                                                           "description")},
                                   lead_organisation=self.orgs[spec["lead"]])
        for code in p.partners:
            if code != spec["lead"]:
                self.partnership(project, code, "partner")
        for indicator, value in spec["targets"].items():
            if not Target.objects.filter(project=project, indicator=indicator, region=None, county=None).exists():
                target_set(project=project, indicator=indicator, value=value, by=None)
        return project

    def partnership(self, project, code, role):
        if not Partnership.objects.filter(project=project, organisation=self.orgs[code]).exists():
            partnership_set(project=project, organisation=self.orgs[code], role=role, by=None)

    def ses(self, project, p: ProjectPlan):
        for code, name, form, caen, siruta, founded, public, _n, _titles, description, products in p.ses:
            _city, county, area = PLACES[siruta]
            org = self.organisation(code, {"name": name, "legal_form": form, "caen": caen, "locality": siruta,
                                           "county": county, "area": area, "founded_on": founded, "is_ses": True,
                                           "public": public, "description": description}, project=project)
            self.partnership(project, code, "supported")
            for kind, pname in products:
                if not Product.objects.filter(organisation=org, name=pname).exists():
                    product_save(product=Product(organisation=org), by=None, kind=kind, name=pname)

    def people(self, project, p: ProjectPlan) -> dict[str, Participation]:
        found = {x.person_ref: x for x in Participation.objects.filter(project=project)}
        for person in p.people:
            if person.ref not in found:
                found[person.ref] = participant_register(project=project, by=None, organisation=self.orgs[person.org],
                                                         data=self.place(person.data))
        return found

    def courses(self, project, p: ProjectPlan, people):
        for plan_ in p.courses:
            course = Course.objects.filter(project=project, code=plan_.code).first() or course_save(
                course=Course(project=project, code=plan_.code), by=None, **self.place(plan_.values))
            sessions = {s.date: s for s in course.sessions.all()}
            for day, hours, topic in plan_.sessions:
                if day not in sessions:
                    sessions[day] = session_save(session=CourseSession(course=course), by=None, date=day,
                                                 hours=hours, topic=topic)
            enrolled = set(course.enrolments.values_list("participation__person_ref", flat=True))
            for ref, on, completed, completed_on, certified, number in plan_.enrolments:
                if ref not in enrolled:
                    enrolment_save(enrolment=Enrolment(course=course, participation=people[ref]), by=None,
                                   enrolled_on=on, completed=completed, completed_on=completed_on,
                                   certified=certified, certificate_no=number)
            marked = set(Attendance.objects.filter(session__course=course).values_list(
                "session__date", "participation__person_ref"))
            for day, ref, present in plan_.attendance:
                if (day, ref) not in marked:
                    attendance_record(session=sessions[day], participation=people[ref], present=present, by=None)

    def jobs(self, project, p: ProjectPlan, people):
        categories = {c.code: c for c in VulnerableCategory.objects.all()}
        existing = {j.code: j for j in Job.objects.filter(project=project)}
        held = set(Employment.objects.filter(job__project=project).values_list("job_id", flat=True))
        for plan_ in p.jobs:
            job = existing.get(plan_.code) or job_save(
                job=Job(project=project, code=plan_.code), by=None, employer=self.orgs[plan_.employer],
                title=plan_.title, created_on=plan_.created_on, hours_per_week=plan_.hours)
            if job.pk in held:
                continue
            employment = Employment(job=job)
            if plan_.holder_ref:
                employment_save(employment=employment, by=None, participation=people[plan_.holder_ref],
                                start_date=plan_.start_date, end_date=plan_.end_date)
            else:
                employment_save(employment=employment, by=None, person_name=plan_.holder_name,
                                start_date=plan_.start_date, end_date=plan_.end_date, vulnerable=plan_.vulnerable,
                                vulnerable_category=categories.get(plan_.category))

    def outreach(self, project, p: ProjectPlan):
        events = set(Event.objects.filter(project=project).values_list("code", flat=True))
        for values in p.events:
            if values["code"] not in events:
                values = self.place(values)
                event_save(event=Event(project=project, code=values.pop("code")), by=None, **values)
        campaigns = set(Campaign.objects.filter(project=project).values_list("code", flat=True))
        for values in p.campaigns:
            if values["code"] not in campaigns:
                values = dict(values)
                campaign_save(campaign=Campaign(project=project, code=values.pop("code")), by=None, **values)
        publications = set(Publication.objects.filter(project=project).values_list("code", flat=True))
        for values in p.publications:
            if values["code"] not in publications:
                values = dict(values)
                code = values.pop("code")
                publication_save(publication=Publication(project=project, code=code), by=None, **values)

    def users(self, projects: dict[str, Project]) -> list[str]:
        User = get_user_model()
        configured = getattr(settings, "SOCEC_DEMO_PASSWORD", "") or ""
        generated = configured or secrets.token_urlsafe(12)
        created, kept = [], []
        for username, first, last, roles in data.DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username=username, password=generated, first_name=first,
                                                last_name=last, email=f"{username}@demo.socec.invalid")
                created.append(username)
            elif configured and not user.check_password(configured):
                user.set_password(configured)
                user.save(update_fields=["password"])
            else:
                kept.append(username)
            for code, org_code, role in roles:
                project, org = projects[code], self.orgs[org_code]
                m = Membership.objects.filter(user=user, project=project).first()
                if m is None or (m.organisation_id, m.role) != (org.pk, role):
                    membership_grant(project=project, user=user, organisation=org, role=role, by=None)
        names = ", ".join(u for u, *_ in data.DEMO_USERS)
        if configured:
            return [f"Demo accounts: {names}; password: the value of SOCEC_DEMO_PASSWORD."]
        if created and not kept:
            return [f"Demo accounts: {names}; password: {generated}"]
        if created:
            return [f"Demo accounts created: {', '.join(created)}; password: {generated}",
                    f"Demo accounts kept with their password: {', '.join(kept)}."]
        return [f"Demo accounts: {names} already exist; passwords unchanged "
                "(set SOCEC_DEMO_PASSWORD to reset them)."]


def summary(project: Project) -> dict:
    supported = Partnership.objects.filter(project=project, role="supported").values("organisation")
    jobs = Job.objects.filter(project=project, employer__in=supported)
    vulnerable = jobs.filter(Q(employments__participation__vulnerable__isnull=False)
                             | Q(employments__participation__isnull=True, employments__vulnerable=True)).distinct()
    trained = Enrolment.objects.filter(course__project=project, course__kind="training", completed=True)
    return {
        "participants": Participation.objects.filter(project=project).count(),
        "trained": trained.values("participation").distinct().count(),
        "SES": Organisation.objects.filter(pk__in=supported, is_ses=True).count(),
        "jobs": jobs.count(),
        "vulnerable jobs": vulnerable.count(),
        "events": Event.objects.filter(project=project).count(),
    }


@dataclass
class Result:
    lines: list[str]
    written: int  # audit entries written by this run


def build() -> Result:
    """Loads (or completes) the demo data; one transaction."""
    plans = plan()
    with transaction.atomic():
        before = AuditEntry.objects.count()
        writer = Writer()
        funder_code, funder = data.FUNDER
        writer.organisation(funder_code, funder)
        projects = {}
        for p in plans:
            project = writer.project(p)
            projects[project.code] = project
            writer.ses(project, p)
            people = writer.people(project, p)
            writer.courses(project, p, people)
            writer.jobs(project, p, people)
            writer.outreach(project, p)
        lines = writer.users(projects)
        written = AuditEntry.objects.count() - before
    for code, project in projects.items():
        counts = summary(project)
        lines.append(f"{code}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if written:
        lines.insert(0, f"Demo data loaded: {written} records written (see the audit log).")
    else:
        lines.insert(0, "Demo data already loaded: nothing written.")
    return Result(lines=lines, written=written)


def category_counts(project: Project) -> Counter:  # pragma: no cover - a helper for the shell
    return Counter(Participation.objects.filter(project=project).values_list("vulnerable__code", flat=True))
