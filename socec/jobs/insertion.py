"""Law 219/2015 art. 10 (indicator SE07): the social insertion enterprise rule, in one place.

On a date D only the employments active on D count. Employees are distinct people (a participant
by participation, anyone else by the keyed hash of the name); a person with several active
employments counts once, with the hours of all of them. A participant is vulnerable when the
participation has a vulnerable category; anyone else when an employment says vulnerable yes.
The enterprise qualifies with at least one employee, vulnerable employees at least 30% of the
employees and their weekly hours at least 30% of all employees' weekly hours.

`employment_rows` reads the facts, `tally` groups them, `Art10.qualifies` decides: the staff
pages and the indicator engine use the same three so they cannot disagree.
"""

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from socec.people.models import Participation

MIN_SHARE = Decimal("0.30")

# What employment_rows returns, in order; `group` is whatever the caller groups by.
ROW_FIELDS = ("participation_id", "person_name_key", "hours_per_week", "job__hours_per_week", "vulnerable",
              "participant_vulnerable")


def held_on(as_of: dt.date) -> Q:
    """An employment active on D: started by D and not ended before D."""
    return Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))


def employment_rows(employments: QuerySet, as_of: dt.date, *group: str) -> QuerySet:
    """(*group, *ROW_FIELDS) of the employments active on D."""
    categories = Participation.vulnerable.through.objects.filter(participation_id=OuterRef("participation_id"))
    return employments.filter(held_on(as_of)).annotate(participant_vulnerable=Exists(categories)).values_list(
        *group, *ROW_FIELDS)


def person_of(participation_id, name_key) -> tuple:
    return ("p", participation_id) if participation_id else ("n", name_key)


def is_vulnerable(participation_id, flagged, participant_vulnerable) -> bool:
    return bool(participant_vulnerable) if participation_id else bool(flagged)


def weekly_hours(hours, job_hours) -> int:
    return hours if hours is not None else (job_hours or 0)


@dataclass(frozen=True)
class Art10:
    employees: int = 0
    vulnerable: int = 0
    hours: int = 0
    vulnerable_hours: int = 0

    @property
    def qualifies(self) -> bool:
        return (self.employees > 0 and self.vulnerable * 10 >= self.employees * 3
                and self.vulnerable_hours * 10 >= self.hours * 3)

    @property
    def staff_share(self) -> Decimal:
        """Vulnerable employees as a percentage of employees (one decimal)."""
        return _percent(self.vulnerable, self.employees)

    @property
    def hours_share(self) -> Decimal:
        return _percent(self.vulnerable_hours, self.hours)


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def tally(rows: Iterable[tuple], groups: int = 1) -> dict[Hashable, Art10]:
    """rows as employment_rows gives them with `groups` grouping fields first -> the figures per
    group (the group key is the first field, or a tuple of the first `groups` fields)."""
    staff: dict[Hashable, dict] = {}
    for row in rows:
        key = row[0] if groups == 1 else tuple(row[:groups])
        participation_id, name_key, hours, job_hours, flagged, in_category = row[groups:]
        entry = staff.setdefault(key, {}).setdefault(person_of(participation_id, name_key), [0, False])
        entry[0] += weekly_hours(hours, job_hours)
        entry[1] = entry[1] or is_vulnerable(participation_id, flagged, in_category)
    out = {}
    for key, people in staff.items():
        vulnerable_hours = [h for h, v in people.values() if v]
        out[key] = Art10(employees=len(people), vulnerable=len(vulnerable_hours),
                         hours=sum(h for h, _v in people.values()), vulnerable_hours=sum(vulnerable_hours))
    return out
