"""Checks of filtered parents: a ``for_each`` step's ``where`` reads columns of the parent
factory, some parent can match it, and no ref stands in for the parent with a filter of its own."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.semantics.common import did_you_mean, error
from seedspec.spec.semantics.filters import possible_values, target_columns


def check_parent_filters(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """E372 a where without for_each, E373 a where on an unknown column or with a template value,
    E336 a where no parent can match, E374 a filtered ref to the for_each factory."""
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("factory") not in factories:
            continue
        parent = step.get("for_each")
        if parent in factories:
            yield from _filtered_parent_refs(i, step, factories)
        if "where" not in step:
            continue
        base = pointer("seed", i, "where")
        if not parent:
            yield error(
                "E372",
                "a step has where but no for_each: where keeps the for_each parents that match",
                base,
                "add for_each: <factory> (children only under the matching parents), or filter a ref: "
                "{ref: <factory>, where: {...}}",
            )
            continue
        if parent not in factories:
            continue  # E300
        columns = target_columns(parent, factories, steps, catalog)
        for column, wanted in step["where"].items():
            ptr = base + pointer(column)
            if column not in columns:
                yield error(
                    "E373",
                    f"where filters the parents on '{column}', which is not a column of '{parent}'",
                    ptr,
                    did_you_mean(column, columns),
                )
                continue
            values = wanted if isinstance(wanted, list) else [wanted]
            if any(isinstance(v, str) and templates.is_template(v) for v in values):
                yield error(
                    "E373",
                    f"where on the parents holds a template ({column}: {wanted!r}): a parent is kept "
                    "or not as a whole, before any row of the step exists",
                    ptr,
                    "write the values the parents must hold: where: {status: paid}, or {status: [a, b]}",
                )
                continue
            possible = possible_values(parent, column, factories, steps)
            if possible is not None and not {_text(v) for v in values} & {_text(v) for v in possible}:
                shown = ", ".join(repr(v) for v in sorted(possible, key=repr)) or "nothing"
                yield error(
                    "E336",
                    f"no '{parent}' row can match where {column} = {wanted!r}: its steps set "
                    f"'{column}' to {shown}",
                    ptr,
                    f"create matching '{parent}' rows, or change the filter",
                )


def _filtered_parent_refs(
    i: int, step: Mapping[str, Any], factories: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    """A row whose only ref to the for_each factory has a where would hold a random matching row
    in place of its own parent: the children would not belong to their parent."""
    parent = step["for_each"]
    fname = step["factory"]
    written = [
        (pointer("factories", fname, "fields", c), g) for c, g in factories[fname].get("fields", {}).items()
    ]
    for state in step.get("states", ()):
        overrides = factories[fname].get("states", {}).get(state, {})
        written += [(pointer("factories", fname, "states", state, c), g) for c, g in overrides.items()]
    written += [(pointer("seed", i, "values", c), g) for c, g in step.get("values", {}).items()]
    if any(isinstance(g, dict) and g.get("ref") == parent and not g.get("where") for _, g in written):
        return  # the row holds its parent; a filtered ref picks another row on purpose
    for ptr, gen in written:
        if isinstance(gen, dict) and gen.get("ref") == parent and gen.get("where") and "column" not in gen:
            yield error(
                "E374",
                f"ref to '{parent}' with where, in a step for_each '{parent}': it would pick a random "
                f"matching '{parent}' instead of the row's own parent",
                ptr + "/where",
                f"filter the parents on the step instead: for_each: {parent} with where: "
                f"{dict(gen['where'])!r}, and write the field as {{ref: {parent}}}",
            )


def _text(value: Any) -> str:
    return str(value).lower() if value is not None else "\0null"
