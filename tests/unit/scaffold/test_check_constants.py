"""Cast literals and the database's clock in a CHECK, as values seedspec compares."""

from __future__ import annotations

import datetime as dt

import pytest

from seedspec.scaffold.check_constants import Now, cast, number


def test_a_literal_takes_the_type_it_is_cast_to() -> None:
    assert cast("-40", ["integer"]) == -40
    assert cast("6.50", ["numeric"]) == 6.5
    assert cast("1930-01-01", ["date"]) == dt.datetime(1930, 1, 1)
    assert cast("2020-01-01 10:00:00+02", ["timestamp", "with", "time", "zone"]) == dt.datetime(2020, 1, 1, 8)
    assert cast("M", ["bpchar"]) == "M"
    with pytest.raises(ValueError, match="abc"):
        cast("abc", ["integer"])


def test_numbers_keep_their_sign_and_kind() -> None:
    assert (number("-40"), number("+3"), number("2.5")) == (-40, 3, 2.5)


def test_the_clock_moved_by_intervals_is_read_at_the_spec_reference_time() -> None:
    assert Now().at_reference() == dt.datetime(2025, 1, 1)  # dates.DEFAULT_NOW
    moved = Now().moved("18 years", -1).moved("1 mon 2 days", 1)
    assert moved == Now("-18y+1M+2d")
    assert moved.at_reference() == dt.datetime(2007, 2, 3)
    with pytest.raises(ValueError, match="02:00"):
        Now().moved("1 day 02:00", 1)
    with pytest.raises(ValueError, match=r"^$"):
        Now().moved("", 1)
