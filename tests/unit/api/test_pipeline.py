"""The commands on a database: plan, plan_against, apply, reset (SQLite files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import write_spec

from seedspec.api import building, pipeline, specs
from seedspec.errors import SpecInvalid
from seedspec.spec import validation


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


@pytest.mark.parametrize("command", ["plan", "apply", "build", "reset"])
def test_a_command_validates_once_then_checks_only_what_the_tables_decide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    full: list[object] = []
    tables_only: list[object] = []
    whole, against = validation.check_semantics, validation.check_against_tables
    monkeypatch.setattr(validation, "check_semantics", lambda d, c, b=None: full.append(c) or whole(d, c, b))
    monkeypatch.setattr(
        validation, "check_against_tables", lambda d, c: tables_only.append(c) or against(d, c)
    )
    spec = specs.load(write_spec(tmp_path))
    engine = specs.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    if command == "plan":
        pipeline.plan(spec)
    elif command == "apply":
        pipeline.apply(spec, engine, create=True)
    elif command == "build":
        building.build(spec, "json", out=tmp_path / "out")
    else:
        pipeline.apply(spec, engine, create=True)
        full.clear()
        tables_only.clear()
        pipeline.reset(spec, engine)
    engine.dispose()
    assert full == [None]  # the whole spec once, before any table is read (no user code imported twice)
    assert len(tables_only) == 1  # then only the checks the tables decide, with the tables
    assert tables_only[0] is not None
