"""Fields that read a related row: templates naming a parent or picked row, refs following a pick.

The rule of which row a factory name means is ``spec.relations`` (validation has checked the
names against it); this module writes the outcome into the compiled generators.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seedspec.ir import Field, Generator, Ref, Template, map_templates, templates_in
from seedspec.language import templates
from seedspec.spec.relations import PARENT, TREE, is_follower, resolve_path, row_links


@dataclass(frozen=True, slots=True)
class Reach:
    """What the spec's rows can read beyond their own related rows: per factory, the factories
    every one of its rows has a row of (grandparents), and its named records."""

    hops: Mapping[str, frozenset[str]] = field(default_factory=dict)
    records: Mapping[str, frozenset[str]] = field(default_factory=dict)


def link_fields(
    raw: Mapping[str, Any],
    for_each: str | None,
    compiled: dict[str, tuple[Field, ...]],
    tree: str | None = None,
    reach: Reach = Reach(),
) -> dict[str, set[str]]:
    """Rewrite ``compiled`` (column as written -> its fields) so that templates and following refs
    read the related rows; returns, per column as written, the columns it now waits for."""
    links = row_links(raw, for_each, tree)
    picked = _picked(links.via, compiled)
    waits: dict[str, set[str]] = {}
    for column, fields in compiled.items():
        gen = raw[column]
        if is_follower(gen, links) and gen["ref"] in picked:
            chosen = picked[gen["ref"]]
            compiled[column] = tuple(_follow(f, chosen) for f in fields)
            waits[column] = {_written(chosen[0], compiled)}
        elif any(templates_in(f.generator) for f in fields):
            compiled[column] = tuple(_relate(f, links.via, picked, reach) for f in fields)
            waits[column] = {
                _written(v[0], compiled)
                for name, v in picked.items()
                if any(name in t.names for f in fields for t in templates_in(f.generator))
            }
    return waits


def related_rows(
    raw: Mapping[str, Any], for_each: str | None, compiled: Mapping[str, tuple[Field, ...]]
) -> tuple[tuple[str, str, str], ...]:
    """(factory, field, column) of every row a row of these fields is related to: the for_each
    parent (field ""), and the rows its picking fields picked (by that field's ``column`` value).
    Its pool carries their columns that later rows read (``post.user.email``)."""
    links = row_links(raw, for_each)
    parent = [(for_each, "", "")] if for_each is not None else []
    picked = sorted((name, *via) for name, via in _picked(links.via, compiled).items() if name != for_each)
    return (*parent, *picked)


def _picked(via: Mapping[str, str], compiled: Mapping[str, tuple[Field, ...]]) -> dict[str, tuple[str, str]]:
    """Per factory a field picks, (that field's column, the column it picked by). A record that
    writes the field as a value picks nothing there (its rows read no such row)."""
    picked: dict[str, tuple[str, str]] = {}
    for name, column in via.items():
        leader = compiled[column][0] if column not in (PARENT, TREE) and compiled.get(column) else None
        if leader is not None and isinstance(leader.generator, Ref):
            picked[name] = (leader.column, leader.generator.column)
    return picked


def _follow(f: Field, via: tuple[str, str]) -> Field:
    assert isinstance(f.generator, Ref)
    return dataclasses.replace(f, generator=dataclasses.replace(f.generator, via=via))


def _relate(f: Field, links: Mapping[str, str], picked: Mapping[str, tuple[str, str]], reach: Reach) -> Field:
    change = map_templates(f.generator, lambda t: _related(t, links, picked, reach))
    return dataclasses.replace(f, generator=change)


def reroute(gen: Generator, name: str, via: tuple[str, str], was: str = PARENT) -> Generator:
    """``gen`` reading the related row ``name`` through ``via`` where it read it through ``was``:
    a tree level's rows read the roots' for_each parent through the field holding its key
    (``via``: that field, the key column), and their tree parent as their for_each parent."""

    def change(t: Template) -> Template:
        related = tuple((n, *via, a) if n == name and v == was else (n, v, c, a) for n, v, c, a in t.related)
        if related == t.related:
            return t
        names = tuple(sorted({*t.names, via[0]} - {""}))
        return dataclasses.replace(t, related=related, names=names)

    return map_templates(gen, change)


def _related(
    gen: Template, links: Mapping[str, str], picked: Mapping[str, tuple[str, str]], reach: Reach
) -> Template:
    """``gen`` with the related rows it reads (and the fields that picked them among its names):
    per row, the columns its pool keeps, ``user.email`` for a grandparent's (``post.user.email``)."""
    related = []
    for name in gen.names:
        if name not in links or (links[name] not in (PARENT, TREE) and name not in picked):
            continue
        records = reach.records.get(name, frozenset())
        resolved = (
            resolve_path(p, name, reach.hops, records) for p in templates.paths_read(gen.source, name)
        )
        attributes = {a for a in resolved if a is not None}
        if attributes:  # else it reads named records only (factory.record.column)
            via = (links[name], "") if links[name] in (PARENT, TREE) else picked[name]
            related.append((name, *via, tuple(sorted(attributes))))
    if not related:
        return gen
    names = tuple(sorted({*gen.names, *(via for _, via, _, _ in related if via and via != TREE)}))
    return dataclasses.replace(gen, names=names, related=tuple(related))


def _written(column: str, compiled: Mapping[str, tuple[Field, ...]]) -> str:
    """The column as written (a relationship name) whose fields include ``column``."""
    return next((c for c, fields in compiled.items() if any(f.column == column for f in fields)), column)
