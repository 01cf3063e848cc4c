"""Dates and times of ``faker.providers.date_time.Provider``, relative to the caller's ``now``.

Faker draws ``random.uniform(start, end)`` seconds since 1970 (naive datetimes read as UTC,
``calendar.timegm``) and adds them to 1970-01-01; a date keeps the UTC day. "Now" is the
``now`` given to :func:`seedspec.language.vectorfaker.lookup` (the plan's ``settings.now``, as the
pinned clock gives Faker), never the wall clock: without it the date methods fall back. Relative
strings (``"-30y"``) are resolved by the compiler before they get here; one that is not gives None.
Only naive results (``tzinfo`` None) are vectorised.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from faker.providers.date_time import Provider as DateTime
from faker.providers.date_time import change_year

from seedspec.language.counterhash import Keys, mix, unit
from seedspec.language.vectorfaker import VectorProvider, data, provider

NOW = "__now__"  # the kwargs key lookup() puts the caller's now under, for the makers here
_EPOCH = np.datetime64("1970-01-01T00:00:00", "us")
_SECONDS = 253402300799  # 9999-12-31T23:59:59, the last second datetime holds


def _stamp(value: Any) -> int | None:
    """``_parse_date_time`` for what a compiled spec holds: a datetime or date, or an int."""
    if isinstance(value, dt.datetime | dt.date):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return calendar.timegm(value.timetuple())
    return value if type(value) is int else None


def _seconds(keys: Keys, start: int, end: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """``random.uniform(start, end)`` per key (``start + (end - start) * random()``)."""
    return start + (end - start) * unit(mix(keys, 1))


def _datetimes(seconds: np.ndarray[Any, Any]) -> list[Any]:
    """``datetime(1970, 1, 1) + timedelta(seconds=s)``: to the nearest microsecond."""
    micros = np.rint(seconds * 1e6).astype(np.int64)
    return (_EPOCH + micros.astype("timedelta64[us]")).astype(object).tolist()  # type: ignore[no-any-return]


def _dates(seconds: np.ndarray[Any, Any]) -> list[Any]:
    days = np.floor(seconds / 86400).astype(np.int64)
    return (np.datetime64("1970-01-01", "D") + days.astype("timedelta64[D]")).astype(object).tolist()  # type: ignore[no-any-return]


def _base(locale: str, method: str) -> bool:
    return data.base_owner(locale, method, getattr(DateTime, method)) is not None


def _bound(
    names: Sequence[str], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[dict[str, Any], dt.datetime | None] | None:
    bound = data.bind(names, args, {k: v for k, v in kwargs.items() if k != NOW})
    if bound is None or bound.get("tzinfo") is not None:
        return None
    now = kwargs.get(NOW)
    return bound, now if isinstance(now, dt.datetime) else None


def _in_range(*stamps: int | None) -> bool:
    return all(s is not None and -62135596800 <= s <= _SECONDS for s in stamps)


@provider("date_time_between", wants_now=True)
def _date_time_between(
    locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> VectorProvider | None:
    found = _bound(("start_date", "end_date", "tzinfo"), args, kwargs)
    if found is None or not _base(locale, "date_time_between"):
        return None
    bound, now = found
    start = _stamp(bound["start_date"]) if "start_date" in bound else None
    end = _stamp(bound.get("end_date", now)) if "end_date" in bound or now is not None else None
    if start is None or end is None or not _in_range(start, end) or start > end:
        return None
    return lambda keys: _datetimes(_seconds(keys, start, end))


@provider("date_between", wants_now=True)
def _date_between(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    found = _bound(("start_date", "end_date"), args, kwargs)
    if found is None or not _base(locale, "date_between"):
        return None
    bound, now = found
    day = {k: v.date() if isinstance(v, dt.datetime) else v for k, v in bound.items()}
    today = None if now is None else now.date()
    start = _stamp(day["start_date"]) if isinstance(day.get("start_date"), dt.date) else None
    end_day = day.get("end_date", today)
    end = _stamp(end_day) if isinstance(end_day, dt.date) else None
    if start is None or end is None or not _in_range(start, end) or start > end:
        return None
    return lambda keys: _dates(_seconds(keys, start, end))


def _until(
    locale: str, method: str, names: tuple[str, str], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[dict[str, Any], int] | None:
    """The bound arguments and the end (``end_datetime``, else now) of ``date_time`` / ``date``."""
    found = _bound(names, args, kwargs)
    if found is None or not _base(locale, method):
        return None
    bound, now = found
    end = _stamp(bound["end_datetime"]) if bound.get("end_datetime") is not None else _stamp(now)
    return None if end is None or not _in_range(end) or end < 0 else (bound, end)


@provider("date_time", wants_now=True)
def _date_time(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    found = _until(locale, "date_time", ("tzinfo", "end_datetime"), args, kwargs)
    if found is None:
        return None
    end = found[1]
    return lambda keys: _datetimes(_seconds(keys, 0, end))


@provider("date", wants_now=True)
def _date(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    found = _until(locale, "date", ("pattern", "end_datetime"), args, kwargs)
    if found is None or not isinstance(pattern := found[0].get("pattern", "%Y-%m-%d"), str):
        return None
    end = found[1]
    if pattern == "%Y-%m-%d":
        return lambda keys: [d.isoformat() for d in _dates(_seconds(keys, 0, end))]
    return lambda keys: [d.strftime(pattern) for d in _datetimes(_seconds(keys, 0, end))]


@provider("date_of_birth", wants_now=True)
def _date_of_birth(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    found = _bound(("tzinfo", "minimum_age", "maximum_age"), args, kwargs)
    if found is None or not _base(locale, "date_of_birth"):
        return None
    bound, now = found
    low, high = bound.get("minimum_age", 0), bound.get("maximum_age", 115)
    if now is None or type(low) is not int or type(high) is not int or not 0 <= low <= high <= 5000:
        return None
    today = now.date()
    try:
        first, last = change_year(today, -(high + 1)), change_year(today, -low)
    except ValueError:
        return None
    start, end = _stamp(first), _stamp(last)
    if start is None or end is None or not _in_range(start, end):
        return None
    day_after = first + dt.timedelta(days=1)

    def draw(keys: Keys) -> Sequence[Any]:  # the first day is moved one on, as Faker does
        return [day_after if d == first else d for d in _dates(_seconds(keys, start, end))]

    return draw
