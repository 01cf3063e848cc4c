"""The rounding that ``range`` and ``distribution`` share."""

from __future__ import annotations

import decimal
from typing import Any


def rounded(value: float, decimals: int | None) -> Any:
    """``value`` as is (no ``decimals``), an int (0), else a Decimal of that many places."""
    if decimals is None:
        return value
    if decimals == 0:
        return round(value)
    return decimal.Decimal(str(round(value, decimals)))
