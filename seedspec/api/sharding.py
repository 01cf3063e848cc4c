"""How ``apply --shards N`` / ``--engine ray`` loads a plan: its steps in shards (forked
processes, or Ray tasks), or serially with a note saying why."""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy.engine import Connection

from seedspec.database.parallel import ParallelLoad, plan_reason
from seedspec.ir import Plan

APPLY_ENGINES = ("local", "ray")


def sharded(shards: int | None, engine: str) -> bool:
    """Whether the apply may shard (and so commits step by step): ``--shards`` above 1, or Ray
    (its CPUs by default) unless ``--shards 1``."""
    return shards != 1 if engine == "ray" else shards is not None and shards > 1


def parallel_load(
    execution: Plan,
    connection: Connection,
    shards: int | None,
    engine: str,
    stack: ExitStack,
    *,
    tracked: bool,
) -> tuple[ParallelLoad | None, tuple[str, ...]]:
    """The load of ``execution`` (None: serial) and the report's notes. With Ray the cluster
    is joined (or started) until ``stack`` closes, and ``shards`` defaults to its CPUs."""
    if not sharded(shards, engine):
        return None, ()
    what = (
        f"--engine ray{f' --shards {shards}' if shards else ''}" if engine == "ray" else f"--shards {shards}"
    )
    reason = plan_reason(execution, connection)
    if reason is None and tracked:
        reason = "this database records which rows the spec owns (pruning), which needs every key in one run"
    if reason is not None:
        return None, (f"{what}: every step ran serially, in one transaction: {reason}",)
    if engine == "ray":
        from seedspec.api.rayapply import ray_load

        load = ray_load(stack, connection.engine.url, shards)
        if load.shards < 2:
            return None, (f"{what}: a cluster of 1 CPU, so one shard: every step ran serially",)
        return load, ()
    assert shards is not None
    return ParallelLoad(shards, connection.engine.url), ()
