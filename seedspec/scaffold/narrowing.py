"""How a schema's facts narrow the guessed generators (pure): CHECK constraints cut ranges or
name the allowed values, partition bounds keep rows inside a partition, insert triggers set
columns or fill other tables."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from seedspec.database.reflect import Partition, Trigger
from seedspec.database.tables import column_kind
from seedspec.language import dates
from seedspec.scaffold import checks
from seedspec.scaffold.check_constants import as_moment

# an identifier, bare or quoted in any dialect's way (table_draft reads partition keys with it)
QUOTED = r"[`\"\[]?(\w+)[`\"\]]?"
_NEW_ASSIGNED = re.compile(r"\bnew\s*\.\s*" + QUOTED + r"\s*:?=(?!=)", re.IGNORECASE)
_UPDATE_SET = re.compile(r"\bupdate\s+" + QUOTED + r"\s+set\s+(.*?)\bwhere\b", re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(QUOTED + r"\s*=")
_CALLED_WITH = re.compile(
    r"\bexecute\s+(?:function|procedure)\s+[\w.\"]+\s*\((.*?)\)", re.IGNORECASE | re.DOTALL
)
_INSERT_INTO = re.compile(r"\binsert\s+into\s+" + QUOTED, re.IGNORECASE)


def trigger_effects(trigger: Trigger, columns: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The columns of its own table an insert trigger sets (``NEW.col := ...``, SQLite's
    ``UPDATE t SET col = ...``, a column named as the first argument of the trigger function) and the
    tables it inserts into."""
    names = set(columns)
    text = trigger.text
    found = set(_NEW_ASSIGNED.findall(text))
    for table, assignments in _UPDATE_SET.findall(text):
        if table == trigger.table:
            found |= set(_ASSIGNED.findall(assignments))
    for arguments in _CALLED_WITH.findall(text):  # tsvector_update_trigger('fulltext', ...)
        found |= set(re.findall(r"^\s*'(\w+)'", arguments))
    return frozenset(found & names), frozenset(_INSERT_INTO.findall(text))


