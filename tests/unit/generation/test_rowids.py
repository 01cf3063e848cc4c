"""Row ids stored as runs of numbers give back the very strings they were given."""

from __future__ import annotations

from seedspec.generation.rowids import RowIds

IDS = [
    "user:0",
    "user:1",
    "post<user:user:1/0",
    "post<user:user:1/1",
    "seed[2]:007",  # a leading zero stays text
    "t:12345678901234567890123",  # more digits than a machine integer holds
    "t:18446744073709551615",
    "named:alice",
    "",
    "9",
]


def test_ids_read_back_exactly_by_index_slice_and_iteration() -> None:
    ids = RowIds()
    ids.extend(IDS)
    assert len(ids) == len(IDS)
    assert list(ids) == IDS
    assert ids[-1] == "9"
    assert ids[2:4] == IDS[2:4]
    assert ids == IDS


def test_extend_takes_another_sequence_run_by_run() -> None:
    first, second = RowIds(), RowIds()
    first.extend(IDS[:3])
    second.extend(IDS[3:])
    first.extend(second)
    second.append("later")  # the copy does not share the other's runs
    assert list(first) == IDS


def test_ids_of_one_shape_cost_a_few_bytes_each() -> None:
    ids = RowIds()
    for i in range(10_000):
        ids.append(f"post<user:user:{i // 5}/{i % 5}")
    assert len(ids._runs) == 1
    assert ids._runs[0].numbers.itemsize * len(ids._runs[0].numbers) == 8 * 10_000
    assert ids[9_999] == "post<user:user:1999/4"
