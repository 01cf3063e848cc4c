"""Pools: rows stored column by column, read back as PoolRows; the jump hash that picks."""

from __future__ import annotations

from seedspec.generation.pools import NO_ROWS, Pool, PoolRow, jump_hash, matches


def test_rows_read_back_as_they_were_added() -> None:
    pool = Pool([PoolRow("0", {"id": 1, "name": "a"}, "s"), PoolRow("1", {"id": 2, "name": "b"}, "s")])
    assert len(pool) == 2
    assert pool.row(1) == PoolRow("1", {"id": 2, "name": "b"}, "s")
    assert pool.value(0, "name") == "a"
    assert list(pool.column("id")) == [1, 2]
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
    assert list(first.column("id")) == [10, 2]
    assert list(second.column("id")) == [2]


def test_the_empty_pool_is_falsy() -> None:
    assert not NO_ROWS
    assert not NO_ROWS.column("id")


def test_jump_hash_keeps_most_picks_when_buckets_grow() -> None:
    keys = range(1000)
    before = [jump_hash(k * 7919, 10) for k in keys]
    after = [jump_hash(k * 7919, 11) for k in keys]
    moved = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert all(a == 10 for _, a in moved)  # a key only ever moves to the new bucket
    assert 40 < len(moved) < 160


def test_integer_columns_are_machine_arrays_until_another_value_comes() -> None:
    pool = Pool()
    pool.append("u:0", {"id": 1, "flag": True})
    pool.append("u:1", {"id": 2**40, "flag": False})
    assert pool.value(1, "id") == 2**40
    assert pool.value(0, "flag") is True  # a bool is not stored as an integer
    pool.append("u:2", {"id": 2**70, "flag": None})
    pool.update(0, {"id": "x"})
    assert list(pool.column("id")) == ["x", 2**40, 2**70]
    assert [r.row_id for r in pool] == ["u:0", "u:1", "u:2"]


def test_all_distinct_on_dense_integers_strings_and_nulls() -> None:
    ids = Pool(PoolRow(str(i), {"id": i}) for i in (5, 3, 9, 4))
    assert ids.all_distinct("id", str.casefold)
    ids.append("x", {"id": 3})
    assert not ids.all_distinct("id", lambda v: v)
    names = Pool(PoolRow(str(i), {"n": n}) for i, n in enumerate(["A", "a"]))
    assert names.all_distinct("n", lambda v: v)
    assert not names.all_distinct("n", str.casefold)
    assert not Pool([PoolRow("0", {"n": None})]).all_distinct("n", lambda v: v)


def test_rows_keep_the_step_that_made_them_after_extend() -> None:
    first = Pool([PoolRow("a:0", {"id": 1}, "a")])
    first.extend(Pool([PoolRow("b:0", {"id": 2}, "b"), PoolRow("b:1", {"id": 3}, "b")]))
    assert [(r.row_id, r.step) for r in first] == [("a:0", "a"), ("b:0", "b"), ("b:1", "b")]


def test_matches_holds_when_every_filtered_column_holds_an_allowed_value() -> None:
    row = PoolRow("a", {"status": "paid", "region": None})
    assert matches(row, (("status", ("paid", "shipped")),))
    assert matches(row, (("status", ("paid",)), ("region", (None,))))
    assert not matches(row, (("status", ("new",)),))
    assert matches(row, ())


def test_jump_hashes_is_jump_hash_bit_for_bit() -> None:
    import numpy as np

    from seedspec.generation.pools import jump_hash, jump_hashes
    from seedspec.language.counterhash import row_keys

    keys = row_keys(99, range(5000))
    for buckets in (1, 2, 7, 1000, 123_457):
        assert jump_hashes(keys, buckets).tolist() == [jump_hash(k, buckets) for k in keys.tolist()]
    assert jump_hashes(np.array([], dtype=np.uint64), 5).tolist() == []


def _column_kinds(pool: Pool) -> list[tuple[str, str]]:
    return [(type(v).__name__, getattr(v, "typecode", "")) for v in pool._values]


def test_rows_added_a_column_at_a_time_are_those_appended_one_by_one() -> None:
    batches = [
        {"id": [1, 2, 3], "name": ["a", None, "c"]},
        {"id": [2**40, 5], "name": ["d", "e"]},  # widens the integers
        {"id": [True, 7], "other": [1, 2]},  # a bool is no machine integer; a missing column is null
        {"id": [2**70, 1.5], "name": [1, 2]},
    ]
    columnar, single = Pool(), Pool()
    for b, values in enumerate(batches):
        count = len(next(iter(values.values())))
        ids = [(f"s:p{b}/", list(range(count)))]
        columnar.extend_columns(ids, values, f"step{b % 2}")
        for k in range(count):
            single.append(f"s:p{b}/{k}", {c: v[k] for c, v in values.items()}, f"step{b % 2}")
        assert list(columnar) == list(single)
        assert _column_kinds(columnar) == _column_kinds(single)
    assert columnar.row_ids == single.row_ids
    assert [r.step for r in columnar] == ["step0"] * 3 + ["step1"] * 2 + ["step0"] * 2 + ["step1"] * 2


def test_no_rows_added_a_column_at_a_time_leave_the_pool_as_it_was() -> None:
    pool = Pool()
    pool.extend_columns([("s:", [])], {"id": []})
    assert len(pool) == 0
    assert pool.column("id") == ()


def test_rows_without_kept_columns_are_read_back_too() -> None:
    pool = Pool()
    pool.append("s:0", {}, "s")
    pool.append("s:1", {}, "t")
    assert list(pool) == [PoolRow("s:0", {}, "s"), PoolRow("s:1", {}, "t")]
    assert [pool.row(i) for i in range(2)] == list(pool)
