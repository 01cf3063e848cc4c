"""Integers, patterns with a text, colours, MAC and IPv6 addresses, words and sentences."""

import numpy as np
import pytest
from vectordraws import keys

from seedspec.language.vectorfaker import lookup


def test_random_int_and_pyint_bounds_steps_and_uniformity() -> None:
    draw = lookup("random_int", "en_US", (10, 19))
    assert draw is not None
    values = np.array(draw(keys(100_000)))
    counts = np.bincount(values - 10, minlength=10)
    assert values.min() == 10
    assert values.max() == 19
    assert float(((counts - 10_000) ** 2 / 10_000).sum()) < 27.88  # 9 df, p = 0.001
    stepped = lookup("pyint", "en_US", (), {"min_value": 0, "max_value": 10, "step": 5})
    assert stepped is not None
    assert set(stepped(keys(300))) == {0, 5, 10}
    assert lookup("random_int", "en_US", (5, 1)) is None  # an empty range: Faker's error, not ours


@pytest.mark.parametrize(
    ("method", "args", "check"),
    [
        ("bothify", ("??-##",), lambda v: len(v) == 5 and v[:2].isalpha() and v[3:].isdigit()),
        ("numerify", ("%##",), lambda v: len(v) == 3 and v[0] != "0"),
        ("lexify", (), lambda v: len(v) == 4 and v.isalpha()),
        ("hex_color", (), lambda v: len(v) == 7 and int(v[1:], 16) >= 1),
    ],
)
def test_values_have_fakers_form(method: str, args: tuple, check) -> None:  # type: ignore[no-untyped-def]
    draw = lookup(method, "en_US", args)
    assert draw is not None
    values = list(draw(keys(2000)))
    assert all(check(v) for v in values), method
    assert list(draw(keys(2000)[100:200])) == values[100:200]


def test_pyfloat_digits_signs_and_clamps() -> None:
    draw = lookup("pyfloat", "en_US", (), {"left_digits": 3, "right_digits": 2, "positive": True})
    assert draw is not None
    values = list(draw(keys(20_000)))
    assert all(0 < v < 1000 and round(v, 2) == v for v in values)
    free = lookup("pyfloat", "en_US")
    assert free is not None
    drawn = list(free(keys(20_000)))
    assert abs(sum(v < 0 for v in drawn) / len(drawn) - 0.5) < 0.02  # the sign: + or - evenly
    assert all(abs(v) < 10**14 for v in drawn)
    assert lookup("pyfloat", "en_US", (), {"min_value": 0, "max_value": 5}) is None  # the fallback


def test_pydecimal_bounds_and_places() -> None:
    draw = lookup("pydecimal", "en_US", (), {"right_digits": 2, "min_value": -5, "max_value": 100})
    assert draw is not None
    values = list(draw(keys(20_000)))
    assert all(-5 <= v <= 100 for v in values)
    assert all(v.as_tuple().exponent in (-2, 0) for v in values)  # a clamped value is Decimal(str(bound))
    negative = sum(v < 0 for v in values) / len(values)
    assert abs(negative - 0.5) < 0.02  # a sign evenly, then randint(0, 5) or randint(0, 100)
    fixed = lookup("pydecimal", "en_US", (4, 2, True))
    assert fixed is not None
    assert all(1000 <= v < 10_000 for v in fixed(keys(2000)))
