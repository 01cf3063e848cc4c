"""What is decided over all the steps of a plan: their order, the columns pools keep, sources."""

from __future__ import annotations

from pathlib import Path

from seedspec.ir import Ref, Step
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
    ordered: list[Step] = []
    remaining = list(steps)
    while remaining:
        pending = {s.factory for s in remaining}
        ready = next((s for s in remaining if not pending.intersection(s.depends_on)), None)
        if ready is None:
            raise AssertionError("validation reports factory cycles before compiling")
        ordered.append(ready)
        remaining.remove(ready)
    return ordered


def pool_columns(steps: list[Step]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The columns of each factory's rows that refs read (picked, or filtered on): its pool keeps them."""
    needed: dict[str, set[str]] = {}
    for step in steps:
        for field in (*step.fields, *(f for r in step.records for f in r.fields)):
            if isinstance(field.generator, Ref):
                kept = needed.setdefault(field.generator.factory, set())
                kept.add(field.generator.column)
                kept.update(column for column, _ in field.generator.where)  # the filter reads them
    return tuple(sorted((k, tuple(sorted(v))) for k, v in needed.items()))
