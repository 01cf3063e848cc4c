"""Shared draws and bounds for the vectorfaker tests (tests/unit/language/vectorfaker/)."""

import faker.config
import numpy as np

from seedspec.language.counterhash import row_keys

LOCALES = tuple(loc for loc in faker.config.AVAILABLE_LOCALES if loc != "fr_QC")  # fr_QC: deprecated, warns
SAMPLED = ("en_US", "de_DE", "fr_FR", "es_ES", "pt_BR", "ru_RU")  # the 100,000-draw frequency tests
CHI2_20 = 45.31  # 20 degrees of freedom, p = 0.001


def keys(n: int, seed: int = 11) -> np.ndarray:
    return row_keys(seed, range(n))


def chi_square_top(drawn: list, values: tuple, weights: np.ndarray | None) -> float:
    """Chi-square of the 20 likeliest values and "the rest" against the expected shares."""
    probs = np.ones(len(values)) if weights is None else np.diff(np.concatenate([[0.0], weights]))
    probs = probs / probs.sum()
    share: dict = {}
    for v, p in zip(values, probs, strict=True):
        share[v] = share.get(v, 0.0) + p
    top = sorted(share, key=lambda v: -share[v])[:20]
    counts = dict.fromkeys(top, 0)
    for v in drawn:
        if v in counts:
            counts[v] += 1
    n = len(drawn)
    observed = [counts[v] for v in top] + [n - sum(counts.values())]
    expected = [share[v] * n for v in top] + [n * (1 - sum(share[v] for v in top))]
    return float(sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True) if e > 0))
