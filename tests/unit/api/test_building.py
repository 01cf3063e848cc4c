"""build: the rows apply would write, as files."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import write_spec

from seedspec.api import building, specs
from seedspec.errors import SeedspecError


def test_build_writes_a_file_per_table_and_keeps_them(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path))
    report = building.build(spec, "jsonl", out=tmp_path / "out", workers=0)
    assert [Path(f).name for f in report.files] == ["users.jsonl"]
    assert len((tmp_path / "out" / "users.jsonl").read_text().splitlines()) == 3
    with pytest.raises(SeedspecError) as kept:
        building.build(spec, "jsonl", out=tmp_path / "out", workers=0)
    assert kept.value.diagnostics[0].code == "E717"


def test_the_default_dialect_is_that_of_the_database_url(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path))
    assert building.default_dialect(spec) == "sqlite"
    assert building.default_dialect(spec, "postgresql+psycopg://h/db") == "postgresql"
    assert building.default_dialect(spec, "postgres://h/db") == "postgresql"
    assert building.default_dialect(spec, "mariadb://h/db") == "mariadb"
    assert building.default_dialect(spec, "oracle://h/db") == "sqlite"
