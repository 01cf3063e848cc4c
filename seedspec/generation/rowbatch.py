"""A batch of rows as a column's draw sees it, and each row's number from its identity.

Split from ``columns``: what a column form reads of a batch (``RowBatch``), and the number
every key of a row is mixed from (``RowNumbers``), made once per batch with a hash per parent,
not per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seedspec.compiler.steps import derive_seed
from seedspec.generation.pools import PoolRow
from seedspec.generation.slots import RowSlot
from seedspec.ir import Field
from seedspec.language.counterhash import Keys, splitmix64

_MAX_PARENTS = 1 << 17  # parent hashes a step remembers (its batches go parent by parent)


class RowBatch:
    """The rows one column is drawn for (``generators.base.Batch``)."""

    __slots__ = ("attempt", "keys", "name", "rows", "slots")

    def __init__(
        self,
        keys: Keys,
        slots: Sequence[RowSlot],
        rows: Sequence[dict[str, Any]],
        name: str,
        attempt: int = 0,
    ) -> None:
        self.keys, self.slots, self.rows, self.name, self.attempt = keys, slots, rows, name, attempt

    @property
    def size(self) -> int:
        return len(self.slots)

    def numbers(self) -> list[int]:
        return [slot.n for slot in self.slots]

    def sequence(self) -> list[int]:
        name, attempt = self.name, self.attempt  # a taken number moves on to the next one
        return [slot.seqs[name] + attempt for slot in self.slots]

    def column(self, name: str) -> list[Any] | None:
        rows = self.rows
        if any(name not in row for row in rows):
            return None
        return [row[name] for row in rows]


class RowNumbers:
    """The rows' numbers of one step's batches (``ColumnFiller.bases``), the hashes of recent
    parents remembered."""

    def __init__(self, fields: tuple[Field, ...]) -> None:
        self.fields = fields  # the step's: its generated rows
        self._parents: dict[str, int] = {}  # a parent's row id -> its hash

    def of(self, slots: Sequence[RowSlot]) -> NDArray[np.uint64]:
        """Each row's number, from its identity: ``n`` for the generated rows of a step without
        for_each; for a child, a hash of its parent's row id mixed with its ``n`` under that
        parent; for a record, a hash of its name (or label)."""
        fields, parents = self.fields, self._parents
        if len(parents) > _MAX_PARENTS:
            parents.clear()
        if all(s.parent is None and s.fields is fields for s in slots):
            return np.array([s.n for s in slots], dtype=np.uint64)
        numbers: list[int] = []
        hashes: list[int] = []
        last: PoolRow | None = None
        h = 0
        for s in slots:
            parent = s.parent
            if parent is not None:
                if parent is not last:  # the children of a parent come together
                    last, h = parent, parents.get(parent.row_id, 0)
                    if not h:
                        h = parents[parent.row_id] = _parent_hash(parent.row_id)
                hashes.append(h)
                numbers.append(s.n)
            elif s.fields is fields:
                hashes.append(0)
                numbers.append(s.n)
            else:
                hashes.append(derive_seed("#record", s.local_id) or 1)
                numbers.append(0)
        plain = np.array(numbers, dtype=np.uint64)
        hashed = np.array(hashes, dtype=np.uint64)
        if not hashed.any():
            return plain
        return np.where(hashed == 0, plain, splitmix64(hashed ^ splitmix64(plain)))


def _parent_hash(row_id: str) -> int:
    """``derive_seed("#parent", row_id) or 1``, without the join of its general form (once per
    parent: a for_each step's children at a few rows per parent make it count)."""
    digest = blake2b(f"#parent/{row_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") or 1
