"""Parallel Faker draws and key-first re-applies give exactly the rows of a plain serial run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from dbdump import dump

import seedspec
from seedspec.generation.prefetch import MIN_VALUES

WORKLOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "workload.yaml"
USERS = 1500  # 16 N + 50 rows; enough Faker values for workers to be used (checked below)


def apply_workload(url: str, users: int, workers: int) -> seedspec.Report:
    env = {"N": str(users)}
    if url.startswith("postgresql"):
        env["WORKLOAD_DDL"] = "workload.postgresql.sql"  # identity ids
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(seedspec.load(WORKLOAD, env), engine, create=True, workers=workers)
    finally:
        engine.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_workload_is_big_enough_for_workers() -> None:
    assert USERS * 4 >= MIN_VALUES // 4  # users: 4 Faker fields each


def test_parallel_draws_give_byte_identical_tables(kind: str, new_db_url: Callable[[str], str]) -> None:
    serial, parallel = new_db_url(kind), new_db_url(kind)
    apply_workload(serial, USERS, workers=0)
    apply_workload(parallel, USERS, workers=2)
    assert dump(parallel) == dump(serial)


def test_a_key_first_reapply_after_growth_equals_a_fresh_apply(
    kind: str, new_db_url: Callable[[str], str]
) -> None:
    grown, fresh = new_db_url(kind), new_db_url(kind)
    apply_workload(grown, USERS - 300, workers=2)
    report = apply_workload(grown, USERS, workers=2)  # tables not empty: key first
    assert report.created == 16 * 300
    assert report.existing == 16 * (USERS - 300) + 50
    apply_workload(fresh, USERS, workers=0)
    assert dump(grown) == dump(fresh)
    again = apply_workload(grown, USERS, workers=2)
    assert again.created == 0
    assert dump(grown) == dump(fresh)
