"""The vectorised providers (registered on import; see the package docstring)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from seedspec.language.counterhash import Keys, mix
from seedspec.language.vectorfaker import VectorProvider, provider


@provider("boolean")
def _boolean(_locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or set(kwargs) - {"chance_of_getting_true"}:
        return None
    chance = int(kwargs.get("chance_of_getting_true", 50))

    def draw(keys: Keys) -> Sequence[Any]:  # Faker: random.randint(1, 100) <= chance
        rolls = (mix(keys, 1) % np.uint64(100)).astype(np.int64) + 1
        return [bool(b) for b in rolls <= chance]

    return draw


@provider("uuid4")
def _uuid4(_locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or set(kwargs) - {"cast_to"} or kwargs.get("cast_to", str) is not str:
        return None

    def draw(keys: Keys) -> Sequence[Any]:  # 128 random bits with the version-4 and variant bits set
        high, low = mix(keys, 1), mix(keys, 2)
        pairs = zip(high.tolist(), low.tolist(), strict=True)
        return [str(uuid.UUID(int=(h << 64) | lo, version=4)) for h, lo in pairs]

    return draw
