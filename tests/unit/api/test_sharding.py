"""api.sharding: when an apply shards, and where it cannot, the serial run and its note; the
Ray extra refused when missing (the same E718 as build)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT

import seedspec
from seedspec.api import building
from seedspec.api.sharding import sharded
from seedspec.errors import SeedspecError

WORKLOAD = ROOT / "benchmarks" / "workload.yaml"


def test_an_apply_shards_with_more_than_one_shard_or_on_ray() -> None:
    assert not sharded(None, "local")
    assert not sharded(1, "local")
    assert sharded(2, "local")
    assert sharded(None, "ray")
    assert not sharded(1, "ray")


def _apply(tmp_path: Path, **options: object) -> seedspec.Report:
    engine = seedspec.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        return seedspec.apply(seedspec.load(WORKLOAD, {"N": "5"}), engine, create=True, workers=0, **options)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_ray_on_sqlite_runs_serially_and_says_so_without_a_cluster(tmp_path: Path) -> None:
    report = _apply(tmp_path, engine="ray", shards=3)
    assert report.created == 16 * 5 + 50
    assert report.notes == (
        "--engine ray --shards 3: every step ran serially, in one transaction: sqlite has no COPY: "
        "only PostgreSQL loads over several connections",
    )


def test_ray_without_the_extra_is_e718(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(building.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SeedspecError) as raised:
        _apply(tmp_path, engine="ray")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E718"
    assert diagnostic.message == "--engine ray needs the 'ray' package, which is not installed"
    assert diagnostic.hint == "install seedspec's optional extra: pip install 'seedspec[ray]'"
    assert not (tmp_path / "db.sqlite").exists()  # refused before connecting


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engine one of"):
        _apply(tmp_path, engine="spark")
