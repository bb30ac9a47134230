"""Checking a resident's data before it is written: one function for the form, the API and each
row of an import, so all three refuse the same things with the same codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from stdnum.cn import uscc

from gridgov.core.errors import ErrorCode, Problem
from gridgov.core.pii import normalize_phone, search_hash
from gridgov.people import errors
from gridgov.people.idnumbers import IdFacts, IdProblem, check_id, id_tail
from gridgov.people.models import Resident

ID_ERRORS: dict[IdProblem, ErrorCode] = {
    IdProblem.FORMAT: errors.ID_FORMAT,
    IdProblem.CHECKSUM: errors.ID_CHECKSUM,
    IdProblem.BIRTH_DATE: errors.ID_BIRTH_DATE,
    IdProblem.PLACE: errors.ID_PLACE,
    IdProblem.TRUNCATED: errors.ID_TRUNCATED,
}


@lru_cache(maxsize=4096)
def name_initials(name: str) -> str:
    """张三 -> zs; letters and digits in a name are kept as they are (lower-cased)."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(letters).lower()[:50]


@dataclass
class ResidentInput:
    """A resident as typed (a form, the API, a row of a workbook)."""

    name: str
    id_number: object  # a str; a number when a spreadsheet cell held one
    phone: str = ""
    gender: str = ""  # checked against the ID number when given
    birth_date: dt.date | None = None  # likewise
    ethnicity: str = ""
    relation: str = Resident.Relation.HEAD
    residence: str = Resident.Residence.REGISTERED
    occupation: str = ""


@dataclass
class CheckedResident:
    """A resident that passed every check, with what the row stores."""

    fields: dict[str, object]
    problems: dict[str, list[Problem]] = field(default_factory=dict)


def check_resident(data: ResidentInput, *, today: dt.date | None = None) -> CheckedResident:
    """The columns of a Resident row for `data`, or its problems column by column (`name`,
    `id_number`, `phone`, `gender`, `birth_date`, `relation`, `residence`). Duplicates are the
    caller's to find (within a file, and against the register)."""
    problems: dict[str, list[Problem]] = {}
    name = (data.name or "").strip()
    if not name:
        problems.setdefault("name", []).append(errors.REQUIRED.bind())
    facts = check_id(data.id_number if data.id_number is not None else "", today=today)
    if isinstance(facts, IdProblem):
        problems.setdefault("id_number", []).append(ID_ERRORS[facts].bind())
    phone = ""
    if (data.phone or "").strip():
        normalized = normalize_phone(str(data.phone))
        if normalized is None or not normalized.startswith("+86"):
            problems.setdefault("phone", []).append(errors.PHONE_INVALID.bind())
        else:
            phone = normalized
    for column, value, choices in (
        ("relation", data.relation, Resident.Relation.values),
        ("residence", data.residence, Resident.Residence.values),
    ):
        if value not in choices:
            problems.setdefault(column, []).append(errors.UNKNOWN_CHOICE.bind(value=value))
    if isinstance(facts, IdFacts):
        if data.birth_date is not None and data.birth_date != facts.birth_date:
            problems.setdefault("birth_date", []).append(errors.BIRTH_DATE_MISMATCH.bind())
        if data.gender and data.gender != facts.gender:
            problems.setdefault("gender", []).append(errors.GENDER_MISMATCH.bind())
    if problems or not isinstance(facts, IdFacts):
        return CheckedResident(fields={}, problems=problems)
    return CheckedResident(
        fields={
            "name": name,
            "name_initials": name_initials(name),
            "id_number": facts.number,
            "id_hash": search_hash(facts.number),
            "id_tail": id_tail(facts.number),
            "gender": str(facts.gender),
            "birth_date": facts.birth_date,
            "phone": phone,
            "phone_hash": search_hash(phone) if phone else "",
            "ethnicity": (data.ethnicity or "").strip() or "汉族",
            "relation": data.relation,
            "residence": data.residence,
            "occupation": (data.occupation or "").strip(),
        }
    )


def check_credit_code(raw: str) -> str | ErrorCode:
    """A unified social credit code, compacted, or why it is not one."""
    code = (raw or "").strip().upper()
    if not uscc.is_valid(code):
        return errors.CREDIT_CODE_INVALID
    return str(uscc.compact(code))
