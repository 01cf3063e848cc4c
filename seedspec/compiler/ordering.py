"""What is decided over all the steps of a plan: their order, the columns pools keep, sources."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from seedspec.graph import dependency_order
from seedspec.ir import Aggregate, Ref, Step, templates_in
from seedspec.source import SourceMap


def step_source(source_map: SourceMap, ptr: str, folder: Path) -> str:
    """``file:line`` of a step, the file relative to the spec's folder when it is under it."""
    location = source_map.locate(ptr)
    if location is None:
        return ""
    path = Path(location.file)
    try:
        shown = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return f"{shown}:{location.line}"


def order_steps(steps: list[Step]) -> list[Step]:
    """Spec order, except that a step waits for every step of the factories it depends on."""
    graph = {
        str(i): {str(j) for j, t in enumerate(steps) if t.factory in s.depends_on}
        for i, s in enumerate(steps)
    }
    order, cycles = dependency_order(graph, rank={str(i): i for i in range(len(steps))})
    if cycles:
        raise AssertionError("validation reports factory cycles before compiling")
    return [steps[int(i)] for i in order]


def pool_columns(steps: list[Step]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The columns of each factory's rows that refs read (picked, or filtered on) and templates read
    of a parent or a picked row: its pool keeps them, and only them. An aggregate's factory keeps
    the column and the one its children refer to (to set and compare it)."""
    needed: dict[str, set[str]] = {}
    for step in steps:
        for factory, column in columns_read(step):
            needed.setdefault(factory, set()).add(column)
        for field in step.aggregate_fields:
            assert isinstance(field.generator, Aggregate)
            needed.setdefault(step.factory, set()).update((field.column, field.generator.target))
    _carry(needed)
    return tuple(sorted((k, tuple(sorted(v))) for k, v in needed.items()))


def _carry(needed: dict[str, set[str]]) -> None:
    """A pool that carries a related row's column (``user.email`` in the posts' pool, for
    ``post.user.email``) is filled from that row's pool, which must keep the column too."""
    pending = [(name, column) for name, columns in needed.items() for column in columns if "." in column]
    while pending:
        _, column = pending.pop()
        head, _, rest = column.partition(".")
        if rest not in needed.setdefault(head, set()):
            needed[head].add(rest)
            if "." in rest:
                pending.append((head, rest))


def columns_read(step: Step) -> set[tuple[str, str]]:
    """(factory, column) of the other rows a step's rows read: through refs (the column picked,
    the columns filtered on) and templates (a parent's or a picked row's columns)."""
    read: set[tuple[str, str]] = set()
    if step.for_each and step.parent_where:  # the parents are filtered on them
        read.update((step.for_each, column) for column, _ in step.parent_where)
    for field in (*step.fields, *(f for r in step.records for f in r.fields)):
        for template in templates_in(field.generator):
            for name, _, _, attributes in template.related:
                read.update((name, a) for a in attributes)
        gen = field.generator
        if isinstance(gen, Ref):
            read.add((gen.factory, gen.column))
            read.update((gen.factory, column) for column, _ in gen.where)  # the filter reads them
            read.update((gen.factory, column) for column, _ in gen.where_row)
    return read


def aggregate_waits(steps: list[Step]) -> list[Step]:
    """The steps, each also waiting for the children of every aggregate column it reads: the
    column holds its value once those children exist."""
    over = {
        (s.factory, f.column): f.generator.child
        for s in steps
        for f in s.aggregate_fields
        if isinstance(f.generator, Aggregate)
    }
    if not over:
        return steps
    waited = []
    for step in steps:
        children = {over[read] for read in columns_read(step) if read in over} - {step.factory}
        if children - set(step.depends_on):
            step = dataclasses.replace(step, depends_on=tuple(sorted({*step.depends_on, *children})))
        waited.append(step)
    return waited
