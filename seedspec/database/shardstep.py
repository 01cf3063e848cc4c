"""One shard of a step applied to a database (``apply --shards``): the writer's walk over the step's
rows, writing only the shard's range.

As in a sharded build (``generation.shards``), a shard draws for every row what the rows after it
or later steps depend on (the key, ``unique`` values, the pooled columns) and the rest only for
its own rows; a *pure* step's shard does not visit the rows before its range at all. What the
database is asked (is the table empty, which keys are stored) must be the same in every shard:
no shard commits before all have walked the step (``parallel``'s barrier), so every shard sees
the database as the step found it.

Ids: when the step's ids come from a block reserved for it (``IdBlock``), the ``k``-th new row of
the step gets ``first + k``, counted the same way in every shard (a pure shard, which cannot
count the rows before its range, gives row ``k`` of the step ``first + k``: the same in an empty
table, where no row is found). So a shard knows the ids of the other shards' rows too: the rows
later steps read are whole in every shard's pool, the in-process one's included.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.stepwriter import DatabaseStep
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.rows import Key, Row, column_groups
from seedspec.generation.shards import Shard, writes
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Plan, Step


@dataclasses.dataclass(frozen=True, slots=True)
class IdBlock:
    """The ids reserved for a step: ``column`` takes ``first``, ``first + 1``, ... (``total``)."""

    column: str
    first: int
    total: int


class ShardStep(DatabaseStep):
    """Shard ``shard`` of ``step``: the walk of every row (or of its range, for a pure step), the
    shard's own rows written, the others' ids counted (``IdBlock``)."""

    def __init__(
        self,
        plan: Plan,
        step: Step,
        table: sa.Table,
        connection: Connection,
        state: RunState,
        prefetcher: Prefetcher,
        shard: Shard,
        ids: IdBlock | None,
    ) -> None:
        super().__init__(plan, step, table, connection, state, False, prefetcher, shard=shard)
        self.ids = ids
        self.counted = 0  # the step's new rows numbered so far (every shard counts all of them)

    def _skip_before(self, first: int) -> bool:
        return True  # pure (the walk asks only then): no row is dropped, no later step reads them

    def _differs(self, slot: RowSlot, row: Row, stored: Row) -> bool:
        """Found rows are compared by the shard that writes them (the others lack columns)."""
        return writes(self.rows, slot) and super()._differs(slot, row, stored)

    def _complete(self, missing: list[tuple[RowSlot, Row]]) -> None:
        super()._complete([(slot, row) for slot, row in missing if writes(self.rows, slot)])

    def _create(self, missing: list[tuple[RowSlot, Row]]) -> dict[Key, Row]:
        """Number every new row of the step, write this shard's; their ids by key."""
        numbered: dict[Key, Row] = {}
        if self.ids is not None:
            column, first = self.ids.column, self.ids.first
            ordered = [pair for group in column_groups(missing) for pair in group]  # as a serial insert
            with_ids = []
            for slot, row in ordered:
                number = slot.ordinal if self.skipping else self.counted
                self.counted += 1
                with_ids.append((slot, {**row, column: first + number}))
                numbered[self._key(row)] = {column: first + number}
            missing = with_ids
        own = [(slot, row) for slot, row in missing if writes(self.rows, slot)]
        stored = super()._create(own) if own else {}
        return {**numbered, **stored}
