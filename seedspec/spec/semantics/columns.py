"""Checks against the table catalog: tables, columns, relationships and NOT NULL coverage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog, TableInfo
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.language.convert import convert
from seedspec.source import pointer
from seedspec.spec.keys import filled_columns
from seedspec.spec.semantics.common import did_you_mean, error, factory_generators


def relationship_columns(
    factory: Mapping[str, Any], table: TableInfo, catalog: Catalog, factories: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    """Fields that name a relationship rather than a column -> the FK columns they fill."""

    def table_of(name: str) -> TableInfo | None:
        target = factories.get(name)
        return catalog.get(target["table"]) if isinstance(target, dict) else None

    found: dict[str, tuple[str, ...]] = {}
    for column, _, gen in factory_generators(factory):
        if (filled := filled_columns(column, gen, table, table_of)) != (column,):
            found[column] = filled
    return found


def check_columns(
    fname: str, factory: Mapping[str, Any], steps: list[Any], catalog: Catalog, factories: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    base = pointer("factories", fname)
    if factory["table"] == "":
        return  # pruned: the schema reported the table (a blank one too: minLength)
    table = catalog.get(factory["table"])
    if table is None:
        yield error(
            "E310",
            f"factory '{fname}' fills unknown table '{factory['table']}'",
            base + "/table",
            did_you_mean(factory["table"], catalog.tables)
            if catalog.tables
            else "the database has no tables: give the spec tables.models or tables.ddl and apply with "
            "--create, or point --database-url at the database that has them",
        )
        return
    known = set(table.column_names)
    relations = relationship_columns(factory, table, catalog, factories)
    for column, suffix, _ in factory_generators(factory):
        if column not in known and column not in relations:
            yield error(
                "E311",
                f"table '{table.name}' has no column '{column}'",
                base + suffix,
                did_you_mean(column, known),
            )
    for i, column in enumerate(factory.get("key", [])):
        if column not in known:
            yield error(
                "E311",
                f"table '{table.name}' has no column '{column}'",
                base + pointer("key", i),
                did_you_mean(column, known),
            )
    yield from _check_record_columns(fname, steps, table)
    yield from _check_literals(factory, table, base)
    covered = set(factory.get("fields", {})) | {c for cols in relations.values() for c in cols}
    yield from _check_required_columns(fname, covered, table, base, steps)


def _supplied_by_every_step(fname: str, column: str, steps: list[Any]) -> bool:
    """Whether each step of ``fname`` sets ``column`` itself (in values or in every record)."""
    mine = [s for s in steps if isinstance(s, dict) and s.get("factory") == fname]
    for step in mine:
        records = step.get("records", [])
        values = list(records.values()) if isinstance(records, dict) else list(records)
        by_records = bool(values) and "count" not in step and all(column in r for r in values)
        if column not in step.get("values", {}) and not by_records:
            return False
    return bool(mine)


def _literal(gen: Any) -> tuple[bool, Any]:
    """(True, value) when a generator is a literal (not a template, not a generator mapping)."""
    if isinstance(gen, dict):
        return ("value" in gen and len(gen) == 1), gen.get("value")
    if isinstance(gen, str) and templates.is_template(gen):
        return False, None
    return True, gen


def _check_literals(factory: Mapping[str, Any], table: TableInfo, base: str) -> Iterator[Diagnostic]:
    """A literal must fit its column's type (``age: forty`` in an integer column)."""
    for column, suffix, gen in factory_generators(factory):
        info = table.column(column)
        is_literal, value = _literal(gen)
        if info is None or not is_literal or value is None:
            continue
        try:
            convert(value, info.kind)
        except (TypeError, ValueError, ArithmeticError):
            yield error(
                "E327",
                f"{value!r} does not fit column '{table.name}.{column}', which holds {info.kind} values",
                base + suffix,
                f"write a value the column holds ({info.kind}), or use a generator",
            )


def _check_record_columns(fname: str, steps: list[Any], table: TableInfo) -> Iterator[Diagnostic]:
    known = set(table.column_names)
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("factory") != fname:
            continue
        for column in step.get("values", {}):
            if column not in known:
                yield error(
                    "E311",
                    f"table '{table.name}' has no column '{column}'",
                    pointer("seed", i, "values", column),
                    did_you_mean(column, known),
                )
        records = step.get("records", [])
        for name, record in records.items() if isinstance(records, dict) else enumerate(records):
            for column in record:
                if column != "states" and column not in known:
                    yield error(
                        "E311",
                        f"table '{table.name}' has no column '{column}'",
                        pointer("seed", i, "records", name, column),
                        did_you_mean(column, known),
                    )


def _check_required_columns(
    fname: str, covered: set[str], table: TableInfo, base: str, steps: list[Any]
) -> Iterator[Diagnostic]:
    for column in table.columns:
        if column.nullable or column.has_default or column.name in covered:
            continue
        if _supplied_by_every_step(fname, column.name, steps):
            continue
        yield error(
            "E314",
            f"column '{table.name}.{column.name}' is NOT NULL without a default, "
            f"and factory '{fname}' has no field for it",
            base + "/fields",
            f"add a field '{column.name}' to factory '{fname}'",
        )
