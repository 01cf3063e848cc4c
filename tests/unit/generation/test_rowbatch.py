"""A row's number from its identity: the same for a row whatever batch it is numbered in."""

from __future__ import annotations

import numpy as np

from seedspec.compiler.steps import derive_seed
from seedspec.generation.pools import PoolRow
from seedspec.generation.rowbatch import RowBatch, RowNumbers, _parent_hash
from seedspec.generation.slots import RowSlot
from seedspec.ir import Field, Literal
from seedspec.language.counterhash import splitmix64

FIELDS = (Field(column="bio", generator=Literal(value="b"), pointer="/y"),)
OTHER = (Field(column="bio", generator=Literal(value="r"), pointer="/r"),)


def _expected(slot: RowSlot) -> int:
    """The number by the rule, one row at a time."""
    if slot.parent is not None:
        h = np.array([derive_seed("#parent", slot.parent.row_id) or 1], dtype=np.uint64)
        return int(splitmix64(h ^ splitmix64(np.array([slot.n], dtype=np.uint64)))[0])
    if slot.fields is FIELDS:
        return slot.n
    h = np.array([derive_seed("#record", slot.local_id) or 1], dtype=np.uint64)
    return int(splitmix64(h ^ splitmix64(np.array([0], dtype=np.uint64)))[0])


def test_numbers_are_n_hashes_of_parents_or_record_names_whatever_the_batch() -> None:
    first, second = PoolRow("u:1", {}), PoolRow("u:2", {})
    slots = [
        RowSlot("admin", 0, 0, {}, OTHER, record="admin"),
        RowSlot("u:1/0", 0, 1, {}, FIELDS, first),
        RowSlot("u:1/1", 1, 2, {}, FIELDS, first),
        RowSlot("u:2/0", 0, 3, {}, FIELDS, second),
        RowSlot("7", 7, 4, {}, FIELDS),
    ]
    numbers = RowNumbers(FIELDS)
    whole = numbers.of(slots).tolist()
    assert whole == [_expected(s) for s in slots]
    assert [numbers.of([s]).tolist()[0] for s in reversed(slots)] == whole[::-1]
    assert RowNumbers(FIELDS).of(slots[-1:]).dtype == np.uint64


def test_a_batch_reads_numbers_sequences_and_complete_columns() -> None:
    slots = [RowSlot("0", 0, 0, {"s": 4}, FIELDS), RowSlot("1", 1, 1, {"s": 5}, FIELDS)]
    batch = RowBatch(np.zeros(2, dtype=np.uint64), slots, [{"a": 1}, {"a": 2, "b": 3}], "s", attempt=1)
    assert batch.size == 2
    assert batch.numbers() == [0, 1]
    assert batch.sequence() == [5, 6]
    assert batch.column("a") == [1, 2]
    assert batch.column("b") is None


def test_a_parent_s_hash_is_derive_seed_of_its_row_id() -> None:
    for row_id in ("user:0", "post<user:user:12/4", "ü:é", ""):
        assert _parent_hash(row_id) == (derive_seed("#parent", row_id) or 1)
