"""A unique value numbered by ``n`` under ``for_each``: ``n`` restarts at 0 under each parent, so
the second parent's rows repeat the first one's values (apply would stop at E503)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.source import pointer
from seedspec.spec.semantics.common import error, template_dependencies
from seedspec.spec.semantics.steps import most_rows

_N = re.compile(r"\{\{\s*n(?:_in_parent)?\s*\}\}")
_PER_PARENT = frozenset({"n", "n_in_parent"})


def check_per_parent_index(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """A unique field (``unique: true``, a one-column unique constraint or primary key, or the
    whole ``key``) of a ``for_each`` step whose template reads ``n`` and nothing that differs
    between parents, when the parent has more than one row."""
    totals = most_rows(factories, steps)
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or not step.get("for_each") or step.get("count", 1) == 0:
            continue
        parent, factory = step["for_each"], factories.get(str(step.get("factory")))
        if not isinstance(factory, dict) or totals.get(parent, 0) < 2:
            continue
        table = catalog.get(str(factory.get("table", ""))) if catalog is not None else None
        key = factory.get("key")
        for column, (gen, ptr) in _step_fields(factory, step, i).items():
            options = gen if isinstance(gen, dict) else {}
            schema_unique = key == [column] or (table is not None and table.is_unique(column))
            if not options.get("unique", schema_unique):
                continue
            names = template_dependencies(gen)
            # factory names read named records (the same under every parent), but the parent's
            # factory name reads the parent's columns ({{ organization.domain }}), which differ
            if _PER_PARENT & names and not names - _PER_PARENT - {"params"} - (set(factories) - {parent}):
                yield _repeats(column, gen, ptr, parent, totals[parent], factory)


def _repeats(
    column: str, gen: Any, ptr: str, parent: str, parents: int, factory: Mapping[str, Any]
) -> Diagnostic:
    source = str(gen["template"] if isinstance(gen, dict) else gen)
    in_step = _N.sub("{{ n_in_step }}", source)
    sequence = (
        f"n_in_step, which counts every row of the step ({in_step!r})"
        if in_step != source
        else ("n_in_step, which counts every row of the step")
    )
    ref = next(
        (c for c, g in factory.get("fields", {}).items() if isinstance(g, dict) and _refers_to(g, parent)),
        None,
    )
    with_parent = f"read the parent too, such as {{{{ {ref} }}}}" if ref else "read a field of the parent too"
    return error(
        "E351",
        f"'{column}' must be unique, but its template reads only n (the index under the parent), "
        f"which restarts at 0 under each "
        f"'{parent}': each of the {parents} '{parent}' rows would give its rows the same values",
        ptr,
        f"use {sequence}, or {with_parent}",
    )


def _refers_to(gen: Mapping[str, Any], parent: str) -> bool:
    ref = gen.get("ref")
    return isinstance(ref, str) and ref.partition(".")[0] == parent


def _step_fields(factory: Mapping[str, Any], step: Mapping[str, Any], i: int) -> dict[str, tuple[Any, str]]:
    """Each field of the step's rows with where it is written: the factory's fields, then the
    step's states in order, then its values (as the compiler overlays them)."""
    fname = step["factory"]
    found = {
        c: (g, pointer("factories", fname, "fields", c)) for c, g in _mapping(factory.get("fields")).items()
    }
    states = _mapping(factory.get("states"))
    for state in step.get("states") or ():
        for c, g in _mapping(states.get(state)).items():
            found[c] = (g, pointer("factories", fname, "states", state, c))
    for c, g in _mapping(step.get("values")).items():
        found[c] = (g, pointer("seed", i, "values", c))
    return found


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}
