"""The commands on a database: plan, plan_against, apply, reset (SQLite files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.api import pipeline, specs
from seedspec.errors import SpecInvalid

SPEC = """\
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    fields:
      name: {faker: name}
seed:
  - {factory: user, count: 3}
"""


def write_spec(folder: Path, text: str = SPEC) -> Path:
    (folder / "schema.sql").write_text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")
    spec = folder / "seeds.yaml"
    spec.write_text(text)
    return spec


def test_apply_then_plan_against_then_reset(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path))
    engine = specs.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    report = pipeline.apply(spec, engine, create=True, workers=0)
    assert report.steps[0].created == 3
    _, again = pipeline.plan_against(spec, engine)
    assert not again.pending
    emptied = pipeline.reset(spec, engine)
    assert dict(emptied.reset) == {"users": 3}


def test_plan_against_a_database_without_the_table_is_e310(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path))
    engine = specs.create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(SpecInvalid) as caught:
        pipeline.plan_against(spec, engine)
    assert caught.value.diagnostics[0].code == "E310"


def test_plan_validates_before_the_tables_then_against_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # still two passes: the second (with the tables) should become catalog checks only (see issue 13)
    calls: list[object] = []
    validate = specs.validate_document
    monkeypatch.setattr(specs, "validate_document", lambda *a: calls.append(a[2]) or validate(*a))
    pipeline.plan(specs.load(write_spec(tmp_path)))
    assert [c is None for c in calls] == [True, False]
