"""Citizen ID numbers (GB 11643-1999, 18 characters): checked with python-stdnum's `cn.ric`, and
the birth date and gender they carry. Pure functions, no database.

The 17th digit is odd for a man and even for a woman; digits 7-14 are the birth date; the last
character is an ISO 7064 MOD 11-2 check character (X for 10).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

ID_LENGTH = 18
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
# An ID number that passed through a spreadsheet as a number: 15 significant digits at most
# survive, the rest became zeros or an exponent (6.10324E+17).
_EXCEL_NUMBER = re.compile(r"[0-9]\.?[0-9]*E\+?[0-9]+|[0-9]{15,18}\.0+", re.IGNORECASE)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class IdProblem(StrEnum):
    """Why a string is not a usable ID number (the import report's reasons use these)."""

    FORMAT = "format"  # not 17 digits and a digit or X
    CHECKSUM = "checksum"
    BIRTH_DATE = "birth_date"  # digits 7-14 are no date, or a date in the future
    PLACE = "place"  # the first six digits name no county that ever was
    TRUNCATED = "truncated"  # a spreadsheet stored it as a number and lost digits


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: dt.date
    gender: Gender


def normalize(raw: str) -> str:
    """Spaces and dashes dropped, a final x upper-cased."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def looks_truncated(raw: object) -> bool:
    """A spreadsheet cell that held the ID as a number (a float, or its printed form): Excel keeps
    15 significant digits, so the last three became zeros and the check character is gone."""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return True
    text = str(raw).strip()
    return bool(_EXCEL_NUMBER.fullmatch(text)) and not is_valid_shape(text)


def is_valid_shape(number: str) -> bool:
    return bool(_SHAPE.fullmatch(number))


def check_id(raw: object, *, today: dt.date | None = None) -> IdFacts | IdProblem:
    """The facts an ID number carries, or the first problem with it (`raw` is a number when a
    spreadsheet cell held one)."""
    if looks_truncated(raw):
        return IdProblem.TRUNCATED
    number = normalize(str(raw))
    if not is_valid_shape(number):
        return IdProblem.FORMAT
    if ric.calc_check_digit(number) != number[-1]:
        return IdProblem.CHECKSUM
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return IdProblem.BIRTH_DATE
    if birth > (today or dt.date.today()) or birth.year < 1850:
        return IdProblem.BIRTH_DATE
    if not is_known_place(number[:6]):
        return IdProblem.PLACE
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return IdFacts(number=number, birth_date=birth, gender=gender)


@lru_cache(maxsize=8192)
def is_known_place(code: str) -> bool:
    """Whether six digits name a county that ever was (python-stdnum's table). Not checked
    against the birth year as `ric.validate` does: a person born before their county got its
    code (440524, the standard's own example, dates from after 1880) is given today's code."""
    return any(props for _part, props in numdb.get("cn/loc").info(code))


def with_check_character(first17: str) -> str:
    """The full number for 17 digits (the synthetic register and the tests build IDs this way)."""
    return first17 + ric.calc_check_digit(first17 + "0")


def synthetic_id(*, place: str, birth_date: dt.date, sequence: int, gender: Gender) -> str:
    """A valid ID number: `place` (six digits of a real county), the birth date, a three-digit
    sequence whose last digit is odd for a man and even for a woman, and the check character."""
    order = sequence % 1000
    if (order % 2 == 1) != (gender is Gender.MALE):
        order = order - 1 if order % 2 else order + 1
        order %= 1000
    return with_check_character(f"{place}{birth_date:%Y%m%d}{order:03d}")


def id_tail(number: str) -> str:
    """The last four characters: what a masked ID shows, and what the register searches on."""
    return number[-4:]


def plausible_id_anywhere(text: str) -> bool:
    """Whether `text` is a whole ID number with a valid check character and birth date (the
    masking scan's test, cheaper than `check_id`: no place look-up)."""
    number = text.upper()
    if not is_valid_shape(number) or ric.calc_check_digit(number) != number[-1]:
        return False
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return False
    return True
