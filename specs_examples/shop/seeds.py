"""Custom generators for shop.yaml (a `python:` generator is user code that seedspec imports)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any


def sku(row: Mapping[str, Any], n: int, rng: random.Random, fake: Any, *, prefix: str) -> str:
    """A readable stock-keeping unit: prefix, category initial, running number, check letter."""
    check = "ABCDEFGHJKLMNPQRSTUVWXYZ"[rng.randrange(24)]
    return f"{prefix}-{row['category'][0].upper()}{n:05d}{check}"
