"""``apply --shards N`` on PostgreSQL: the same tables as a serial apply, a re-apply creates
nothing, and a run killed (kill -9) after a shard committed is finished by running it again.
Elsewhere, and for steps that cannot shard, the run is serial and the report says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import EXAMPLES, ROOT, run_sql

import seedspec
from seedspec.database.shardstep import KILL_ENV, PAUSE_ENV

pytestmark = pytest.mark.postgres
BENCH = ROOT / "benchmarks"
STAGING = BENCH / "staging.yaml"


WORKLOAD_ENV = {"WORKLOAD_DDL": "workload.postgresql.sql", "N": "200"}


def _apply(spec: Path, url: str, shards: int | None, **params: str) -> seedspec.Report:
    engine = seedspec.create_engine(url)
    try:
        env = WORKLOAD_ENV if spec.name == "workload.yaml" else None
        loaded = seedspec.load(spec, env, params=params or None)
        return seedspec.apply(loaded, engine, create=True, shards=shards, workers=0)
    finally:
        engine.dispose()


def _same_as_serial(spec: Path, postgres_url: str, second_url: str, **params: str) -> seedspec.Report:
    serial = _apply(spec, postgres_url, None, **params)
    sharded = _apply(spec, second_url, 4, **params)
    assert [s.created for s in sharded.steps] == [s.created for s in serial.steps]
    assert dump(second_url) == dump(postgres_url)
    again = _apply(spec, second_url, 4, **params)
    assert again.created == 0
    assert dump(second_url) == dump(postgres_url)
    return sharded


@pytest.fixture
def second_url(new_db_url: object) -> str:
    return new_db_url("postgresql")  # type: ignore[operator]


def test_a_sharded_step_loads_the_rows_of_a_serial_apply(postgres_url: str, second_url: str) -> None:
    report = _same_as_serial(STAGING, postgres_url, second_url, users="300")
    assert _indexes(second_url) == ALL_INDEXES
    assert report.notes == (
        "step 'user': 4 shards over as many connections",
        "step 'order<user': 4 shards over as many connections",
    )


def test_the_benchmark_workload_gives_the_same_tables(postgres_url: str, second_url: str) -> None:
    report = _same_as_serial(BENCH / "workload.yaml", postgres_url, second_url)
    assert report.notes == tuple(
        f"step '{step}': 4 shards over as many connections"
        for step in ("user", "tag", "post<user", "post_tag<post")
    )


@pytest.mark.parametrize(
    "example", ["growth/growth.yaml", "tenants/tenants.yaml", "apps/shop/shop.yaml", "apps/blog/blog.yaml"]
)
def test_example_specs_give_the_same_tables(example: str, postgres_url: str, second_url: str) -> None:
    spec = EXAMPLES / example
    assert spec.exists(), spec
    _same_as_serial(spec, postgres_url, second_url)


def test_the_steps_of_an_aggregate_run_serially_and_say_why(postgres_url: str, second_url: str) -> None:
    """An order's total is counted from its items in this process: the items' and the orders'
    steps are not sharded (forked shards would count their items where nobody reads them)."""
    report = _same_as_serial(EXAMPLES / "apps" / "shop" / "shop.yaml", postgres_url, second_url)
    assert any("counted in the aggregate order.total" in n or "order.item_count" in n for n in report.notes)
    assert any("is an aggregate, set after its children" in n for n in report.notes)


def test_sqlite_runs_serially_and_says_so(sqlite_url: str) -> None:
    engine = seedspec.create_engine(sqlite_url)
    try:
        loaded = seedspec.load(BENCH / "workload.yaml", {"N": "20"})
        report = seedspec.apply(loaded, engine, create=True, shards=2, workers=0)
    finally:
        engine.dispose()
    assert report.created == 16 * 20 + 50
    assert report.notes == (
        "--shards 2: every step ran serially, in one transaction: sqlite has no COPY: only "
        "PostgreSQL loads over several connections",
    )


def test_shards_need_an_engine(postgres_url: str) -> None:
    engine = seedspec.create_engine(postgres_url)
    try:
        with engine.connect() as connection, pytest.raises(ValueError, match="needs an Engine"):
            seedspec.apply(seedspec.load(STAGING), connection, create=True, shards=2)
    finally:
        engine.dispose()


def _orders(url: str) -> list[tuple[object, ...]]:
    """The orders without their ids (rows a re-run creates take new ones), with their user's."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as c:
            query = "SELECT number, user_id, total, status, placed_at FROM orders ORDER BY number"
            return [tuple(r) for r in c.exec_driver_sql(query)]
    finally:
        engine.dispose()


def _count(url: str, table: str) -> int:
    engine = seedspec.create_engine(url)
    try:
        with engine.connect() as c:
            return int(c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)
    except sa.exc.ProgrammingError:  # the table is not created yet
        return 0
    finally:
        engine.dispose()


def _indexes(url: str) -> list[str]:
    engine = seedspec.create_engine(url)
    try:
        with engine.connect() as c:
            query = "SELECT indexname FROM pg_indexes WHERE tablename = 'orders'"
            query += " AND schemaname = current_schema() ORDER BY 1"
            return [str(name) for name in c.exec_driver_sql(query).scalars()]
    finally:
        engine.dispose()


ALL_INDEXES = ["orders_number_key", "orders_pkey", "orders_placed_at", "orders_user_id"]


