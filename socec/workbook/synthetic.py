"""A synthetic programme workbook: valid, realistic in its proportions, deterministic, large if asked.

`generate(path, participants=N)` writes a `.zip` of UTF-8 CSV (streamed into the archive: a
million participants take under 100 MB of memory, a few bytes kept per participant) or an
`.xlsx` (openpyxl, write-only; every cell as text, dates as YYYY-MM-DD). It follows
socec/workbook/schema.py exactly: every sheet, columns in the schema's order, SOCEC's extension
columns filled where the generator has something consistent to say and empty otherwise.

Nothing here names a real person or organisation. The proportions are facts about Romania
(county populations from the 2021 census, approximately; urban/rural about 54/46) or plausible
programme figures (labour status, education, vulnerable groups, exits). SIRUTA codes are left
empty everywhere, so the county and the area decide, which is always valid.

Every CNP is unique, has a correct control digit, and encodes the row's birth date and sex.
The same seed gives the same bytes (the archive's members carry a fixed timestamp).
"""

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from array import array
from bisect import bisect_right
from itertools import islice
from math import gcd
from pathlib import Path
from random import Random

from socec.core.validators import CNP_WEIGHTS, CUI_WEIGHTS
from socec.indicators.definitions import CODES as INDICATOR_CODES
from socec.people.categories import CATEGORY_CODES
from socec.places.data import COUNTIES, REGIONS
from socec.workbook.schema import BY_NAME, SHEET_NAMES

# ---------------------------------------------------------------------------------------------
# Facts and proportions

# Resident population by county, 2021 census (INS), in thousands, rounded.
COUNTY_POPULATION_2021 = {
    "AB": 326, "AR": 410, "AG": 570, "BC": 581, "BH": 551, "BN": 296, "BT": 393, "BV": 547, "BR": 281,
    "BZ": 405, "CS": 247, "CJ": 679, "CT": 656, "CV": 200, "DB": 479, "DJ": 599, "GL": 497, "GJ": 315,
    "HR": 292, "HD": 362, "IL": 251, "IS": 761, "IF": 543, "MM": 452, "MH": 234, "MS": 518, "NT": 454,
    "OT": 389, "PH": 697, "SM": 331, "SJ": 212, "SB": 388, "SV": 643, "TR": 308, "TM": 651, "TL": 193,
    "VS": 375, "VL": 342, "VN": 335, "B": 1717, "CL": 283, "GR": 262,
}
URBAN_SHARE = 0.54  # of the whole population; Bucharest is all urban
# The county seat of each region's partner (and the regional conference).
REGION_SEAT = {"RO11": "CJ", "RO12": "BV", "RO21": "IS", "RO22": "CT", "RO31": "PH", "RO32": "B", "RO41": "DJ",
               "RO42": "TM"}

SEX_WEIGHTS = {"F": 520, "M": 477, "X": 3}
# Age at entry, by band: (first age, last age, weight of the band).
AGE_BANDS = [(16, 17, 3), (18, 24, 16), (25, 29, 11), (30, 39, 24), (40, 49, 23), (50, 54, 10), (55, 64, 13)]
LABOUR_WEIGHTS = {"unemployed": 30, "long_term_unemployed": 22, "inactive": 28, "employed": 15, "self_employed": 5}
ISCED_WEIGHTS = {"0": 4, "1": 8, "2": 30, "3": 33, "4": 7, "5": 2, "6": 10, "7": 5, "8": 1}
VULNERABLE_SHARE = 0.45
VULNERABLE_WEIGHTS = {
    "minimum_income": 20, "roma": 18, "single_parent_family": 12, "early_school_leaver": 12, "disability": 10,
    "large_family": 10, "women_at_risk": 4, "domestic_violence_victim": 3, "child_protection_leaver": 3,
    "ex_detainee": 2, "homeless": 2, "other": 2, "addiction": 1, "refugee_asylum": 1,
}
VULNERABLE_COUNT_WEIGHTS = {1: 70, 2: 25, 3: 5}
EXIT_SHARE = 0.80
EXIT_WEIGHTS = {"employed": 26, "job_searching": 27, "education_training": 10, "self_employed": 4, "inactive": 16,
                "unknown": 17}
STATUS_6M_WEIGHTS = {"employed": 35, "self_employed": 5, "unemployed": 30, "inactive": 15, "unknown": 15}

# Dates of every synthetic project: fixed, so a seed always gives the same bytes.
PROJECT_START = dt.date(2024, 1, 1)
PROJECT_END = dt.date(2027, 6, 30)
ENTRY_FIRST = dt.date(2024, 2, 1)
ENTRY_LAST = dt.date(2026, 1, 31)
CUTOFF = dt.date(2026, 9, 30)  # nothing recorded happens after this day

PARTICIPANTS_PER_COURSE = 25
COURSE_WINDOW_DAYS = 60  # a course starts at most this long (+7 days) after its first enrolment
EXIT_MIN_DAYS = 130  # > window + 7 + the longest course: nobody leaves before their course ends
SESSIONS_PER_COURSE = 4
JOB_EVERY = 20  # one job per 20 participants
JOB_HOLDER_OFFSET = 7  # participant 20*j + 7 is the candidate holder of job j

FIRST_NAMES_F = [
    "Maria", "Elena", "Ioana", "Ana", "Andreea", "Mihaela", "Alexandra", "Cristina", "Gabriela", "Daniela",
    "Ana-Maria", "Alina", "Florentina", "Georgiana", "Nicoleta", "Ștefania", "Mădălina", "Roxana", "Simona",
    "Larisa", "Bianca", "Irina", "Oana", "Raluca", "Violeta", "Lăcrămioara", "Viorica", "Rodica", "Floarea",
    "Tudora", "Anișoara", "Aurelia", "Luminița", "Cătălina", "Denisa", "Ileana",
]
FIRST_NAMES_M = [
    "Ion", "Gheorghe", "Vasile", "Constantin", "Alexandru", "Andrei", "Mihai", "Ștefan", "Nicolae", "Florin",
    "Marian", "Daniel", "Cristian", "Bogdan", "Ionuț", "Răzvan", "Adrian", "Cătălin", "Dumitru", "Petru",
    "Costel", "Sorin", "Iulian", "Valentin", "Ovidiu", "Gabriel", "Marius", "Tudor", "Lucian", "Viorel",
    "Aurel", "Dănuț", "Sebastian", "Emil", "Remus", "Mircea",
]
LAST_NAMES = [
    "Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stoica", "Stan", "Gheorghe", "Matei", "Rusu",
    "Mihai", "Munteanu", "Constantin", "Ciobanu", "Lungu", "Ene", "Marin", "Ștefan", "Toma", "Dinu", "Vasile",
    "Moldovan", "Lazăr", "Sârbu", "Tănase", "Bălan", "Nistor", "Stănescu", "Dobre", "Niță", "Oprea",
    "Cristea", "Florea", "Ursu", "Iordache", "Bucur", "Mocanu", "Preda", "Neagu", "Voicu", "Mureșan", "Coman",
    "Diaconu", "Avram", "Zamfir", "Bădescu", "Rădulescu", "Crăciun", "Țurcanu", "Mărginean", "Boboc",
    "Chiriac", "Cozma", "Drăgan", "Ghiță", "Lupu", "Tudose", "Pârvu", "Șerban", "Vlad", "Anghel", "Pană",
    "Căldăraru", "Lăcătuș", "Stanciu", "Suciu", "Filip", "Dobrescu", "Văduva",
]
_ASCII = str.maketrans("ăâîșțşţĂÂÎȘȚŞŢ", "aaiststAAISTST", "- ")

