"""The certificate's rules, without the database: its number, its expiry and its status on a day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import pgettext_lazy

SEQUENCE_DIGITS = 6
# A certificate "expires soon" this many days ahead: time to sit the course again.
EXPIRING_DAYS = 60


def certificate_number(county_code: str, year: int, sequence: int) -> str:
    """`610324-2026-000001`: the county, the year of issue, the county's sequence that year."""
    return f"{county_code}-{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (31 Jan + 1)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def expiry(issued_on: date, validity_months: int) -> date:
    """The last day a certificate is valid: the day before the same day `validity_months` on."""
    return add_months(issued_on, validity_months) - timedelta(days=1)


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATUS_LABELS = {
    CertificateStatus.VALID: pgettext_lazy("certificate", "Valid"),
    CertificateStatus.EXPIRING: pgettext_lazy("certificate", "Expiring soon"),
    CertificateStatus.EXPIRED: pgettext_lazy("certificate", "Expired"),
    CertificateStatus.REVOKED: pgettext_lazy("certificate", "Revoked"),
}


def certificate_status(*, expires_on: date, revoked: bool, today: date) -> CertificateStatus:
    if revoked:
        return CertificateStatus.REVOKED
    if expires_on < today:
        return CertificateStatus.EXPIRED
    if expires_on <= today + timedelta(days=EXPIRING_DAYS):
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID
