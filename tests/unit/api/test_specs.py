"""The spec functions of the API: load, validate, check, table definitions, compile."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import USER_SPEC as SPEC
from samples import write_spec

from seedspec.api import specs
from seedspec.errors import SpecInvalid


def test_a_valid_spec_compiles_against_its_ddl(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path))
    assert specs.check(spec) == ()
    plan = specs.compile(spec, specs.table_definitions(spec, None), "sqlite")
    assert [(s.table, s.count) for s in plan.steps] == [("users", 3)]


def test_an_unknown_column_is_an_error_only_with_tables(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path, SPEC.replace("name: {faker", "nom: {faker")))
    assert not any(d.severity.name == "ERROR" for d in specs.validate(spec))
    with pytest.raises(SpecInvalid):
        specs.compile(spec, specs.table_definitions(spec, None))


def test_database_url_defaults_to_a_file_next_to_the_spec(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path))
    assert specs.database_url(spec) == f"sqlite:///{tmp_path / 'seeds.db'}"
    assert specs.database_url(spec, "postgresql://h/db") == "postgresql://h/db"


def test_a_missing_sqlite_file_is_no_database(tmp_path: Path) -> None:
    assert not specs.database_exists(f"sqlite:///{tmp_path / 'none.db'}")
    assert specs.database_exists("sqlite://")
    assert specs.database_exists("postgresql://h/db")