SES_FORMS = {"association": 30, "cooperative": 25, "company": 18, "foundation": 8, "sheltered_unit": 9,
             "mutual_aid_house": 4, "agricultural_company": 4, "federation": 2}
SES_PREFIX = {"association": "Asociația", "cooperative": "Societatea Cooperativă", "company": "SC",
              "foundation": "Fundația", "sheltered_unit": "Unitatea Protejată", "mutual_aid_house":
              "Casa de Ajutor Reciproc", "agricultural_company": "Societatea Agricolă", "federation": "Federația"}
SES_WORDS = ["Meșteșug", "Pâine și Sare", "Grădina Comunității", "Atelierul de Croitorie", "Mâini Dibace",
             "Verde Curat", "Casa Bunicii", "Drumul Nou", "Solidaritatea", "Izvorul", "Speranța", "Împreună",
             "Livada", "Țesătura", "Bucătăria Socială", "Reciclăm Împreună", "Lemn și Meșteșug", "Ograda",
             "Brutăria Satului", "Mătase", "Fagure", "Atelierul Verde", "Curățenie Sclipitoare", "Rădăcini"]
# Main activities typical of social enterprises (CAEN Rev.2 classes).
SES_CAEN = ["8899", "1071", "0113", "5610", "8130", "9609", "8810", "1413", "4719", "3831", "1629", "0150",
            "8121", "1392", "3832", "8891", "5520", "1089", "3299", "0161"]
JOB_TITLES = ["lucrător bucătărie", "ajutor bucătar", "croitor", "îngrijitor spații verzi", "lucrător comercial",
              "operator sortare deșeuri", "brutar", "îngrijitor la domiciliu", "confecționer", "lucrător agricol",
              "recepționer", "lucrător curățenie", "tâmplar", "ambalator manual", "curier"]
JOB_HOURS = {40: 70, 30: 8, 20: 17, 25: 5}
# Courses: (kind, weight, title, hours choices, weeks by hours, min attendance %, accredited share).
COURSE_PLANS = [
    ("training", 70, ["Antreprenoriat în economia socială", "Competențe digitale", "Bucătar", "Croitor",
                      "Îngrijitor bătrâni la domiciliu", "Lucrător în comerț", "Agricultură ecologică"],
     [40, 60, 80, 90], 80, 0.6),
    ("counselling", 20, ["Consiliere profesională", "Consiliere pentru ocupare", "Orientare în carieră"],
     [8, 12], None, 0.0),
    ("mentoring", 10, ["Mentorat pentru înființarea întreprinderii sociale", "Mentorat la locul de muncă"],
     [16, 24], 75, 0.0),
]
# COR codes with the right format; 112032 is the workbook specification's own example.
OCCUPATION_CODES = ["112032", "512001", "753101"]


# ---------------------------------------------------------------------------------------------
# Small helpers

def _table(weights: dict, size: int = 10_000) -> list:
    """A list of `size` items in proportion to the weights: one random index draws a value."""
    total = sum(weights.values())
    items = list(weights.items())
    counts = [int(w * size / total) for _, w in items]
    remainders = sorted(range(len(items)), key=lambda k: -(items[k][1] * size / total - counts[k]))
    for k in remainders[: size - sum(counts)]:
        counts[k] += 1
    out = []
    for (value, _), n in zip(items, counts, strict=True):
        out.extend([value] * n)
    return out


def cui_with_control(body: int) -> str:
    """A CUI (fiscal code) with its control digit, for a body of at most 9 digits."""
    digits = f"{body:09d}"
    total = sum(int(d) * int(w) for d, w in zip(digits, CUI_WEIGHTS, strict=True)) * 10 % 11
    return f"{body}{0 if total == 10 else total}"


class _Shape:
    """Rows in the generator's own column order -> rows in the schema's order (extension columns the
    generator does not know stay empty). Refuses to run if the schema requires a column it lacks."""

    def __init__(self, sheet: str, fields: list[str]):
        schema_cols = BY_NAME[sheet].column_names
        missing = [c for c in BY_NAME[sheet].required_columns if c not in fields]
        unknown = [f for f in fields if f not in schema_cols]
        if missing or unknown:
            raise RuntimeError(f"synthetic {sheet}: the schema changed (missing {missing}, unknown {unknown})")
        self.header = schema_cols
        if fields == schema_cols:
            self.reorder = None
        else:
            pos = {f: k for k, f in enumerate(fields)}
            self.reorder = [pos.get(c, -1) for c in schema_cols]

    def __call__(self, rows):
        if self.reorder is None:
            return rows
        order = self.reorder
        return ([row[k] if k >= 0 else "" for k in order] for row in rows)


