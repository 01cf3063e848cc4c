"""The constants of a CHECK that are not plain numbers or text (pure): literals cast to a type
(PostgreSQL writes ``-40`` back as ``'-40'::integer`` and dates as ``'1930-01-01'::date``) and the
database's clock moved by an interval (``now() + '1 day'::interval``).

A moment relative to the clock is read against the drafted spec's reference time
(``settings.now``, ``dates.DEFAULT_NOW``), which is never after the database's own ``now()``: a
value drafted up to ``now() + 1 day`` of the reference is below the database's bound for good,
while a bound from below (``>= now() - 1 year``) moves past every drafted value, and is not read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from seedspec.language import dates

NOW_WORDS = frozenset(
    {"now", "current_timestamp", "current_date", "localtimestamp"}
    | {"statement_timestamp", "transaction_timestamp"}
)
_NUMERIC = frozenset(
    {"integer", "int", "int2", "int4", "int8", "smallint", "bigint", "numeric", "decimal", "real", "double"}
    | {"float", "float4", "float8"}
)
_TEMPORAL = frozenset({"date", "timestamp", "timestamptz"})
_UNITS = {
    "year": "y",
    "years": "y",
    "mon": "M",
    "mons": "M",
    "month": "M",
    "months": "M",
    "week": "w",
    "weeks": "w",
    "day": "d",
    "days": "d",
    "hour": "h",
    "hours": "h",
    "min": "m",
    "mins": "m",
    "minute": "m",
    "minutes": "m",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
}
_PART = re.compile(r"\s*([+-]?\d+)\s*([a-z]+)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Now:
    """The database's clock plus ``offset`` (a seedspec relative date: ``+1d``, ``-18y``; empty
    for the clock itself)."""

    offset: str = ""

    def moved(self, interval: str, sign: int) -> Now:
        """``now() + interval`` (``sign`` 1) or ``- interval`` (-1).

        Raises:
            ValueError: an interval this reading does not know (``'1 day 02:00'``).
        """
        parts, at = [], 0
        while at < len(interval):
            match = _PART.match(interval, at)
            if match is None or match.end() == at or match.group(2).lower() not in _UNITS:
                raise ValueError(interval)
            parts.append(f"{sign * int(match.group(1)):+d}{_UNITS[match.group(2).lower()]}")
            at = match.end()
        if not parts:
            raise ValueError(interval)
        return Now(self.offset + "".join(parts))

    def at_reference(self) -> dt.datetime:
        """The moment this stands for at the spec's reference time."""
        now = dates.parse_now(dates.DEFAULT_NOW)
        return as_moment(dates.resolve(self.offset or "now", now))


def as_moment(value: dt.date) -> dt.datetime:
    """A date as the datetime at its midnight (dates and datetimes compare as one kind)."""
    return value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)


def cast(text: str, types: Sequence[str]) -> Any:
    """A text literal as the type it is cast to: a number, a moment, else the text.

    Raises:
        ValueError: the text is not a value of that type (``'x'::integer``).
    """
    names = {t.lower() for t in types}
    if names & _NUMERIC:
        return number(text.strip())
    if names & _TEMPORAL:
        moment = dt.datetime.fromisoformat(text.strip())
        if moment.tzinfo is not None:  # compared with the spec's reference time, naive = UTC
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment
    return text


def number(text: str) -> int | float:
    """``'-40'`` -> -40, ``'6.50'`` -> 6.5."""
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)


class Reader(Protocol):
    """What ``checks.Parser`` offers this module."""

    at: int

    def peek(self, offset: int = 0) -> tuple[str, str]: ...

    def word(self, *words: str) -> bool: ...

    def skip_casts(self) -> list[str]: ...


def read_clock(p: Reader) -> tuple[str, Any]:
    """``now()`` (``CURRENT_DATE``, ...), its name just read, plus or minus ``'1 day'::interval``
    or ``INTERVAL '1 day'``, as ``("const", Now(...))``.

    Raises:
        ValueError: an interval that is not a literal this reading knows.
    """
    if (p.peek(), p.peek(1)) == (("op", "("), ("op", ")")):
        p.at += 2
    p.skip_casts()
    moment = Now()
    while p.peek() in (("op", "+"), ("op", "-")):
        sign = 1 if p.peek()[1] == "+" else -1
        p.at += 1
        p.word("interval")
        kind, text = p.peek()
        if kind != "str":
            raise ValueError(text)
        p.at += 1
        p.skip_casts()
        moment = moment.moved(text[1:-1], sign)
    return ("const", moment)