@pytest.mark.parametrize("defer", [False, True], ids=["indexes-kept", "defer-indexes"])
def test_a_run_killed_after_a_shard_committed_is_finished_by_a_rerun(
    defer: bool, postgres_url: str, second_url: str
) -> None:
    _apply(STAGING, postgres_url, None, users="400")
    command = [sys.executable, "-m", "seedspec", "apply", str(STAGING), "--create", "--shards", "4"]
    command += ["--set", "users=400", "--database-url", second_url, "-j", "0"]
    command += ["--defer-indexes"] if defer else []
    env = {**os.environ, PAUSE_ENV: "order<user:1:60", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _count(second_url, "orders") == 0:  # the users committed, then shard 1 of the orders
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no shard committed in time"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    time.sleep(0.5)  # the shard processes die with their parent (PR_SET_PDEATHSIG)
    half = _count(second_url, "orders")
    assert half == 1000, "killed after shard 1 of 4 committed, the others not begun"
    if defer:  # dropped, and recorded: the re-run (serial here) rebuilds them first
        assert _indexes(second_url) == ["orders_number_key", "orders_pkey"]
    rerun = _apply(STAGING, second_url, None if defer else 4, users="400")
    assert rerun.created == 4000 - half
    assert _indexes(second_url) == ALL_INDEXES
    if defer:
        assert rerun.notes == ("2 indexes that an interrupted apply had dropped were rebuilt first",)
    assert _orders(second_url) == _orders(postgres_url)
    assert _count(second_url, "users") == 400
    assert _apply(STAGING, second_url, 4, users="400").created == 0


def test_a_shard_process_killed_mid_step_fails_the_apply_at_once(postgres_url: str, second_url: str) -> None:
    """Shard 2 of 3 of the orders dies by SIGKILL after writing its rows, before the barrier (as
    the OOM killer would): the apply fails in seconds, naming it, and no shard of that step has
    committed (the users, a step before, have); a re-run creates exactly the orders."""
    _apply(STAGING, postgres_url, None, users="400")
    command = [sys.executable, "-m", "seedspec", "apply", str(STAGING), "--create", "--shards", "3"]
    command += ["--set", "users=400", "--database-url", second_url, "-j", "0"]
    env = {**os.environ, KILL_ENV: "order<user:2", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stderr
    lost = "error E750: shard 2/3 of step 'order<user' (table orders) was lost: its process was killed"
    assert f"{lost} by SIGKILL" in done.stderr
    assert "no shard of this step committed (the others were rolled back)" in done.stderr
    assert "run the same apply again" in done.stderr
    assert _count(second_url, "users") == 400
    assert _count(second_url, "orders") == 0
    rerun = _apply(STAGING, second_url, 3, users="400")
    assert rerun.created == 4000
    assert _orders(second_url) == _orders(postgres_url)
    assert _apply(STAGING, second_url, 3, users="400").created == 0


def test_a_failing_shard_rolls_back_the_others(postgres_url: str, second_url: str) -> None:
    """Order 3500 of 4000 (the last shard's range) breaks a CHECK: the located error of a serial
    apply, no shard of the step committed; without the CHECK a re-run creates exactly the orders."""
    _apply(STAGING, postgres_url, None, users="400")
    _apply(STAGING, second_url, None, users="0")  # the tables
    run_sql(second_url, "ALTER TABLE orders ADD CONSTRAINT not_3500 CHECK (number <> 'ORD000000003500')")
    with pytest.raises(seedspec.SeedspecError) as sharded:
        _apply(STAGING, second_url, 4, users="400")
    message = str(sharded.value)
    assert "not_3500" in message, message
    assert "[shard 4/4]" in message, message
    assert "order<user" in message, message
    assert sharded.value.diagnostics[0].location is not None
    assert _count(second_url, "users") == 400
    assert _count(second_url, "orders") == 0
    run_sql(second_url, "ALTER TABLE orders DROP CONSTRAINT not_3500")
    assert _apply(STAGING, second_url, 4, users="400").created == 4000
    assert _orders(second_url) == _orders(postgres_url)


def test_a_shard_process_killed_from_outside_fails_the_apply_at_once(
    postgres_url: str, second_url: str, tmp_path: Path
) -> None:
    """kill -9 of one shard process (not the apply) while it holds its rows uncommitted."""
    _apply(STAGING, postgres_url, None, users="200")
    marker = tmp_path / "shard.pid"
    command = [sys.executable, "-m", "seedspec", "apply", str(STAGING), "--create", "--shards", "2"]
    command += ["--set", "users=200", "--database-url", second_url, "-j", "0"]
    env = {**os.environ, KILL_ENV: f"order<user:2:{marker}", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() or not marker.read_text():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the shard never reached its rows"
            time.sleep(0.05)
        shard = int(marker.read_text())
        assert shard != process.pid
        os.kill(shard, signal.SIGKILL)
        killed = time.monotonic()
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert time.monotonic() - killed < 15, "noticed at once, not after a timeout"
    assert process.returncode == 1, stderr
    assert "error E750: shard 2/2 of step 'order<user' (table orders) was lost" in stderr
    assert "killed by SIGKILL" in stderr
    assert (_count(second_url, "users"), _count(second_url, "orders")) == (200, 0)
    assert _apply(STAGING, second_url, 2, users="200").created == 2000
    assert _orders(second_url) == _orders(postgres_url)
