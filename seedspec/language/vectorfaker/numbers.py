"""Numbers and patterns with arguments: ``random_int`` / ``pyint``, ``numerify`` / ``lexify`` /
``bothify`` over a given text, ``hex_color``, ``mac_address``, ``ipv6``. Each is checked to be the
base provider's own function for the locale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from faker.providers import BaseProvider
from faker.providers.color import Provider as Color
from faker.providers.internet import Provider as Internet
from faker.providers.python import Provider as Python

from seedspec.language.counterhash import Keys, below, mix
from seedspec.language.vectorfaker import VectorProvider, data, provider
from seedspec.language.vectorfaker.expand import LETTERS, pattern

_SPAN = 1 << 53


def _bind(names: Sequence[str], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
    """Positional and keyword arguments by parameter name; None if one is unknown or doubled."""
    if len(args) > len(names) or set(kwargs) - set(names) or set(names[: len(args)]) & set(kwargs):
        return None
    return dict(zip(names, args, strict=False)) | dict(kwargs)


def _base(locale: str, method: str, base: Any) -> bool:
    found = data.method(locale, method)
    return found is not None and found[1] is base


def _ints(low: int, high: int, step: int) -> VectorProvider | None:
    """``random.randrange(low, high + 1, step)``: None past 2**53 choices (or an empty range,
    which Faker refuses)."""
    if not all(type(v) is int for v in (low, high, step)) or step <= 0:
        return None
    count = len(range(low, high + 1, step))
    if not 0 < count < _SPAN:
        return None

    def draw(keys: Keys) -> Sequence[Any]:
        return (low + step * below(mix(keys, 1), count)).tolist()  # type: ignore[no-any-return]

    return draw


@provider("random_int", "pyint")
def _random_int(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    for method, base, names in (
        ("random_int", BaseProvider.random_int, ("min", "max", "step")),
        ("pyint", Python.pyint, ("min_value", "max_value", "step")),
    ):
        if _base(locale, method, base) and (bound := _bind(names, args, kwargs)) is not None:
            defaults = dict(zip(names, (0, 9999, 1), strict=True)) | bound
            return _ints(*(defaults[n] for n in names))
    return None


def _text_pattern(method: str, default: str, numerify: bool, lexify: bool) -> Any:
    base = getattr(BaseProvider, method)

    def make(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
        names = ("text", "letters") if lexify else ("text",)
        bound = _bind(names, args, kwargs)
        if bound is None or not _base(locale, method, base):
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
    if args or kwargs or not _base(locale, "hex_color", Color.hex_color):
        return None

    def draw(keys: Keys) -> Sequence[Any]:  # f"#{random_int(1, 16777215):06x}"
        return [f"#{v:06x}" for v in (1 + below(mix(keys, 1), 16777215)).tolist()]

    return draw


@provider("mac_address")
def _mac_address(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    bound = _bind(("multicast",), args, kwargs)
    if bound is None or not _base(locale, "mac_address", Internet.mac_address):
        return None
    multicast = bound.get("multicast", False) is True  # Faker tests `is True`

    def draw(keys: Keys) -> Sequence[Any]:
        # first octet: randrange(1, 0xFF, 2) (odd) or randrange(0, 0xFE, 2) (even); then 5 randint(0, 255)
        first = 2 * below(mix(keys, 1), 127) + (1 if multicast else 0)
        rest = mix(keys, 2)
        octets = [first] + [((rest >> np.uint64(8 * i)) & np.uint64(0xFF)).astype(np.int64) for i in range(5)]
        table = np.array([f"{i:02x}" for i in range(256)], dtype=object)
        out = table[octets[0]]
        for octet in octets[1:]:
            out = out + ":" + table[octet]
        return out.tolist()  # type: ignore[no-any-return]

    return draw


@provider("ipv6")
def _ipv6(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or kwargs or not _base(locale, "ipv6", Internet.ipv6):
        return None
    import ipaddress

    low, span = 1 << 32, (1 << 128) - (1 << 32)  # randint(2**32, 2**128 - 1)

    def draw(keys: Keys) -> Sequence[Any]:
        # 128 + 64 bits reduced mod the span: a bias below 2**-64
        words = [mix(keys, s).tolist() for s in (1, 2, 3)]
        return [
            str(ipaddress.IPv6Address(low + (((a << 128) | (b << 64) | c) % span)))
            for a, b, c in zip(*words, strict=True)
        ]

    return draw
