"""database.parallel: which steps shard and why the others do not; a sharded step writes the rows
(and, into an empty table, the ids) of a serial run; shard reports add up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.parallel import ParallelLoad, load_step, plan_reason, serial_reason, summed
from seedspec.database.shardstep import Failed, Outcome, lost
from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.slots import RunState
from seedspec.ir import Step
from seedspec.outcome import StepReport

TWO_POST_STEPS = """
version: 1
tables: {ddl: schema.sql}
factories:
  user: {table: users, key: [email], fields: {email: {sequence: "u{n}@example.com"}}}
  post: {table: posts, key: [title], fields: {user_id: {ref: user}, title: {sequence: "post {n}"}}}
seed:
  - {factory: user, count: 3}
  - {factory: post, count: 2}
  - {factory: post, count: 2, id: more}
"""


def _users(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql("SELECT id, email, age FROM users ORDER BY id")]


def _posts(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql("SELECT id, user_id, title FROM posts ORDER BY id")]


def test_steps_shard_unless_later_steps_read_what_the_database_fills_in(
    prepare: Callable[..., Any], sqlite_url: str
) -> None:
    compiled = prepare(sqlite_url)
    plan, users, posts = compiled.plan, compiled.metadata.tables["users"], compiled.metadata.tables["posts"]
    user, post = plan.steps
    assert serial_reason(plan, user, users) is None  # its id: counted from a reserved block
    assert serial_reason(plan, post, posts) is None
    two_key = sa.Table(
        "users",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("org", sa.Integer, primary_key=True),
    )
    assert serial_reason(plan, user, two_key) == "later steps read id, org, which the database fills in"


def test_a_table_two_steps_write_is_loaded_serially(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url, spec=TWO_POST_STEPS)
    plan = compiled.plan
    assert serial_reason(plan, plan.steps[1], compiled.metadata.tables["posts"]) == (
        "another step also writes table posts"
    )


def test_only_postgresql_loads_in_parallel(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    with compiled.engine.connect() as connection:
        reason = plan_reason(compiled.plan, connection)
    assert reason == "sqlite has no COPY: only PostgreSQL loads over several connections"


@pytest.mark.postgres
def test_sharded_steps_write_the_rows_and_ids_of_a_serial_run(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    serial, sharded = prepare(new_db_url("postgresql")), prepare(new_db_url("postgresql"))
    with serial.engine.begin() as connection:
        apply_plan(serial.plan, connection, serial.metadata, workers=0)
    load = ParallelLoad(3, sharded.engine.url)
    with sharded.engine.connect() as connection:
        assert plan_reason(sharded.plan, connection) is None
        connection.begin()
        report = apply_plan(sharded.plan, connection, sharded.metadata, workers=0, parallel=load)
        connection.commit()
        connection.begin()
        again = apply_plan(sharded.plan, connection, sharded.metadata, workers=0, parallel=load)
        connection.commit()
    assert [(s.created, s.existing) for s in report.steps] == [(3, 0), (6, 0)]
    assert [(s.created, s.existing) for s in again.steps] == [(0, 3), (0, 6)]
    assert report.notes == (
        "step 'user': 3 shards over as many connections",
        "step 'post<user': 3 shards over as many connections",
    )
    assert _posts(sharded.engine) == _posts(serial.engine)
    assert _users(sharded.engine) == _users(serial.engine)


def test_the_shards_reports_add_up(prepare: Callable[..., Any], sqlite_url: str) -> None:
    step = prepare(sqlite_url).plan.steps[1]
    parts = [
        StepReport(step=step.id, factory="post", table="posts", created=2, existing=1),
        StepReport(step=step.id, factory="post", table="posts", created=3, updated=1),
    ]
    total = summed(step, parts)
    assert (total.created, total.existing, total.updated, total.table) == (5, 1, 1, "posts")


class _Others:
    """Shards 2..N that another runner would start: here, what they report is scripted."""

    def __init__(self, *, failed: Failed | None = None, walked: Failed | None = None) -> None:
        self.scripted_failure, self.walk_failure = failed, walked
        self.asked = 0
        self.decided: list[bool] = []
        self.closed = False

    def walked(self) -> Failed | None:
        return self.walk_failure

    def failed(self) -> Failed | None:
        self.asked += 1
        return self.scripted_failure

    def decide(self, commit: bool) -> None:
        self.decided.append(commit)

    def ended(self) -> list[Outcome | None]:
        return [StepReport(step="user", factory="user", table="users", created=2)]

    def close(self) -> None:
        self.closed = True


def _load_users(compiled: Any, others: _Others) -> StepReport | None:
    step = compiled.plan.steps[0]
    table = compiled.metadata.tables[step.table]
    load = ParallelLoad(3, compiled.engine.url, runner=lambda job: others, where="here")
    with compiled.engine.connect() as connection:
        connection.begin()
        return load_step(load, compiled.plan, step, table, connection, RunState(), Prefetcher(0), None)


def _lost_shard(step: Step) -> Failed:
    return lost(step, 2, 3, "its process was killed by SIGKILL", committed=False)


@pytest.mark.postgres
def test_a_shard_lost_while_shard_1_walks_stops_the_step_before_it_commits(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    others = _Others(failed=_lost_shard(compiled.plan.steps[0]))
    with pytest.raises(DatabaseError) as raised:
        _load_users(compiled, others)
    assert raised.value.diagnostics[0].code == "E750"
    assert others.asked == 1  # at shard 1's first batch, not once it has walked the step
    assert (others.decided, others.closed) == ([False], True)
    assert _users(compiled.engine) == []


@pytest.mark.postgres
def test_a_shard_failed_at_the_barrier_rolls_back_shard_1(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    others = _Others(walked=_lost_shard(compiled.plan.steps[0]))
    with pytest.raises(DatabaseError):
        _load_users(compiled, others)
    assert (others.decided, others.closed) == ([False], True)
    assert _users(compiled.engine) == []


@pytest.mark.postgres
def test_when_every_shard_has_walked_all_are_told_to_commit_and_the_counts_add_up(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    others = _Others()
    report = _load_users(compiled, others)
    assert report is not None
    assert report.created == 1 + 2  # shard 1's row here, and what the others reported
    assert (others.decided, others.closed) == ([True], True)
    assert [u[1] for u in _users(compiled.engine)] == ["u0@example.com"]  # shard 1 of 3 committed
