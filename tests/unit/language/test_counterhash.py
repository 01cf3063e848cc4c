"""Counter-based draws: pure functions of (key, salt), uniform, whatever the batch."""

import numpy as np

from seedspec.language import counterhash


def test_a_rows_key_does_not_depend_on_the_batch_it_is_computed_in() -> None:
    whole = counterhash.row_keys(7, range(1000))
    parts = np.concatenate([counterhash.row_keys(7, range(333)), counterhash.row_keys(7, range(333, 1000))])
    assert (whole == parts).all()
    assert len(set(whole.tolist())) == 1000


def test_salts_and_seeds_give_independent_streams() -> None:
    keys = counterhash.row_keys(7, range(1000))
    assert not (counterhash.mix(keys, 1) == counterhash.mix(keys, 2)).any()
    assert not (keys == counterhash.row_keys(8, range(1000))).any()


def test_below_is_uniform_within_a_chi_square_bound() -> None:
    draws = counterhash.below(counterhash.mix(counterhash.row_keys(1, range(100_000)), 3), 10)
    counts = np.bincount(draws, minlength=10)
    chi2 = float((((counts - 10_000) ** 2) / 10_000).sum())
    assert draws.min() == 0
    assert draws.max() == 9
    assert chi2 < 27.88  # 9 degrees of freedom, p = 0.001


def test_weighted_follows_the_weights() -> None:
    cumulative = np.cumsum(np.array([1.0, 3.0, 6.0]))
    picks = counterhash.weighted(counterhash.row_keys(5, range(100_000)), cumulative)
    shares = np.bincount(picks, minlength=3) / 100_000
    assert np.abs(shares - [0.1, 0.3, 0.6]).max() < 0.01


def test_modulo_draws_wide_ranges_evenly() -> None:
    draws = counterhash.mix(counterhash.row_keys(2, range(100_000)), 4)
    wide = counterhash.modulo(draws, 10**12)
    assert wide.min() >= 0
    assert wide.max() < 10**12
    tenths = np.bincount(wide // 10**11, minlength=10)
    assert float((((tenths - 10_000) ** 2) / 10_000).sum()) < 27.88  # 9 degrees of freedom, p = 0.001
    per_row = counterhash.modulo(draws[:3], np.array([2, 3, 5], dtype=np.uint64))
    assert (per_row < [2, 3, 5]).all()
