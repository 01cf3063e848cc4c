"""Numbers and patterns with arguments: ``random_int`` / ``pyint``, ``numerify`` / ``lexify`` /
``bothify`` over a given text, ``hex_color``, ``pyfloat`` and ``pydecimal`` (the argument sets
below). Each is checked to be the base provider's own function for the locale."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from faker.providers import BaseProvider
from faker.providers.color import Provider as Color
from faker.providers.python import Provider as Python

from seedspec.language.counterhash import Keys, below, mix, modulo
from seedspec.language.vectorfaker import VectorProvider, data, provider
from seedspec.language.vectorfaker.expand import LETTERS, hex_digits, pattern, strings

_WIDEST = 1 << 40  # ranges drawn by remainder of 64 bits: a relative bias below 2**-24


def _ints(low: int, high: int, step: int) -> VectorProvider | None:
    """``random.randrange(low, high + 1, step)``: None past 2**40 choices (or an empty range,
    which Faker refuses)."""
    if not all(type(v) is int for v in (low, high, step)) or step <= 0:
        return None
    count = len(range(low, high + 1, step))
    if not 0 < count <= _WIDEST:
        return None

    def draw(keys: Keys) -> Sequence[Any]:
        return (low + step * modulo(mix(keys, 1), count)).tolist()  # type: ignore[no-any-return]

    return draw


@provider("random_int", "pyint")
def _random_int(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    for method, base, names in (
        ("random_int", BaseProvider.random_int, ("min", "max", "step")),
        ("pyint", Python.pyint, ("min_value", "max_value", "step")),
    ):
        if (
            data.base_owner(locale, method, base) is not None
            and (bound := data.bind(names, args, kwargs)) is not None
        ):
            defaults = dict(zip(names, (0, 9999, 1), strict=True)) | bound
            return _ints(*(defaults[n] for n in names))
    return None


def _text_pattern(method: str, default: str, numerify: bool, lexify: bool) -> Any:
    base = getattr(BaseProvider, method)

    def make(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
        names = ("text", "letters") if lexify else ("text",)
        bound = data.bind(names, args, kwargs)
        if bound is None or data.base_owner(locale, method, base) is None:
            return None
        text, letters = bound.get("text", default), bound.get("letters", LETTERS)
        if not isinstance(text, str) or not isinstance(letters, str) or not letters or "\0" in text:
            return None
        col = pattern(text, numerify, letters if lexify else None)
        return lambda keys: col(keys).tolist()

    return make


provider("numerify")(_text_pattern("numerify", "###", True, False))
provider("lexify")(_text_pattern("lexify", "????", False, True))
provider("bothify")(_text_pattern("bothify", "## ??", True, True))


@provider("hex_color")
def _hex_color(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or kwargs or data.base_owner(locale, "hex_color", Color.hex_color) is None:
        return None

    def draw(keys: Keys) -> Sequence[Any]:  # f"#{random_int(1, 16777215):06x}"
        values = (1 + below(mix(keys, 1), 16777215)).astype(np.uint64)
        matrix = np.concatenate(
            [np.full((len(keys), 1), ord("#"), dtype=np.uint32), hex_digits(values, 6)], axis=1
        )
        return strings(matrix, 7).tolist()  # type: ignore[no-any-return]

    return draw


@provider("pyfloat")
def _pyfloat(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    """``pyfloat`` without bounds: digit counts (one drawn when not given), a sign, then
    ``float(f"{sign}{random_number(left)}.{random_number(right)}")`` and Faker's clamps.
    ``min_value`` / ``max_value`` (and their variance adjustments) fall back."""
    names = ("left_digits", "right_digits", "positive", "min_value", "max_value")
    bound = data.bind(names, args, kwargs)
    if bound is None or data.base_owner(locale, "pyfloat", Python.pyfloat) is None:
        return None
    left, right, positive = bound.get("left_digits"), bound.get("right_digits"), bound.get("positive")
    bounded = bound.get("min_value") is not None or bound.get("max_value") is not None
    if bounded or positive not in (None, True, False):
        return None
    if any(d is not None and (type(d) is not int or d < 0) for d in (left, right)) or left == right == 0:
        return None
    dig = sys.float_info.dig
    if left is not None and right is None:
        right = max(1, dig - left)
    if right is not None and left is None:
        left = max(1, dig - right)
    if left is not None and right is not None and left + right > dig:
        return None
    fixed = (left, right) if left is not None and right is not None else None

    def draw(keys: Keys) -> Sequence[Any]:
        if fixed is None:  # right_digits = random_int(1, dig - 1); left_digits = max(1, dig - right)
            rights = 1 + below(mix(keys, 1), dig - 1)
            lefts = np.maximum(1, dig - rights)
        else:
            lefts, rights = np.full(len(keys), fixed[0]), np.full(len(keys), fixed[1])
        signs = below(mix(keys, 2), 2) if positive is None else np.full(len(keys), 0 if positive else 1)
        whole = modulo(mix(keys, 3), 10**lefts)  # random_number(d): randint(0, 10**d - 1)
        fraction = modulo(mix(keys, 4), 10**rights)
        out = []
        columns = (signs.tolist(), whole.tolist(), fraction.tolist(), lefts.tolist(), rights.tolist())
        for s, w, f, lf, r in zip(*columns, strict=True):
            result = float(f"{'-' if s else '+'}{w}.{f}")
            if positive and result == 0:
                result = float("0." + "0" * (r - 1) + "1") if r else 1.0
            step = float(f"0.{'0' * (r - 1)}1") if r else 1.0
            result = min(result, 10**lf - step)
            out.append(max(result, -(10**lf + step)))
        return out

    return draw


@provider("pydecimal")
def _pydecimal(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    """``pydecimal`` with ``right_digits`` given and either both bounds (integers) or
    ``left_digits``: Faker's sign rule, its integer part, ``right_digits`` random digits, its clamps."""
    names = ("left_digits", "right_digits", "positive", "min_value", "max_value")
    bound = data.bind(names, args, kwargs)
    if bound is None or data.base_owner(locale, "pydecimal", Python.pydecimal) is None:
        return None
    left, right, positive = bound.get("left_digits"), bound.get("right_digits"), bound.get("positive")
    low, high = bound.get("min_value"), bound.get("max_value")
    if type(right) is not int or not 0 <= right <= 30 or positive not in (None, True, False):
        return None
    if low is not None or high is not None:
        if left is not None or type(low) is not int or type(high) is not int or not low < high:
            return None
        if (positive and low <= 0) or max(abs(low), abs(high)) >= 1 << 52:
            return None
        signs: tuple[str, ...] = ("+",) if low >= 0 else ("-",) if high <= 0 else ("+", "-")
        if len(signs) == 2 and positive is not None:
            signs = ("+",) if positive else ("-",)
        spans = {"+": (max(low, 0), high), "-": (abs(min(high, 0)), abs(low))}
    else:
        if type(left) is not int or not 1 <= left <= 12:
            return None
        signs = ("+", "-") if positive is None else ("+",) if positive else ("-",)
        spans = dict.fromkeys(signs, (10 ** (left - 1), 10**left - 1))  # _random_int_of_length(left)
    digits = pattern("#" * right) if right else None

    def draw(keys: Keys) -> Sequence[Any]:
        chosen = below(mix(keys, 1), len(signs))
        lows: Any = np.array([spans[s][0] for s in signs], dtype=np.int64)[chosen]
        counts: Any = np.array([spans[s][1] - spans[s][0] + 1 for s in signs], dtype=np.int64)[chosen]
        wholes = (lows + modulo(mix(keys, 2), counts)).tolist()
        fractions = digits(mix(keys, 3)).tolist() if digits is not None else [""] * len(keys)
        out = []
        for s, w, f in zip(chosen.tolist(), wholes, fractions, strict=True):
            result = Decimal(f"{signs[s]}{w}.{f}")
            if high is not None and result > high:
                result = Decimal(str(high))
            if low is not None and result < low:
                result = Decimal(str(low))
            out.append(result)
        return out

    return draw
