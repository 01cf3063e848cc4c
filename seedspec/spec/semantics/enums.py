"""Values for enum columns (a PostgreSQL enum, a MySQL ENUM) must be labels of the type: the
database refuses any other at apply, or MySQL outside strict mode stores an empty string."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog, TableInfo
from seedspec.errors import Diagnostic
from seedspec.source import pointer
from seedspec.spec.semantics.columns import literal_of
from seedspec.spec.semantics.common import error, factory_generators


def check_enum_values(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog
) -> Iterator[Diagnostic]:
    """Literals and ``choice`` values of fields, states, step values and records that are not
    labels of their enum column."""
    for fname, factory in factories.items():
        table = catalog.get(str(factory.get("table", ""))) if isinstance(factory, dict) else None
        if table is None or not any(c.labels for c in table.columns):
            continue
        for column, suffix, gen in factory_generators(factory):
            yield from _check(table, column, gen, pointer("factories", fname) + suffix)
        for i, step in enumerate(steps):
            if isinstance(step, dict) and step.get("factory") == fname:
                yield from _check_step(table, step, pointer("seed", i))


def _check_step(table: TableInfo, step: Mapping[str, Any], base: str) -> Iterator[Diagnostic]:
    for column, gen in (step.get("values") or {}).items():
        yield from _check(table, column, gen, base + pointer("values", column))
    records = step.get("records") or []
    for name, record in records.items() if isinstance(records, dict) else enumerate(records):
        if isinstance(record, dict):
            for column, gen in record.items():
                yield from _check(table, column, gen, base + pointer("records", name, column))


def _check(table: TableInfo, column: str, gen: Any, ptr: str) -> Iterator[Diagnostic]:
    info = table.column(column)
    if info is None or not info.labels:
        return
    for value, where in _values(gen, ptr):
        if value is not None and str(value) not in info.labels:
            yield error(
                "E350",
                f"{value!r} is not a label of the enum column '{table.name}.{column}'",
                where,
                f"the column holds only {', '.join(info.labels)}",
            )


def _values(gen: Any, ptr: str) -> Iterator[tuple[Any, str]]:
    """The values a generator can give that are written in the spec: a literal, or a choice's."""
    is_literal, value = literal_of(gen)
    if is_literal:
        yield value, ptr + ("/value" if isinstance(gen, dict) else "")
    elif isinstance(gen, dict) and isinstance(gen.get("choice"), list | dict):
        choice = gen["choice"]
        for i, option in enumerate(choice):
            yield (
                option,
                ptr + (pointer("choice", i) if isinstance(choice, list) else pointer("choice", option)),
            )
