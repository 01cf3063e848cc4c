"""A ``tree`` step's levels: one step per level below the roots, each ``for_each`` row of the level
above; under ``for_each`` (a tree per parent) every level's rows belong to their tree parent's
parent. Pure."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from seedspec.compiler.relations import reroute
from seedspec.compiler.seeds import derive_seed
from seedspec.ir import Field, Ref, Step
from seedspec.spec.profiles import step_count
from seedspec.spec.relations import TREE


def tree_levels(
    tree: Mapping[str, Any], roots: Step, link: Field, seed: object, params: Mapping[str, Any]
) -> list[Step]:
    """The roots, then the levels below them: the tree field set to ``link`` (the row one level
    up), templates reading the factory's own name read that row."""
    fname = roots.factory
    fields = list(roots.fields)
    at = next((i for i, f in enumerate(fields) if f.column == link.column), None)
    if at is None:
        fields.insert(0, link)
    else:
        fields[at] = link
    links = roots.links  # the same fields pick the same factories
    if roots.for_each is not None:  # the roots' parent: through the field holding it, if one does
        fields, via = _per_parent(fields, roots.for_each, fname)
        others = tuple(link for link in links if link[0] != roots.for_each)
        links = ((roots.for_each, *via), *others) if via[0] else others
    fields = [dataclasses.replace(f, generator=reroute(f.generator, fname, ("", ""), TREE)) for f in fields]
    count, count_max = step_count({"count": tree.get("children", 1), "for_each": fname}, params, 1.0)
    levels = [roots]
    for level in range(2, tree["depth"] + 1):
        level_id = f"{roots.id}/{level}"
        levels.append(
            dataclasses.replace(
                roots,
                id=level_id,
                seed=derive_seed(seed, level_id),
                count=count,
                count_max=count_max,
                count_skew=None,
                for_each=fname,
                parents=levels[-1].id,
                parent_where=(),
                links=links,
                fields=tuple(fields),
                records=(),
            )
        )
    return levels


def _per_parent(fields: list[Field], parent: str, fname: str) -> tuple[list[Field], tuple[str, str]]:
    """A tree level's fields when the roots run ``for_each`` ``parent``: each field holding the
    parent's value holds the tree parent's (the same column of the row one level up), so a
    thread stays under its post; templates read ``parent``'s columns through that field (the
    parent row whose key it holds). Those fields come first: they read nothing of the row."""
    inherited: list[Field] = []
    rest: list[Field] = []
    via: tuple[str, str] | None = None  # (the field holding the parent's key, that key column)
    for f in fields:
        gen = f.generator
        if isinstance(gen, Ref) and gen.parent and gen.factory == parent:
            via = via or (f.column, gen.column)
            own = dataclasses.replace(gen, factory=fname, column=f.column)
            inherited.append(dataclasses.replace(f, generator=own))
        else:
            rest.append(f)
    if via is None:
        return fields, ("", "")  # no field holds the parent: nothing to carry down the tree
    rest = [dataclasses.replace(f, generator=reroute(f.generator, parent, via)) for f in rest]
    return [*inherited, *rest], via
