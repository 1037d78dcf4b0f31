"""Reserved contracts (Directive 2014/24/EU art. 20, Law 98/2016 art. 56): who may bid for them.

A public organisation is eligible on a day when, on that day, it holds a valid social mark (a social
insertion enterprise, Law 219/2015 art. 10: issued on or before the day, at most 3 years before), or
its legal form is an authorised sheltered unit. The rule is written once, as a database condition
(`eligible_q`), and the same thresholds answer for one organisation in Python (`is_eligible`): the
directory filter, the profile badge, the open data and the reserved-contracts page all use them.

Validity periods come from socec.staff.enterprises.selectors (`validity`), not from here.
"""

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from socec.indicators.engine import add_months
from socec.orgs.models import LegalForm
from socec.staff.enterprises.selectors import (
    ATTESTATION_YEARS,
    EXPIRED,
    SOCIAL_MARK_YEARS,
    attestation,
    social_mark,
    validity,
)

_YEARS = {"attestation": ATTESTATION_YEARS, "social_mark": SOCIAL_MARK_YEARS}


def _still_valid(kind: str, issued_on: dt.date, today: dt.date) -> bool:
    found = validity(kind, "", issued_on, today)
    return found is not None and found.status != EXPIRED


def valid_since(kind: str, today: dt.date) -> dt.date:
    """The earliest issue date of a certificate (`attestation` or `social_mark`) still valid today,
    found with the shared `validity` rule (adding months is not one-to-one at the ends of months)."""
    day = add_months(today, -12 * _YEARS[kind])
    while _still_valid(kind, day - dt.timedelta(days=1), today):
        day -= dt.timedelta(days=1)
    while not _still_valid(kind, day, today):
        day += dt.timedelta(days=1)
    return day


def attestation_valid_q(today: dt.date) -> Q:
    return Q(attested_on__isnull=False, attested_on__lte=today, attested_on__gte=valid_since("attestation", today))


def social_mark_valid_q(today: dt.date) -> Q:
    return Q(social_mark_on__isnull=False, social_mark_on__lte=today,
             social_mark_on__gte=valid_since("social_mark", today))


def eligible_q(today: dt.date) -> Q:
    """Organisations eligible for reserved contracts on `today` (apply to public organisations)."""
    return social_mark_valid_q(today) | Q(legal_form=LegalForm.SHELTERED_UNIT)


def annotate_certificates(qs: QuerySet, today: dt.date) -> QuerySet:
    """`attested`, `social_marked` and `reserved_eligible` (booleans) on every row, in the query."""
    return qs.annotate(
        attested=ExpressionWrapper(attestation_valid_q(today), output_field=BooleanField()),
        social_marked=ExpressionWrapper(social_mark_valid_q(today), output_field=BooleanField()),
        reserved_eligible=ExpressionWrapper(eligible_q(today), output_field=BooleanField()),
    )


def _held(found, today: dt.date) -> bool:
    return found is not None and found.status != EXPIRED and found.issued_on <= today


def has_valid_attestation(org, today: dt.date) -> bool:
    return _held(attestation(org, today), today)


def has_valid_social_mark(org, today: dt.date) -> bool:
    return _held(social_mark(org, today), today)


def is_eligible(org, today: dt.date) -> bool:
    """The same rule as `eligible_q`, for one organisation already read."""
    return has_valid_social_mark(org, today) or org.legal_form == LegalForm.SHELTERED_UNIT
