from decimal import Decimal

import pytest

from wijkwijs.budgeting.money import AmountError, format_amount, format_short, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234.567,89", "1234567.89"), ("1234567.89", "1234567.89"), ("€ 12.500", "12500"), ("7,50", "7.50"),
        ("1,234,567.89", "1234567.89"), ("-250", "-250"), ("EUR 30000", "30000"), ("0.5", "0.50"), ("12.5", "12.50"),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "veel", "1,2,3", "1.2345", "12,345,6", "--5"])
def test_parse_amount_refuses(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_format_amount():
    assert format_amount(Decimal("1234567.891")) == "€ 1.234.567,89"
    assert format_amount(Decimal("-7.5")) == "-€ 7,50"
    assert format_amount(Decimal("999.5"), decimals=0) == "€ 1.000"
    assert format_amount(None) == "–"
    assert format_short(Decimal("248100000")) == "€ 248,1 mln"
    assert format_short(Decimal("71000")) == "€ 71.000"
