"""Shards: the ranges of a step's rows, their file names, and how a shard holds others' rows."""

from __future__ import annotations

import json

import pytest

from seedspec.generation.shards import UNDRAWN, Shard, draws_all, full_order, placeheld, writes
from seedspec.generation.slots import RowSlot


@pytest.mark.parametrize("count", [1, 2, 3, 7, 12])
@pytest.mark.parametrize("total", [0, 1, 5, 100, 101])
def test_the_ranges_of_the_shards_cover_every_row_once_in_order(count: int, total: int) -> None:
    rows = [i for k in range(1, count + 1) for i in Shard(k, count).rows(total)]
    assert rows == list(range(total))
    sizes = [len(Shard(k, count).rows(total)) for k in range(1, count + 1)]
    assert max(sizes) - min(sizes) <= 1


def test_a_shard_is_parsed_from_k_slash_n() -> None:
    assert Shard.parse("2/8") == Shard(2, 8)
    for text in ("2", "0/3", "4/3", "x/3", "1/", "-1/3"):
        with pytest.raises(ValueError, match="shard"):
            Shard.parse(text)


def test_part_names_sort_in_shard_order() -> None:
    names = [Shard(k, 12).part for k in range(1, 13)]
    assert names[0] == "part-01-of-12"
    assert names == sorted(names)
    assert Shard(1, 1).part == "part-1-of-1"


def _slot(ordinal: int) -> RowSlot:
    return RowSlot(str(ordinal), ordinal, ordinal, {}, ())


def test_records_are_drawn_whole_by_every_shard_and_written_by_one() -> None:
    rows = Shard(2, 2).rows(10)  # 5..9 of a step whose first 2 rows are records
    assert [draws_all(rows, _slot(i), 2) for i in (0, 1, 2, 5)] == [True, True, False, True]
    assert [writes(rows, _slot(i)) for i in (0, 4, 5, 9)] == [False, False, True, True]
    assert draws_all(None, _slot(3), 0)
    assert writes(None, _slot(3))


def test_a_row_held_for_another_shard_keeps_the_full_column_order() -> None:
    order = full_order(["a", "b", "c", "d"], frozenset({"c"}))
    assert order == ["c", "a", "b", "d"]  # key first: the closure, then the rest
    assert full_order(["a", "b"], None) == ["a", "b"]
    held = placeheld({"d": 4, "c": 3}, order)
    assert list(held) == order
    assert held["c"] == 3
    assert held["a"] is UNDRAWN
    assert repr(UNDRAWN) == "<undrawn>"
    with pytest.raises(TypeError):
        json.dumps(held)  # never written silently
