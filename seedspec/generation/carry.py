"""The columns of related rows a pool carries: ``user.email`` in the posts' pool, so that a
comment under a post reads ``{{ post.user.email }}`` (a grandparent) from its parent alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RowSlot
from seedspec.ir import Plan, Step


@dataclass(frozen=True, slots=True)
class Carried:
    """The carried columns of one step's rows, and how each row reaches the rows they come from."""

    columns: tuple[str, ...]
    links: Mapping[
        str, tuple[str, str]
    ]  # factory -> (the field that picked its row, or "": the parent; column)

    @classmethod
    def of(cls, plan: Plan, step: Step) -> Carried:
        links = {factory: (via, column) for factory, via, column in step.links}
        return cls(plan.columns_carried_for(step.factory), links)

    @property
    def fields_read(self) -> tuple[str, ...]:
        """The fields the rows are read through: a found row needs them from the database too."""
        heads = (c.partition(".")[0] for c in self.columns)
        return tuple(dict.fromkeys(self.links[h][0] for h in heads if h in self.links and self.links[h][0]))

    def values(self, maker: RowMaker, slot: RowSlot, row: Mapping[str, Any]) -> dict[str, Any]:
        """The carried columns of one row (its stored values over its generated ones)."""
        found: dict[str, Any] = {}
        for column in self.columns:
            head, _, rest = column.partition(".")
            via = self.links.get(head)
            # validation lets a template read through a factory only when every row has one
            assert via is not None, f"no '{head}' row to carry {column} from"
            found[column] = maker.related_row(head, via, slot, dict(row)).get(rest)
        return found
