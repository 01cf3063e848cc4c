"""What is decided over all the steps of a plan: their order, the columns pools keep, sources."""

from __future__ import annotations

from pathlib import Path

from seedspec.graph import dependency_order
from seedspec.ir import Ref, Step, templates_in
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
    of a parent or a picked row: its pool keeps them, and only them."""
    needed: dict[str, set[str]] = {}
    for step in steps:
        if step.for_each and step.parent_where:  # the parents are filtered on them
            needed.setdefault(step.for_each, set()).update(c for c, _ in step.parent_where)
        for field in (*step.fields, *(f for r in step.records for f in r.fields)):
            for template in templates_in(field.generator):
                for name, _, _, attributes in template.related:
                    needed.setdefault(name, set()).update(attributes)
            if isinstance(field.generator, Ref):
                kept = needed.setdefault(field.generator.factory, set())
                kept.add(field.generator.column)
                kept.update(column for column, _ in field.generator.where)  # the filter reads them
                kept.update(column for column, _ in field.generator.where_row)
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
