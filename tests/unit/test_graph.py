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


def test_a_rank_keeps_the_given_order_where_dependencies_allow() -> None:
    graph = {"z": set(), "y": {"x"}, "x": set(), "w": {"z"}}
    rank = {"z": 0, "y": 1, "x": 2, "w": 3}
    order, cycles = dependency_order(graph, rank)
    assert order == ["z", "x", "y", "w"]  # y waits for x; w is free after z but ranks last
    assert cycles == []
    assert dependency_order(graph)[0] == ["x", "y", "z", "w"]


def test_a_ranked_cycle_comes_together_in_rank_order() -> None:
    order, cycles = dependency_order({"a": {"b"}, "b": {"a"}, "c": set()}, {"c": 0, "b": 1, "a": 2})
    assert order == ["c", "b", "a"]
    assert cycles == [["b", "a"]]