class _CsvZipSink:
    """One `<sheet>.csv` member per sheet, written as a stream (never a whole sheet in memory).

    Rows go out in chunks joined with ',' when no value needs quoting (checked per chunk: the
    commas, quotes and line ends are counted), through the csv module otherwise: the same bytes
    the csv module would write, several times faster. Deflate level 1: large files stay quick."""

    FIXED_TIME = (2024, 1, 1, 0, 0, 0)
    CHUNK = 4096

    def __init__(self, path: Path, large: bool):
        self.zf = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.large = large

    @staticmethod
    def _text(rows: list, width: int) -> str:
        text = "\r\n".join(map(",".join, rows)) + "\r\n"
        n = len(rows)
        if ('"' not in text and text.count(",") == n * (width - 1) and text.count("\n") == n
                and text.count("\r") == n):
            return text
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        return buf.getvalue()

    def write(self, sheet: str, header: list[str], rows) -> int:
        info = zipfile.ZipInfo(f"{sheet}.csv", date_time=self.FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        if hasattr(info, "compress_level"):  # Python 3.13+
            info.compress_level = 1
        else:
            info._compresslevel = 1
        rows = iter(rows)
        n = 0
        with self.zf.open(info, "w", force_zip64=self.large) as out:
            out.write(self._text([list(header)], len(header)).encode())
            while chunk := list(islice(rows, self.CHUNK)):
                out.write(self._text(chunk, len(header)).encode())
                n += len(chunk)
        return n

    def close(self):
        self.zf.close()


class _XlsxSink:
    def __init__(self, path: Path):
        from openpyxl import Workbook

        self.path = path
        self.wb = Workbook(write_only=True)

    def write(self, sheet: str, header: list[str], rows) -> int:
        ws = self.wb.create_sheet(sheet)
        ws.append(header)
        n = 0
        for row in rows:
            ws.append(list(row))
            n += 1
        return n

    def close(self):
        self.wb.save(self.path)


# ---------------------------------------------------------------------------------------------
# The generator

def generate(path, *, participants: int, seed: int = 1, project_code: str = "SYN",
             enrolments_per_participant: int = 1, attendance: bool = False) -> dict[str, int]:
    """Writes a valid synthetic workbook to `path` (.zip of CSV or .xlsx); returns rows written per sheet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".zip", ".xlsx"):
        raise ValueError("The workbook is a .zip of CSV files or an .xlsx file.")
    if participants < 1:
        raise ValueError("At least one participant.")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,29}", project_code):
        raise ValueError("A project code has 1 to 30 letters, digits, '.', '_' or '-' (it prefixes other codes).")
    if enrolments_per_participant < 0:
        raise ValueError("enrolments_per_participant cannot be negative.")
    gen = _Generator(participants=participants, seed=seed, project_code=project_code,
                     enrolments=enrolments_per_participant, attendance=attendance)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    sink = _XlsxSink(tmp) if suffix == ".xlsx" else _CsvZipSink(tmp, large=participants > 2_000_000)
    counts = {}
    try:
        for sheet in SHEET_NAMES:
            fields, rows = gen.sheet(sheet)
            shape = _Shape(sheet, fields)
            counts[sheet] = sink.write(sheet, shape.header, shape(rows))
        sink.close()
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counts


class _Generator:
    def __init__(self, *, participants, seed, project_code, enrolments, attendance):
        self.n = participants
        self.seed = seed
        self.code = project_code
        self.k = enrolments
        self.with_attendance = attendance
        self.rnd = Random(f"socec-synthetic:{seed}:{project_code}")
        salt = zlib.crc32(f"{project_code}:{seed}".encode())
        self.cui_base = 10_000_000 + (salt % 8_000) * 10_000  # organisations' CUIs differ between projects
        self.serial_offset = salt % 999

        self.day0 = PROJECT_START.toordinal() - 80 * 366  # ordinals are stored as offsets from here
        self.iso = [dt.date.fromordinal(o).isoformat() for o in range(self.day0, PROJECT_END.toordinal() + 400)]

        self.county_codes = [c[0] for c in COUNTIES]
        self.county_region = {c[0]: c[2] for c in COUNTIES}
        self.county_name = {c[0]: c[1] for c in COUNTIES}
        self.county_jud = {c[0]: c[3] for c in COUNTIES}
        self.county_table = _table({c: COUNTY_POPULATION_2021[c] for c in self.county_codes})
        share_b = COUNTY_POPULATION_2021["B"] / sum(COUNTY_POPULATION_2021.values())
        self.p_urban = (URBAN_SHARE - share_b) / (1 - share_b)  # outside Bucharest

        self.lead = f"{project_code}-LEAD"
        self.partners = [f"{project_code}-P{k:02d}" for k in range(1, 9)]
        # Who registers the participants of each region: the regional partner (Bucharest-Ilfov: the lead).
        regional = iter(self.partners)
        self.registrar = {r[0]: (self.lead if r[0] == "RO32" else next(regional)) for r in REGIONS}
        self.n_ses = max(3, min(2000, participants // 100))
        self.n_jobs = max(1, participants // JOB_EVERY)
        self._plan_organisations()
        self._plan_jobs()

    def d(self, ordinal: int) -> str:
        return self.iso[ordinal - self.day0]

    def sheet(self, name: str):
        return getattr(self, f"_{name}")()

    # -- plans made before writing (small: one entry per organisation or job) --------------------

    def _plan_organisations(self):
        rnd = self.rnd
        start = PROJECT_START.toordinal()
        founded = []
        for k in range(self.n_ses):
            if k < max(1, self.n_ses * 4 // 10):  # existing before the project
                founded.append(dt.date(2005, 1, 1).toordinal() + rnd.randrange(18 * 365))
            else:  # founded with the programme's support, in its first year
                founded.append(start + 30 + rnd.randrange(370))
        founded.sort()
        self.ses_founded = founded

    def _plan_jobs(self):
        rnd = self.rnd
        kinds = bytearray(self.n_jobs)  # 0 vacant, 1 held by a participant, 2 by a named non-participant
        for j in range(self.n_jobs):
            r = rnd.random()
            kinds[j] = 0 if r < 0.08 else (1 if r < 0.08 + 0.92 * 0.85 else 2)
        self.job_kind = kinds
        self.holder_start = {}  # job -> employment start (ordinal), for jobs held by participants

    # -- sheets --------------------------------------------------------------------------------

    def _project(self):
        fields = ["code", "title", "programme", "funder", "start_date", "end_date", "lead_organisation", "regions",
                  "description"]
        row = [self.code, f"Rețeaua de economie socială — program sintetic {self.code}",
               "Programul Educație și Ocupare 2021-2027", "Fondul Social European Plus (FSE+)",
               PROJECT_START.isoformat(), PROJECT_END.isoformat(), self.lead, ";".join(r[0] for r in REGIONS),
               f"Date sintetice generate de SOCEC (seed {self.seed}); nu descriu persoane sau organizații reale."]
        return fields, [row]

    def _organisations(self):
        fields = ["code", "name", "legal_form", "cui", "siruta", "county", "area", "founded_on", "caen", "is_ses",
                  "project_role", "attested_on", "social_mark_on", "website", "public", "description",
                  "attestation_no", "social_mark_no", "contact_email", "contact_phone"]
        rnd = self.rnd
        cutoff = CUTOFF.toordinal()
        rows = []
        serial = iter(range(1, 10**6))

        def cui():
            return cui_with_control(self.cui_base + next(serial))

        def contact(code):
            slug = code.lower()
            return f"contact@{slug}.example.org", f"02{rnd.randrange(10**8):08d}"

        email, phone = contact(self.lead)
        rows.append([self.lead, "Asociația Rețeaua Națională de Economie Socială (sintetic)", "association", cui(),
                     "", "B", "urban", "2009-04-15", "8899", "no", "lead", "", "", f"https://{self.lead.lower()}"
                     ".example.org", "yes", "Solicitantul proiectului: coordonează partenerii regionali.", "", "",
                     email, phone])
        partner_forms = ["foundation", "association", "public_authority", "association", "foundation",
                         "association", "public_authority", "other"]
        regional_partners = [r[0] for r in REGIONS if r[0] != "RO32"]
        for k, code in enumerate(self.partners):
            form = partner_forms[k]
            if k < len(regional_partners):
                region = regional_partners[k]
                county = REGION_SEAT[region]
                place = self.county_name[county]
                name = {"foundation": f"Fundația Punți Sociale {place}",
                        "association": f"Asociația pentru Incluziune {place}",
                        "public_authority": f"Serviciul Public de Asistență Socială {place}"}[form]
                description = f"Partener regional: recrutează și sprijină participanții din regiunea {region}."
            else:
                county, name = "IF", "Institutul de Cercetare în Economie Socială (sintetic)"
                description = "Partener de cercetare: studii și evaluarea impactului."
            caen = {"foundation": "8899", "association": "9499", "public_authority": "8411", "other": "7220"}[form]
            email, phone = contact(code)
            rows.append([code, name, form, cui(), "", county, "urban",
                         self.d(dt.date(1995, 1, 1).toordinal() + rnd.randrange(25 * 365)), caen, "no", "partner",
                         "", "", f"https://{code.lower()}.example.org", "yes", description, "", "", email, phone])
        form_table = _table(SES_FORMS, 1000)
        self.ses_codes = []
        self.ses_county = []
        for k in range(self.n_ses):
            code = f"{self.code}-SES{k + 1:05d}"
            self.ses_codes.append(code)
            form = form_table[int(rnd.random() * 1000)]
            county = self.county_table[int(rnd.random() * 10_000)]
            self.ses_county.append(county)
            area = "urban" if county == "B" or rnd.random() < self.p_urban else "rural"
            word = SES_WORDS[rnd.randrange(len(SES_WORDS))]
            place = self.county_name[county]
            name = (f"{word} Social {place} SRL" if form == "company"
                    else f"{SES_PREFIX[form]} {word} {place}")
            founded = self.ses_founded[k]
            attested = social_mark = attestation_no = social_mark_no = ""
            if rnd.random() < 0.7 and founded + 240 <= cutoff:
                att = founded + 30 + rnd.randrange(200)
                attested = self.d(att)
                attestation_no = f"{self.county_jud[county]:02d}/{k + 1}/{dt.date.fromordinal(att).year}"
                if rnd.random() < 0.25 and att + 500 <= cutoff:
                    mark = att + 100 + rnd.randrange(400)
                    social_mark = self.d(mark)
                    social_mark_no = f"MS-{k + 1}/{dt.date.fromordinal(mark).year}"
            public = "yes" if (attested and rnd.random() < 0.85) or rnd.random() < 0.2 else "no"
            email, phone = contact(code) if rnd.random() < 0.5 else ("", "")
            rows.append([code, name, form, cui() if rnd.random() < 0.93 else "", "", county, area, self.d(founded),
                         SES_CAEN[rnd.randrange(len(SES_CAEN))], "yes", "supported", attested, social_mark,
                         f"https://{code.lower()}.example.org" if rnd.random() < 0.3 else "", public, "",
                         attestation_no, social_mark_no, email, phone])
        return fields, rows

    def _targets(self):
        fields = ["indicator", "target", "region", "county"]
        n, jobs = self.n, self.n_jobs
        new_ses = self.n_ses - max(1, self.n_ses * 4 // 10)
        wanted = [("EECO01", n), ("EECO02", n * 50 // 100), ("EECO17", n * 40 // 100), ("EECR03", n * 30 // 100),
                  ("EECR04", n * 25 // 100), ("SE01", n * 75 // 100), ("SE02", n * 30 // 100), ("SE03", new_ses),
                  ("SE04", jobs), ("SE05", jobs * 70 // 100), ("SE08", self.n_events()), ("SE12", 8), ("SE13", 6)]
        rows = [[code, str(value), "", ""] for code, value in wanted]
        population = sum(COUNTY_POPULATION_2021.values())
        for region, *_ in REGIONS:
            share = sum(p for c, p in COUNTY_POPULATION_2021.items() if self.county_region[c] == region) / population
            rows.append(["EECO01", str(round(n * share)), region, ""])
        assert all(r[0] in INDICATOR_CODES for r in rows)
        return fields, rows

    def _participants(self):
        fields = ["person_ref", "cnp", "first_name", "last_name", "sex", "birth_date", "siruta", "county", "area",
                  "entry_date", "labour_status", "isced", "disability", "minority", "third_country_national",
                  "foreign_background", "homeless", "vulnerable", "exit_date", "exit_status",
                  "qualification_gained", "status_6m", "improved_6m", "consent_on", "phone", "email",
                  "organisation", "address"]
        return fields, self._participant_rows()

    def _profiles(self, size: int, p_vulnerable: float) -> list[tuple]:
        """Pre-drawn combinations of a person's categorical facts (age band, labour status, education,
        the yes/no answers and the vulnerable groups, consistent with each other). Each participant
        takes one at random: the distributions stay the same and a row costs little."""
        rnd = self.rnd
        r = rnd.random
        age_table = _table({(lo, hi - lo + 1): wt for lo, hi, wt in AGE_BANDS}, 1024)
        labour_table = _table(LABOUR_WEIGHTS, 1024)
        isced_table = _table(ISCED_WEIGHTS, 1024)
        vuln_table = _table(VULNERABLE_WEIGHTS, 1024)
        vuln_count = _table(VULNERABLE_COUNT_WEIGHTS, 1024)
        vuln_order = {c: k for k, c in enumerate(CATEGORY_CODES)}
        out = []
        for _ in range(size):
            age_lo, age_span = age_table[int(r() * 1024)]
            labour = labour_table[int(r() * 1024)]
            isced = isced_table[int(r() * 1024)]
            if age_lo < 18:
                labour = "inactive" if r() < 0.7 else "unemployed"
                isced = min(isced, "2")
            has = set()
            if r() < p_vulnerable:
                k = vuln_count[int(r() * 1024)]
                while len(has) < k:
                    has.add(vuln_table[int(r() * 1024)])
            vulnerable = ";".join(sorted(has, key=vuln_order.__getitem__))
            disability = "yes" if "disability" in has else ("no" if r() < 0.93 else ("refused" if r() < 0.3 else ""))
            if "roma" in has:
                minority = "yes"
            else:
                x = r()
                minority = "no" if x < 0.85 else ("yes" if x < 0.90 else ("refused" if x < 0.94 else ""))
            refugee = "refugee_asylum" in has
            third = "yes" if refugee else ("no" if r() < 0.985 else "")
            foreign = "yes" if refugee else ("no" if r() < 0.95 else ("refused" if r() < 0.3 else ""))
            homeless = "yes" if "homeless" in has else ("no" if r() < 0.96 else "")
            out.append((age_lo, age_span, labour, isced, disability, minority, third, foreign, homeless, vulnerable,
                        labour not in ("employed", "self_employed")))
        return out

    def _participant_rows(self):  # noqa: C901 - one loop, kept flat for speed
        n = self.n
        rnd = self.rnd
        r = rnd.random
        bits = rnd.getrandbits
        iso = self.iso
        day0 = self.day0

        entry_first = ENTRY_FIRST.toordinal()
        span = ENTRY_LAST.toordinal() - entry_first + 1
        cutoff = CUTOFF.toordinal()
        last_6m = cutoff - 183

        # The CNP by parts: each part's weighted digit sum is precomputed, the control digit is a sum.
        w = [int(c) for c in CNP_WEIGHTS]
        birth_lo = dt.date(1955, 1, 1).toordinal()
        birth_days = dt.date(2012, 1, 1).toordinal() - birth_lo
        date_part, date_sum, born_2000 = [], [], []
        for o in range(birth_lo, birth_lo + birth_days):
            day = dt.date.fromordinal(o)
            s = f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"
            date_part.append(s)
            date_sum.append(sum(int(ch) * wt for ch, wt in zip(s, w[1:7], strict=True)))
            born_2000.append(day.year >= 2000)
        jj_part = [f"{j:02d}" for j in range(53)]
        jj_sum = [int(s[0]) * w[7] + int(s[1]) * w[8] for s in jj_part]
        serial_part = [f"{s:03d}" for s in range(1000)]
        serial_sum = [int(s[0]) * w[9] + int(s[1]) * w[10] + int(s[2]) * w[11] for s in serial_part]
        used = array("H", bytes(2 * 2 * birth_days))  # (sex, birth day) -> CNPs issued so far
        serial_offset = self.serial_offset
        other_juds = [j for c, j in self.county_jud.items() if c != "B"] + list(range(41, 47))
        n_other = len(other_juds)

        county_codes = self.county_codes
        county_table = _table({k: COUNTY_POPULATION_2021[c] for k, c in enumerate(county_codes)}, 1 << 14)
        county_jud = [self.county_jud[c] for c in county_codes]
        bucharest = county_codes.index("B")
        urban_cut = [256 if c == "B" else round(self.p_urban * 256) for c in county_codes]
        registrar = [self.registrar[self.county_region[c]] for c in county_codes]
        sex_table = _table(SEX_WEIGHTS, 1024)
        exit_table = _table(EXIT_WEIGHTS, 1024)
        status_table = _table(STATUS_6M_WEIGHTS, 64)
        names_f, names_m, names_l = FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES
        ascii_f = [s.translate(_ASCII).lower() for s in names_f]
        ascii_m = [s.translate(_ASCII).lower() for s in names_m]
        ascii_l = [s.translate(_ASCII).lower() for s in names_l]
        nf, nm, nl = len(names_f), len(names_m), len(names_l)
        assert min(nf, nm) * nl > 999 and gcd(7_919, nf * nl) == gcd(7_919, nm * nl) == 1
        name_salt = self.serial_offset * 1_000

        pool_bits = max(10, min(14, (4 * n).bit_length()))
        pool_mask = (1 << pool_bits) - 1
        holder_share = 0.92 * 0.85 / JOB_EVERY
        pool = self._profiles(pool_mask + 1, (VULNERABLE_SHARE - 0.7 * holder_share) / (1 - holder_share))
        holder_pool = self._profiles(pool_mask + 1, 0.7)  # jobs go mostly to vulnerable people

        # Kept for the later sheets: a few bytes per participant.
        self.p_entry = p_entry = array("i", bytes(4 * n))
        self.p_exit = p_exit = array("i", bytes(4 * n))  # 0: has not left
        self.p_county = p_county = bytearray(n)
        self.p_course = p_course = array("i", bytes(4 * n))
        self.p_flags = p_flags = bytearray(n)  # 1: completed the first course, 2: certified
        self.courses = courses = []  # [county index, first entry, last entry, plan index, hours, accredited]
        open_course = [None] * len(county_codes)
        plans_table = _table({k: p[1] for k, p in enumerate(COURSE_PLANS)}, 100)
        job_kind = self.job_kind
        n_jobs = self.n_jobs
        holder_start = self.holder_start
        job_every, holder_offset = JOB_EVERY, JOB_HOLDER_OFFSET
        per_course, window, exit_min = PARTICIPANTS_PER_COURSE, COURSE_WINDOW_DAYS, EXIT_MIN_DAYS

        for i in range(n):
            # Random bits, sliced without overlap: x where and who, y the CNP and the names, z the course
            # and the exit, v the contacts.
            x = bits(64)
            y = bits(64)
            z = bits(64)
            v = bits(47)
            ci = county_table[x & 0x3FFF]
            county = county_codes[ci]
            area = "urban" if (x >> 14) & 0xFF < urban_cut[ci] else "rural"
            sex = sex_table[(x >> 22) & 0x3FF]
            j = i // job_every
            holder = i % job_every == holder_offset and j < n_jobs and job_kind[j] == 1
            (age_lo, age_span, labour, isced, disability, minority, third, foreign, homeless, vulnerable,
             can_improve) = (holder_pool if holder else pool)[(x >> 32) & pool_mask]
            entry = entry_first + (i * span) // n
            age = age_lo + ((x >> 48) & 0xFF) % age_span
            birth = entry - int((age + 0.004 + ((y >> 48) & 0xFFFF) * 0.99 / 65536) * 365.2425)
            b = birth - birth_lo

            # CNP: sex and century digit, birth date, county of issue, serial, control digit.
            male = sex == "M" or (sex == "X" and (x >> 56) & 1)
            s = (5 if male else 6) if born_2000[b] else (1 if male else 2)
            slot = b if male else birth_days + b
            count = used[slot]
            if count >= 999:
                raise ValueError("Too many participants for unique CNPs (more than 999 per birth date and sex).")
            used[slot] = count + 1
            serial = (count * 337 + serial_offset) % 999 + 1
            if y & 0x3FF < 922:  # mostly issued where the person lives
                jud = 41 + ((y >> 10) & 0xFF) % 6 if ci == bucharest else county_jud[ci]
            else:
                jud = other_juds[((y >> 10) & 0xFF) % n_other]
            control = (w[0] * s + date_sum[b] + jj_sum[jud] + serial_sum[serial]) % 11
            cnp = f"{s}{date_part[b]}{jj_part[jud]}{serial_part[serial]}{1 if control == 10 else control}"

            # Names: the count-th person of a (sex, birth date) gets the count-th step of a walk over all
            # (first, last) pairs that starts at a place of its own, so no two share name and birth date.
            if male:
                pair = (slot * 40_503 + name_salt + count * 7_919) % (nm * nl)
                first, first_ascii = names_m[pair % nm], ascii_m[pair % nm]
                li = pair // nm
            else:
                pair = (slot * 40_503 + name_salt + count * 7_919) % (nf * nl)
                first, first_ascii = names_f[pair % nf], ascii_f[pair % nf]
                li = pair // nf

            # The first course: the county's open one, or a new one.
            oc = open_course[ci]
            if oc is None or oc[2] >= per_course or entry - oc[1] > window:
                plan = plans_table[int(r() * 100)]
                _, _, _, hours_choices, _, accredited_share = COURSE_PLANS[plan]
                hours = hours_choices[int(r() * len(hours_choices))]
                oc = open_course[ci] = [len(courses), entry, 0]
                courses.append([ci, entry, entry, plan, hours, r() < accredited_share])
            oc[2] += 1
            course = courses[oc[0]]
            course[2] = entry
            completed = z & 0x3FF < 819
            certified = completed and course[5] and (z >> 10) & 0x3FF < 922
            p_course[i] = oc[0]
            p_flags[i] = completed | (certified << 1)

            exit_date = exit_status = qualification = status6 = improved = ""
            if (z >> 20) & 0x3FF < (922 if holder else 819):
                leave = entry + exit_min + ((z >> 30) & 0xFF)
                if leave > cutoff:
                    leave = cutoff
                p_exit[i] = leave
                exit_date = iso[leave - day0]
                exit_status = "employed" if holder else exit_table[(z >> 38) & 0x3FF]
                qualification = "yes" if certified else "no"
                if leave <= last_6m and (z >> 48) & 0x3FF < 870:
                    status6 = "employed" if holder else status_table[(z >> 58) & 0x3F]
                    if status6 != "unknown":
                        improved = "yes" if can_improve and status6 in ("employed", "self_employed") else "no"
                if holder:
                    holder_start[j] = min(leave + int(r() * 30), cutoff)
            elif holder:
                holder_start[j] = min(entry + 140 + int(r() * 60), cutoff)

            p_entry[i] = entry
            p_county[i] = ci
            entry_iso = iso[entry - day0]
            phone = f"07{20_000_000 + (v >> 20) % 70_000_000}" if v & 0x3FF < 717 else ""
            email = f"{first_ascii}.{ascii_l[li]}{i % 997}@example.org" if (v >> 10) & 0x3FF < 358 else ""
            yield (f"P{i + 1:07d}", cnp, first, names_l[li], sex, iso[birth - day0], "", county, area, entry_iso,
                   labour, isced, disability, minority, third, foreign, homeless, vulnerable, exit_date,
                   exit_status, qualification, status6, improved, entry_iso, phone, email, registrar[ci], "")

    # Course dates follow from their members: they start a week after the last one joined.
    def _course_dates(self, c: int) -> tuple[int, int]:
        course = self.courses[c]
        plan = COURSE_PLANS[course[3]]
        start = course[2] + 7
        weeks = {"training": max(2, course[4] // 15), "counselling": 2, "mentoring": 4}[plan[0]]
        return start, start + weeks * 7 - 3

    def _courses(self):
        fields = ["code", "title", "kind", "hours", "min_attendance_pct", "start_date", "end_date", "siruta",
                  "county", "accredited", "occupation_code"]
        rnd = self.rnd
        self.course_span = []
        rows = []
        for c, (ci, _first, _last, plan, hours, accredited) in enumerate(self.courses):
            kind, _, titles, _, min_pct, _ = COURSE_PLANS[plan]
            start, end = self._course_dates(c)
            self.course_span.append((start, end))
            title = titles[rnd.randrange(len(titles))]
            occupation = ""
            if accredited:
                occupation = OCCUPATION_CODES[0] if "economia socială" in title else OCCUPATION_CODES[
                    1 + rnd.randrange(len(OCCUPATION_CODES) - 1)]
            rows.append([f"C{c + 1:06d}", title, kind, str(hours), "" if min_pct is None else str(min_pct),
                         self.d(start), self.d(end), "", self.county_codes[ci],
                         ("yes" if accredited else "no") if kind == "training" else "", occupation])
        return fields, rows

    def _enrolment_courses(self, i: int) -> list[int]:
        """The participant's courses: the first one, then the county's next ones (or earlier ones)."""
        home = self.p_course[i]
        if self.k <= 1:
            return [home] if self.k == 1 else []
        in_county = self.county_courses[self.p_county[i]]
        pos = self.course_pos[home]
        chosen = [home]
        q = pos + 1
        while len(chosen) < self.k and q < len(in_county):
            chosen.append(in_county[q])
            q += 1
        q = pos - 1
        while len(chosen) < self.k and q >= 0:
            chosen.append(in_county[q])
            q -= 1
        step = 1
        while len(chosen) < min(self.k, len(self.courses)):  # the county has too few: neighbours anywhere
            for c in (home + step, home - step):
                if 0 <= c < len(self.courses) and c not in chosen and len(chosen) < self.k:
                    chosen.append(c)
            step += 1
        return chosen

    def _prepare_enrolments(self):
        self.county_courses = [[] for _ in self.county_codes]
        self.course_pos = []
        for c, course in enumerate(self.courses):
            lst = self.county_courses[course[0]]
            self.course_pos.append(len(lst))
            lst.append(c)
        # Completion of the second and later courses, kept for the attendance sheet.
        self.extra_flags = bytearray(self.n * max(0, self.k - 1)) if self.with_attendance else None

    def _enrolments(self):
        fields = ["person_ref", "course", "enrolled_on", "completed", "completed_on", "certified", "certificate_no"]
        self._prepare_enrolments()
        return fields, self._enrolment_rows()

    def _enrolment_rows(self):
        r = self.rnd.random
        d = self.d
        spans = self.course_span
        courses = self.courses
        p_entry, p_exit, p_flags = self.p_entry, self.p_exit, self.p_flags
        extra = self.extra_flags
        k1 = max(0, self.k - 1)
        for i in range(self.n):
            ref = f"P{i + 1:07d}"
            entry, leave, flags = p_entry[i], p_exit[i], p_flags[i]
            for pos, c in enumerate(self._enrolment_courses(i)):
                start, end = spans[c]
                code = f"C{c + 1:06d}"
                accredited = courses[c][5]
                if pos == 0:
                    enrolled = entry
                    completed = flags & 1
                    certified = flags & 2
                else:
                    enrolled = max(entry, start - 14) if start >= entry else entry
                    completed = end >= enrolled and (not leave or end <= leave) and r() < 0.7
                    certified = completed and accredited and flags & 2
                    if extra is not None:
                        extra[i * k1 + pos - 1] = 1 if completed else 0
                yield (ref, code, d(enrolled), "yes" if completed else "no", d(end) if completed else "",
                       ("yes" if certified else "no") if accredited and completed else "",
                       f"{code}-{i + 1:07d}" if certified else "")

    def _attendance(self):
        fields = ["course", "session_date", "person_ref", "present", "hours"]
        return fields, (self._attendance_rows() if self.with_attendance else [])

    def _attendance_rows(self):
        r = self.rnd.random
        d = self.d
        spans = self.course_span
        courses = self.courses
        p_entry, p_flags, extra = self.p_entry, self.p_flags, self.extra_flags
        k1 = max(0, self.k - 1)
        sessions = []
        for c, (start, end) in enumerate(spans):
            per = courses[c][4] / SESSIONS_PER_COURSE
            hours = str(int(per)) if per == int(per) else f"{per:g}"
            sessions.append([(start + (end - start) * s // SESSIONS_PER_COURSE, hours)
                             for s in range(SESSIONS_PER_COURSE)])
        for i in range(self.n):
            ref = f"P{i + 1:07d}"
            entry = p_entry[i]
            for pos, c in enumerate(self._enrolment_courses(i)):
                completed = p_flags[i] & 1 if pos == 0 else extra[i * k1 + pos - 1]
                start = spans[c][0]
                enrolled = entry if pos == 0 or start < entry else max(entry, start - 14)
                code = f"C{c + 1:06d}"
                for s, (day, hours) in enumerate(sessions[c]):
                    present = completed or (day >= enrolled and (s == 0 or r() < 0.5))
                    yield (code, d(day), ref, "yes" if present else "no", hours if present else "")

    def _jobs(self):
        fields = ["code", "employer", "title", "created_on", "hours_per_week"]
        rnd = self.rnd
        start_min = PROJECT_START.toordinal() + 60
        cutoff = CUTOFF.toordinal()
        hours_table = _table(JOB_HOURS, 100)
        self.job_created = array("i", bytes(4 * self.n_jobs))
        self.job_start = array("i", bytes(4 * self.n_jobs))
        self.job_hours = bytearray(self.n_jobs)
        rows = []
        for j in range(self.n_jobs):
            kind = self.job_kind[j]
            if kind == 1:
                start = self.holder_start[j]
                created = max(PROJECT_START.toordinal(), start - 5 - rnd.randrange(40))
            else:
                created = start_min + rnd.randrange(cutoff - 60 - start_min)
                start = created + 5 + rnd.randrange(40)
            eligible = bisect_right(self.ses_founded, created)
            employer = rnd.randrange(max(1, eligible))
            if self.ses_founded[employer] > created:  # cannot happen with an older SES, but stay valid
                created = start = self.ses_founded[employer]
            hours = hours_table[int(rnd.random() * 100)]
            self.job_created[j], self.job_start[j], self.job_hours[j] = created, start, hours
            rows.append([f"J{j + 1:06d}", self.ses_codes[employer], JOB_TITLES[rnd.randrange(len(JOB_TITLES))],
                         self.d(created), str(hours)])
        return fields, rows

    def _employments(self):
        fields = ["job", "person_ref", "person_name", "start_date", "end_date", "hours_per_week", "vulnerable",
                  "vulnerable_category"]
        rnd = self.rnd
        r = rnd.random
        cutoff = CUTOFF.toordinal()
        vuln_table = _table(VULNERABLE_WEIGHTS, 1000)

        def someone():
            first = (FIRST_NAMES_F if r() < 0.5 else FIRST_NAMES_M)
            return f"{first[rnd.randrange(len(first))]} {LAST_NAMES[rnd.randrange(len(LAST_NAMES))]}"

        def vulnerability():
            return ("yes", vuln_table[int(r() * 1000)]) if r() < 0.65 else ("no", "")

        rows = []
        for j in range(self.n_jobs):
            kind = self.job_kind[j]
            if kind == 0:
                continue
            code = f"J{j + 1:06d}"
            start = self.job_start[j]
            end = start + 90 + rnd.randrange(300) if r() < 0.12 else 0
            if end > cutoff:
                end = 0
            job_hours = self.job_hours[j]
            hours = str(max(1, job_hours // 2)) if r() < 0.05 else ""
            if kind == 1:
                ref = f"P{j * JOB_EVERY + JOB_HOLDER_OFFSET + 1:07d}"
                rows.append([code, ref, "", self.d(start), self.d(end) if end else "", hours, "", ""])
            else:
                vulnerable, category = vulnerability()
                rows.append([code, "", someone(), self.d(start), self.d(end) if end else "", hours, vulnerable,
                             category])
            if end and r() < 0.5 and end + 50 <= cutoff:  # someone else takes the job
                vulnerable, category = vulnerability()
                rows.append([code, "", someone(), self.d(end + 7 + rnd.randrange(40)), "", "", vulnerable,
                             category])
        return fields, rows

    def n_caravan(self) -> int:
        return max(42, min(3000, self.n // 250))

    def n_events(self) -> int:
        return 2 + len(REGIONS) + 2 * len(self.county_codes) + self.n_caravan() + 16 + 4 + 4 + 12

    def _events(self):
        fields = ["code", "kind", "title", "date", "siruta", "county", "area", "participants", "theme",
                  "conclusions", "venue"]
        rnd = self.rnd
        r = rnd.random
        first = PROJECT_START.toordinal() + 60
        last = CUTOFF.toordinal()
        events = []  # (date, kind, title, county, area, head count, theme, conclusions, venue)
        events.append((dt.date(2024, 3, 14).toordinal(), "conference", "Conferința de lansare a rețelei", "B",
                       "urban", "", "Economia socială în România: rețea, finanțare, piețe", "",
                       "Aula centrală, București"))
        for k, (region, name, _) in enumerate(REGIONS):
            seat = REGION_SEAT[region]
            events.append((dt.date(2025, 4, 1).toordinal() + 14 * k, "conference",
                           f"Conferința regională {name}", seat, "urban", "",
                           "Întreprinderile sociale ale regiunii și piețele lor", "",
                           f"Sala de conferințe, {self.county_name[seat]}"))
        events.append((dt.date(2026, 6, 18).toordinal(), "conference", "Conferința națională de bilanț", "B", "urban",
                       "", "Rezultatele rețelei și recomandări de politici publice", "", "Aula centrală, București"))
        for county in self.county_codes:
            for _ in range(2):
                events.append((first + rnd.randrange(last - first), "round_table",
                               f"Masă rotundă: economia socială în județul {self.county_name[county]}", county,
                               "urban", "", "Achiziții publice rezervate și parteneriate locale",
                               "Autoritățile locale vor analiza contractele rezervate pentru întreprinderile sociale.",
                               ""))
        for _ in range(self.n_caravan()):
            county = self.county_table[int(r() * 10_000)]
            area = "urban" if county == "B" or r() < 0.2 else "rural"
            events.append((first + rnd.randrange(last - first), "caravan_stop",
                           f"Caravana economiei sociale — {self.county_name[county]}", county, area,
                           str(15 + rnd.randrange(70)), "Informare și consiliere la fața locului", "", ""))
        for kind, count, title in [("workshop", 16, "Atelier: planul de afaceri al întreprinderii sociale"),
                                   ("fair", 4, "Târgul produselor întreprinderilor sociale"),
                                   ("debate", 4, "Dezbatere: legea economiei sociale, zece ani după"),
                                   ("counselling_session", 12, "Sesiune de consiliere colectivă")]:
            for _ in range(count):
                county = self.county_table[int(r() * 10_000)]
                events.append((first + rnd.randrange(last - first), kind, title, county, "urban",
                               str(10 + rnd.randrange(120)), "", "", ""))
        events.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
        assert len(events) == self.n_events()
        self.events = []
        rows = []
        for k, (day, kind, title, county, area, head, theme, conclusions, venue) in enumerate(events):
            code = f"E{k + 1:05d}"
            with_list = kind in ("conference", "round_table")
            self.events.append((code, day, kind))
            rows.append([code, kind, title, self.d(day), "", county, area, "" if with_list else head, theme,
                         conclusions, venue])
        return fields, rows

    def _event_attendance(self):
        fields = ["event", "person_ref", "organisation"]
        rnd = self.rnd
        p_entry = self.p_entry
        rows = []
        for code, day, kind in self.events:
            if kind not in ("conference", "round_table"):
                continue
            # Participants who had joined by that day (entries grow with the person_ref).
            joined = bisect_right(p_entry, day)
            people = 30 if kind == "conference" else 6
            for i in sorted(rnd.sample(range(joined), min(people, joined))):
                rows.append([code, f"P{i + 1:07d}", ""])
            orgs = [self.lead, *self.partners] if kind == "conference" else [self.lead]
            founded = bisect_right(self.ses_founded, day)
            orgs += [self.ses_codes[k] for k in sorted(rnd.sample(range(founded), min(founded, 10 if kind ==
                                                                                          "conference" else 2)))]
            rows.extend([code, "", org] for org in orgs)
        return fields, rows

    def _campaigns(self):
        fields = ["code", "channel", "title", "start_date", "end_date", "reach"]
        plan = [("press", "Povești din economia socială", 2024, 120_000),
                ("radio", "Economia socială la radio local", 2024, 450_000),
                ("tv", "Spoturi TV: locuri de muncă pentru toți", 2025, 2_300_000),
                ("online", "Campania online #CumpărSocial", 2025, 800_000),
                ("online", "Harta întreprinderilor sociale", 2026, 350_000),
                ("outdoor", "Afișe în gări și autogări", 2025, 600_000),
                ("film", "Documentar: oameni și întreprinderi", 2026, 90_000),
                ("print", "Broșura rețelei", 2024, 40_000)]
        rows = []
        for k, (channel, title, year, reach) in enumerate(plan):
            start = dt.date(year, 3 + k % 6, 1)
            rows.append([f"CMP{k + 1:02d}", channel, title, start.isoformat(),
                         (start + dt.timedelta(days=60 + 15 * k)).isoformat(), str(reach)])
        return fields, rows

    def _publications(self):
        fields = ["code", "kind", "title", "published_on", "url"]
        plan = [("study", "Studiu: nevoile de formare ale întreprinderilor sociale", "2024-09-30"),
                ("research", "Cercetare: locurile de muncă pentru persoane vulnerabile", "2025-03-31"),
                ("report", "Raport anual 2024", "2025-02-28"),
                ("report", "Raport anual 2025", "2026-02-27"),
                ("guide", "Ghidul întreprinzătorului social", "2025-06-15"),
                ("film", "Film: caravana economiei sociale", "2026-05-20")]
        rows = [[f"PUB{k + 1:02d}", kind, title, day, f"https://{self.code.lower()}.example.org/publicatii/{k + 1}"]
                for k, (kind, title, day) in enumerate(plan)]
        return fields, rows
