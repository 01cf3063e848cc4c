"""Columns and Faker's format expansion, computed a whole batch at a time.

A :class:`Col` maps a batch of row keys to an object array of values. Combinators hand their
children *derived* keys (``mix(keys, salt)``, a salt of their own per child) so every draw in a
value is independent of every other and of the batch: a value is a pure function of its key.

Faker's placeholders are expanded as ``BaseProvider.numerify`` / ``lexify`` / ``bothify`` do:
``#`` a digit, ``%`` 1-9, ``$`` 2-9, ``!`` a digit or nothing (half the time), ``@`` 1-9 or
nothing, ``?`` one of ``letters``; ``{{method}}`` tokens as ``Generator.parse`` does (each its own
call of that method).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seedspec.language.counterhash import Keys, below, mix, weighted
from seedspec.language.vectorfaker.data import Elements

Values = NDArray[np.object_]


@dataclass(frozen=True)
class Col:
    """A column: ``draw(keys)`` gives one value per key; ``values`` lists every possible value
    when it is a plain pick (tests check membership against it), ``items`` what it picks from."""

    draw: Callable[[Keys], Values]
    values: tuple[object, ...] | None = None
    items: Elements | None = None

    def __call__(self, keys: Keys) -> Values:
        return self.draw(keys)


def mapped_pick(col: Col, fn: Callable[[str], str]) -> Col:
    """``fn`` over each value: over the list of a pick made by :func:`pick` (once, not per row),
    else per value (:func:`mapped`)."""
    if col.items is None:
        return mapped(col, fn)
    return pick(Elements(tuple(fn(str(v)) for v in col.items.values), col.items.cumulative))


def constant(value: object) -> Col:
    def draw(keys: Keys) -> Values:
        out = np.empty(len(keys), dtype=object)
        out[:] = [value] * len(keys)
        return out

    return Col(draw, (value,))


def pick(items: Elements) -> Col:
    """``random_element(items)``: uniform over a list, by weight over an OrderedDict."""
    values = np.empty(len(items.values), dtype=object)
    values[:] = list(items.values)
    cumulative, n = items.cumulative, len(items.values)

    def draw(keys: Keys) -> Values:
        draws = mix(keys, 1)
        index = below(draws, n) if cumulative is None else weighted(draws, cumulative)
        return values[index]

    return Col(draw, items.values, items)


def index_of(items: Elements, keys: Keys) -> NDArray[np.int64]:
    """Which of ``items`` each key picks (the selector of :func:`switch`)."""
    draws = mix(keys, 1)
    return below(draws, len(items.values)) if items.cumulative is None else weighted(draws, items.cumulative)


def switch(select: Callable[[Keys], NDArray[np.int64]], branches: Sequence[Col]) -> Col:
    """Branch ``select(keys)`` for each row, its rows drawn together (one format group at a time)."""

    def draw(keys: Keys) -> Values:
        if len(branches) == 1:
            return branches[0](mix(keys, 2))
        chosen = select(keys)
        out = np.empty(len(keys), dtype=object)
        order = np.argsort(chosen, kind="stable")
        bounds = np.searchsorted(chosen[order], np.arange(len(branches) + 1))
        sub = mix(keys, 2)
        for b, branch in enumerate(branches):
            rows = order[bounds[b] : bounds[b + 1]]
            if len(rows):
                out[rows] = branch(sub[rows])
        return out

    return Col(draw)


def concat(parts: Sequence[Col | str]) -> Col:
    """Literals and columns joined, each column drawn with keys of its own."""
    if all(isinstance(p, str) for p in parts):
        return constant("".join(p for p in parts if isinstance(p, str)))

    def draw(keys: Keys) -> Values:
        out: Any = None  # a literal first, then an array (str + array is elementwise)
        for salt, part in enumerate(parts, start=1000):
            piece: Any = part if isinstance(part, str) else part(mix(keys, salt))
            out = piece if out is None else out + piece
        return out  # type: ignore[no-any-return]

    return Col(draw)


def mapped(col: Col, fn: Callable[[str], str]) -> Col:
    """``fn`` over each value (memoised: the same string is transformed once per batch)."""

    def draw(keys: Keys) -> Values:
        raw = col(keys)
        memo: dict[str, str] = {}
        out = np.empty(len(raw), dtype=object)
        out[:] = [memo[v] if v in memo else memo.setdefault(v, fn(v)) for v in raw.tolist()]
        return out

    values = None if col.values is None else tuple(dict.fromkeys(fn(str(v)) for v in col.values))
    return Col(draw, values)


# placeholder -> (radix, what each draw becomes: a digit's offset, or None for "empty below half")
_NUMERIFY = {"#": (10, 0, 0), "%": (9, 1, 0), "$": (8, 2, 0), "!": (20, 0, 10), "@": (18, 1, 9)}
_CAPACITY = 1 << 40  # radices multiplied into one 64-bit draw (bias < 2**-24 relative)


def pattern(text: str, numerify: bool = True, letters: str | None = None) -> Col:
    """``numerify(text)`` (and ``lexify`` with ``letters`` when given): every row of a pattern is
    expanded at once, as a (rows x characters) code-point matrix read back as fixed-width strings."""
    codes = np.array([ord(c) for c in text], dtype=np.uint32)
    slots = [
        (i, c)
        for i, c in enumerate(text)
        if (numerify and c in _NUMERIFY) or (letters is not None and c == "?")
    ]
    if not slots or not text:
        return constant(text)
    letter_codes = np.array([ord(c) for c in letters or "?"], dtype=np.uint32)
    optional = any(c in "!@" for _, c in slots)
    width = len(text)

    def draw(keys: Keys) -> Values:
        matrix = np.tile(codes, (len(keys), 1))
        pool, room, salt = mix(keys, 100), _CAPACITY, 100
        for i, c in slots:
            radix = len(letter_codes) if c == "?" else _NUMERIFY[c][0]
            if room < radix:
                salt += 1
                pool, room = mix(keys, salt), _CAPACITY
            digit = (pool % np.uint64(radix)).astype(np.int64)
            pool, room = pool // np.uint64(radix), room // radix
            if c == "?":
                matrix[:, i] = letter_codes[digit]
            else:
                _, offset, empty_below = _NUMERIFY[c]
                shown = digit - empty_below + offset + ord("0")
                matrix[:, i] = np.where(digit < empty_below, 0, shown)
        return strings(matrix, width, optional)

    return Col(draw)


def strings(matrix: NDArray[Any], width: int, holes: bool = False) -> Values:
    """A (rows x ``width``) matrix of code points as one string per row; ``holes``: a 0 is a
    character left out (the NULs are moved to the end, where the conversion to str drops them)."""
    if holes:
        matrix = np.take_along_axis(matrix, np.argsort(matrix == 0, axis=1, kind="stable"), axis=1)
    fixed = np.ascontiguousarray(matrix, dtype="<u4").view(f"<U{width}").ravel()
    return fixed.astype(object)


HEX = np.array([ord(c) for c in "0123456789abcdef"], dtype=np.uint32)


def hex_digits(values: NDArray[np.uint64], digits: int) -> NDArray[np.uint32]:
    """The ``digits`` lowest hex digits of each value, most significant first, as code points."""
    shifts = np.arange(4 * (digits - 1), -1, -4, dtype=np.uint64)
    return HEX[((values[:, None] >> shifts) & np.uint64(15)).astype(np.int64)]


def patterns(items: Elements, numerify: bool = True, letters: str | None = None, upper: bool = False) -> Col:
    """``numerify(random_element(items))`` (``bothify`` with letters; ``.upper()`` after, as the
    postcodes do: upper-casing the pattern and the letters gives the same strings)."""
    if upper:
        letters = None if letters is None else "".join(c.upper() for c in letters)
        texts = [str(t).upper() for t in items.values]
    else:
        texts = [str(t) for t in items.values]
    branches = [pattern(t, numerify, letters) for t in texts]
    return switch(lambda keys: index_of(items, keys), branches)


LETTERS = string.ascii_letters


def has_nul(items: Elements) -> bool:
    """A NUL in a pattern would be lost with the empty draws: such patterns are not vectorised."""
    return any("\0" in str(t) for t in items.values)
