"""A step's keys: case folding, keys a batch at once, and the memory of keys already generated."""

from __future__ import annotations

from seedspec.generation.pools import PoolRow
from seedspec.generation.slots import RowSlot
from seedspec.generation.stepkeys import SeenKeys, batch_keys, norm, row_key


def slot(ordinal: int, parent: PoolRow | None = None) -> RowSlot:
    return RowSlot(local_id=str(ordinal), n=ordinal, ordinal=ordinal, seqs={}, fields=(), parent=parent)


def test_mysql_keys_fold_case_and_trailing_spaces_and_others_are_exact() -> None:
    assert norm("Ab  ", casefold=True) == "ab"
    assert norm("Ab  ", casefold=False) == "Ab  "
    assert norm(3, casefold=True) == 3
    row = {"a": "X ", "b": 1, "c": None}
    assert row_key(row, ("a", "b"), casefold=True) == ("x", 1)
    assert row_key(row, ("a", "b"), casefold=False) == ("X ", 1)


def test_a_batch_s_keys_are_each_row_s_key_for_every_width() -> None:
    rows = [{"a": "X", "b": 1, "c": 2}, {"a": "y", "b": None, "c": 3}]
    for key in (("a",), ("a", "b"), ("a", "b", "c"), ("c", "a")):
        for casefold in (True, False):
            assert batch_keys(rows, key, casefold) == [row_key(r, key, casefold) for r in rows]


def test_repeats_are_remembered_per_scope() -> None:
    everywhere = SeenKeys()
    assert [everywhere.is_repeat(slot(i), ("k",)) for i in range(3)] == [False, True, True]
    never = SeenKeys()
    never.scope = "none"
    assert [never.is_repeat(slot(i), ("k",)) for i in range(2)] == [False, False]
    per_parent = SeenKeys()
    per_parent.scope = "parent"
    first, second = PoolRow("p:1", {}), PoolRow("p:2", {})
    seen = [per_parent.is_repeat(slot(i, p), ("k",)) for i, p in enumerate((first, first, second, second))]
    assert seen == [False, True, False, True]
    assert per_parent.keys == {("k",)}  # the first parent's keys are forgotten


def test_a_batch_s_repeats_are_those_is_repeat_finds_row_by_row() -> None:
    first, second = PoolRow("p:1", {}), PoolRow("p:2", {})
    parents = (first, first, second, second, first, None)
    keys = [("a",), ("a",), ("a",), ("b",), ("b",), ("a",)]
    for scope in ("none", "parent", "all"):
        one_by_one, batched = SeenKeys(), SeenKeys()
        one_by_one.scope = batched.scope = scope
        slots = [slot(i, p) for i, p in enumerate(parents)]
        expected = {i for i, (s, k) in enumerate(zip(slots, keys, strict=True)) if one_by_one.is_repeat(s, k)}
        half = 3  # over two batches: what the first remembers carries over
        found = batched.repeated(slots[:half], keys[:half]) | {
            half + i for i in batched.repeated(slots[half:], keys[half:])
        }
        assert found == expected
    assert expected == {1, 2, 4, 5}  # scope all
