"""``apply --engine ray``: shards 2..N of each step that shards run as the tasks of a Ray cluster.

The protocol is ``apply --shards``'s (``database.parallel``), with Ray in place of forked
processes: shard 1 runs in this process on the apply's connection (its walk leaves the run state
later steps read); each task opens its own connection from the URL, walks its shard in a
transaction (``shardstep.own_connection``), arrives at a barrier (an actor, ``_Gate``) and
commits only when the apply says so. What every task needs (the plan, the step, the run state
with its pools, the reserved id block) goes to the object store once per step (``ray.put``). A
task that fails returns its located error; a task whose worker dies is noticed by ``ray.wait``
at once (E750); either way the tasks waiting at the barrier roll back and the rest are
cancelled. Ray is imported only where the cluster is joined (``api.shards.ray_cluster``).
"""

from __future__ import annotations

import asyncio
import os
from contextlib import ExitStack
from typing import Any

from sqlalchemy.engine import URL

from seedspec.api.shards import ray_cluster
from seedspec.database.parallel import ParallelLoad
from seedspec.database.shardstep import KILL_ENV, PAUSE_ENV, Failed, Outcome, ShardJob, lost, own_connection
from seedspec.errors import Diagnostic, SeedspecError


def ray_load(stack: ExitStack, url: URL, shards: int | None) -> ParallelLoad:
    """How ``apply --engine ray`` loads: ``shards`` (default: the cluster's CPUs) shards, the
    cluster joined (or started) until ``stack`` closes. E751 when the cluster has fewer CPUs
    than the tasks of one step: they wait for each other at the barrier, so all must run at once
    (each step reserves their CPUs together: a placement group, waited for while others use them)."""
    ray = stack.enter_context(ray_cluster())
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    count = shards or cpus
    if count - 1 > cpus:
        raise SeedspecError(
            Diagnostic(
                code="E751",
                message=f"--shards {count} on Ray needs {count - 1} CPUs at once (shard 1 runs in "
                f"the apply, each other shard is a task holding a transaction open until all have "
                f"walked the step); the cluster has {cpus}",
                hint=f"use --shards {cpus + 1} or fewer, or a larger cluster (RAY_ADDRESS)",
            )
        )
    return ParallelLoad(count, url, runner=lambda job: RayShards(ray, job), where="as Ray tasks")


class RayShards:
    """Shards 2..N of ``job`` as Ray tasks (``parallel.Others``)."""

    def __init__(self, ray: Any, job: ShardJob) -> None:
        from ray.util.placement_group import placement_group
        from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

        self.ray, self.job = ray, job
        # the tasks wait for each other at the barrier: their CPUs are reserved all at once
        self.group = placement_group([{"CPU": 1}] * (job.shards - 1), strategy="PACK")
        ray.get(self.group.ready())
        self.gate = ray.remote(num_cpus=0)(_Gate).remote(job.shards - 1)
        shared = ray.put(job)  # once per step, read by every task
        options: dict[str, Any] = {
            "scheduling_strategy": PlacementGroupSchedulingStrategy(placement_group=self.group)
        }
        hooks = {name: os.environ[name] for name in (PAUSE_ENV, KILL_ENV) if name in os.environ}
        if hooks:  # the tests' hooks reach the workers (started before the test set them)
            options["runtime_env"] = {"env_vars": hooks}
        task = ray.remote(num_cpus=1, max_retries=0)(_task).options(**options)
        self.tasks = {index: task.remote(shared, index, self.gate) for index in range(2, job.shards + 1)}
        self.early: dict[int, Outcome | None] = {}  # the tasks that ended before the verdict

    def walked(self) -> Failed | None:
        if (failure := self.failed()) is not None:
            return failure
        everyone = self.gate.walked.remote()
        pending = {ref: index for index, ref in self.tasks.items() if index not in self.early}
        while True:
            ready, _ = self.ray.wait([everyone, *pending], num_returns=1)
            if everyone in ready:
                return None
            if (failure := self._heard(pending.pop(ready[0]))) is not None:
                return failure

    def failed(self) -> Failed | None:
        """A task that failed or was lost so far (None: none yet); never waits."""
        pending = {ref: index for index, ref in self.tasks.items() if index not in self.early}
        if pending:
            ready, _ = self.ray.wait(list(pending), num_returns=len(pending), timeout=0)
            for ref in ready:
                self._heard(pending[ref])
        return next((o for o in self.early.values() if isinstance(o, tuple)), None)

    def _heard(self, index: int) -> Failed | None:
        """Task ``index`` ended before the verdict: its failure (it can only have failed)."""
        outcome = self.early[index] = self._outcome(index, committed=False)
        return outcome if isinstance(outcome, tuple) else None

    def decide(self, commit: bool) -> None:
        self.ray.get(self.gate.decide.remote(commit))

    def ended(self) -> list[Outcome | None]:
        return [
            self.early[index] if index in self.early else self._outcome(index, committed=True)
            for index in sorted(self.tasks)
        ]

    def close(self) -> None:
        """Roll back the tasks waiting at the barrier, interrupt those still walking (their
        connections close: their transactions roll back), end the barrier's actor and free the
        CPUs. A task that ends by itself is not cancelled (Ray 2.60 can abort the driver on a
        cancel that races with the task's completion)."""
        from ray.util.placement_group import remove_placement_group

        refs = list(self.tasks.values())
        _, running = self.ray.wait(refs, num_returns=len(refs), timeout=0)
        if running:
            self.ray.get(self.gate.decide.remote(False))
            _, running = self.ray.wait(running, num_returns=len(running), timeout=2.0)
            for ref in running:
                self.ray.cancel(ref, force=False)
        self.ray.kill(self.gate)
        remove_placement_group(self.group)

    def _outcome(self, index: int, *, committed: bool) -> Outcome | None:
        """What task ``index`` returned; E750 when its worker died or the task broke."""
        try:
            result: Outcome | None = self.ray.get(self.tasks[index])
            return result
        except self.ray.exceptions.RayError as exc:
            what = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            reason = f"its Ray task ended without a result ({type(exc).__name__}: {what})"
            return lost(self.job.step, index, self.job.shards, reason, committed=committed)


def _task(job: ShardJob, index: int, gate: Any) -> Outcome | None:
    """One Ray task: shard ``index`` of the step on its own connection (one CPU: no Faker worker
    processes of its own); it arrives at ``gate`` once walked and commits if told to."""
    import ray

    return own_connection(job, index, lambda: bool(ray.get(gate.arrive.remote())))


class _Gate:
    """The barrier of one step's tasks (a Ray actor): each arrives once it has walked its shard
    and waits there for the verdict; the apply waits for all to arrive, then decides."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self.arrived = 0
        self.everyone = asyncio.Event()
        self.decided = asyncio.Event()
        self.commit = False

    async def arrive(self) -> bool:
        self.arrived += 1
        if self.arrived == self.parties:
            self.everyone.set()
        await self.decided.wait()
        return self.commit

    async def walked(self) -> None:
        await self.everyone.wait()

    async def decide(self, commit: bool) -> None:
        if not self.decided.is_set():
            self.commit = commit
            self.decided.set()
