"""Dependency graphs: one cycle, strongly connected components, parents-first order."""

from __future__ import annotations

from seedspec.graph import components, dependency_order, find_cycle


def test_find_cycle_gives_one_cycle_in_order() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == ()
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ("a", "b", "c")


def test_components_are_cycles_together_and_parents_first() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}, "d": set()}
    assert components(graph) == [["a", "b"], ["c"], ["d"]]


def test_dependency_order_is_parents_first_then_by_name() -> None:
    order, cycles = dependency_order({"c": {"a"}, "b": set(), "a": set(), "d": {"e"}, "e": {"d"}})
    assert order == ["a", "b", "c", "d", "e"]
    assert cycles == [["d", "e"]]
