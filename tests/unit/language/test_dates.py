"""Relative dates resolved against the spec's fixed reference time, and range bounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from seedspec.language import dates

NOW = dt.datetime(2025, 1, 31, 12, 30, 0)


def test_default_now_parses() -> None:
    assert dates.parse_now(dates.DEFAULT_NOW) == dt.datetime(2025, 1, 1)


@pytest.mark.parametrize("text", ["2025-06-01", "2025-06-01T08:00:00", "2025-06-01 08:00:00"])
def test_parse_now_accepts_iso_dates_and_datetimes(text: str) -> None:
    assert dates.parse_now(text).date() == dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    "value", ["now", "today", "-1y", "+30d", "1w", "-2M", "-1y6M", "+1d-2h", "90s", "-15m", "+0d"]
)
def test_relative_expressions(value: str) -> None:
    assert dates.is_relative(value)


@pytest.mark.parametrize(
    "value", ["", "yesterday", "1", "-1", "1x", "y", "1y ago", "2024-01-01", "-1Y", " -1y", 5, None, ["-1y"]]
)
def test_other_values_are_not_relative(value: Any) -> None:
    assert not dates.is_relative(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("now", NOW),
        ("today", NOW.date()),
        ("+0d", NOW),
        ("-1d", dt.datetime(2025, 1, 30, 12, 30)),
        ("+2w", dt.datetime(2025, 2, 14, 12, 30)),
        ("-3h", dt.datetime(2025, 1, 31, 9, 30)),
        ("-30m", dt.datetime(2025, 1, 31, 12, 0)),
        ("+45s", dt.datetime(2025, 1, 31, 12, 30, 45)),
        ("-1y", dt.datetime(2024, 1, 31, 12, 30)),
        ("+1M", dt.datetime(2025, 2, 28, 12, 30)),
        ("-2M", dt.datetime(2024, 11, 30, 12, 30)),
        ("+13M", dt.datetime(2026, 2, 28, 12, 30)),
        ("-1y1d", dt.datetime(2024, 2, 1, 12, 30)),
        ("+1d-1d", NOW),
    ],
)
def test_resolve(value: str, expected: dt.datetime | dt.date) -> None:
    assert dates.resolve(value, NOW) == expected


def test_months_and_years_are_calendar_units_clamped_to_the_month_end() -> None:
    leap_day = dt.datetime(2024, 2, 29)
    assert dates.resolve("+1y", leap_day) == dt.datetime(2025, 2, 28)
    assert dates.resolve("+4y", leap_day) == dt.datetime(2028, 2, 29)
    assert dates.resolve("-1M", dt.datetime(2024, 3, 31)) == dt.datetime(2024, 2, 29)
    assert dates.resolve("+1M", dt.datetime(2024, 1, 15)) == dt.datetime(2024, 2, 15)
    assert dates.resolve("-12M", dt.datetime(2024, 1, 1)) == dt.datetime(2023, 1, 1)


def test_resolve_is_pure() -> None:
    assert dates.resolve("-1y", NOW) == dates.resolve("-1y", NOW)
    assert dt.datetime(2025, 1, 31, 12, 30, 0) == NOW


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ([1, 10], ("int", 1, 10)),
        ([1, 2.5], ("float", 1.0, 2.5)),
        ([0.5, 1.5], ("float", 0.5, 1.5)),
        (["2024-01-01", "2024-12-31"], ("date", dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        ([dt.date(2024, 1, 1), dt.date(2024, 2, 1)], ("date", dt.date(2024, 1, 1), dt.date(2024, 2, 1))),
        (
            ["2024-01-01", "2024-01-02T06:00:00"],
            ("datetime", dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2, 6)),
        ),
        (["-1y", "now"], ("datetime", dt.datetime(2024, 1, 31, 12, 30), NOW)),
        (["today", "+7d"], ("datetime", dt.datetime(2025, 1, 31), dt.datetime(2025, 2, 7, 12, 30))),
    ],
)
def test_range_bounds(bounds: list[Any], expected: tuple[str, Any, Any]) -> None:
    assert dates.range_bounds(bounds, NOW) == expected


@pytest.mark.parametrize("bounds", [[True, 5], ["soon", "later"], [1, "2024-01-01"]])
def test_range_bounds_reject_what_is_no_number_nor_date(bounds: list[Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        dates.range_bounds(bounds, NOW)


def test_a_range_bound_reads_as_its_kind() -> None:
    from seedspec.language.dates import kind_of_bound, typed_bound

    now = dt.datetime(2025, 1, 1, 12, 0)
    assert kind_of_bound("now", now) == "datetime"
    assert kind_of_bound(3, now) == "int"
    assert kind_of_bound("2024-01-01", now) == "date"
    assert typed_bound("2024-01-31 10:00:00 +1M", "datetime", now) == dt.datetime(2024, 2, 29, 10, 0)
    assert typed_bound("2024-01-31 10:00:00", "date", now) == dt.date(2024, 1, 31)
    assert typed_bound("-1d", "date", now) == dt.date(2024, 12, 31)
    assert typed_bound(dt.date(2024, 5, 1), "datetime", now) == dt.datetime(2024, 5, 1)
    assert typed_bound("12", "int", now) == 12
    assert typed_bound("1.5", "decimal", now) == 1.5
