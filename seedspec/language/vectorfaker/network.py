"""Network addresses of ``faker.providers.internet.Provider``: ``ipv4`` (and its private and
public forms), ``ipv6``, ``mac_address``.

``ipv4`` picks a network by its size, then an address in it: the same as an address drawn evenly
from the union of the networks, which is what is computed (one draw, the networks' running sizes
searched). Faker's own network lists are used (``_get_*_networks_and_weights``: pure, cached).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from faker.providers.internet import Provider as Internet

from seedspec.language.counterhash import Keys, below, mix
from seedspec.language.vectorfaker import VectorProvider, data, provider
from seedspec.language.vectorfaker.expand import hex_digits, strings

_OCTETS = np.array([str(i) for i in range(256)], dtype=object)


def _dotted(addresses: np.ndarray[Any, Any]) -> list[str]:
    out = _OCTETS[(addresses >> 24) & 255]
    for shift in (16, 8, 0):
        out = out + "." + _OCTETS[(addresses >> shift) & 255]
    return out.tolist()  # type: ignore[no-any-return]


class _Union:
    """Addresses drawn evenly from a union of disjoint networks."""

    def __init__(self, networks: Sequence[ipaddress.IPv4Network]) -> None:
        self.starts = np.array([int(n.network_address) for n in networks], dtype=np.int64)
        self.ends = np.cumsum([n.num_addresses for n in networks]).astype(np.int64)

    def draw(self, keys: Keys) -> np.ndarray[Any, Any]:
        offsets = below(mix(keys, 1), int(self.ends[-1]))
        which = np.searchsorted(self.ends, offsets, side="right")
        before = np.concatenate([[0], self.ends[:-1]])[which]
        return self.starts[which] + (offsets - before)  # type: ignore[no-any-return]


def _ipv4(method: str) -> Any:
    names = ("network", "address_class", "private") if method == "ipv4" else ("network", "address_class")

    def make(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
        found = data.method(locale, method)
        bound = data.bind(names, args, kwargs)
        if found is None or found[1] is not getattr(Internet, method) or bound is None:
            return None
        owner, klass = found[0], bound.get("address_class")
        if bound.get("network", False) is not False or klass not in (None, "a", "b", "c"):
            return None
        private = {"ipv4_private": True, "ipv4_public": False}.get(method, bound.get("private"))
        if private not in (None, True, False):
            return None
        if private is None:  # ipv4(): the class's (or all) networks, one union
            union = _Union(owner._get_all_networks_and_weights(address_class=klass)[0])
            return lambda keys: _dotted(union.draw(keys))
        pick = owner._get_private_networks_and_weights if private else owner._get_public_networks_and_weights
        classes = [klass] if klass else ["a", "b", "c"]  # no class: one picked evenly per call
        unions = [_Union(pick(address_class=c)[0]) for c in classes]

        def draw(keys: Keys) -> Sequence[Any]:
            chosen = below(mix(keys, 2), len(unions))
            out = np.zeros(len(keys), dtype=np.int64)
            for i, union in enumerate(unions):
                rows = np.flatnonzero(chosen == i)
                out[rows] = union.draw(mix(keys[rows], 3))
            return _dotted(out)

        return draw

    return make


for _method in ("ipv4", "ipv4_private", "ipv4_public"):
    provider(_method)(_ipv4(_method))


@provider("mac_address")
def _mac_address(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    bound = data.bind(("multicast",), args, kwargs)
    if bound is None or data.base_owner(locale, "mac_address", Internet.mac_address) is None:
        return None
    multicast = bound.get("multicast", False) is True  # Faker tests `is True`
    colons = np.full(5, ord(":"), dtype=np.uint32)

    def draw(keys: Keys) -> Sequence[Any]:
        # first octet: randrange(1, 0xFF, 2) (odd) or randrange(0, 0xFE, 2) (even); then 5 randint(0, 255)
        first = (2 * below(mix(keys, 1), 127) + (1 if multicast else 0)).astype(np.uint64)
        rest = mix(keys, 2) & np.uint64(0xFFFFFFFFFF)
        digits = np.concatenate([hex_digits(first, 2), hex_digits(rest, 10)], axis=1)
        matrix = np.empty((len(keys), 17), dtype=np.uint32)
        matrix[:, [0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16]] = digits
        matrix[:, [2, 5, 8, 11, 14]] = colons
        return strings(matrix, 17).tolist()  # type: ignore[no-any-return]

    return draw


_FULL = ":".join(["%x"] * 8)  # an address without a zero group, as IPv6Address prints it


@provider("ipv6")
def _ipv6(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or kwargs or data.base_owner(locale, "ipv6", Internet.ipv6) is None:
        return None

    def draw(keys: Keys) -> Sequence[Any]:
        # randint(2**32, 2**128 - 1): 128 random bits, the 2**32 values below moved up (odds 2**-96)
        high, low = mix(keys, 1), mix(keys, 2)
        low = np.where(high == 0, low | np.uint64(1 << 32), low)
        groups = [((word >> np.uint64(s)) & np.uint64(0xFFFF)).astype(np.int64) for word in (high, low)
                  for s in (48, 32, 16, 0)]  # fmt: skip
        out = [_FULL % row for row in zip(*(g.tolist() for g in groups), strict=True)]
        zero = np.zeros(len(keys), dtype=bool)
        for group in groups:
            zero |= group == 0
        for row in np.flatnonzero(zero).tolist():  # a zero group: "::" compression, Python's own
            out[row] = str(ipaddress.IPv6Address((int(high[row]) << 64) | int(low[row])))
        return out

    return draw
