"""database.shardstep: the shards of a step, each on its own connection and seeing the database
as the step found it, write together the rows and ids of a serial run, and each shard's pool
holds every row's id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.shardstep import IdBlock, ShardStep
from seedspec.database.stepwriter import DatabaseStep
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.shards import Shard
from seedspec.generation.slots import RunState

pytestmark = pytest.mark.postgres


def _rows(engine: sa.Engine, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")]


def test_two_shards_write_the_rows_and_ids_of_a_serial_run(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    serial, sharded = prepare(new_db_url("postgresql")), prepare(new_db_url("postgresql"))
    user, post = serial.plan.steps
    state = RunState()
    with serial.engine.begin() as c:
        for step in (user, post):
            table = serial.metadata.tables[step.table]
            DatabaseStep(serial.plan, step, table, c, state, False, Prefetcher(0)).run(None)
    users = sharded.metadata.tables["users"]
    block = IdBlock("id", 1, 3)
    with sharded.engine.connect() as first, sharded.engine.connect() as second:
        states = []
        reports = []
        for index, c in ((1, first), (2, second)):  # neither commits before both are done
            shard_state = RunState()
            run = ShardStep(sharded.plan, user, users, c, shard_state, Prefetcher(0), Shard(index, 2), block)
            reports.append(run.run(None))
            states.append(shard_state)
        first.commit()
        second.commit()
    assert [r.created for r in reports] == [1, 2]  # rows [0, 1) and [1, 3)
    assert _rows(sharded.engine, "users") == _rows(serial.engine, "users")
    for shard_state in states:  # every shard knows every user's id: later steps read them
        assert list(shard_state.pools["user"].column("id")) == [1, 2, 3]
