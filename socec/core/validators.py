"""Romanian identifiers and codes: CNP, CUI, COR, CAEN. Pure functions plus Django validators."""

import datetime as dt
import operator
import re
from dataclasses import dataclass

import caen_romania
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CNP_WEIGHTS = "279146358279"
CUI_WEIGHTS = "753217532"
# County digits in a CNP: 01-46 (counties, Bucharest sectors 1-6), 47-48 (former sectors
# 7 and 8), 51 Calarasi, 52 Giurgiu, 70 (registrations made regardless of county).
CNP_COUNTIES = {f"{n:02d}" for n in range(1, 49)} | {"51", "52", "70"}


@dataclass(frozen=True)
class CnpFacts:
    birth_date: dt.date
    sex: str  # "F", "M" or "" (foreign citizen, digit 9)
    county_digits: str


_CNP_W = tuple(int(w) for w in CNP_WEIGHTS)


def cnp_control_digit(first12: str) -> int:
    rest = sum(map(operator.mul, map(int, first12), _CNP_W)) % 11
    return 1 if rest == 10 else rest


def parse_cnp(value: str, today: dt.date | None = None) -> CnpFacts:
    """Checks a CNP and returns what it encodes; ValidationError with a precise message."""
    cnp = (value or "").strip()
    if not re.fullmatch(r"\d{13}", cnp):
        raise ValidationError(_("A CNP has exactly 13 digits."), code="cnp_length")
    if int(cnp[12]) != cnp_control_digit(cnp[:12]):
        raise ValidationError(_("The CNP's control digit is wrong: check for a mistyped digit."), code="cnp_control")
    s = cnp[0]
    if s == "0":
        raise ValidationError(_("A CNP cannot start with 0."), code="cnp_sex")
    yy, mm, dd = int(cnp[1:3]), int(cnp[3:5]), int(cnp[5:7])
    today = today or dt.date.today()
    if s in "12":
        centuries = [1900]
    elif s in "34":
        centuries = [1800]
    elif s in "56":
        centuries = [2000]
    else:  # 7, 8, 9: residents and foreign citizens; the century is not encoded
        centuries = [2000, 1900]
    birth = None
    for century in centuries:
        try:
            candidate = dt.date(century + yy, mm, dd)
        except ValueError:
            raise ValidationError(_("The CNP encodes a date of birth that does not exist."), code="cnp_date") from None
        if candidate <= today:
            birth = candidate
            break
    if birth is None:
        raise ValidationError(_("The CNP encodes a date of birth in the future."), code="cnp_date")
    if cnp[7:9] not in CNP_COUNTIES:
        raise ValidationError(_("The CNP's county digits (%(jj)s) are not a county code."), params={"jj": cnp[7:9]},
                              code="cnp_county")
    sex = "" if s == "9" else ("M" if int(s) % 2 == 1 else "F")
    return CnpFacts(birth_date=birth, sex=sex, county_digits=cnp[7:9])


def validate_cnp(value: str) -> None:
    parse_cnp(value)


def normalise_cui(value: str) -> str:
    """'RO 12345678' -> '12345678'."""
    return re.sub(r"^RO", "", re.sub(r"\s", "", str(value or "")).upper())


def validate_cui(value: str) -> None:
    cui = normalise_cui(value)
    if not re.fullmatch(r"\d{2,10}", cui):
        raise ValidationError(_("A CUI (fiscal code) has 2 to 10 digits, optionally after RO."), code="cui_format")
    body, control = cui[:-1].zfill(9), int(cui[-1])
    total = sum(int(d) * int(w) for d, w in zip(body, CUI_WEIGHTS, strict=True)) * 10 % 11
    if (0 if total == 10 else total) != control:
        raise ValidationError(_("The CUI's control digit is wrong: check for a mistyped digit."), code="cui_control")


def validate_cor(value: str) -> None:
    if not re.fullmatch(r"\d{6}", str(value or "")):
        raise ValidationError(_("A COR occupation code has 6 digits, e.g. 112032."), code="cor_format")


def normalise_caen(value) -> str:
    return caen_romania.normalize_code(value) or ""


def validate_caen(value: str) -> None:
    code = normalise_caen(value)
    if len(code) != 4 or caen_romania.title(code, rev=2) is None:
        raise ValidationError(_("%(code)s is not a CAEN Rev.2 class (four digits, e.g. 1413)."),
                              params={"code": value}, code="caen_unknown")


# NACE Rev.2 sections by division (first two digits of the class): facts of the classification.
_SECTIONS = [
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
]


def caen_section(code: str) -> str:
    code = normalise_caen(code)
    if len(code) < 2 or not code[:2].isdigit():
        return ""
    division = int(code[:2])
    return next((letter for letter, lo, hi in _SECTIONS if lo <= division <= hi), "")


def caen_title(code: str, lang: str = "ro") -> str:
    return caen_romania.title(code, rev=2, lang="en" if lang.startswith("en") else "ro") or ""
