"""Checks of aggregates (``total: {aggregate: sum, of: item, each: "{{ quantity * unit_price }}"}``):
the children exist and refer to this factory, what is aggregated is theirs, and nothing reads the
value before the children exist."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.relations import aggregate_links
from seedspec.spec.semantics.common import did_you_mean, error, template_sources


def check_aggregates(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None
) -> Iterator[Diagnostic]:
    """E300 an unknown child factory, E380 a child that does not refer to this factory, E381 one
    that refers to it by several fields, E382 ``each`` missing or not wanted, E383 ``each``
    reading what the child lacks, E384 the value read before its children exist, E385 min or
    max into a NOT NULL column."""
    for fname, column, gen, ptr in _aggregates(factories, steps):
        child = gen["of"]
        if child not in factories:
            yield error(
                "E300", f"aggregate of unknown factory '{child}'", ptr + "/of", did_you_mean(child, factories)
            )
            continue
        child_fields: Mapping[str, Any] = factories[child].get("fields", {})
        yield from _check_link(fname, child, child_fields, gen, ptr)
        yield from _check_each(child, child_fields, gen, ptr, catalog, factories)
        yield from _check_readers(fname, column, child, factories, ptr)
        table = catalog.get(factories[fname].get("table", "")) if catalog is not None else None
        info = table.column(column) if table is not None else None
        if gen["aggregate"] in ("min", "max") and info is not None and not info.nullable:
            yield error(
                "E385",
                f"the {gen['aggregate']} of '{column}' is NULL for a row without '{child}' rows, and "
                f"column '{column}' is NOT NULL",
                ptr + "/aggregate",
                "make the column nullable, or aggregate with sum or count (0 without children)",
            )


def _aggregates(
    factories: Mapping[str, Any], steps: list[Any]
) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(factory, column, aggregate as written, pointer) of every aggregate the spec writes."""
    for fname, factory in factories.items():
        if not isinstance(factory, dict):
            continue
        base = pointer("factories", fname)
        for column, gen in factory.get("fields", {}).items():
            if isinstance(gen, dict) and "aggregate" in gen:
                yield fname, column, gen, base + pointer("fields", column)
        for state, overrides in factory.get("states", {}).items():
            for column, gen in overrides.items():
                if isinstance(gen, dict) and "aggregate" in gen:
                    yield fname, column, gen, base + pointer("states", state, column)
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("factory") not in factories:
            continue
        records = step.get("records", {})
        rows: list[tuple[tuple[Any, ...], Any]] = [(("values",), step.get("values", {}))]
        rows += [
            (("records", k), r)
            for k, r in (records.items() if isinstance(records, dict) else enumerate(records))
        ]
        for where, row in rows:
            for column, gen in row.items():
                if isinstance(gen, dict) and "aggregate" in gen:
                    yield step["factory"], column, gen, pointer("seed", i, *where, column)


def _check_link(
    fname: str, child: str, child_fields: Mapping[str, Any], gen: Mapping[str, Any], ptr: str
) -> Iterator[Diagnostic]:
    links = aggregate_links(child_fields, fname)
    by = gen.get("by")
    if by is not None and by not in links:
        yield error(
            "E380",
            f"the aggregate's 'by' names '{by}', which is not a field of '{child}' referring to '{fname}'",
            ptr + "/by",
            did_you_mean(by, links)
            if links
            else f"give '{child}' a field such as {fname}_id: {{ref: {fname}}}",
        )
    elif by is None and not links:
        yield error(
            "E380",
            f"factory '{child}' has no field referring to '{fname}': an aggregate over it has no children",
            ptr + "/of",
            f"give '{child}' a field such as {fname}_id: {{ref: {fname}}} (for_each: {fname} in its step "
            "makes the children of each row)",
        )
    elif by is None and len(links) > 1:
        yield error(
            "E381",
            f"factory '{child}' refers to '{fname}' by several fields ({', '.join(links)}): which rows are "
            "the children is ambiguous",
            ptr + "/of",
            f"name the field with by: {links[0]}",
        )


def _check_each(
    child: str,
    child_fields: Mapping[str, Any],
    gen: Mapping[str, Any],
    ptr: str,
    catalog: Catalog | None,
    factories: Mapping[str, Any],
) -> Iterator[Diagnostic]:
    function, each = gen["aggregate"], gen.get("each")
    if function == "count" and each is not None:
        yield error("E382", "count counts the children: it takes no 'each'", ptr + "/each", "remove 'each'")
        return
    if function != "count" and each is None:
        yield error(
            "E382",
            f"{function} needs 'each': the value of each '{child}' row to aggregate",
            ptr + "/aggregate",
            'a column of the child (each: quantity) or a template over its columns (each: "{{ a * b }}")',
        )
        return
    if each is None:
        return
    known = set(child_fields)
    table = catalog.get(factories[child].get("table", "")) if catalog is not None else None
    if table is not None:
        known |= set(table.column_names)
    if templates.is_template(each):
        try:
            names = sorted(templates.referenced_names(each))
        except templates.TemplateSyntaxError as exc:
            yield error(
                "E304", f"template syntax error: {exc.message}", ptr + "/each", "templates use Jinja2 syntax"
            )
            return
    else:
        names = [each]
    for name in names:
        if name not in known:
            yield error(
                "E383",
                f"the aggregate's 'each' reads '{name}', which is not a column of '{child}'",
                ptr + "/each",
                did_you_mean(name, known) + f" ('each' reads the columns of one '{child}' row)",
            )


def _check_readers(
    fname: str, column: str, child: str, factories: Mapping[str, Any], ptr: str
) -> Iterator[Diagnostic]:
    """The value exists once the children do: not in the row's own key or templates, nor in the
    children's (which are made before it is known)."""
    factory = factories[fname]
    if column in factory.get("key", []):
        yield error(
            "E384",
            f"aggregate column '{column}' is in the lookup key of '{fname}', but it is known only after "
            "the row's children exist",
            ptr,
            "key the factory on columns the row is made with (a sequence, for instance)",
        )
    for other, gen in factory.get("fields", {}).items():
        if other != column and any(column in _names(s) for _, s in template_sources(gen)):
            yield error(
                "E384",
                f"field '{other}' of '{fname}' reads aggregate column '{column}', which is known only "
                f"after the row's '{child}' rows exist",
                pointer("factories", fname, "fields", other),
                "read it from a later step instead ({{ "
                + f"{fname}.{column}"
                + " }} under for_each or a ref)",
            )
    for other, gen in factories[child].get("fields", {}).items():
        reads = {a for _, s in template_sources(gen) for a in _attributes(s, fname)}
        if isinstance(gen, dict) and gen.get("ref") == fname and gen.get("column") == column:
            reads.add(column)
        if column in reads:
            yield error(
                "E384",
                f"field '{other}' of '{child}' reads '{fname}.{column}', an aggregate of the '{child}' "
                "rows themselves: it is known only after they exist",
                pointer("factories", child, "fields", other),
                f"a child cannot read its parent's aggregate; read it from a step after '{child}'",
            )


def _names(source: str) -> frozenset[str]:
    try:
        return templates.referenced_names(source)
    except templates.TemplateSyntaxError:
        return frozenset()  # reported where the template is checked


def _attributes(source: str, name: str) -> set[str]:
    try:
        return templates.attributes_read(source, name)
    except templates.TemplateSyntaxError:
        return set()
