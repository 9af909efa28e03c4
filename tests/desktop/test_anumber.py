import pytest

from desktop.case.anumber import format_a_number, is_a_number, parse_a_number
from desktop.errors import ValidationError


@pytest.mark.parametrize(
    "text, digits",
    [
        ("A 201-555-014", "201555014"),
        ("A201555014", "201555014"),
        ("a-201-555-014", "201555014"),
        ("201 555 014", "201555014"),
        ("201555014", "201555014"),
        ("A12345678", "012345678"),  # 8 digits: leading zero, as EOIR does since 2008
        ("1234567", "001234567"),  # 7 digits
        ("  A 012-345-678  ", "012345678"),
        ("A#012345678", "012345678"),
    ],
)
def test_accepted_spellings(text, digits):
    assert parse_a_number(text) == digits
    assert is_a_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "A",
        "123456",
        "1234567890",
        "A 201-555-01X",
        "B201555014",
        "201.555.014",
        "A--201555014",
        "201--555-014",
        "２０１５５５０１４",
        "A 201 555 014 9",
    ],
)
def test_refused_with_a_clear_message(text):
    with pytest.raises(ValidationError) as err:
        parse_a_number(text, field="$.client.a_number")
    assert err.value.field == "$.client.a_number"
    assert "A-number" in str(err.value)
    assert not is_a_number(text)


def test_digit_count_is_reported():
    with pytest.raises(ValidationError) as err:
        parse_a_number("A 123-456")
    assert "6 digits" in str(err.value)


def test_display_form():
    assert format_a_number("012345678") == "A 012-345-678"
    assert format_a_number(None) == ""
    assert format_a_number(parse_a_number("12345678")) == "A 012-345-678"
