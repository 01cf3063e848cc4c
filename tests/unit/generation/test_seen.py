"""The values a unique field took: strings as digests in a table that grows, others in a set."""

from __future__ import annotations

from seedspec.generation.seen import SeenValues


def test_strings_and_other_values_are_seen_once_added() -> None:
    seen = SeenValues()
    for i in range(5_000):  # several growths of the table
        seen.add(f"user{i}@example.com")
    seen.add(7)
    seen.add(None)
    seen.add("user0@example.com")  # again: counted once
    assert len(seen) == 5_002
    assert all(f"user{i}@example.com" in seen for i in range(5_000))
    assert "user5000@example.com" not in seen
    assert 7 in seen
    assert None in seen
    assert 8 not in seen
    assert "7" not in seen  # a string is not the number it spells


def test_a_string_subclass_counts_as_the_string() -> None:
    class Text(str):
        pass

    seen = SeenValues()
    seen.add(Text("a"))
    assert "a" in seen
    assert "\ud800" not in seen  # a lone surrogate has a digest too


def test_strings_cost_a_few_bytes_each() -> None:
    seen = SeenValues()
    for i in range(100_000):
        seen.add(f"{i}")
    assert seen._slots.itemsize * len(seen._slots) <= 32 * 100_000
