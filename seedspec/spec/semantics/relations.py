"""Checks of what a row reads of related rows: ``{{ customer.created_at }}`` names a row the row
has (its ``for_each`` parent or the row a ref field picked) and a column of that row's table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.relations import TREE, Links, resolve_path, row_links
from seedspec.spec.semantics.common import did_you_mean, error, template_sources
from seedspec.spec.semantics.cycles import break_cycles
from seedspec.spec.semantics.steps import named_records

_Row = dict[str, tuple[Any, str]]  # column -> (generator as written, its pointer)


def check_relations(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """E360 a related row's column that its table lacks, E361 a factory name the row has no row of
    (or two fields pick rows of), E377 a related row read through a ref deferred to break a cycle."""
    records = named_records(steps)
    hops = factory_hops(factories, steps)
    late = break_cycles(factories, steps, catalog).deferred
    seen: set[tuple[str, str, str]] = set()
    for fname, row, for_each, tree in _rows(factories, steps):
        links = row_links({c: g for c, (g, _) in row.items()}, for_each, tree)
        names = _Names(factories, records, hops, catalog, fname, late)
        for gen, ptr in row.values():
            for found in _check_field(gen, ptr, links, names):
                if (found.code, found.pointer, found.message) not in seen:
                    seen.add((found.code, found.pointer, found.message))
                    yield found


def factory_hops(factories: Mapping[str, Any], steps: list[Any]) -> dict[str, frozenset[str]]:
    """Per factory, the factories every one of its rows has a row of (its steps' for_each parent,
    a factory one field picks): what a template may read through it (``post.user.email``)."""
    shapes: dict[str, list[frozenset[str]]] = {}
    for fname, row, for_each, tree in _rows(factories, steps):
        links = row_links({c: g for c, (g, _) in row.items()}, for_each, tree)
        shapes.setdefault(fname, []).append(frozenset(n for n, v in links.via.items() if v != TREE))
    return {f: frozenset.intersection(*every) for f, every in shapes.items()}


@dataclass(frozen=True, slots=True)
class _Names:
    factories: Mapping[str, Any]
    records: Mapping[str, frozenset[str]]
    hops: Mapping[str, frozenset[str]]
    catalog: Catalog | None
    factory: str = ""
    late: frozenset[tuple[str, str]] = frozenset()  # (factory, field): refs deferred to break a cycle

    def deferred_link(self, factory: str, target: str) -> str | None:
        """The field of ``factory`` that picks its ``target`` row, when that ref is deferred: the
        row holds a placeholder, not a ``target`` row, while the run writes it."""
        fields = self.factories.get(factory, {}).get("fields", {})
        for field_name, gen in fields.items() if isinstance(fields, dict) else ():
            if (factory, field_name) in self.late and isinstance(gen, dict) and gen.get("ref") == target:
                return str(field_name)
        return None


def _rows(
    factories: Mapping[str, Any], steps: list[Any]
) -> Iterator[tuple[str, _Row, str | None, str | None]]:
    """Every row shape the spec writes: each step's (with its states and values, and each of its
    records), and the fields of each factory no step uses (the rows of test factories); with
    the for_each factory and, for a tree step, the factory (its rows read their tree parent)."""
    used = {s.get("factory") for s in steps if isinstance(s, dict)}
    for fname, factory in factories.items():
        if fname in used or not isinstance(factory, dict):
            continue
        base = pointer("factories", fname, "fields")
        yield fname, {c: (g, base + pointer(c)) for c, g in factory.get("fields", {}).items()}, None, None
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
            yield step["factory"], row, step.get("for_each"), step["factory"] if "tree" in step else None
        records = step.get("records", {})
        for name, record in records.items() if isinstance(records, dict) else enumerate(records):
            written = {c: (g, pointer("seed", i, "records", name, c)) for c, g in record.items()}
            yield step["factory"], {**row, **{c: v for c, v in written.items() if c != "states"}}, None, None


def _check_field(gen: Any, ptr: str, links: Links, names: _Names) -> Iterator[Diagnostic]:
    if isinstance(gen, dict) and isinstance(gen.get("ref"), str) and "column" in gen:
        if gen["ref"] in links.ambiguous and not gen.get("where") and "distinct_per" not in gen:
            yield _ambiguous(gen["ref"], links, ptr + "/column")
        elif (names.factory, links.via.get(gen["ref"], "")) in names.late:
            yield _deferred(f"{gen['ref']}.{gen['column']}", names.factory, links.via[gen["ref"]], ptr)
        return
    for suffix, source in template_sources(gen):
        yield from _check_template(source, ptr + suffix, links, names)


def _check_template(source: str, ptr: str, links: Links, names: _Names) -> Iterator[Diagnostic]:
    try:
        free = templates.referenced_names(source)
    except templates.TemplateSyntaxError:
        return  # E304
    for name in sorted(free & set(names.factories)):
        records = names.records.get(name, frozenset())
        paths = {p for p in templates.paths_read(source, name) if resolve_path(p, name, names.hops, records)}
        if not paths:
            continue  # reads named records only (factory.record.column)
        if name in links.ambiguous:
            yield _ambiguous(name, links, ptr)
        elif name not in links.via:
            first = ".".join(sorted(paths)[0])
            yield error(
                "E361",
                f"template reads {name}.{first}, but this row has no '{name}' row: it is not "
                f"the row's for_each parent and no field picks a '{name}' row",
                ptr,
                f"add a field such as {name}_id: {{ref: {name}}} (or run the step for_each: {name}); "
                "a row reads its parent's columns and those of the rows its refs pick",
            )
        elif (names.factory, links.via[name]) in names.late:
            shown = ".".join((name, *sorted(paths)[0]))
            yield _deferred(shown, names.factory, links.via[name], ptr)
        else:
            for path in sorted(paths):
                yield from _check_path(name, path, ptr, names)


def _check_path(name: str, path: tuple[str, ...], ptr: str, names: _Names) -> Iterator[Diagnostic]:
    """E360 a column the table lacks at the end of ``name.<path>``, E375 a grandparent that not
    every row of the related factory has."""
    resolved = resolve_path(path, name, names.hops, names.records.get(name, frozenset()))
    assert resolved is not None
    *through, column = resolved.split(".")
    for at, (holder, target) in enumerate(zip((name, *through), through, strict=False)):
        if (field_name := names.deferred_link(holder, target)) is not None:
            yield _deferred(".".join((name, *path[: at + 2])), holder, field_name, ptr)
            return
    owner = through[-1] if through else name
    table = _table(owner, names)
    columns = set(table.column_names) if table is not None else set()
    step = len(through)
    if len(path) > step + 1 and path[step] in names.factories and path[step] not in columns:
        shown = ".".join((name, *path[: step + 2]))
        yield error(
            "E375",
            f"template reads {shown}, but not every '{owner}' row has a '{path[step]}' row",
            ptr,
            f"a row reads the rows related to every row of its parent or picked row: the steps of "
            f"'{owner}' must all run for_each {path[step]}, or its fields pick a '{path[step]}' row "
            f"with exactly one ref field ({path[step]}_id: {{ref: {path[step]}}})",
        )
    elif table is not None and column not in columns:
        shown = ".".join((name, *path[: step + 1]))
        yield error(
            "E360",
            f"template reads {shown}, but table '{table.name}' has no column '{column}'",
            ptr,
            did_you_mean(column, table.column_names),
        )


def _table(factory: str, names: _Names) -> Any:
    if names.catalog is None:
        return None  # the tables are unknown
    return names.catalog.get(str(names.factories[factory].get("table", "")))  # None: E310


def _deferred(shown: str, factory: str, field_name: str, ptr: str) -> Diagnostic:
    return error(
        "E377",
        f"reads {shown} through '{factory}.{field_name}', a ref deferred to break a foreign-key cycle: "
        "its rows are written (and kept for later steps) before that field names a row, so there is "
        "nothing to read",
        ptr,
        "break the cycle at another ref (deferred: true on a ref that no value reads through), "
        "or read the column from a row this row picks itself",
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
