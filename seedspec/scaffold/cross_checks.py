"""CHECKs that compare two columns (``scheduled_arrival > scheduled_departure``), read as an
order between their drafted generators (pure).

Understood: ``a > b``, ``a >= b``, ``a < b``, ``a <= b`` between two columns of the table
(parentheses and casts allowed), when both columns are drafted as Faker dates or datetimes
(``date_between``, ``date_time_between`` with a start and no end) or as ``range``s. The two are
then given ranges that do not overlap, the greater column's above the other's. Anything else
is not understood (None), and the caller leaves a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_IDENT = r'"?([A-Za-z_][A-Za-z0-9_]*)"?(?:\s*::\s*[A-Za-z_ ]+)?'
_COMPARISON = re.compile(rf"^\s*{_IDENT}\s*(>=|>|<=|<)\s*{_IDENT}\s*$")
_PRECISION = re.compile(r"\(\s*\d+(?:\s*,\s*\d+)?\s*\)")  # numeric(10, 2) in a cast
_FLIP = {"<": ">", "<=": ">="}
_DATES = ("date_between", "date_time_between")


@dataclass(frozen=True, slots=True, kw_only=True)
class Order:
    """``greater`` must be above ``lesser`` (or equal, unless ``strict``)."""

    greater: str
    lesser: str
    strict: bool


def comparison(text: str, columns: Iterable[str]) -> Order | None:
    """The order a CHECK sets between two columns, or None if it is not such a comparison."""
    # a comparison of two names has no call in it: every parenthesis only groups
    match = _COMPARISON.match(re.sub(r"[()]", " ", _PRECISION.sub("", text)))
    names = {c.lower(): c for c in columns}
    if match is None:
        return None
    left, op, right = match.group(1), match.group(2), match.group(3)
    if left.lower() not in names or right.lower() not in names or left.lower() == right.lower():
        return None
    if op in _FLIP:
        left, right, op = right, left, _FLIP[op]
    return Order(greater=names[left.lower()], lesser=names[right.lower()], strict=op == ">")


def ordered(greater: Any, lesser: Any) -> tuple[Any, Any] | None:
    """The two generators narrowed so that every value of the first is above every value of
    the second, or None when seedspec cannot say so for these generators."""
    if _date(greater) and _date(lesser) and greater["faker"] == lesser["faker"]:
        start = lesser["args"]["start_date"]
        return (
            {**greater, "args": {"start_date": "-30d"}},
            {**lesser, "args": {"start_date": start, "end_date": "-31d"}},
        )
    low, high = _range(greater), _range(lesser)
    if low is None or high is None:
        return None
    a, b = min(low[0], high[0]), max(low[1], high[1])
    if isinstance(a, int) and isinstance(b, int) and b - a >= 1:
        mid = (a + b) // 2
        return {**greater, "range": [mid + 1, b]}, {**lesser, "range": [a, mid]}
    if b > a:
        mid = round((a + b) / 2, 6)
        step = 10.0 ** -int(lesser.get("decimals", greater.get("decimals", 2)))
        return {**greater, "range": [mid + step, b]}, {**lesser, "range": [a, mid]}
    return None


def _date(gen: Any) -> bool:
    """A recent Faker date: ``{faker: date_time_between, args: {start_date: "-1y"}}``."""
    if not isinstance(gen, dict) or gen.get("faker") not in _DATES:
        return False
    args = gen.get("args", {})
    return isinstance(args, dict) and set(args) == {"start_date"} and args["start_date"] in ("-1y", "-2y")


def _range(gen: Any) -> tuple[Any, Any] | None:
    value = gen.get("range") if isinstance(gen, dict) else None
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value):
        return value[0], value[1]
    return None
