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


def test_numbered_ids_are_those_appended_one_by_one() -> None:
    prefixes = ["user:", "post<user:user:12/", "seed[2]:007/", "named:alice/", "a%b:", "t9", "", "x:"]
    numbers = [0, 1, 9, 10, 4_294_967_296, 10**18 - 1, 10**18, 5]
    for prefix in prefixes:
        for chunk in (numbers, [3, 4], [-1, 2]):
            batched, single = RowIds(), RowIds()
            batched.append("before:1")
            single.append("before:1")
            batched.extend_numbered(prefix, chunk)
            for n in chunk:
                single.append(f"{prefix}{n}")
            assert list(batched) == list(single) == ["before:1", *(f"{prefix}{n}" for n in chunk)]
            assert [batched[i] for i in range(len(batched))] == list(single)


def test_numbered_ids_extend_the_run_of_their_shape() -> None:
    ids = RowIds()
    ids.extend_numbered("post:user:1/", range(5))
    ids.extend_numbered("post:user:2/", range(5))
    ids.append("post:user:3/0")
    assert len(ids._runs) == 1
    assert list(ids)[4:7] == ["post:user:1/4", "post:user:2/0", "post:user:2/1"]
    ids.extend_numbered("post:user:4/", [1 << 40])  # widens the run's numbers
    assert ids[-1] == f"post:user:4/{1 << 40}"
    assert ids[0] == "post:user:1/0"


def test_a_later_number_too_big_for_32_bits_widens_the_run_without_repeating_the_first() -> None:
    ids = RowIds()
    ids.append("p:12/0")
    ids.append("p:12/4294967296")  # 12 fits 32 bits, the second number does not
    assert list(ids) == ["p:12/0", "p:12/4294967296"]
