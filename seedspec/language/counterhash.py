"""Counter-based draws: a value's random bits are a pure function of (key, salt), not of a stream.

The vectorised tier computes a whole column at once. Each row's 64-bit key comes from the spec
seed, the step, the row's identity and the column; every draw a provider needs is
``mix(keys, salt)`` for a salt of its own (the first name, the last name, the digits of a phone
number), so no value depends on what was drawn before it, in any order, batch size or shard.
splitmix64's finaliser is the mixer: two multiplies and three shifts, vectorised by numpy, and it
passes BigCrush as a counter-based generator (Steele, Lea & Flood, "Fast splittable PRNGs", 2014).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Keys = NDArray[np.uint64]

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / float(1 << 53)


def splitmix64(x: Keys) -> Keys:
    """splitmix64's output function over a whole array (wrapping uint64 arithmetic)."""
    with np.errstate(over="ignore"):
        z = x + _GAMMA
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def mix(keys: Keys, salt: int) -> Keys:
    """An independent 64-bit draw per key for the sub-stream ``salt`` (any int, reduced mod 2**64)."""
    salted = keys ^ np.uint64(splitmix64(np.array([salt % (1 << 64)], dtype=np.uint64))[0])
    return splitmix64(salted)


def row_keys(seed: int, rows: NDArray[np.int64] | range) -> Keys:
    """The keys of rows numbered ``rows`` under ``seed`` (a column's seed): a row's key depends on
    its number only, never on the batch it is computed in."""
    numbers = np.asarray(rows, dtype=np.uint64)
    return mix(numbers, seed)


def unit(draws: Keys) -> NDArray[np.float64]:
    """Floats uniform in [0, 1) from 64-bit draws (their top 53 bits)."""
    return (draws >> np.uint64(11)).astype(np.float64) * _TO_UNIT


def below(draws: Keys, n: int) -> NDArray[np.int64]:
    """Integers uniform in [0, n) from 64-bit draws (n < 2**53; the bias is below 2**-53 * n)."""
    return np.minimum((unit(draws) * n).astype(np.int64), n - 1)


def modulo(draws: Keys, n: NDArray[Any] | int) -> NDArray[np.int64]:
    """Integers uniform in [0, n) from 64-bit draws by remainder, for spans where :func:`below`'s 53
    bits are too coarse: the relative bias is below n / 2**64 (2**-24 for n up to 2**40)."""
    return (draws % np.asarray(n, dtype=np.uint64)).astype(np.int64)


def weighted(draws: Keys, cumulative: NDArray[np.float64]) -> NDArray[np.int64]:
    """Indices drawn by weight: ``cumulative`` is the running sum of the weights, last = total."""
    picks: NDArray[np.int64] = np.searchsorted(cumulative, unit(draws) * cumulative[-1], side="right")
    return picks.astype(np.int64)
