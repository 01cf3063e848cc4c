"""Dependency graphs (pure): a cycle, strongly connected components, and an order that puts
every node after those it depends on.

A graph maps each node to the nodes it depends on; neighbours are visited by name, so every
result is the same for the same graph.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping


def find_cycle(graph: Mapping[str, set[str]]) -> tuple[str, ...]:
    """One cycle of a dependency graph, in order, or ``()``."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> tuple[str, ...]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return tuple(path[path.index(nxt) :])
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return ()

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return ()


def components(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan), each sorted: the nodes of a cycle together, any
    other node alone. A component comes after those it depends on."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def dependency_order(
    graph: Mapping[str, set[str]], rank: Mapping[str, int] | None = None
) -> tuple[list[str], list[list[str]]]:
    """The nodes, each after those it depends on, and the cycles: nodes that depend on each other
    come together. Of the nodes free to come next, the lowest ``rank`` comes first (a spec's
    step order), then the first by name."""

    def key(node: str) -> tuple[int, str]:
        return (rank.get(node, 0) if rank is not None else 0, node)

    parts = [sorted(part, key=key) for part in components(graph)]
    home = {node: i for i, part in enumerate(parts) for node in part}
    after: dict[int, set[int]] = {i: set() for i in range(len(parts))}
    waiting = [0] * len(parts)
    for node, needs in graph.items():
        for need in needs:
            if home[need] != home[node] and home[node] not in after[home[need]]:
                after[home[need]].add(home[node])
                waiting[home[node]] += 1
    ready = [(key(parts[i][0]), i) for i in range(len(parts)) if not waiting[i]]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, i = heapq.heappop(ready)
        order += parts[i]
        for j in after[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (key(parts[j][0]), j))
    return order, [part for part in parts if len(part) > 1]
