"""``uuid`` fields against the tables: the id goes into a UUID or text column (36 characters
or more), and a v7's ``time`` is a date or datetime column, so a mistyped id is refused at
validate rather than at apply."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog, TableInfo
from seedspec.errors import Diagnostic
from seedspec.source import pointer
from seedspec.spec.semantics.common import error, factory_generators

_ID_KINDS = ("uuid", "str")
_TIME_KINDS = ("date", "datetime")
_KIND_NAMES = {"str": "text", "int": "integer"}


def check_uuid_columns(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog
) -> Iterator[Diagnostic]:
    for fname, factory in factories.items():
        table = catalog.get(str(factory.get("table", ""))) if isinstance(factory, dict) else None
        if table is None:
            continue
        written = [
            (c, pointer("factories", fname) + suffix, g) for c, suffix, g in factory_generators(factory)
        ]
        for i, step in enumerate(steps):
            if isinstance(step, dict) and step.get("factory") == fname:
                values = step.get("values")
                for c, g in values.items() if isinstance(values, dict) else ():
                    written.append((c, pointer("seed", i, "values", c), g))
        for column, ptr, gen in written:
            if isinstance(gen, dict) and isinstance(gen.get("uuid"), str):
                yield from _check(table, column, ptr, gen)


def _check(table: TableInfo, column: str, ptr: str, gen: Mapping[str, Any]) -> Iterator[Diagnostic]:
    info = table.column(column)
    if info is not None and (info.kind not in _ID_KINDS or (info.length or 36) < 36):
        held = f"text({info.length})" if info.kind == "str" else info.kind
        yield error(
            "E394",
            f"a uuid goes into column '{column}' of '{table.name}', which holds {held} values",
            ptr,
            "give the column a UUID type (PostgreSQL uuid, MariaDB uuid) or text of 36 characters "
            "or more (CHAR(36), SQLite TEXT)",
        )
    time = gen.get("time")
    moment = table.column(time) if isinstance(time, str) else None
    if moment is not None and moment.kind not in _TIME_KINDS:
        yield error(
            "E391",
            f"uuid time '{time}' is a {_KIND_NAMES.get(moment.kind, moment.kind)} column of "
            f"'{table.name}', not a date or datetime",
            ptr + "/time",
            "name the row's creation date or datetime (created_at), whose value becomes the id's time part",
        )
