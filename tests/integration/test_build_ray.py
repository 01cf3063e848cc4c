"""``build --engine ray``: the shards run as tasks of a local Ray cluster (started here) and write
the same files, byte for byte, as the same shards run in this process.

Skipped only where ray is not installed and CI is not set (CI installs it: the test extra).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES

import seedspec
from seedspec.api.building import build

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None and not os.environ.get("CI"),
    reason="ray is not installed (pip install 'seedspec[ray]'); CI runs this test",
)
SPECS = [
    EXAMPLES / "library" / "library.toml",
    EXAMPLES / "design" / "dev.yaml",
    EXAMPLES / "relations" / "relations.yaml",
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A local Ray cluster of two CPUs for the module (build joins the running one)."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_ray_writes_the_files_of_a_local_run(spec: Path, fmt: str, cluster: Any, tmp_path: Path) -> None:
    loaded = seedspec.load(spec)
    on_ray = build(loaded, fmt, out=tmp_path / "ray", shards=3, engine="ray")
    local = build(loaded, fmt, out=tmp_path / "local", shards=3, workers=0)
    assert on_ray.engine == "ray"
    assert on_ray.steps == local.steps
    assert on_ray.shards == ("1/3", "2/3", "3/3")
    files = sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob(f"*.{fmt}"))
    assert files == sorted(p.relative_to(tmp_path / "ray") for p in (tmp_path / "ray").rglob(f"*.{fmt}"))
    assert len(files) >= 3
    for name in files:
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_a_shard_that_fails_on_ray_gives_the_located_error_of_a_local_run(
    cluster: Any, tmp_path: Path
) -> None:
    spec = seedspec.load(EXAMPLES / "cycles" / "cycles.yaml")
    with pytest.raises(seedspec.SeedspecError) as on_ray:
        build(spec, "jsonl", out=tmp_path / "ray", shards=2, engine="ray")
    with pytest.raises(seedspec.SeedspecError) as local:
        build(spec, "jsonl", out=tmp_path / "local", shards=2, workers=0)
    assert type(on_ray.value) is type(local.value)
    assert on_ray.value.diagnostics == local.value.diagnostics
    assert on_ray.value.diagnostics[0].code == "E716"
    assert on_ray.value.diagnostics[0].location is not None


def test_ray_defaults_to_a_shard_per_cpu(cluster: Any, tmp_path: Path) -> None:
    report = build(seedspec.load(SPECS[0]), "jsonl", out=tmp_path, engine="ray")
    assert report.shards == ("1/2", "2/2")
