"""Fields that read a related row: templates naming a parent or picked row, refs following a pick.

The rule of which row a factory name means is ``spec.relations`` (validation has checked the
names against it); this module writes the outcome into the compiled generators.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from seedspec.ir import Field, Generator, Ref, Template, map_templates, templates_in
from seedspec.language import templates
from seedspec.spec.relations import PARENT, TREE, is_follower, row_links


def link_fields(
    raw: Mapping[str, Any],
    for_each: str | None,
    compiled: dict[str, tuple[Field, ...]],
    tree: str | None = None,
) -> dict[str, set[str]]:
    """Rewrite ``compiled`` (column as written -> its fields) so that templates and following refs
    read the related rows; returns, per column as written, the columns it now waits for."""
    links = row_links(raw, for_each, tree)
    picked: dict[str, tuple[str, str]] = {}  # factory -> (field column, column it picked by)
    for name, via in links.via.items():
        if via != PARENT and via in compiled:
            leader = compiled[via][0]
            assert isinstance(leader.generator, Ref)
            picked[name] = (leader.column, leader.generator.column)
    waits: dict[str, set[str]] = {}
    for column, fields in compiled.items():
        gen = raw[column]
        if is_follower(gen, links) and gen["ref"] in picked:
            chosen = picked[gen["ref"]]
            compiled[column] = tuple(_follow(f, chosen) for f in fields)
            waits[column] = {_written(chosen[0], compiled)}
        elif any(templates_in(f.generator) for f in fields):
            compiled[column] = tuple(_relate(f, links.via, picked) for f in fields)
            waits[column] = {
                _written(v[0], compiled)
                for name, v in picked.items()
                if any(name in t.names for f in fields for t in templates_in(f.generator))
            }
    return waits


def _follow(f: Field, via: tuple[str, str]) -> Field:
    assert isinstance(f.generator, Ref)
    return dataclasses.replace(f, generator=dataclasses.replace(f.generator, via=via))


def _relate(f: Field, links: Mapping[str, str], picked: Mapping[str, tuple[str, str]]) -> Field:
    return dataclasses.replace(f, generator=map_templates(f.generator, lambda t: _related(t, links, picked)))


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


def _related(gen: Template, links: Mapping[str, str], picked: Mapping[str, tuple[str, str]]) -> Template:
    """``gen`` with the related rows it reads (and the fields that picked them among its names)."""
    related = []
    for name in gen.names:
        if name not in links or (links[name] not in (PARENT, TREE) and name not in picked):
            continue
        attributes = templates.attributes_read(gen.source, name) - templates.record_reads(gen.source, name)
        if attributes:  # else it reads named records only (factory.record.column)
            via = (links[name], "") if links[name] in (PARENT, TREE) else picked[name]
            related.append((name, *via, tuple(sorted(attributes))))
    if not related:
        return gen
    names = tuple(sorted({*gen.names, *(via for _, via, _, _ in related if via)}))
    return dataclasses.replace(gen, names=names, related=tuple(related))


def _written(column: str, compiled: Mapping[str, tuple[Field, ...]]) -> str:
    """The column as written (a relationship name) whose fields include ``column``."""
    return next((c for c, fields in compiled.items() if any(f.column == column for f in fields)), column)
