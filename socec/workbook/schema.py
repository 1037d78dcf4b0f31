"""The programme workbook, version 1 (../shared/spec/workbook.md): sheets, columns, types.

One description shared by the reader, the importer, the export, the blank template and the
synthetic generator, so they cannot drift apart. Sheets are listed in the order they are
imported (a sheet only refers to sheets above it). Columns marked `extension` are SOCEC's
own additions: optional, written by the export so that nothing is lost on a round trip.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from socec.indicators.definitions import CODES as INDICATOR_CODES
from socec.people.categories import CATEGORY_CODES

FORMAT_VERSION = 1

# Value kinds. The reader turns each cell into text; the importer parses by kind.
TEXT = "text"
DATE = "date"
BOOL = "bool"  # yes/no, da/nu, true/false, 1/0
INT = "int"
DECIMAL = "decimal"
ENUM = "enum"
LIST = "list"  # values separated by ';', each from `choices` when given

YES_NO = ("yes", "no")
YES_NO_REFUSED = ("yes", "no", "refused")
LEGAL_FORMS = ("association", "foundation", "cooperative", "credit_cooperative", "mutual_aid_house",
               "pensioners_mutual_aid_house", "agricultural_company", "federation", "sheltered_unit", "company",
               "public_authority", "other")
PROJECT_ROLES = ("lead", "partner", "supported", "none")
AREAS = ("urban", "rural")
SEXES = ("F", "M", "X")
LABOUR_STATUSES = ("unemployed", "long_term_unemployed", "inactive", "employed", "self_employed")
EXIT_STATUSES = ("job_searching", "education_training", "employed", "self_employed", "inactive", "unknown")
STATUSES_6M = ("employed", "self_employed", "unemployed", "inactive", "unknown")
COURSE_KINDS = ("training", "counselling", "mentoring", "other")
EVENT_KINDS = ("conference", "round_table", "caravan_stop", "counselling_session", "debate", "workshop", "fair",
               "other")
CHANNELS = ("press", "radio", "tv", "outdoor", "online", "film", "print", "event")
PUBLICATION_KINDS = ("study", "research", "report", "guide", "film", "other")
REGION_CODES = ("RO11", "RO12", "RO21", "RO22", "RO31", "RO32", "RO41", "RO42")
COUNTY_CODES = ("AB", "AR", "AG", "BC", "BH", "BN", "BT", "BR", "BV", "B", "BZ", "CL", "CS", "CJ", "CT", "CV",
                "DB", "DJ", "GL", "GR", "GJ", "HR", "HD", "IL", "IS", "IF", "MM", "MH", "MS", "NT", "OT", "PH",
                "SJ", "SM", "SB", "SV", "TR", "TM", "TL", "VL", "VS", "VN")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    extension: bool = False
    help: str = ""  # translatable, shown in the template's instructions


@dataclass(frozen=True)
class Sheet:
    name: str
    key: tuple[str, ...]  # columns that identify a row within the project (upsert key)
    columns: tuple[Column, ...]
    required: bool = False
    single_row: bool = False
    help: str = ""
    by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def C(name, kind=TEXT, **kw) -> Column:  # noqa: N802 - reads as a table below
    return Column(name, kind, **kw)


SHEETS: tuple[Sheet, ...] = (
    Sheet("project", ("code",), required=True, single_row=True, help=_("Exactly one row: the project."), columns=(
        C("code", required=True, max_length=40),
        C("title", required=True, max_length=300),
        C("programme", max_length=300),
        C("funder", max_length=300),
        C("start_date", DATE, required=True),
        C("end_date", DATE, required=True),
        C("lead_organisation", required=True, max_length=40, help=_("An organisation code.")),
        C("regions", LIST, choices=REGION_CODES),
        C("description"),
    )),
    Sheet("organisations", ("code",), required=True, help=_("Every organisation the other sheets name."), columns=(
        C("code", required=True, max_length=40),
        C("name", required=True, max_length=200),
        C("legal_form", ENUM, required=True, choices=LEGAL_FORMS),
        C("cui", max_length=12, help=_("Fiscal code; its control digit is checked.")),
        C("siruta", INT),
        C("county", ENUM, required=True, choices=COUNTY_CODES),
        C("area", ENUM, choices=AREAS),
        C("founded_on", DATE),
        C("caen", max_length=4, help=_("Main activity, CAEN Rev.2 code.")),
        C("is_ses", BOOL, choices=YES_NO, help=_("yes for a social economy structure.")),
        C("project_role", ENUM, required=True, choices=PROJECT_ROLES),
        C("attested_on", DATE, help=_("Social enterprise attestation (Law 219/2015, art. 8).")),
        C("social_mark_on", DATE, help=_("Social insertion certificate / social mark (art. 10).")),
        C("website", max_length=200),
        C("public", BOOL, choices=YES_NO, help=_("yes when it may appear in the public directory.")),
        C("description"),
        C("attestation_no", max_length=40, extension=True),
        C("social_mark_no", max_length=40, extension=True),
        C("contact_email", max_length=254, extension=True),
        C("contact_phone", max_length=30, extension=True),
    )),
    Sheet("targets", ("indicator", "region", "county"), help=_("A row without region and county is the "
                                                              "project-wide target."), columns=(
        C("indicator", ENUM, required=True, choices=tuple(INDICATOR_CODES)),
        C("target", DECIMAL, required=True, min_value=0),
        C("region", ENUM, choices=REGION_CODES),
        C("county", ENUM, choices=COUNTY_CODES),
    )),
    Sheet("participants", ("person_ref",), columns=(
        C("person_ref", required=True, max_length=40),
        C("cnp", help=_("13 digits; must agree with birth_date and sex.")),
        C("first_name", required=True, max_length=100),
        C("last_name", required=True, max_length=100),
        C("sex", ENUM, required=True, choices=SEXES),
        C("birth_date", DATE, required=True),
        C("siruta", INT),
        C("county", ENUM, required=True, choices=COUNTY_CODES),
        C("area", ENUM, choices=AREAS),
        C("entry_date", DATE, required=True),
        C("labour_status", ENUM, required=True, choices=LABOUR_STATUSES),
        C("isced", INT, required=True, min_value=0, max_value=8),
        C("disability", ENUM, choices=YES_NO_REFUSED),
        C("minority", ENUM, choices=YES_NO_REFUSED),
        C("third_country_national", BOOL, choices=YES_NO),
        C("foreign_background", ENUM, choices=YES_NO_REFUSED),
        C("homeless", BOOL, choices=YES_NO),
        C("vulnerable", LIST, choices=CATEGORY_CODES),
        C("exit_date", DATE),
        C("exit_status", ENUM, choices=EXIT_STATUSES),
        C("qualification_gained", BOOL, choices=YES_NO),
        C("status_6m", ENUM, choices=STATUSES_6M),
        C("improved_6m", BOOL, choices=YES_NO),
        C("consent_on", DATE, required=True),
        C("phone", max_length=30),
        C("email", max_length=254),
        C("organisation", max_length=40, extension=True,
          help=_("The partner that registered the person (an organisation code).")),
        C("address", max_length=300, extension=True),
    )),
    Sheet("courses", ("code",), columns=(
        C("code", required=True, max_length=40),
        C("title", required=True, max_length=300),
        C("kind", ENUM, required=True, choices=COURSE_KINDS),
        C("hours", DECIMAL, min_value=0, max_value=99999),
        C("min_attendance_pct", INT, min_value=0, max_value=100),
        C("start_date", DATE),
        C("end_date", DATE),
        C("siruta", INT),
        C("county", ENUM, choices=COUNTY_CODES),
        C("accredited", BOOL, choices=YES_NO),
        C("occupation_code", max_length=6, help=_("COR code of the qualification, e.g. 112032.")),
    )),
    Sheet("enrolments", ("person_ref", "course"), columns=(
        C("person_ref", required=True, max_length=40),
        C("course", required=True, max_length=40),
        C("enrolled_on", DATE, required=True),
        C("completed", BOOL, choices=YES_NO),
        C("completed_on", DATE, help=_("Required when completed is yes.")),
        C("certified", BOOL, choices=YES_NO),
        C("certificate_no", max_length=60),
    )),
    Sheet("attendance", ("course", "session_date", "person_ref"), columns=(
        C("course", required=True, max_length=40),
        C("session_date", DATE, required=True),
        C("person_ref", required=True, max_length=40),
        C("present", BOOL, required=True, choices=YES_NO),
        C("hours", DECIMAL, min_value=0, max_value=24),
    )),
    Sheet("jobs", ("code",), columns=(
        C("code", required=True, max_length=40),
        C("employer", required=True, max_length=40, help=_("An organisation code.")),
        C("title", max_length=200),
        C("created_on", DATE, required=True),
        C("hours_per_week", INT, required=True, min_value=1, max_value=40, help=_("1 to 40; 40 is full time.")),
    )),
    Sheet("employments", ("job", "person_ref", "person_name", "start_date"), columns=(
        C("job", required=True, max_length=40),
        C("person_ref", max_length=40),
        C("person_name", max_length=200),
        C("start_date", DATE, required=True),
        C("end_date", DATE),
        C("hours_per_week", INT, min_value=1, max_value=40),
        C("vulnerable", BOOL, choices=YES_NO),
        C("vulnerable_category", ENUM, choices=CATEGORY_CODES),
    )),
    Sheet("events", ("code",), columns=(
        C("code", required=True, max_length=40),
        C("kind", ENUM, required=True, choices=EVENT_KINDS),
        C("title", required=True, max_length=300),
        C("date", DATE, required=True),
        C("siruta", INT),
        C("county", ENUM, required=True, choices=COUNTY_CODES),
        C("area", ENUM, choices=AREAS),
        C("participants", INT, min_value=0, max_value=10_000_000),
        C("theme", max_length=500),
        C("conclusions"),
        C("venue", max_length=300, extension=True),
    )),
    Sheet("event_attendance", ("event", "person_ref", "organisation"), columns=(
        C("event", required=True, max_length=40),
        C("person_ref", max_length=40),
        C("organisation", max_length=40),
    )),
    Sheet("campaigns", ("code",), columns=(
        C("code", required=True, max_length=40),
        C("channel", ENUM, required=True, choices=CHANNELS),
        C("title", required=True, max_length=300),
        C("start_date", DATE),
        C("end_date", DATE),
        C("reach", INT, min_value=0, max_value=1_000_000_000),
    )),
    Sheet("publications", ("code",), columns=(
        C("code", required=True, max_length=40),
        C("kind", ENUM, required=True, choices=PUBLICATION_KINDS),
        C("title", required=True, max_length=300),
        C("published_on", DATE),
        C("url", max_length=200),
    )),
)

BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
SHEET_NAMES = [s.name for s in SHEETS]

TRUE_WORDS = frozenset({"yes", "da", "true", "1", "y", "adevarat", "adevărat"})
FALSE_WORDS = frozenset({"no", "nu", "false", "0", "n", "fals"})


def format_value(column: Column, value) -> str:
    """The canonical text of a value in a cell: what the export writes and what the importer
    compares to decide 'unchanged'. None and '' are the empty cell."""
    import datetime as dt
    from decimal import Decimal

    if value is None or value == "":
        return ""
    kind = column.kind
    if kind == DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == BOOL:
        return "yes" if value else "no"
    if kind == INT:
        return str(int(value))
    if kind == DECIMAL:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")
    if kind == LIST:
        items = [v for v in (value.split(";") if isinstance(value, str) else value) if str(v).strip()]
        items = {str(v).strip() for v in items}
        order = {c: i for i, c in enumerate(column.choices)}
        return ";".join(sorted(items, key=lambda v: (order.get(v, len(order)), v)))
    return str(value).strip()
