"""``apply --engine ray``: shards 2..N of each step run as tasks of a local Ray cluster (started
here, 2 CPUs) and give the tables of a serial apply and of ``apply --shards``; a failing or lost
shard rolls back the others and a re-run repairs.

Skipped only where ray is not installed and CI is not set (CI installs it: the test extra).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dbdump import dump
from helpers import ROOT, run_sql

import seedspec
from seedspec.database.shardstep import KILL_ENV

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        importlib.util.find_spec("ray") is None and not os.environ.get("CI"),
        reason="ray is not installed (pip install 'seedspec[ray]'); CI runs this test",
    ),
]
WORKLOAD = ROOT / "benchmarks" / "workload.yaml"
STAGING = ROOT / "benchmarks" / "staging.yaml"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A local Ray cluster of two CPUs for the module (apply joins the running one)."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _apply(spec: Path, url: str, shards: int | None, engine: str = "local", **params: str) -> seedspec.Report:
    env = {"WORKLOAD_DDL": "workload.postgresql.sql", "N": "40"} if spec == WORKLOAD else None
    engine_ = seedspec.create_engine(url)
    try:
        loaded = seedspec.load(spec, env, params=params or None)
        return seedspec.apply(loaded, engine_, create=True, shards=shards, workers=0, engine=engine)
    finally:
        engine_.dispose()


@pytest.fixture
def urls(new_db_url: Callable[[str], str]) -> tuple[str, str, str]:
    return new_db_url("postgresql"), new_db_url("postgresql"), new_db_url("postgresql")


def test_the_workload_on_ray_gives_the_tables_of_a_serial_and_a_forked_apply(
    cluster: Any, urls: tuple[str, str, str]
) -> None:
    serial, forked, on_ray = urls
    reference = _apply(WORKLOAD, serial, None)
    _apply(WORKLOAD, forked, 3)
    report = _apply(WORKLOAD, on_ray, 3, "ray")
    assert [s.created for s in report.steps] == [s.created for s in reference.steps]
    assert report.notes == tuple(
        f"step '{step}': 3 shards as Ray tasks" for step in ("user", "tag", "post<user", "post_tag<post")
    )
    assert dump(on_ray) == dump(serial)
    assert dump(forked) == dump(serial)
    assert _apply(WORKLOAD, on_ray, 3, "ray").created == 0
    assert dump(on_ray) == dump(serial)


def test_the_staging_spec_on_ray_defaults_to_a_shard_per_cpu(
    cluster: Any, urls: tuple[str, str, str]
) -> None:
    serial, on_ray, _ = urls
    _apply(STAGING, serial, None, users="100")
    report = _apply(STAGING, on_ray, None, "ray", users="100")
    assert report.created == 100 + 1000
    assert report.notes == (
        "step 'user': 2 shards as Ray tasks",
        "step 'order<user': 2 shards as Ray tasks",
    )
    assert dump(on_ray) == dump(serial)
    assert _apply(STAGING, on_ray, None, "ray", users="100").created == 0


def test_a_failing_ray_shard_gives_the_local_error_and_commits_nothing_of_its_step(
    cluster: Any, urls: tuple[str, str, str]
) -> None:
    """Order 700 of 1000 (shard 2's range) breaks a CHECK: the located error of ``--shards``,
    no shard of the orders committed, and without the CHECK a re-run creates exactly the orders."""
    serial, forked, on_ray = urls
    _apply(STAGING, serial, None, users="100")
    errors = []
    for url, engine in ((forked, "local"), (on_ray, "ray")):
        _apply(STAGING, url, None, users="0")  # the tables
        run_sql(url, "ALTER TABLE orders ADD CONSTRAINT not_700 CHECK (number <> 'ORD000000000700')")
        with pytest.raises(seedspec.SeedspecError) as failed:
            _apply(STAGING, url, 2, engine, users="100")
        errors.append(failed.value)
        assert _count(url, "users") == 100
        assert _count(url, "orders") == 0
    local, ray_error = errors
    assert type(ray_error) is type(local)
    assert ray_error.diagnostics == local.diagnostics
    assert "not_700" in str(ray_error)
    assert "refused row 700 of step 'order<user'" in str(ray_error)
    assert "[shard 2/2]" in str(ray_error)
    assert ray_error.diagnostics[0].location is not None
    run_sql(on_ray, "ALTER TABLE orders DROP CONSTRAINT not_700")
    assert _apply(STAGING, on_ray, 2, "ray", users="100").created == 1000
    assert _orders(on_ray) == _orders(serial)


def test_a_ray_worker_killed_mid_step_fails_the_apply_and_commits_nothing_of_its_step(
    cluster: Any, urls: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    serial, on_ray, _ = urls
    _apply(STAGING, serial, None, users="100")
    monkeypatch.setenv(KILL_ENV, "order<user:2")  # the task kills its worker (SIGKILL) once it has written
    with pytest.raises(seedspec.SeedspecError) as lost:
        _apply(STAGING, on_ray, 2, "ray", users="100")
    diagnostic = lost.value.diagnostics[0]
    assert diagnostic.code == "E750"
    assert diagnostic.message.startswith(
        "shard 2/2 of step 'order<user' (table orders) was lost: its Ray task"
    )
    assert "no shard of this step committed" in (diagnostic.hint or "")
    assert _count(on_ray, "users") == 100
    assert _count(on_ray, "orders") == 0
    monkeypatch.delenv(KILL_ENV)
    assert _apply(STAGING, on_ray, 2, "ray", users="100").created == 1000
    assert _orders(on_ray) == _orders(serial)


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = seedspec.create_engine(url)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.exec_driver_sql(query)]
    finally:
        engine.dispose()


def _count(url: str, table: str) -> int:
    return int(_rows(url, f"SELECT count(*) FROM {table}")[0][0])  # type: ignore[call-overload]


def _orders(url: str) -> list[tuple[object, ...]]:
    """The orders without their ids (rows a re-run creates take new ones), with their user's."""
    return _rows(url, "SELECT number, user_id, total, status, placed_at FROM orders ORDER BY number")
