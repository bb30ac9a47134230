"""Why the register's services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

RESIDENT_NOT_FOUND = error_code("people.resident_not_found", _("There is no such resident here."))
HOUSEHOLD_NOT_FOUND = error_code(
    "people.household_not_found", _("There is no such household here.")
)
BUILDING_NOT_FOUND = error_code("people.building_not_found", _("There is no such building here."))
ORGANISATION_NOT_FOUND = error_code(
    "people.organisation_not_found", _("There is no such organisation here.")
)
CARD_NOT_FOUND = error_code("people.card_not_found", _("There is no such community."))

# ID numbers, phones and codes.
ID_FORMAT = error_code(
    "people.id_format", _("An ID number is 17 digits and a digit or X (18 characters).")
)
ID_CHECKSUM = error_code(
    "people.id_checksum", _("The ID number's check character does not match: a digit is wrong.")
)
ID_BIRTH_DATE = error_code(
    "people.id_birth_date", _("Digits 7 to 14 of the ID number are not a possible birth date.")
)
ID_PLACE = error_code("people.id_place", _("The first six digits of the ID number name no county."))
ID_TRUNCATED = error_code(
    "people.id_truncated",
    _(
        "The ID number was stored as a number and lost its last digits: format the column as "
        "text and type it again."
    ),
)
ID_DUPLICATE = error_code(
    "people.id_duplicate", _("This ID number is already in the register or earlier in the file.")
)
BIRTH_DATE_MISMATCH = error_code(
    "people.birth_date_mismatch", _("The birth date does not match the ID number.")
)
GENDER_MISMATCH = error_code(
    "people.gender_mismatch", _("The gender does not match the ID number.")
)
PHONE_INVALID = error_code("people.phone_invalid", _("This is not a Chinese phone number."))
CREDIT_CODE_INVALID = error_code(
    "people.credit_code_invalid", _("This is not a valid unified social credit code.")
)
CREDIT_CODE_REQUIRED = error_code(
    "people.credit_code_required",
    _("An enterprise or social organisation needs its unified social credit code."),
)
CREDIT_CODE_DUPLICATE = error_code(
    "people.credit_code_duplicate",
    _("An organisation with this credit code is already registered."),
)
UNKNOWN_GRID = error_code("people.unknown_grid", _("There is no grid %(grid)s of yours."))
REQUIRED = error_code("people.required", _("This is required."))
UNKNOWN_CHOICE = error_code("people.unknown_choice", _("“%(value)s” is not one of the choices."))

# Revealing.
REVEAL_FIELD = error_code(
    "people.reveal_field", _("Only the ID number or the phone can be revealed.")
)
REVEAL_REASON_REQUIRED = error_code(
    "people.reveal_reason_required", _("Say why you need to see it in full.")
)
REVEAL_REFUSED = error_code(
    "people.reveal_refused", _("You may not see this resident's personal data in full.")
)
FOCUS_REFUSED = error_code("people.focus_refused", _("You may not see this focus group."))

# Imports.
IMPORT_NOT_XLSX = error_code(
    "people.import_not_xlsx", _("The file is not an Excel workbook (.xlsx).")
)
IMPORT_BAD_HEADER = error_code(
    "people.import_bad_header",
    _("The first row must be the template's column names; start from the template."),
)
IMPORT_EMPTY = error_code("people.import_empty", _("The workbook has no rows below the header."))
IMPORT_TOO_MANY = error_code(
    "people.import_too_many", _("At most %(limit)d rows a file; split it.")
)
IMPORT_HAS_BAD_ROWS = error_code(
    "people.import_has_bad_rows", _("%(count)d rows are wrong; nothing was written.")
)
IMPORT_HOUSEHOLD_ELSEWHERE = error_code(
    "people.import_household_elsewhere",
    _("This household number belongs to another grid."),
)
PROJECT_ENDS_BEFORE_START = error_code(
    "people.project_ends_before_start", _("A project cannot end before it starts.")
)

# Visits.
VISIT_IN_FUTURE = error_code("people.visit_in_future", _("A visit cannot be recorded ahead."))
VISIT_TOO_OLD = error_code(
    "people.visit_too_old", _("A visit is recorded within %(days)d days of it.")
)
VISIT_NOT_A_MEMBER = error_code(
    "people.visit_not_a_member", _("This person is not a member of the household.")
)

# Edits.
NOT_EDITABLE = error_code(
    "people.not_editable",
    _("This field cannot be edited (gender and birth date follow the ID number)."),
)
HOUSEHOLD_NUMBER_TAKEN = error_code(
    "people.household_number_taken", _("Another household has this number.")
)
FLOORS_RANGE = error_code("people.floors_range", _("A building has 1 to 200 floors."))
