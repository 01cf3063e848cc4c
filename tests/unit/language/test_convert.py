"""Values converted to their column's Python type: templates render text, YAML gives native types."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import pytest

from seedspec.language.convert import convert, json_text, to_scale
from seedspec.outcome import Pending


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("42", "int", 42),
        (3.0, "int", 3),
        ("2.50", "decimal", decimal.Decimal("2.50")),
        (" Yes ", "bool", True),
        ("off", "bool", False),
        ("2026-01-02", "date", dt.date(2026, 1, 2)),
        (dt.datetime(2026, 1, 2, 3, 4, 5, 999), "date", dt.date(2026, 1, 2)),
        ("2026-01-02T03:04:05.123456", "datetime", dt.datetime(2026, 1, 2, 3, 4, 5)),
        (dt.date(2026, 1, 2), "datetime", dt.datetime(2026, 1, 2)),
        ("12:30", "time", dt.time(12, 30)),
        ({"b": 1, "a": [2]}, "str", '{"a": [2], "b": 1}'),
        (7, "str", "7"),
        ("ab", "bytes", b"ab"),
        ("x", "other", "x"),
        ("12345678-1234-5678-1234-567812345678", "uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        (b"\x12" * 16, "uuid", uuid.UUID(bytes=b"\x12" * 16)),
    ],
)
def test_a_value_becomes_its_column_type(value: Any, kind: str, expected: Any) -> None:
    converted = convert(value, kind)
    assert converted == expected
    assert type(converted) is type(expected)


def test_none_and_pending_ids_pass_through() -> None:
    pending = Pending("user/1")
    assert convert(None, "int") is None
    assert convert(pending, "int") is pending


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (2.5, "int"),
        ("nope", "uuid"),
        ("maybe", "bool"),
        (2, "bool"),
        (0.5, "bool"),
        ([1], "bool"),
        ("soon", "date"),
        ("x", "int"),
    ],
)
def test_a_value_that_does_not_fit_raises_rather_than_guessing(value: Any, kind: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each converter words its own message
        convert(value, kind)


def test_a_template_for_a_json_column_is_read_as_json() -> None:
    assert json_text('{"a": [1, 2]}') == {"a": [1, 2]}
    assert json_text('"text"') == "text"
    with pytest.raises(ValueError, match="must render JSON"):
        json_text("plain text")


@pytest.mark.parametrize(
    ("value", "scale", "stored"),
    [
        (decimal.Decimal("12.345"), 2, decimal.Decimal("12.35")),  # half away from zero, as databases round
        (decimal.Decimal("-12.345"), 2, decimal.Decimal("-12.35")),
        (decimal.Decimal("12.5"), 2, decimal.Decimal("12.50")),
        (decimal.Decimal("7.5"), 0, decimal.Decimal("8")),
        (decimal.Decimal("NaN"), 2, decimal.Decimal("NaN")),
        (3.25, 1, 3.25),  # not a decimal: a float column's, left alone
    ],
)
def test_to_scale_rounds_as_the_database_stores(value: Any, scale: int, stored: Any) -> None:
    result = to_scale(value, scale)
    assert str(result) == str(stored)
