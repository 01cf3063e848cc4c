"""Cycles of refs between factories, and where to break them. Pure.

A ref on the cycle is *deferred*: its step inserts NULL (or, where the foreign key check can wait
until commit, a placeholder) and the column is set by an UPDATE once the referenced rows exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.catalog import Catalog, ForeignKeyInfo, TableInfo, relationship_key
from seedspec.errors import Diagnostic
from seedspec.spec.keys import lookup_key, step_columns
from seedspec.spec.semantics.common import error, factory_generators, find_cycle, template_dependencies

PLACEHOLDERS: Mapping[str, Any] = {
    "int": 0,
    "str": "",
}  # by column kind: what a NOT NULL column holds meanwhile


@dataclass(frozen=True, slots=True)
class RefEdge:
    """A ref of ``factory``'s field ``field`` (a column or a relationship) to ``target``.

    ``mode`` says how it can be deferred: ``null``, ``placeholder``, or ``""`` when it cannot
    (``why`` then says so); ``columns`` are the foreign key columns it fills.
    """

    factory: str
    field: str
    target: str
    pointer: str
    columns: tuple[str, ...]
    mode: str
    why: str
    forced: bool = False

    @property
    def name(self) -> str:
        return f"{self.factory}.{self.field}"


@dataclass(frozen=True, slots=True)
class CycleBreaks:
    """The deferred refs, as (factory, field) pairs; what each deferred NOT NULL column holds
    until its update, by (factory, column); and the cycles that cannot be broken."""

    deferred: frozenset[tuple[str, str]] = frozenset()
    placeholders: Mapping[tuple[str, str], Any] | None = None
    problems: tuple[Diagnostic, ...] = ()

    def placeholder(self, factory: str, column: str) -> Any:
        """What the deferred ``column`` of ``factory`` holds until it is set (None: NULL)."""
        return (self.placeholders or {}).get((factory, column))


def break_cycles(factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None) -> CycleBreaks:
    """Defer refs until no cycle is left: ``deferred: true`` refs first, then per cycle the cheapest
    breakable link (see ``_cost``).

    Without a catalog nothing is known about the columns, so any ref may be deferred.
    """
    edges = [e for e in _ref_edges(factories, steps, catalog) if e.target in factories]
    hard = _hard_links(factories, steps)
    problems = [_cannot_defer(e) for e in edges if e.forced and not e.mode]
    deferred = {e for e in edges if e.forced and e.mode}
    first: dict[str, int] = {}  # each factory's first step: a ref to a later one is the one to defer
    for i, step in enumerate(steps):
        if isinstance(step, dict) and isinstance(step.get("factory"), str):
            first.setdefault(step["factory"], i)
    while True:
        graph: dict[str, set[str]] = {name: set() for name in factories}
        for a, b in hard:
            graph[a].add(b)
        for e in edges:
            if e not in deferred:
                graph[e.factory].add(e.target)
        for name in graph:
            graph[name].discard(name)  # a ref to the factory's own rows builds a tree
        cycle = find_cycle(graph)
        if not cycle:
            break
        links = list(zip(cycle, (*cycle[1:], cycle[0]), strict=True))
        options: list[list[RefEdge]] = [
            group
            for a, b in links
            if (a, b) not in hard
            and (group := [e for e in edges if (e.factory, e.target) == (a, b) and e not in deferred])
            and all(e.mode for e in group)
        ]
        if not options:
            problems.append(_unbreakable(cycle, links, edges, hard, catalog))
            break
        cheapest = min(options, key=lambda group: _cost(group, first))
        deferred.update(cheapest)
    return CycleBreaks(
        deferred=frozenset((e.factory, e.field) for e in deferred),
        placeholders=_placeholders(deferred, factories, catalog),
        problems=tuple(problems),
    )


def _cost(group: list[RefEdge], first: Mapping[str, int]) -> tuple[bool, int, bool, tuple[str, ...]]:
    """NULL before placeholders, then the fewest refs, then a ref to a factory seeded later in
    the spec (so the steps keep their written order), then by name."""
    e = group[0]
    backward = first.get(e.factory, len(first)) > first.get(e.target, len(first))
    return (
        any(e.mode == "placeholder" for e in group),
        len(group),
        backward,
        tuple(sorted(e.name for e in group)),
    )


def _ref_edges(factories: Mapping[str, Any], steps: list[Any], catalog: Catalog | None) -> Iterator[RefEdge]:
    for fname, factory in factories.items():
        if not isinstance(factory, dict):
            continue
        table = catalog.get(factory.get("table", "")) if catalog else None
        in_key = _key_columns(fname, factory, steps, table, factories, catalog)
        seen: set[str] = set()
        for field, suffix, gen in factory_generators(factory):
            if not (isinstance(gen, dict) and isinstance(gen.get("ref"), str)):
                continue
            target = gen["ref"].partition(".")[0]
            if target == fname or field in seen:  # a state's ref to the same field: one link
                continue
            seen.add(field)
            ptr = f"/factories/{fname}{suffix}"
            columns, fk = _columns(field, target, table, factories, catalog)
            mode, why = _mode(fname, in_key, columns, fk, table, catalog)
            yield RefEdge(fname, field, target, ptr, columns, mode, why, bool(gen.get("deferred")))


def _columns(
    field: str,
    target: str,
    table: TableInfo | None,
    factories: Mapping[str, Any],
    catalog: Catalog | None,
) -> tuple[tuple[str, ...], ForeignKeyInfo | None]:
    """The columns a ref field fills and their foreign key (a column, or a relationship's)."""
    if table is None or catalog is None:
        return (field,), None
    if table.column(field) is not None:
        return (field,), table.foreign_key_of(field)
    target_table = _table_of(factories, catalog)(target)
    fk = relationship_key(field, target_table.name, table) if target_table else None
    return (fk.columns if fk else (field,)), fk


def _table_of(factories: Mapping[str, Any], catalog: Catalog) -> Callable[[str], TableInfo | None]:
    def table_of(name: str) -> TableInfo | None:
        factory = factories.get(name)
        return catalog.get(str(factory.get("table", ""))) if isinstance(factory, dict) else None

    return table_of


def _key_columns(
    fname: str,
    factory: Mapping[str, Any],
    steps: list[Any],
    table: TableInfo | None,
    factories: Mapping[str, Any],
    catalog: Catalog | None,
) -> frozenset[str]:
    """Every column of a lookup key compile picks for one of ``fname``'s steps (the factory's
    fields alone where no step seeds it): a deferred column there would be NULL in the key."""
    if table is None or catalog is None:
        return frozenset()
    table_of = _table_of(factories, catalog)
    mine = [s for s in steps if isinstance(s, dict) and s.get("factory") == fname] or [{}]
    return frozenset(
        column
        for step in mine
        for column in lookup_key(factory.get("key"), table, step_columns(factory, step, table, table_of))
    )


def _mode(
    fname: str,
    in_key: frozenset[str],
    columns: tuple[str, ...],
    fk: ForeignKeyInfo | None,
    table: TableInfo | None,
    catalog: Catalog | None,
) -> tuple[str, str]:
    """How a ref filling ``columns`` can be deferred, or ("", why not)."""
    if table is None or catalog is None:
        return "null", ""
    where = f"{table.name}.{', '.join(columns)}"
    if set(columns) & in_key:
        return "", f"{where} is in the lookup key of '{fname}'"
    infos = [table.column(c) for c in columns]
    if all(c is None or c.nullable for c in infos):
        return "null", ""
    if fk is not None and not catalog.can_defer(fk):
        return "", f"{where} is NOT NULL and its foreign key is not DEFERRABLE"
    if any(set(columns) & set(unique) for unique in table.unique):
        return "", f"{where} is NOT NULL and unique, so no placeholder can stand in for it"
    if any(c is not None and c.kind not in PLACEHOLDERS for c in infos):
        return "", f"{where} is NOT NULL and of a type seedspec has no placeholder for"
    return "placeholder", ""


def _hard_links(factories: Mapping[str, Any], steps: list[Any]) -> set[tuple[str, str]]:
    """Dependencies no UPDATE can postpone: templates reading named records, and for_each."""
    links = set()
    for fname, factory in factories.items():
        if isinstance(factory, dict):
            for _, _, gen in factory_generators(factory):
                links |= {(fname, n) for n in template_dependencies(gen) if n in factories and n != fname}
    for step in steps:
        if not isinstance(step, dict):
            continue
        parent, child = str(step.get("for_each")), str(step.get("factory"))
        if parent in factories and child in factories and parent != child:
            links.add((child, parent))
    return links


def _placeholders(
    deferred: set[RefEdge], factories: Mapping[str, Any], catalog: Catalog | None
) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    for e in deferred:
        table = catalog.get(str(factories[e.factory].get("table", ""))) if catalog else None
        if e.mode != "placeholder" or table is None:
            continue
        for column in e.columns:
            info = table.column(column)
            if info is not None and not info.nullable:
                found[(e.factory, column)] = PLACEHOLDERS[info.kind]
    return found


def _cannot_defer(e: RefEdge) -> Diagnostic:
    return error(
        "E333",
        f"'{e.name}' cannot be deferred: {e.why}",
        e.pointer + "/deferred",
        "remove 'deferred: true', or make the column nullable (or its foreign key DEFERRABLE "
        "on PostgreSQL), or give the factory a key without it",
    )


def _unbreakable(
    cycle: tuple[str, ...],
    links: list[tuple[str, str]],
    edges: list[RefEdge],
    hard: set[tuple[str, str]],
    catalog: Catalog | None,
) -> Diagnostic:
    chain = " -> ".join((*cycle, cycle[0]))
    refs = [e for a, b in links if (a, b) not in hard for e in edges if (e.factory, e.target) == (a, b)]
    if not refs:
        return error(
            "E307",
            f"factories depend on each other in a cycle no ref can break: {chain}",
            f"/factories/{cycle[0]}",
            "a template reading another factory's named records, or a for_each, needs that "
            "factory's rows first: turn one of them into a ref (which can be set afterwards)",
        )
    reasons = [e.why for e in refs if e.why]
    reasons += [f"{a} needs '{b}' rows first (a template or for_each)" for a, b in links if (a, b) in hard]
    on_pg = catalog is not None and catalog.dialect == "postgresql"
    in_key = any("lookup key" in r for r in reasons)
    return error(
        "E332",
        f"factories reference each other in a cycle that cannot be broken: {chain} ({'; '.join(reasons)})",
        refs[0].pointer,
        "make one of these foreign key columns nullable: seedspec then inserts NULL and sets it "
        "once the referenced rows exist"
        + (", or declare its foreign key DEFERRABLE" if on_pg else "")
        + ("; a lookup key column cannot wait: give the factory a key without it" if in_key else ""),
    )
