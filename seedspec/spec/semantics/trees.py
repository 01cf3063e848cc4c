"""Checks of ``tree`` steps: the tree field is a column of the factory, and counts are sane."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.limits import MAX_COUNT, limit_error
from seedspec.source import pointer
from seedspec.spec.semantics.common import did_you_mean, error


def check_trees(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """E337 a tree field that is no column, E319 children min > max (a tree may run for_each: a
    tree per parent)."""
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or "tree" not in step or step.get("factory") not in factories:
            continue
        base = pointer("seed", i, "tree")
        tree, factory = step["tree"], factories[step["factory"]]
        table = catalog.get(factory.get("table", "")) if catalog is not None else None
        if table is not None:
            columns = set(table.column_names)
        else:
            columns = set(factory.get("fields", {})) | set(step.get("values", {}))
            states = factory.get("states", {})
            columns.update(c for state in step.get("states", ()) for c in states.get(state, {}))
        if tree["field"] not in columns:
            yield error(
                "E337",
                f"tree field '{tree['field']}' is not a column of factory '{step['factory']}'",
                base + "/field",
                did_you_mean(tree["field"], columns) + " (the column that refers to the parent row)",
            )
        children = tree.get("children")
        if _under_each_root(tree) > MAX_COUNT:
            yield limit_error(
                base + "/children",
                f"a tree of depth {tree['depth']} with these children makes more than {MAX_COUNT:,} rows "
                "under each root",
            )
        elif isinstance(children, dict) and children["min"] > children["max"]:
            yield error(
                "E319",
                f"tree children min {children['min']} is above max {children['max']}",
                base + "/children",
                "write {min: fewest, max: most}",
            )


def _under_each_root(tree: Mapping[str, Any]) -> float:
    """``tree_rows`` of one root, in floats: ``children: 1.5e308`` passes the schema's integer."""
    return float(tree_rows(1, {**tree, "children": _most(tree.get("children", 1))}))


def _most(children: Any) -> float:
    return float(children["max"] if isinstance(children, dict) else children)


def tree_rows(roots: int, tree: Mapping[str, Any]) -> int:
    """The most rows a tree step can create: roots, then up to ``children`` per row a level."""
    children = tree.get("children", 1)
    most = children["max"] if isinstance(children, dict) else children
    total, level = roots, roots
    for _ in range(tree["depth"] - 1):
        level *= most
        total += level
    return total
