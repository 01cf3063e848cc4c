"""Dates within Faker's bounds, uniform over them, relative to the caller's now."""

import datetime as dt

import numpy as np
from vectordraws import keys

from seedspec.language.vectorfaker import lookup

NOW = dt.datetime(2025, 1, 1, 12, 0, 0)


def test_date_time_between_stays_within_bounds_and_is_uniform() -> None:
    start, end = dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 11)
    draw = lookup("date_time_between", "en_US", (), {"start_date": start, "end_date": end}, now=NOW)
    assert draw is not None
    values = list(draw(keys(100_000)))
    assert all(start <= v <= end for v in values)
    counts = np.bincount([(v - start).days for v in values], minlength=10)[:10]
    assert float(((counts - 10_000) ** 2 / 10_000).sum()) < 27.88  # 9 df, p = 0.001


def test_dates_end_at_the_callers_now_never_the_wall_clock() -> None:
    assert lookup("date_time", "en_US") is None  # no now: the per-value fallback
    for method in ("date_time", "date", "date_of_birth", "date_between"):
        kwargs = {"start_date": dt.date(2000, 1, 1)} if method == "date_between" else {}
        draw = lookup(method, "en_US", (), kwargs, now=NOW)
        assert draw is not None, method
        for value in draw(keys(5000)):
            day = dt.date.fromisoformat(value) if isinstance(value, str) else value
            assert day <= NOW if isinstance(day, dt.datetime) else day <= NOW.date()


def test_date_between_and_date_of_birth_bounds() -> None:
    draw = lookup("date_between", "en_US", (dt.date(2024, 2, 27), dt.date(2024, 3, 2)), now=NOW)
    assert draw is not None
    assert set(draw(keys(2000))) == {
        dt.date(2024, 2, 27),
        dt.date(2024, 2, 28),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 1),
    }
    births = lookup("date_of_birth", "en_US", (), {"minimum_age": 18, "maximum_age": 30}, now=NOW)
    assert births is not None
    ages = [(NOW.date() - d).days / 365.25 for d in births(keys(5000))]
    assert min(ages) >= 18
    assert max(ages) < 31.01


def test_date_patterns_and_unsupported_arguments() -> None:
    draw = lookup("date", "en_US", ("%d/%m/%Y",), now=NOW)
    assert draw is not None
    assert all(len(v) == 10 and v[2] == "/" for v in draw(keys(100)))
    assert lookup("date_time", "en_US", (dt.UTC,), now=NOW) is None  # an aware result: fallback
    assert lookup("date_between", "en_US", ("-30y",), now=NOW) is None  # unresolved relative
    values = list(lookup("date_time", "en_US", now=NOW)(keys(300)))  # type: ignore[misc]
    assert list(lookup("date_time", "en_US", now=NOW)(keys(300)[7:9])) == values[7:9]  # type: ignore[misc]
