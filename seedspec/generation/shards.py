"""Shards: a step's rows split into ranges of row ordinals that separate runs compute and write.

A shard draws, for every row of the step, the columns whose values depend on the rows drawn
before them (the key, ``unique`` redraws, ``distinct_per`` picks: ``key_closure``), those that
later steps read (the pools and the stored keys) and what they read; the other columns only for
its own rows. Everything that orders or counts rows (repeated keys, ids, sequences, round-robin
picks) thus sees the same rows in every shard, so the rows a shard writes are, byte for byte,
those an unsharded run writes for the same range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from seedspec.generation.slots import RowSlot


class _Undrawn:
    """The value of a column a shard left to another one: it is never written (writing it fails
    loudly: it is no JSON, CSV or SQL value)."""

    def __repr__(self) -> str:
        return "<undrawn>"


UNDRAWN: Final = _Undrawn()


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` (from 1) of ``count``: of a step's rows, in order, the ``index``-th of
    ``count`` ranges as equal as can be."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count}: K/N needs 1 <= K <= N")

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` (as ``--shard`` takes it)."""
        index, sep, count = text.partition("/")
        if not sep or not index.strip().isdigit() or not count.strip().isdigit():
            raise ValueError(f"shard {text!r}: expected K/N, e.g. 2/8")
        return cls(int(index), int(count))

    def rows(self, total: int) -> range:
        """The ordinals this shard writes of a step with ``total`` rows."""
        return range(total * (self.index - 1) // self.count, total * self.index // self.count)

    @property
    def part(self) -> str:
        """The name of this shard's files: ``part-K-of-N``, K padded so names sort in order."""
        width = len(str(self.count))
        return f"part-{self.index:0{width}d}-of-{self.count}"


def placeheld(row: dict[str, Any], order: list[str]) -> dict[str, Any]:
    """A row another shard writes: its columns in the order a full row has them (the order
    decides which rows share an INSERT, and so the ids), the ones not drawn held by UNDRAWN."""
    return {c: row.get(c, UNDRAWN) for c in order}


def full_order(fields: list[str], closure: frozenset[str] | None) -> list[str]:
    """The columns of a generated row in the order the walk fills them: the key closure first
    when the step runs key first (the rest is completed afterwards), else the fields' order."""
    if closure is None:
        return fields
    return [c for c in fields if c in closure] + [c for c in fields if c not in closure]


def draws_all(rows: range | None, slot: RowSlot, records: int) -> bool:
    """Whether a run writing ``rows`` (None: all) draws every column of ``slot`` of a step with
    ``records`` records: records always (they come first, are few, and later steps read them
    whole), generated rows in its range."""
    return rows is None or slot.ordinal < records or slot.ordinal in rows


def writes(rows: range | None, slot: RowSlot) -> bool:
    """Whether a run writing ``rows`` (None: all) writes the row of ``slot``."""
    return rows is None or slot.ordinal in rows
