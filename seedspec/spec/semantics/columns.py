"""Checks against the table catalog: tables, columns, relationships and NOT NULL coverage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec import suggest
from seedspec.catalog import Catalog, TableInfo
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.language.convert import convert
from seedspec.source import pointer
from seedspec.spec.keys import filled_columns, lookup_key, step_columns
from seedspec.spec.semantics.common import did_you_mean, error, factory_generators
from seedspec.spec.semantics.generators import faker_key_warning


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


def misspelt_columns(
    factory: Mapping[str, Any], table: TableInfo, relations: Mapping[str, tuple[str, ...]]
) -> dict[str, str]:
    """The factory's fields that are no column of ``table`` but spelled like one -> that column
    (``titel`` -> ``title``): one mistake, whose one error is E311 with that suggestion."""
    known = set(table.column_names)
    unknown = (name for name in factory.get("fields", {}) if name not in known and name not in relations)
    return {name: column for name in unknown if (column := suggest.closest(name, known)) is not None}


def misspelt_per_factory(factories: Mapping[str, Any], catalog: Catalog) -> dict[str, frozenset[str]]:
    """Per factory whose table is known, the columns its misspelt fields stand for."""
    found: dict[str, frozenset[str]] = {}
    for fname, factory in factories.items():
        table = catalog.get(str(factory.get("table", ""))) if isinstance(factory, dict) else None
        if table is not None:
            relations = relationship_columns(factory, table, catalog, factories)
            found[fname] = frozenset(misspelt_columns(factory, table, relations).values())
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
    covered |= set(misspelt_columns(factory, table, relations).values())  # E311 says it already
    yield from _check_required_columns(fname, covered, table, base, steps, catalog.dialect)
    yield from _check_inferred_faker_key(fname, factory, steps, table, catalog, factories)
    yield from _check_json_keys(fname, factory, steps, table, catalog, factories)


def _check_inferred_faker_key(
    fname: str,
    factory: Mapping[str, Any],
    steps: list[Any],
    table: TableInfo,
    catalog: Catalog,
    factories: Mapping[str, Any],
) -> Iterator[Diagnostic]:
    """W401 for a key compile infers (no ``key:``) from a unique constraint or the primary key
    whose columns all come from Faker: the same risk as an explicit one. Each step's key is the
    one compile picks for it (``keys``)."""
    if factory.get("key"):
        return  # the explicit key is checked without the tables
    fields: Mapping[str, Any] = factory.get("fields", {})

    def table_of(name: str) -> TableInfo | None:
        target = factories.get(name)
        return catalog.get(target.get("table", "")) if isinstance(target, dict) else None

    generated = [  # records' keys are the records' own values
        s
        for s in steps
        if isinstance(s, dict) and s.get("factory") == fname and ("count" in s or not s.get("records"))
    ]
    seen: set[tuple[str, ...]] = set()
    for step in generated:
        key = lookup_key(None, table, step_columns(factory, step, table, table_of))
        values = step.get("values")
        if key in seen or key not in (*table.unique, table.primary_key):
            continue  # a key of all the columns a step fills changes with any of them anyway
        seen.add(key)
        constraint = "primary key" if key == table.primary_key else "unique constraint"
        how = f"inferred from the {constraint} on ({', '.join(key)})"
        given: Mapping[str, Any] = values if isinstance(values, dict) else {}
        gens = [given.get(column, fields.get(column)) for column in key]
        warning = faker_key_warning(fname, gens, pointer("factories", fname, "fields", key[0]), how)
        if warning is not None:
            yield warning


def _check_json_keys(
    fname: str,
    factory: Mapping[str, Any],
    steps: list[Any],
    table: TableInfo,
    catalog: Catalog,
    factories: Mapping[str, Any],
) -> Iterator[Diagnostic]:
    """E378 a JSON column in a step's lookup key, listed in ``key:`` or inferred (a table with no
    unique constraint the step covers is looked up by every column it fills): a JSON value has no
    equality that the three databases share (PostgreSQL's ``json`` has none), so a row could not
    be found again, and re-apply would not be a no-op."""

    def table_of(name: str) -> TableInfo | None:
        target = factories.get(name)
        return catalog.get(target.get("table", "")) if isinstance(target, dict) else None

    explicit = [str(c) for c in factory.get("key") or []]
    base = pointer("factories", fname)
    reported: set[str] = set()
    for step in (s for s in steps if isinstance(s, dict) and s.get("factory") == fname):
        key = lookup_key(explicit, table, step_columns(factory, step, table, table_of))
        for column in key:
            info = table.column(column)
            if info is None or info.kind != "json" or column in reported:
                continue
            reported.add(column)
            if column in explicit:
                at, why = base + pointer("key", explicit.index(column)), "the factory's key lists it"
            else:
                at = base + (pointer("fields", column) if column in factory.get("fields", {}) else "/table")
                shown = ", ".join(c for c in table.column_names if c in key)
                why = (
                    f"the key is inferred as every column the step fills ({shown}): table "
                    f"'{table.name}' has no unique constraint they cover"
                )
            yield error(
                "E378",
                f"the JSON (or array) column '{table.name}.{column}' is in the key that finds the rows "
                f"again: {why}; such a value has no equality every database shares, so the row could "
                "not be found again",
                at,
                "give the factory a key: of other columns that tell its rows apart (key: [code]), "
                "adding such a column (a sequence) if the table has none",
            )


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


def literal_of(gen: Any) -> tuple[bool, Any]:
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
        is_literal, value = literal_of(gen)
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
    fname: str, covered: set[str], table: TableInfo, base: str, steps: list[Any], dialect: str | None
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
            _unfilled_key_hint(table, column.name, dialect)
            if table.primary_key == (column.name,) and column.kind == "int"
            else f"add a field '{column.name}' to factory '{fname}'",
        )


# how each database is told to fill an integer primary key itself
_FILLED_KEY = {
    "postgresql": "'{c} SERIAL PRIMARY KEY' (or '{c} INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')",
    "mysql": "'{c} INTEGER AUTO_INCREMENT PRIMARY KEY'",
    "mariadb": "'{c} INTEGER AUTO_INCREMENT PRIMARY KEY'",
    "sqlite": "'{c} INTEGER PRIMARY KEY' (exactly INTEGER, not INT)",
}


def _unfilled_key_hint(table: TableInfo, column: str, dialect: str | None) -> str:
    """E314 on an integer primary key: the table was declared so that the database does not
    number its rows, which is the table's definition to fix, not the factory."""
    says = _FILLED_KEY.get(dialect or "")
    if says is None:
        says = "; ".join(f"{name}: {form}" for name, form in _FILLED_KEY.items() if name != "mariadb")
    return (
        f"the database does not number '{table.name}' rows itself: declare the key as "
        f"{says.format(c=column)}; a DDL file written for another database is translated for "
        "this one when 'tables.dialect' names it"
    )
