"""Several shards of one build: in this process, their reports merged into one."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES

import seedspec
from seedspec.api import building
from seedspec.api.building import BuildJob, build, require_extra
from seedspec.api.shards import build_shards, merged
from seedspec.api.specs import table_definitions
from seedspec.errors import SeedspecError
from seedspec.generation.shards import Shard
from seedspec.outcome import BuildReport, StepReport

LIBRARY = EXAMPLES / "library" / "library.toml"


def _report(shard: str, created: int) -> BuildReport:
    step = StepReport(step="a", factory="a", table="t", created=created, duplicate=1)
    return BuildReport(
        spec="s",
        format="jsonl",
        dialect="sqlite",
        destination="out",
        steps=(step,),
        files=(f"t/{shard}",),
        shards=(shard,),
    )


def test_merged_reports_sum_the_counts_and_keep_every_file() -> None:
    report = merged([_report("1/2", 3), _report("2/2", 4)], engine="ray")
    assert (report.steps[0].created, report.steps[0].duplicate) == (7, 2)
    assert report.files == ("t/1/2", "t/2/2")
    assert (report.shards, report.engine) == (("1/2", "2/2"), "ray")


def test_local_shards_refuse_to_overwrite_any_part_before_writing(tmp_path: Path) -> None:
    spec = seedspec.load(LIBRARY)
    job = BuildJob(spec, "jsonl", "sqlite", None, table_definitions(spec, None))
    job.run(Shard(2, 2), directory=tmp_path, workers=0)
    with pytest.raises(SeedspecError) as raised:
        build_shards(job, tmp_path, shards=2, engine="local", force=False, workers=0)
    assert raised.value.diagnostics[0].code == "E717"
    assert not (tmp_path / "authors" / "part-1-of-2.jsonl").exists()


def test_a_missing_extra_is_a_located_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(building.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SeedspecError) as raised:
        require_extra("parquet", "local")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E718"
    assert "pip install 'seedspec[parquet]'" in diagnostic.hint
    with pytest.raises(SeedspecError) as raised:
        build(seedspec.load(LIBRARY), "jsonl", out="unused", shards=2, engine="ray")
    assert "seedspec[ray]" in raised.value.diagnostics[0].hint
