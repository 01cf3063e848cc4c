"""database.forked: shards 2..N as forked processes, each telling the apply over a pipe when it has
walked its shard; one that dies without a word is named with its signal at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from seedspec.database.forked import Forked
from seedspec.database.shardstep import KILL_ENV, IdBlock, ShardJob
from seedspec.generation.slots import RunState
from seedspec.outcome import StepReport

pytestmark = pytest.mark.postgres


def _job(compiled: Any) -> ShardJob:
    user = compiled.plan.steps[0]
    table = compiled.metadata.tables[user.table]
    return ShardJob(compiled.engine.url, compiled.plan, user, table, RunState(), IdBlock("id", 1, 3), 3)


def _emails(compiled: Any) -> list[str]:
    with compiled.engine.connect() as c:
        return [str(e) for e in c.exec_driver_sql("SELECT email FROM users ORDER BY id").scalars()]


def test_the_shards_commit_when_told_and_report_in_order(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    others = Forked(_job(compiled))
    try:
        assert others.walked() is None
        assert _emails(compiled) == []  # walked, not committed
        others.decide(True)
        ended = others.ended()
    finally:
        others.close()
    assert [r.created if isinstance(r, StepReport) else r for r in ended] == [1, 1]  # shards 2 and 3
    assert _emails(compiled) == ["u1@example.com", "u2@example.com"]


def test_told_to_roll_back_they_commit_nothing(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str]
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    others = Forked(_job(compiled))
    try:
        assert others.walked() is None
        others.decide(False)
        assert others.ended() == [None, None]
    finally:
        others.close()
    assert _emails(compiled) == []


def test_a_shard_killed_before_the_barrier_is_named_with_its_signal(
    prepare: Callable[..., Any], new_db_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = prepare(new_db_url("postgresql"))
    monkeypatch.setenv(KILL_ENV, "user:3")
    others = Forked(_job(compiled))
    try:
        failure = others.walked()
        assert failure is not None
        assert others.failed() == failure  # asked again: the same, not a second loss
        others.decide(False)
    finally:
        others.close()
    _, (diagnostic,) = failure
    assert diagnostic.code == "E750"
    assert (
        diagnostic.message
        == "shard 3/3 of step 'user' (table users) was lost: its process was killed by SIGKILL"
    )
    assert _emails(compiled) == []