def base_type(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """A domain's underlying type (PostgreSQL ``CREATE DOMAIN year AS integer``)."""
    data_type = getattr(type_, "data_type", None)
    return data_type if isinstance(data_type, sa.types.TypeEngine) else type_


def column_kind_of(column: sa.Column[Any]) -> str:
    """The kind of a column's values, seen through a domain."""
    return column_kind(base_type(column.type))


def _int_bounds(r: checks.Restriction) -> tuple[float | None, float | None]:
    assert not isinstance(r.low, dt.datetime)  # _bounded hands moments to dated()
    assert not isinstance(r.high, dt.datetime)
    low = None if r.low is None else math.floor(r.low) + 1 if r.low_open else math.ceil(r.low)
    high = None if r.high is None else math.ceil(r.high) - 1 if r.high_open else math.floor(r.high)
    return low, high


def _within(current: Any, low: float | None, high: float | None, width: float) -> tuple[float, float]:
    """The current range cut to [low, high]; the constraint's own range when they do not meet."""
    a, b = current if isinstance(current, list) and len(current) == 2 else (0, 1000)
    a = a if low is None else max(a, low)
    b = b if high is None else min(b, high)
    if a <= b:
        return a, b
    if low is not None:
        return low, low + width if high is None else high
    assert high is not None  # a range that misses the current one has a bound
    return high - width, high


def narrow(gen: Any, restriction: checks.Restriction, column: sa.Column[Any]) -> Any | None:
    """``gen`` changed so that its values pass a CHECK; None when seedspec cannot do that."""
    if isinstance(gen, dict) and "ref" in gen:  # a ref's values are its target's keys
        return None if restriction != checks.Restriction(null_ok=restriction.null_ok) else gen
    if restriction.pattern is not None:
        type_ = base_type(column.type)
        width = getattr(type_, "length", None) if isinstance(type_, sa.CHAR) else None
        gen = pattern_generator(restriction.pattern, width)
        if gen is None or restriction.allowed is not None or restriction.excluded:
            return None
    gen = _bounded(gen, restriction, column)
    return gen if gen is None or not restriction.excluded else _excluding(gen, restriction.excluded)


def _excluding(gen: Any, excluded: tuple[Any, ...]) -> Any | None:
    """``gen`` without the ``excluded`` values (``<>``, ``<> ALL``), or None."""
    numbers = [v for v in excluded if isinstance(v, int | float) and not isinstance(v, bool)]
    if isinstance(gen, dict) and "choice" in gen:
        values = [v for v in gen["choice"] if v not in excluded]
        return None if not values else values[0] if len(values) == 1 else {**gen, "choice": values}
    if not isinstance(gen, dict):
        return None if gen in excluded else gen
    if isinstance(gen.get("sequence"), int) and len(numbers) == len(excluded):
        return {**gen, "sequence": max(gen["sequence"], math.floor(max(numbers)) + 1)}
    if "range" in gen and len(numbers) == len(excluded):
        a, b = gen["range"]
        inside = [v for v in numbers if a <= v <= b]
        if not inside:
            return gen
        start = max(inside) + (1 if isinstance(a, int) else 10.0 ** -int(gen.get("decimals", 2)))
        return {**gen, "range": [start, b]} if start <= b else None
    if (set(gen) & {"faker", "template"} or isinstance(gen.get("sequence"), str)) and excluded == ("",):
        return gen  # drafted text is never empty
    if gen.get("faker") == "boolean" and all(isinstance(v, bool) for v in excluded):
        values = [v for v in (True, False) if v not in excluded]
        return values[0] if values else None
    return None


_ATOM = re.compile(r"\\.|\[[^\]]*\]|.")
_LITERAL = frozenset("-_:/ ,.=")  # characters a pattern may hold as they are (bothify keeps them)
_QUANTIFIER = re.compile(r"\{(\d+)(?:,(\d*))?\}|\?")


def _piece(token: str, letters: set[str]) -> str | None:
    """A ``bothify`` character for one atom: ``#`` a digit, ``?`` a letter, else itself."""
    if token in (r"\d", "[0-9]") or (token.startswith("[") and ("0-9" in token or r"\d" in token)):
        return "#"
    if token.startswith("[") and ("A-Z" in token or "a-z" in token):
        letters.add("upper" if "A-Z" in token else "lower")
        return "?"
    if token.startswith("[") and len(token) > 2:
        return token[1]  # [-.]: its first character
    if token.startswith("\\") and not token[1].isalnum():
        return token[1]  # \.: the character
    return token if token.isalnum() or token in _LITERAL else None  # "." (any): itself


def pattern_generator(pattern: str, width: int | None = None) -> Any | None:
    """A Faker ``bothify`` for an anchored regular expression of digits, letters and other
    characters with counts (``^[A-Z]{2}\\d{7}$``): optional parts left out, or, for a ``CHAR(width)``
    whose blanks would fail the pattern, put in when that fills the width. None otherwise."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        return None
    least, most, letters, at, body = "", "", set[str](), 0, pattern[1:-1]
    while at < len(body):
        atom = _ATOM.match(body, at)
        assert atom is not None  # "." matches any character
        at = atom.end()
        quantifier = _QUANTIFIER.match(body, at)
        low = high = 1
        if quantifier is not None:
            at = quantifier.end()
            low, high = (0, 1) if quantifier.group(0) == "?" else (int(quantifier.group(1)),) * 2
        piece = _piece(atom.group(0), letters)
        if piece is None or len(letters) > 1:
            return None
        least, most = least + piece * low, most + piece * high
    text = most if width is not None and len(most) == width else least
    if not text:
        return None
    args: dict[str, Any] = {"text": text}
    if "?" in text:
        args["letters"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if "upper" in letters else "abcdefghijklmnopqrstuvwxyz"
    return {"faker": "bothify", "args": args}


def _bounded(gen: Any, restriction: checks.Restriction, column: sa.Column[Any]) -> Any | None:
    kind = column_kind_of(column)
    if restriction.allowed is not None:
        values = [v for v in restriction.allowed if v is not None and v not in restriction.excluded]
        if kind == "int":
            values = [int(v) for v in values if not isinstance(v, str) and float(v).is_integer()]
        if not values:
            return None
        return values[0] if len(values) == 1 else {"choice": values}
    if restriction.low is None and restriction.high is None:
        return gen
    if isinstance(restriction.low, dt.datetime) or isinstance(restriction.high, dt.datetime):
        return dated(gen, restriction) if kind in ("date", "datetime") else None
    current = gen.get("range") if isinstance(gen, dict) else None
    if kind == "int":
        low, high = _int_bounds(restriction)
        if isinstance(gen, dict) and isinstance(gen.get("sequence"), int):
            return {**gen, "sequence": max(gen["sequence"], low if low is not None else gen["sequence"])}
        a, b = _within(current, low, high, 1000)
        return {"range": [int(a), int(b)]}
    if kind in ("float", "decimal"):
        decimals = gen.get("decimals", 2) if isinstance(gen, dict) else 2
        step = 10.0**-decimals
        low = None if restriction.low is None else restriction.low + (step if restriction.low_open else 0)
        high = None if restriction.high is None else restriction.high - (step if restriction.high_open else 0)
        a, b = _within(current, low, high, 1000.0)
        a, b = math.ceil(a / step) * step, math.floor(b / step) * step
        return {"range": [round(a, decimals), round(b, decimals)], "decimals": decimals}
    return None


_FAKER_DATES = {"date_between": ("-30y", "today"), "date_time_between": ("-30y", "now")}  # Faker's defaults


def dated(gen: Any, restriction: checks.Restriction) -> Any | None:
    """A Faker date between two moments kept between a CHECK's (``hiredate >= '1996-07-01'::date AND
    hiredate <= now() + '1 day'::interval``), as days from the spec's reference time; None for
    another generator, or bounds it cannot meet."""
    if not isinstance(gen, dict) or gen.get("faker") not in _FAKER_DATES:
        return None
    args = gen.get("args", {})
    if not isinstance(args, dict):
        return None
    start, end = (
        args.get(k, d) for k, d in zip(("start_date", "end_date"), _FAKER_DATES[gen["faker"]], strict=True)
    )
    if not (dates.is_relative(start) and dates.is_relative(end)):
        return None
    now = dates.parse_now(dates.DEFAULT_NOW)
    first, last = (as_moment(dates.resolve(v, now)) for v in (start, end))
    step, moved = dt.timedelta(days=1), {}  # whole days: a date column holds no less
    low, high = restriction.low, restriction.high
    if isinstance(low, dt.datetime) and first < low + step * restriction.low_open:
        first, moved["start_date"] = _days(low + step * restriction.low_open, now, math.ceil)
    if isinstance(high, dt.datetime) and last > high - step * restriction.high_open:
        last, moved["end_date"] = _days(high - step * restriction.high_open, now, math.floor)
    if first > last and "start_date" not in moved:  # the window is past the CHECK's end: a year before it
        first, moved["start_date"] = _days(last - 365 * step, now, math.ceil)
    if first > last:
        return None
    return {**gen, "args": {"start_date": start, "end_date": end, **args, **moved}} if moved else gen


def _days(moment: dt.datetime, now: dt.datetime, rounding: Any) -> tuple[dt.datetime, str]:
    """``moment`` as whole days from ``now`` (rounded inwards), and as a relative date."""
    days = rounding((moment - now) / dt.timedelta(days=1))
    return now + dt.timedelta(days=days), f"{days:+d}d"


_BOUND_VALUE = re.compile(r"'([^']*)'|(?<![\w'])(-?\d+(?:\.\d+)?)(?![\w'])")


def _bound_values(bound: str) -> list[str]:
    """The literals of a partition bound: quoted text or numbers."""
    return [quoted or number for quoted, number in _BOUND_VALUE.findall(bound)]


def partition_generator(parts: Sequence[Partition], column: sa.Column[Any]) -> Any | None:
    """A generator whose values fall into one of the partitions: within the lowest and highest
    range bounds (a day inside each end, away from time zone shifts), or one of the list values.
    None when a default partition takes everything or the bounds are not understood."""
    if any("DEFAULT" in p.bound.upper() for p in parts):
        return None
    if all(p.bound.upper().startswith("FOR VALUES IN") for p in parts):
        if column_kind_of(column) == "bool":  # FOR VALUES IN (FALSE): words, not literals
            found = (re.findall(r"\b(TRUE|FALSE)\b", p.bound, re.IGNORECASE) for p in parts)
            words = {w.upper() for ws in found for w in ws}
            values: list[Any] = [w == "TRUE" for w in sorted(words, reverse=True)]
        else:
            values = [v for p in parts for v in _bound_values(p.bound)]
        return {"choice": values} if values else None  # never an empty choice: a note instead
    lows, highs = [], []
    for p in parts:
        match = re.match(r"FOR VALUES FROM \((.*)\) TO \((.*)\)$", p.bound.strip(), re.IGNORECASE)
        if match is None or "MINVALUE" in p.bound.upper() or "MAXVALUE" in p.bound.upper():
            return None
        lows += _bound_values(match.group(1))[:1]
        highs += _bound_values(match.group(2))[:1]
    if not lows or not highs:
        return None
    kind = column_kind_of(column)
    if kind == "int":
        return {"range": [min(int(v) for v in lows), max(int(v) for v in highs) - 1]}
    if kind not in ("date", "datetime"):
        return None
    day = dt.timedelta(days=1)
    low = min(dt.datetime.fromisoformat(v[:19]) for v in lows)
    high = max(dt.datetime.fromisoformat(v[:19]) for v in highs)
    if kind == "date":
        return {"range": [low.date().isoformat(), (high - day).date().isoformat()]}
    return {"range": [(low + day).isoformat(), (high - day).isoformat()]}
