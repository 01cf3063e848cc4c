"""Skewed draws that follow the row's seed: a Zipf pick over a pool, a per-parent count from a
distribution. Both are functions of (seed, size, parameters) alone, so re-running gives the
same rows and the same picks."""

from __future__ import annotations

import random
from array import array
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from seedspec.generators.distribution import draw_distribution
from seedspec.ir import Distribution

_UNIT = 2.0**-53


def zipf_index(seed: int, size: int, a: float) -> int:
    """The index (0 to size-1) a Zipf pick with exponent ``a`` takes for a 64-bit ``seed``:
    index k is picked with weight 1/(k+1)^a, so the first rows of the pool are picked most."""
    return zipf_rank((seed >> 11) * _UNIT, size, a)


def zipf_rank(u: float, size: int, a: float) -> int:
    """The Zipf index (0 to size-1) at the point ``u`` in [0, 1) of the cumulative weights."""
    weights = _cumulative(size, a)
    return min(bisect_right(weights, u * weights[-1]), size - 1)


@lru_cache(maxsize=256)
def _cumulative(size: int, a: float) -> array[float]:
    return array("d", accumulate(1.0 / k**a for k in range(1, size + 1)))


def skewed_count(dist: Distribution, rng: random.Random) -> int:
    """A per-parent count drawn from ``dist`` within its [low, high] (the step's min and max):
    zipf makes ``low`` the most frequent count; normal and lognormal are clamped and rounded."""
    low, high = int(dist.low or 0), int(dist.high or 0)
    if dist.name == "zipf":
        return low + zipf_rank(rng.random(), high - low + 1, dict(dist.params)["a"])
    return int(draw_distribution(dist, rng))
