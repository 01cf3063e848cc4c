"""database.shardstep: the shards of a step, each on its own connection and seeing the database
as the step found it, write together the rows and ids of a serial run, and each shard's pool
holds every row's id."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.shardstep import IdBlock, ShardJob, ShardStep, lost, own_connection, signalled
from seedspec.database.stepwriter import DatabaseStep
from seedspec.errors import DatabaseError, SeedspecError
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.shards import Shard
from seedspec.generation.slots import RunState
from seedspec.outcome import StepReport

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


def _job(compiled: Any, shards: int) -> ShardJob:
    user = compiled.plan.steps[0]
    table = compiled.metadata.tables[user.table]
    return ShardJob(compiled.engine.url, compiled.plan, user, table, RunState(), IdBlock("id", 1, 3), shards)


def test_a_shard_on_its_own_connection_commits_only_when_the_barrier_says_so(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    job = _job(compiled, 2)
    seen: list[int] = []

    def arrive(verdict: bool) -> Callable[[], bool]:
        def wait() -> bool:  # the shard has written its rows, uncommitted: nobody else sees them
            seen.append(len(_rows(compiled.engine, "users")))
            return verdict

        return wait

    assert own_connection(job, 2, arrive(False)) is None
    assert _rows(compiled.engine, "users") == []
    report = own_connection(job, 2, arrive(True))
    assert isinstance(report, StepReport)
    assert report.created == 2  # rows [1, 3) of 3
    assert [r[0] for r in _rows(compiled.engine, "users")] == [2, 3]
    assert seen == [0, 0]


def test_a_shard_that_fails_returns_its_located_error_and_commits_nothing(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    with compiled.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE users ADD CONSTRAINT no_third CHECK (id <> 3)")
    outcome = own_connection(_job(compiled, 2), 2, lambda: pytest.fail("a failed shard never arrives"))
    assert isinstance(outcome, tuple)
    kind, (diagnostic,) = outcome
    assert issubclass(kind, SeedspecError)
    assert diagnostic.message.startswith(
        "the database refused row 2 of step 'user' (table 'users', column 'id')"
    )
    assert diagnostic.message.endswith("[shard 2/2]")
    assert "no_third" in diagnostic.message
    assert diagnostic.pointer is not None
    assert _rows(compiled.engine, "users") == []


def test_a_lost_shard_is_named_with_how_it_ended(prepare: Callable[..., Any], sqlite_url: str) -> None:
    step = prepare(sqlite_url).plan.steps[0]
    kind, (before,) = lost(step, 2, 4, signalled(-signal.SIGKILL), committed=False)
    assert kind is DatabaseError
    assert before.code == "E750"
    assert (
        before.message
        == f"shard 2/4 of step '{step.id}' (table users) was lost: its process was killed by SIGKILL"
    )
    assert before.hint is not None
    assert before.hint.startswith("no shard of this step committed")
    assert "run the same apply again" in before.hint
    _, (after,) = lost(step, 3, 4, signalled(1), committed=True)
    assert after.message.endswith("was lost: its process exited with code 1 before it reported")
    assert after.hint is not None
    assert after.hint.startswith("the other shards of this step committed")
