"""Scaffolding: new spec, new factory, init."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import write_spec

from seedspec.api import scaffolding, specs
from seedspec.errors import SeedspecError


def test_new_spec_then_a_factory_from_its_ddl(tmp_path: Path) -> None:
    written = scaffolding.new_spec(tmp_path / "dev.yaml")
    assert {p.name for p in written} == {"dev.yaml", "schema.sql"}
    with pytest.raises(SeedspecError) as exists:
        scaffolding.new_spec(tmp_path / "dev.yaml")
    assert exists.value.diagnostics[0].code == "E800"


def test_new_factory_dry_run_leaves_the_file_alone(tmp_path: Path) -> None:
    path = write_spec(tmp_path)
    before = path.read_text()
    done = scaffolding.new_factory(path, "users", "member", write=False)
    assert done.draft.table == "users"
    assert "member:" in done.block
    assert path.read_text() == before


def test_init_drafts_a_spec_from_a_database(tmp_path: Path) -> None:
    engine = specs.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    done = scaffolding.init_spec(engine, out=tmp_path / "seeds.yaml", count=4)
    assert done.path == tmp_path / "seeds.yaml"
    assert "table: teams" in done.text
    with pytest.raises(SeedspecError) as bad:
        scaffolding.init_spec(engine, out=tmp_path / "seeds.txt")
    assert bad.value.diagnostics[0].code == "E811"
