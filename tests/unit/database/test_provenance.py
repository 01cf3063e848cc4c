"""The state table: created on demand, keys recorded once per spec and table, forgotten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from seedspec.database import provenance
from seedspec.database.provenance import StepKeys


def test_keys_are_recorded_once_and_their_step_follows_the_spec() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        assert not provenance.exists(conn)
        provenance.ensure(conn)
        provenance.ensure(conn)  # twice: nothing happens
        assert provenance.exists(conn)
        keys = {
            "a": StepKeys(table="t", columns=("name", "day"), keys=[("x", dt.date(2025, 1, 2)), ("y", None)])
        }
        provenance.record(conn, "spec", keys)
        provenance.record(
            conn, "spec", {"b": StepKeys(table="t", columns=("name", "day"), keys=[("y", None)])}
        )
        provenance.record(conn, "other", keys)
        owned = provenance.owned(conn, "spec")
        assert [(r.step, r.table, r.columns, r.key) for r in owned] == [
            ("a", "t", ("name", "day"), ("x", "2025-01-02")),
            ("b", "t", ("name", "day"), ("y", None)),
        ]
        provenance.forget(conn, "spec", owned[:1])
        assert [r.key for r in provenance.owned(conn, "spec")] == [("y", None)]
        assert len(provenance.owned(conn, "other")) == 2


def test_a_spec_is_named_by_its_setting_else_its_path_in_the_project(tmp_path: Path) -> None:
    project = tmp_path / "app"
    (project / "seeds").mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    spec = project / "seeds" / "ref.yaml"
    assert provenance.spec_identity(spec, {}) == "seeds/ref.yaml"
    assert provenance.spec_identity(spec, {"id": "reference"}) == "reference"
    assert provenance.key_text(["a", 1, None]) == '["a",1,null]'
