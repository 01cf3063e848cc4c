"""api.rayapply: the barrier actor's logic (run here as plain asyncio) and the refusal of more
shards than the cluster can run at once. The Ray runs themselves: tests/integration/test_apply_ray.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.api import rayapply
from seedspec.api.rayapply import _Gate, ray_load
from seedspec.errors import SeedspecError

URL = sa.make_url("postgresql+psycopg://app@db/staging")


def test_the_gate_opens_when_every_task_has_arrived_and_answers_the_verdict() -> None:
    async def run(verdict: bool) -> tuple[list[bool], bool]:
        gate = _Gate(2)
        first = asyncio.ensure_future(gate.arrive())
        everyone = asyncio.ensure_future(gate.walked())
        await asyncio.sleep(0)
        opened_early = everyone.done()
        second = asyncio.ensure_future(gate.arrive())
        await everyone
        assert not first.done()  # waiting for the verdict, its transaction open
        await gate.decide(verdict)
        await gate.decide(not verdict)  # the first verdict stands
        return [await first, await second], opened_early

    assert asyncio.run(run(True)) == ([True, True], False)
    assert asyncio.run(run(False)) == ([False, False], False)


def test_an_abort_before_every_task_arrived_answers_the_waiting_ones() -> None:
    async def run() -> bool:
        gate = _Gate(3)
        waiting = asyncio.ensure_future(gate.arrive())
        await asyncio.sleep(0)
        await gate.decide(False)
        return await waiting

    assert asyncio.run(run()) is False


class _Cluster:
    def __init__(self, cpus: int) -> None:
        self.cpus = cpus

    def cluster_resources(self) -> dict[str, float]:
        return {"CPU": float(self.cpus)}


def _with_cluster(monkeypatch: pytest.MonkeyPatch, cpus: int) -> None:
    @contextmanager
    def cluster() -> Iterator[Any]:
        yield _Cluster(cpus)

    monkeypatch.setattr(rayapply, "ray_cluster", cluster)


def test_shards_default_to_the_clusters_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_cluster(monkeypatch, 4)
    with ExitStack() as stack:
        load = ray_load(stack, URL, None)
        assert (load.shards, load.url, load.where) == (4, URL, "as Ray tasks")
        assert ray_load(stack, URL, 5).shards == 5  # 4 tasks on 4 CPUs, shard 1 here


def test_more_tasks_than_cpus_is_refused_before_anything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_cluster(monkeypatch, 2)
    with ExitStack() as stack, pytest.raises(SeedspecError) as raised:
        ray_load(stack, URL, 5)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E751"
    assert diagnostic.message.startswith("--shards 5 on Ray needs 4 CPUs at once")
    assert diagnostic.message.endswith("the cluster has 2")
    assert diagnostic.hint == "use --shards 3 or fewer, or a larger cluster (RAY_ADDRESS)"
