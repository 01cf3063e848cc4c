"""Relative dates (``-1y``, ``+30d``, ``today``, ``now``) resolved against a fixed reference time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

DEFAULT_NOW = "2025-01-01T00:00:00"
_TERM = re.compile(r"([+-]?\d+)([yMwdhms])")
_RELATIVE = re.compile(r"^(?:[+-]?\d+[yMwdhms])+$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_now(text: str) -> dt.datetime:
    """The reference time of a spec (``settings.now``, ISO 8601)."""
    return dt.datetime.fromisoformat(text)


def is_relative(value: object) -> bool:
    """Whether ``value`` is a relative-date expression this module resolves."""
    return isinstance(value, str) and (value in ("now", "today") or bool(_RELATIVE.match(value)))


def resolve(value: str, now: dt.datetime) -> dt.datetime | dt.date:
    """``"-1y"`` -> ``now`` minus one year (calendar years and months, as Faker counts them).

    Raises:
        ValueError: the date falls outside the years 1 to 9999 (``-99999999999y``).
    """
    if value == "now":
        return now
    if value == "today":
        return now.date()
    result = now
    try:
        for amount_text, unit in _TERM.findall(value):
            amount = int(amount_text)
            if unit == "y":
                result = _add_months(result, 12 * amount)
            elif unit == "M":
                result = _add_months(result, amount)
            else:
                result += dt.timedelta(**{_UNITS[unit]: amount})
    except (OverflowError, ValueError) as exc:  # ValueError: a year outside 1..9999
        raise ValueError(f"{value[:40]!r} is outside the years 1 to 9999") from exc
    return result


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def range_bounds(bounds: list[Any], now: dt.datetime) -> tuple[str, Any, Any]:
    """The kind and the typed bounds of a ``range`` (relative dates resolved against ``now``)."""
    low: Any
    high: Any
    low, high = (resolve(b, now) if is_relative(b) else b for b in bounds)
    if all(isinstance(b, int) and not isinstance(b, bool) for b in (low, high)):
        return "int", low, high
    if all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in (low, high)):
        return "float", float(low), float(high)
    first, last = _temporal(low), _temporal(high)
    if isinstance(first, dt.datetime) or isinstance(last, dt.datetime):
        return "datetime", _as_datetime(first), _as_datetime(last)
    return "date", first, last


def _temporal(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value)
    return dt.datetime.fromisoformat(text) if ("T" in text or " " in text) else dt.date.fromisoformat(text)


def _as_datetime(value: dt.date) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
