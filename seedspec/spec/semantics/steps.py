"""Checks of the seed steps: factories, states, records, pools and dependency cycles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic, Severity
from seedspec.limits import MAX_COUNT
from seedspec.source import pointer
from seedspec.spec.profiles import CountError, render_count
from seedspec.spec.semantics.common import (
    Names,
    did_you_mean,
    error,
    factory_generators,
    step_ids,
    template_dependencies,
)
from seedspec.spec.semantics.cycles import break_cycles
from seedspec.spec.semantics.generators import check_params_read
from seedspec.spec.semantics.trees import tree_rows


def named_records(steps: list[Any]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for step in steps:
        if not isinstance(step, dict):
            continue
        records = step.get("records")
        if isinstance(records, dict):
            found.setdefault(step["factory"], set()).update(records)
    return {k: frozenset(v) for k, v in found.items()}


def check_step(i: int, step: Mapping[str, Any], names: Names) -> Iterator[Diagnostic]:
    base = pointer("seed", i)
    fname = step["factory"]
    factory = names.factories.get(fname)
    if factory is None:
        yield error(
            "E300",
            f"step uses unknown factory '{fname}'",
            base + "/factory",
            did_you_mean(fname, names.factories),
        )
        return
    states = factory.get("states", {})
    for j, state in enumerate(step.get("states", [])):
        if state not in states:
            yield error(
                "E301",
                f"factory '{fname}' has no state '{state}'",
                base + pointer("states", j),
                did_you_mean(state, states),
            )
    yield from _check_count(step.get("count"), base + "/count", names)
    parent = step.get("for_each")
    if parent is not None and parent not in names.factories:
        yield error(
            "E300",
            f"for_each names unknown factory '{parent}'",
            base + "/for_each",
            did_you_mean(parent, names.factories),
        )
    if parent == fname:
        yield error(
            "E316",
            f"a step of '{fname}' cannot run for_each '{fname}' itself",
            base + "/for_each",
            "for trees, use a ref to an earlier step's rows of the same factory",
        )
    if parent is not None and "records" in step:
        yield error(
            "E207",
            "a step cannot have both for_each and records",
            base + "/records",
            "put the fixed records in a step of their own",
        )
    yield from _check_records(step, base, fname, states)


def _check_count(count: Any, ptr: str, names: Names) -> Iterator[Diagnostic]:
    """Count templates render to whole numbers over the declared params; min <= max."""
    if count is None:
        return
    parts = {"min": count["min"], "max": count["max"]} if isinstance(count, dict) else {"": count}
    values: dict[str, int] = {}
    for part, value in parts.items():
        where = ptr + (f"/{part}" if part else "")
        if isinstance(value, str):
            unknown = list(check_params_read(value, where, names.params))
            if unknown:
                yield from unknown
                continue
        try:
            values[part] = render_count(value, dict(names.param_values))
        except CountError as exc:
            yield error(
                "E330",
                str(exc),
                where,
                "a count template must give a whole number, such as "
                "'{{ params.users }}' or '{{ params.users * 3 }}'"
                if isinstance(value, str)
                else f"at most {MAX_COUNT:,} rows a step; see 'Limits' in docs/guarantees.md",
            )
    if len(values) == 2 and values["min"] > values["max"]:
        yield error(
            "E319",
            f"count min {values['min']} is above max {values['max']}",
            ptr,
            "write {min: fewest, max: most}",
        )


def _check_records(
    step: Mapping[str, Any], base: str, fname: str, states: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    records = step.get("records", [])
    items = records.items() if isinstance(records, dict) else enumerate(records)
    for name, record in items:
        for j, state in enumerate(record.get("states", [])):
            if state not in states:
                yield error(
                    "E301",
                    f"factory '{fname}' has no state '{state}'",
                    base + pointer("records", name, "states", j),
                    did_you_mean(state, states),
                )


def check_unseeded_refs(factories: Mapping[str, Any], steps: list[Any]) -> Iterator[Diagnostic]:
    """A ref to a factory no step creates rows of would find an empty pool."""
    seeded: set[str] = {s["factory"] for s in steps if isinstance(s, dict) and "factory" in s}
    for fname in sorted(seeded & set(factories)):
        for _, suffix, gen in factory_generators(factories[fname]):
            if isinstance(gen, dict) and isinstance(gen.get("ref"), str):
                target = gen["ref"].partition(".")[0]
                if target in factories and target not in seeded:
                    yield error(
                        "E315",
                        f"ref to '{target}', but no seed step creates '{target}' rows",
                        pointer("factories", fname) + suffix + "/ref",
                        f"add a step '- factory: {target}'; a ref never creates parent rows",
                    )


def check_step_cycles(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """A cycle between factories is fine when a ref on it can be deferred (see ``cycles``)."""
    yield from break_cycles(factories, steps, catalog).problems


def factory_dependencies(factory: Mapping[str, Any]) -> set[str]:
    """Factories whose rows a factory refers to (through ``ref``), in fields or states."""
    deps: set[str] = set()
    for _, _, gen in factory_generators(factory):
        if isinstance(gen, dict) and isinstance(gen.get("ref"), str):
            deps.add(gen["ref"].partition(".")[0])
        deps |= template_dependencies(gen)  # names of other factories: named records read by templates
    return deps


def most_rows(factories: Mapping[str, Any], steps: list[Any]) -> dict[str, int]:
    """The most rows each factory's steps can create (for_each multiplies by the parent's)."""
    totals: dict[str, int] = {}
    for step in steps:
        if not isinstance(step, dict) or step.get("factory") not in factories:
            continue
        count = step.get("count", 0 if "records" in step else 1)
        per = count["max"] if isinstance(count, dict) else count
        parents = totals.get(step["for_each"], 0) if step.get("for_each") else 1
        rows = len(step.get("records", ())) + per * parents
        if isinstance(step.get("tree"), dict):
            rows = tree_rows(rows, step["tree"])
        totals[step["factory"]] = totals.get(step["factory"], 0) + rows
    return totals


def check_step_ids(steps: list[Any]) -> Iterator[Diagnostic]:
    """Repeated ids: an explicit one is an error; a derived one shifts when a step is inserted."""
    ids = step_ids(steps)
    explicit: dict[str, int] = {}
    for i, (raw, step_id) in enumerate(zip(steps, ids, strict=True)):
        if not isinstance(raw, dict) or not step_id:
            continue
        if "id" in raw:
            if raw["id"] in explicit:
                yield error(
                    "E208",
                    f"step id '{raw['id']}' is already used by step {explicit[raw['id']]}",
                    pointer("seed", i, "id"),
                    "step ids must be unique: they seed the step's rows",
                )
            explicit.setdefault(raw["id"], i)
        elif "#" in step_id:
            yield Diagnostic(
                code="W402",
                severity=Severity.WARNING,
                pointer=pointer("seed", i),
                message=f"this step's rows are seeded by the derived id '{step_id}', which changes if "
                "another step like it is added earlier",
                hint="give the step an id: (e.g. id: suspended_users) so its rows never change",
            )


def check_pools(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """A unique field drawing from a finite pool, or distinct_per from too few targets."""
    totals = most_rows(factories, steps)
    for fname, factory in factories.items():
        table = catalog.get(factory.get("table", "")) if catalog else None
        for column, gen in factory.get("fields", {}).items():
            if not isinstance(gen, dict):
                continue
            schema_unique = table is not None and table.is_unique(column)
            if (
                "choice" in gen
                and gen.get("unique", schema_unique)
                and totals.get(fname, 0) > len(gen["choice"])
            ):
                yield error(
                    "E322",
                    f"'{column}' must be unique but its choice has {len(gen['choice'])} values "
                    f"for up to {totals[fname]} rows",
                    pointer("factories", fname, "fields", column),
                    "add values to the choice, lower the counts, or use a sequence",
                )
            if "ref" in gen and "distinct_per" in gen:
                yield from _check_distinct_pool(fname, column, gen, steps, totals)


def _check_distinct_pool(
    fname: str, column: str, gen: Mapping[str, Any], steps: list[Any], totals: Mapping[str, int]
) -> Iterator[Diagnostic]:
    target = gen["ref"].partition(".")[0]
    available = totals.get(target, 0)
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("factory") != fname or not step.get("for_each"):
            continue
        count = step.get("count", 1)
        per = count["max"] if isinstance(count, dict) else count
        if per > available and target != fname:
            yield error(
                "E323",
                f"each '{step['for_each']}' gets {per} rows with a distinct '{column}', "
                f"but at most {available} '{target}' rows exist",
                pointer("seed", i, "count"),
                f"lower the count to {available}, or create more '{target}' rows",
            )


def check_shared_key_sequences(factories: Mapping[str, Any], steps: list[Any]) -> Iterator[Diagnostic]:
    """A key field numbered by one sequence across several steps shifts when an earlier step grows."""
    for fname, factory in factories.items():
        if not isinstance(factory, dict):
            continue
        fields = factory.get("fields", {})
        for column in factory.get("key", ()):
            gen = fields.get(column)
            if not (isinstance(gen, dict) and "sequence" in gen):
                continue
            users = [
                i
                for i, step in enumerate(steps)
                if isinstance(step, dict)
                and step.get("factory") == fname
                and _draws_factory_field(step, factory, column)
            ]
            if len(users) > 1:
                yield Diagnostic(
                    code="W403",
                    severity=Severity.WARNING,
                    pointer=pointer("factories", fname, "fields", column),
                    message=f"key field '{column}' is numbered by one sequence across steps "
                    f"{', '.join(map(str, users))}: raising the count of one renumbers the rows "
                    "of the steps after it, and re-applying then creates rows under new keys",
                    hint=f"give each step after the first its own numbering, e.g. values: {{{column}: "
                    "{sequence: 'staff{n}'}} or a state that sets it",
                )


def _draws_factory_field(step: Mapping[str, Any], factory: Mapping[str, Any], column: str) -> bool:
    """Whether some row of ``step`` takes ``column`` from the factory's own generator."""
    states = factory.get("states", {})

    def overridden(state_names: Any, values: Any) -> bool:
        if isinstance(values, dict) and column in values:
            return True
        return any(isinstance(states.get(s), dict) and column in states[s] for s in state_names or ())

    if overridden(step.get("states"), step.get("values")):
        return False
    records = step.get("records")
    rows = list(records.values()) if isinstance(records, dict) else list(records or ())
    if any(isinstance(r, dict) and not overridden(r.get("states"), r) for r in rows):
        return True
    return "count" in step or "for_each" in step
