"""Zipf picks and skewed per-parent counts: functions of the seed, skewed as asked."""

from __future__ import annotations

import random
from collections import Counter

from seedspec.generation import skew
from seedspec.ir import Distribution


def test_a_zipf_pick_is_a_function_of_its_seed_and_favours_the_first_rows() -> None:
    seeds = [random.Random(i).getrandbits(64) for i in range(4000)]
    picks = [skew.zipf_index(s, 50, 1.2) for s in seeds]
    assert picks == [skew.zipf_index(s, 50, 1.2) for s in seeds]
    assert all(0 <= p < 50 for p in picks)
    counts = Counter(picks)
    assert counts[0] > counts[1] > counts[5] > counts[40]
    assert sum(counts[k] for k in range(5)) > len(picks) / 2  # a tenth of the rows, most picks


def test_a_larger_exponent_skews_more() -> None:
    seeds = [random.Random(i).getrandbits(64) for i in range(2000)]
    first = [sum(skew.zipf_index(s, 20, a) == 0 for s in seeds) for a in (0.5, 1.0, 2.0)]
    assert first == sorted(first)


def test_zipf_rank_covers_the_ends() -> None:
    assert skew.zipf_rank(0.0, 10, 1.0) == 0
    assert skew.zipf_rank(0.999999999, 10, 1.0) == 9
    assert skew.zipf_rank(0.5, 1, 3.0) == 0


def test_a_zipf_count_stays_in_its_range_with_min_most_frequent() -> None:
    dist = Distribution(name="zipf", params=(("a", 1.5),), low=2, high=9, decimals=0)
    rng = random.Random(5)
    counts = Counter(skew.skewed_count(dist, rng) for _ in range(2000))
    assert set(counts) <= set(range(2, 10))
    assert counts.most_common(1)[0][0] == 2


def test_a_lognormal_count_is_clamped_to_the_cap() -> None:
    dist = Distribution(name="lognormal", params=(("mu", 2.0), ("sigma", 1.0)), low=1, high=12, decimals=0)
    rng = random.Random(1)
    counts = [skew.skewed_count(dist, rng) for _ in range(500)]
    assert min(counts) >= 1
    assert max(counts) == 12
    assert all(isinstance(c, int) for c in counts)
