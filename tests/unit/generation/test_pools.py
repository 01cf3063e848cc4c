"""Pools: rows stored column by column, read back as PoolRows; the jump hash that picks."""

from __future__ import annotations

from seedspec.generation.pools import NO_ROWS, Pool, PoolRow, jump_hash


def test_rows_read_back_as_they_were_added() -> None:
    pool = Pool([PoolRow("0", {"id": 1, "name": "a"}, "s"), PoolRow("1", {"id": 2, "name": "b"}, "s")])
    assert len(pool) == 2
    assert pool.row(1) == PoolRow("1", {"id": 2, "name": "b"}, "s")
    assert pool.value(0, "name") == "a"
    assert pool.column("id") == [1, 2]
    assert pool.row_ids == ["0", "1"]
    assert [r.row_id for r in pool.rows(-1)] == ["1"]


def test_columns_are_those_of_the_first_row() -> None:
    pool = Pool()
    pool.append("0", {"id": 1})
    pool.append("1", {"id": 2, "extra": 9})
    assert pool.row(1).values == {"id": 2}


def test_extend_takes_another_pool_column_by_column_and_update_sets_values() -> None:
    first, second = Pool([PoolRow("0", {"id": 1})]), Pool([PoolRow("1", {"id": 2})])
    first.extend(second)
    first.update(0, {"id": 10})
    assert first.column("id") == [10, 2]
    assert second.column("id") == [2]


def test_the_empty_pool_is_falsy() -> None:
    assert not NO_ROWS
    assert NO_ROWS.column("id") == []


def test_jump_hash_keeps_most_picks_when_buckets_grow() -> None:
    keys = range(1000)
    before = [jump_hash(k * 7919, 10) for k in keys]
    after = [jump_hash(k * 7919, 11) for k in keys]
    moved = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert all(a == 10 for _, a in moved)  # a key only ever moves to the new bucket
    assert 40 < len(moved) < 160
