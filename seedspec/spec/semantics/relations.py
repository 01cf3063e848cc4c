"""Checks of what a row reads of related rows: ``{{ customer.created_at }}`` names a row the row
has (its ``for_each`` parent or the row a ref field picked) and a column of that row's table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.relations import Links, row_links
from seedspec.spec.semantics.common import did_you_mean, error, template_sources
from seedspec.spec.semantics.steps import named_records

_Row = dict[str, tuple[Any, str]]  # column -> (generator as written, its pointer)


def check_relations(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """E360 a related row's column that its table lacks, E361 a factory name the row has no row of
    (or two fields pick rows of)."""
    records = named_records(steps)
    seen: set[tuple[str, str, str]] = set()
    for row, for_each, tree in _rows(factories, steps):
        links = row_links({c: g for c, (g, _) in row.items()}, for_each, tree)
        for gen, ptr in row.values():
            for found in _check_field(gen, ptr, links, factories, records, catalog):
                if (found.code, found.pointer, found.message) not in seen:
                    seen.add((found.code, found.pointer, found.message))
                    yield found


def _rows(factories: Mapping[str, Any], steps: list[Any]) -> Iterator[tuple[_Row, str | None, str | None]]:
    """Every row shape the spec writes: each step's (with its states and values, and each of its
    records), and the fields of each factory no step uses (the rows of test factories); with
    the for_each factory and, for a tree step, the factory (its rows read their tree parent)."""
    used = {s.get("factory") for s in steps if isinstance(s, dict)}
    for fname, factory in factories.items():
        if fname in used or not isinstance(factory, dict):
            continue
        base = pointer("factories", fname, "fields")
        yield {c: (g, base + pointer(c)) for c, g in factory.get("fields", {}).items()}, None, None
    for i, step in enumerate(steps):
        factory = factories.get(str(step.get("factory"))) if isinstance(step, dict) else None
        if not isinstance(factory, dict):
            continue
        fbase = pointer("factories", step["factory"])
        row: _Row = {c: (g, fbase + pointer("fields", c)) for c, g in factory.get("fields", {}).items()}
        for state in step.get("states", ()):
            for c, g in factory.get("states", {}).get(state, {}).items():
                row[c] = (g, fbase + pointer("states", state, c))
        for c, g in step.get("values", {}).items():
            row[c] = (g, pointer("seed", i, "values", c))
        if "count" in step or "records" not in step:
            yield row, step.get("for_each"), step["factory"] if "tree" in step else None
        records = step.get("records", {})
        for name, record in records.items() if isinstance(records, dict) else enumerate(records):
            written = {c: (g, pointer("seed", i, "records", name, c)) for c, g in record.items()}
            yield {**row, **{c: v for c, v in written.items() if c != "states"}}, None, None


def _check_field(
    gen: Any,
    ptr: str,
    links: Links,
    factories: Mapping[str, Any],
    records: Mapping[str, frozenset[str]],
    catalog: Catalog | None,
) -> Iterator[Diagnostic]:
    if isinstance(gen, dict) and isinstance(gen.get("ref"), str) and "column" in gen:
        if gen["ref"] in links.ambiguous and not gen.get("where") and "distinct_per" not in gen:
            yield _ambiguous(gen["ref"], links, ptr + "/column")
        return
    for suffix, source in template_sources(gen):
        yield from _check_template(source, ptr + suffix, links, factories, records, catalog)


def _check_template(
    source: str,
    ptr: str,
    links: Links,
    factories: Mapping[str, Any],
    records: Mapping[str, frozenset[str]],
    catalog: Catalog | None,
) -> Iterator[Diagnostic]:
    try:
        free = templates.referenced_names(source)
    except templates.TemplateSyntaxError:
        return  # E304
    for name in sorted(free & set(factories)):
        read = templates.attributes_read(source, name) - templates.record_reads(source, name)
        read -= records.get(name, frozenset())
        if not read:
            continue  # reads named records only (factory.record.column)
        if name in links.ambiguous:
            yield _ambiguous(name, links, ptr)
        elif name not in links.via:
            yield error(
                "E361",
                f"template reads {name}.{sorted(read)[0]}, but this row has no '{name}' row: it is not "
                f"the row's for_each parent and no field picks a '{name}' row",
                ptr,
                f"add a field such as {name}_id: {{ref: {name}}} (or run the step for_each: {name}); "
                "a row reads its parent's columns and those of the rows its refs pick",
            )
        else:
            yield from _check_columns(name, read, ptr, factories, catalog)


def _check_columns(
    name: str, read: set[str], ptr: str, factories: Mapping[str, Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    table = catalog.get(str(factories[name].get("table", ""))) if catalog is not None else None
    if table is None:
        return  # the tables are unknown (or E310)
    for attribute in sorted(read - set(table.column_names)):
        yield error(
            "E360",
            f"template reads {name}.{attribute}, but table '{table.name}' has no column '{attribute}'",
            ptr,
            did_you_mean(attribute, table.column_names),
        )


def _ambiguous(name: str, links: Links, ptr: str) -> Diagnostic:
    fields = links.ambiguous[name]
    return error(
        "E361",
        f"reads a '{name}' row, but {len(fields)} fields of this row pick one ({', '.join(fields)}): "
        "which is meant cannot be told",
        ptr,
        f"keep one field that picks a '{name}' row, or read {fields[0]}'s id ({{{{ {fields[0]} }}}}); "
        "a ref with a where filter picks on its own",
    )
