"""The masking scan's own reading: what it takes for a full number and what it leaves alone."""

from __future__ import annotations

from gridgov.masking_scan import findings


def test_a_whole_mobile_number_is_found() -> None:
    # given / when
    found = findings(b'{"phone": "13912345678"}')

    # then
    assert found == ["mobile number 139…78"]


def test_a_mobile_number_with_the_country_code_is_found() -> None:
    # given / when
    found = findings("电话：+86 13912345678。".encode())

    # then
    assert found == ["mobile number 139…78"]


def test_a_masked_mobile_number_is_not_a_finding() -> None:
    # given / when
    found = findings(b'{"phone": "139****5678"}')

    # then
    assert found == []


def test_digits_inside_a_token_are_not_a_mobile_number() -> None:
    # given: an API key whose hex digits happen to hold a valid mobile number's eleven digits
    token = b'{"token": "ab18712345678cd0e9f1a2b3c4d5e6f7a8b9c0d1"}'

    # when
    found = findings(token)

    # then
    assert found == []


def test_a_number_the_client_sent_is_an_echo() -> None:
    # given / when
    found = findings(b'<input value="13912345678">', sent=b"q=139 1234 5678")

    # then
    assert found == []


def test_a_whole_id_number_is_found_and_a_masked_one_is_not() -> None:
    # given: a valid ID number (its check character computed by the standard's weights)
    body = "110101199003074477"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body[:17], weights, strict=True)) % 11]
    number = body[:17] + check

    # when
    found = findings(f"身份证 {number}；另一个 {number[:6]}********{number[-4:]}".encode())

    # then
    assert found == [f"ID number {number[:6]}…{number[-2:]}"]


def test_the_fraction_of_a_spreadsheets_date_cell_is_not_a_mobile_number() -> None:
    # given: a date and time as Excel stores it, its time of day a fraction (03:20 here)
    cell = b'<c r="I2" s="1" t="n"><v>46361.13938857741</v></c>'

    # when
    found = findings(cell)

    # then
    assert found == []
