"""The values a ``unique`` field has taken in a run, in a few bytes each.

A set of a million emails costs over 100 bytes an email; the run only asks whether a value was
taken. Strings are kept as 64-bit digests (BLAKE2b) in an open-addressing table of machine
integers, 16 to 32 bytes a value; other values in a set. Two strings of one digest (about one
chance in 10^7 at ten million values) make the second count as taken: it is drawn again, so
values stay unique and the run stays deterministic.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable
from hashlib import blake2b

_FIRST_SLOTS = 1 << 10
_EMPTY = 0


class SeenValues:
    """A set of the values taken, to ask ``in`` and ``add`` (see the module)."""

    __slots__ = ("_others", "_slots", "_strings")

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * _FIRST_SLOTS))
        self._strings = 0
        self._others: set[Hashable] = set()

    def __contains__(self, value: Hashable) -> bool:
        if not isinstance(value, str):
            return value in self._others
        return self._slots[self._slot(_digest(value))] != _EMPTY

    def add(self, value: Hashable) -> None:
        if not isinstance(value, str):
            self._others.add(value)
            return
        digest = _digest(value)
        at = self._slot(digest)
        if self._slots[at] == _EMPTY:
            self._slots[at] = digest
            self._strings += 1
            if 2 * self._strings > len(self._slots):
                self._grow()

    def __len__(self) -> int:
        return self._strings + len(self._others)

    def _slot(self, digest: int) -> int:
        """The slot holding ``digest``, or the empty one where it would go (linear probing)."""
        slots, mask = self._slots, len(self._slots) - 1
        at = digest & mask
        while slots[at] != _EMPTY and slots[at] != digest:
            at = (at + 1) & mask
        return at

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", bytes(16 * len(old)))
        for digest in old:
            if digest != _EMPTY:
                self._slots[self._slot(digest)] = digest


def _digest(value: str) -> int:
    """A stable 64-bit digest, never 0 (the empty slot)."""
    digest = int.from_bytes(
        blake2b(str.encode(value, "utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )
    return digest or 1
