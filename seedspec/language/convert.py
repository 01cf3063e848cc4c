"""Values as the Python type of their column: templates render text, YAML gives native types. Pure."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any

from seedspec.outcome import Pending

_TRUE = {"true", "yes", "on", "1", "t", "y"}
_FALSE = {"false", "no", "off", "0", "f", "n"}


def convert(value: Any, kind: str) -> Any:
    """``value`` as the Python type of a column of ``kind`` (templates render text)."""
    if type(value) is NATIVE.get(kind):  # most values: already of their column's type
        return value
    if value is None or isinstance(value, Pending):
        return value
    converter = _CONVERTERS.get(kind)
    return converter(value) if converter else value


def _to_int(value: Any) -> int:
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("not a whole number")
    return int(value)


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise ValueError("not a boolean")
        return lowered in _TRUE
    if isinstance(value, (int, float, decimal.Decimal)) and value not in (0, 1):
        raise ValueError("a number other than 0 or 1 is not a boolean")  # 2 or 0.5 is no answer
    if not isinstance(value, (int, float, decimal.Decimal)):
        raise ValueError(f"{type(value).__name__} is not a boolean")  # bool([]) would guess
    return bool(value)


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _to_datetime(value: Any) -> dt.datetime:
    # Whole seconds: MySQL's DATETIME drops fractions, and keys must compare equal after a round trip.
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value)).replace(microsecond=0)


def _to_uuid(value: Any) -> uuid.UUID:
    # Stored UUIDs come back as uuid.UUID: a str would never compare equal to them (lookups, unique).
    return uuid.UUID(bytes=value) if isinstance(value, bytes) else uuid.UUID(str(value))


def json_text(text: str) -> Any:
    """The JSON value a template rendered for a JSON column: ``'{"a": 1}'`` is stored as the object,
    not as a JSON string holding its text.

    Raises:
        ValueError: the text is not JSON.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"a template for a JSON column must render JSON ({exc})") from None


def _to_str(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return value if isinstance(value, str) else str(value)


def to_scale(value: Any, scale: int) -> Any:
    """A decimal rounded to ``scale`` places as the databases round it (half away from zero):
    what the database stores, so lookups, plans and ``build`` see the stored value."""
    if not isinstance(value, decimal.Decimal) or not value.is_finite():
        return value
    return value.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)


NATIVE: dict[str, type] = {  # a kind whose values are exactly one type
    "str": str,
    "uuid": uuid.UUID,
    "int": int,
    "bool": bool,
    "float": float,
}
_CONVERTERS: dict[str, Any] = {
    "int": _to_int,
    "float": float,
    "decimal": lambda v: decimal.Decimal(str(v)),
    "bool": _to_bool,
    "date": _to_date,
    "datetime": _to_datetime,
    "time": lambda v: v if isinstance(v, dt.time) else dt.time.fromisoformat(str(v)),
    "str": _to_str,
    "bytes": lambda v: v if isinstance(v, bytes) else str(v).encode(),
    "uuid": _to_uuid,
}
