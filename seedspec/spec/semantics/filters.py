"""Checks of ``ref`` filters (``where``): a filter reads columns of the target, and some row the
target's steps create can match it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.semantics.common import did_you_mean, error, factory_generators
from seedspec.spec.semantics.generators import every_generator

_UNKNOWN = None  # a step whose rows may hold any value in the column


def check_ref_filters(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """E334 a filter on one named record, E335 a filter on an unknown column, E336 a filter no row
    of the target's steps can match."""
    for ptr, gen in every_generator(factories, steps):
        if not (isinstance(gen, dict) and isinstance(gen.get("ref"), str) and gen.get("where")):
            continue
        target, _, record = gen["ref"].partition(".")
        if target not in factories:
            continue  # E300
        if record:
            yield error(
                "E334",
                f"ref to the named record '{gen['ref']}' cannot have a where filter",
                ptr + "/where",
                f"a named record is one row: drop where, or refer to the pool with ref: {target}",
            )
            continue
        columns = target_columns(target, factories, steps, catalog)
        for column, wanted in gen["where"].items():
            if column not in columns:
                yield error(
                    "E335",
                    f"where filters on '{column}', which is not a column of '{target}'",
                    ptr + pointer("where", column),
                    did_you_mean(column, columns),
                )
                continue
            if isinstance(wanted, str) and templates.is_template(wanted):
                continue  # a value of the row: known at run time (E512)
            possible = possible_values(target, column, factories, steps)
            values = wanted if isinstance(wanted, list) else [wanted]
            if possible is not _UNKNOWN and not {_same(v) for v in values} & {_same(v) for v in possible}:
                shown = ", ".join(repr(v) for v in sorted(possible, key=repr)) or "nothing"
                yield error(
                    "E336",
                    f"no '{target}' row can match where {column} = {wanted!r}: its steps set "
                    f"'{column}' to {shown}",
                    ptr + pointer("where", column),
                    f"create matching '{target}' rows (a step with a state or values setting "
                    f"'{column}'), or change the filter",
                )


def _same(value: Any) -> str:
    """Values as text for comparing what a spec writes: 1 and '1', true and 'true' match."""
    return str(value).lower() if value is not None else "\0null"


def target_columns(
    target: str, factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> set[str]:
    table = catalog.get(factories[target].get("table", "")) if catalog is not None else None
    if table is not None:
        return set(table.column_names)
    columns = {column for column, _, _ in factory_generators(factories[target])}
    for step in _steps_of(target, steps):
        columns.update(step.get("values", {}))
        records = step.get("records", {})
        for record in records.values() if isinstance(records, dict) else records:
            columns.update(c for c in record if c != "states")
    return columns


def _steps_of(target: str, steps: list[Any]) -> Iterator[Mapping[str, Any]]:
    return (s for s in steps if isinstance(s, dict) and s.get("factory") == target)


def possible_values(
    target: str, column: str, factories: Mapping[str, Any], steps: list[Any]
) -> set[Any] | None:
    """Every value the target's rows can hold in ``column``, or None when that cannot be known."""
    factory = factories[target]
    states = factory.get("states", {})

    def generator(state_names: Any, *overrides: Mapping[str, Any]) -> Any:
        gen = factory.get("fields", {}).get(column, _UNKNOWN)
        for state in state_names or ():
            gen = states.get(state, {}).get(column, gen)
        for layer in overrides:
            gen = layer.get(column, gen)
        return gen

    found: set[Any] = set()
    for step in _steps_of(target, steps):
        values = step.get("values", {})
        gens = []
        records = step.get("records", {})
        for record in records.values() if isinstance(records, dict) else records:
            gens.append(generator([*step.get("states", ()), *record.get("states", ())], values, record))
        if "count" in step or "records" not in step:
            gens.append(generator(step.get("states", ()), values))
        for gen in gens:
            possible = _values_of(gen)
            if possible is _UNKNOWN:
                return _UNKNOWN
            found |= possible
    return found


def _values_of(gen: Any) -> set[Any] | None:
    if gen is _UNKNOWN or isinstance(gen, list):
        return _UNKNOWN
    if not isinstance(gen, dict):
        return _UNKNOWN if isinstance(gen, str) and "{" in gen else {gen}
    extra = {None} if gen.get("null_rate") or "null_if" in gen or "null_unless" in gen else set()
    if "value" in gen and not isinstance(gen["value"], (dict, list)):
        return {gen["value"]} | extra
    if "choice" in gen:
        choice = gen["choice"]
        options = [v for v, w in choice.items() if w] if isinstance(choice, dict) else choice
        if all(not isinstance(v, (dict, list)) for v in options):
            return set(options) | extra
    return _UNKNOWN
