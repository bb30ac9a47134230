"""The certificate's rules without the database: its number, its expiry, its status on a day."""

from __future__ import annotations

from datetime import date

from gridgov.trainings.rules import (
    EXPIRING_DAYS,
    CertificateStatus,
    add_months,
    certificate_number,
    certificate_status,
    expiry,
)


def test_the_number_is_county_year_and_a_six_digit_sequence():
    assert certificate_number("610324", 2026, 1) == "610324-2026-000001"
    assert certificate_number("610324", 2027, 123456) == "610324-2027-123456"


def test_months_are_added_to_the_same_day_or_the_months_last():
    assert add_months(date(2026, 1, 15), 1) == date(2026, 2, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)  # a leap year
    assert add_months(date(2026, 11, 30), 14) == date(2028, 1, 30)


def test_a_certificate_is_valid_until_the_day_before_its_anniversary():
    assert expiry(date(2026, 3, 10), 24) == date(2028, 3, 9)
    assert expiry(date(2026, 1, 31), 1) == date(2026, 2, 27)


def test_its_status_on_a_day():
    expires = date(2026, 6, 30)
    assert certificate_status(expires_on=expires, revoked=False, today=date(2026, 7, 1)) == (
        CertificateStatus.EXPIRED
    )
    assert certificate_status(expires_on=expires, revoked=False, today=expires) == (
        CertificateStatus.EXPIRING
    )
    # exactly the window ahead still expires soon; a day further it is valid
    early = date.fromordinal(expires.toordinal() - EXPIRING_DAYS)
    assert certificate_status(expires_on=expires, revoked=False, today=early) == (
        CertificateStatus.EXPIRING
    )
    earlier = date.fromordinal(early.toordinal() - 1)
    assert certificate_status(expires_on=expires, revoked=False, today=earlier) == (
        CertificateStatus.VALID
    )
    assert certificate_status(expires_on=expires, revoked=True, today=earlier) == (
        CertificateStatus.REVOKED
    )
