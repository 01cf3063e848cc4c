"""Faker's placeholders expanded a whole batch at once, with Faker's odds."""

import numpy as np
from vectordraws import keys

from seedspec.language.vectorfaker.data import elements
from seedspec.language.vectorfaker.expand import concat, pattern, patterns, pick


def test_each_placeholder_draws_what_numerify_draws() -> None:
    values = pattern("#%$-x").draw(keys(20_000)).tolist()
    assert {v[0] for v in values} == set("0123456789")
    assert {v[1] for v in values} == set("123456789")
    assert {v[2] for v in values} == set("23456789")
    assert all(v.endswith("-x") and len(v) == 5 for v in values)


def test_optional_digits_are_empty_half_the_time_and_the_rest_close_up() -> None:
    values = pattern("a!b@c").draw(keys(100_000)).tolist()
    lengths = np.array([len(v) for v in values])
    assert abs((lengths == 3).mean() - 0.25) < 0.01  # both empty: 1/2 * 1/2
    assert all(v.startswith("a") and v.endswith("c") and "b" in v for v in values)
    assert {v[1] for v in values if len(v) == 5} == set("0123456789")
    assert {v[3] for v in values if len(v) == 5} == set("123456789")


def test_letters_and_unicode_literals() -> None:
    values = pattern("Ü?-#", letters="AB").draw(keys(1000)).tolist()
    assert {v[:2] for v in values} == {"ÜA", "ÜB"}
    assert pattern("no placeholders").draw(keys(3)).tolist() == ["no placeholders"] * 3


def test_digits_are_uniform_within_a_chi_square_bound() -> None:
    values = pattern("##########").draw(keys(20_000)).tolist()
    counts = np.bincount([int(c) for v in values for c in v], minlength=10)
    expected = counts.sum() / 10
    assert float(((counts - expected) ** 2 / expected).sum()) < 27.88  # 9 df, p = 0.001


def test_weighted_patterns_and_upper_casing() -> None:
    items = elements(__import__("collections").OrderedDict([("??", 3.0), ("#", 1.0)]))
    assert items is not None
    values = patterns(items, letters="ab", upper=True).draw(keys(40_000)).tolist()
    letters = [v for v in values if v.isalpha()]
    assert abs(len(letters) / len(values) - 0.75) < 0.01
    assert {c for v in letters for c in v} == {"A", "B"}


def test_concat_draws_each_part_with_its_own_keys() -> None:
    items = elements(("x", "y"))
    assert items is not None
    both = concat([pick(items), "-", pick(items)]).draw(keys(4000)).tolist()
    assert {"x-y", "y-x", "x-x", "y-y"} == set(both)
