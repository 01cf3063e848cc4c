"""A ref whose column is in the lookup key cannot be deferred, however the ref is spelled.

A deferred column is NULL when its row is inserted and looked up; when that column is part of the
lookup key, the row goes in without it. Spelled with the column (``department_id: {ref: ...}``)
such a cycle was refused with E332; spelled with the relationship (``department: {ref: ...}``)
the cycle breaker read field names, deferred it, and apply left the column NULL in every row.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.errors import SpecInvalid

DDL = """\
CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  manager_id INTEGER NOT NULL UNIQUE REFERENCES employees (id)
);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  badge TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id),
  UNIQUE (department_id, badge)
);
"""

SPEC = """\
version: 1
factories:
  department:
    table: departments
    key: [code]
    fields:
      code: {sequence: "D{n}"}
      manager_id: {ref: employee, pick: round_robin}  # a UNIQUE column: two departments, two managers
  employee:
    table: employees%s
    fields:
      badge: {sequence: "E{n}"}
      %s: {ref: department}
seed:
  - factory: employee
    count: 4
  - factory: department
    count: 2
"""


def _database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in DDL.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
    return url


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("field", ["department_id", "department"], ids=["column", "relationship"])
def test_a_key_column_in_an_unbreakable_cycle_is_e332_and_nothing_is_written(
    field: str, tmp_path: Path
) -> None:
    url = _database(tmp_path)
    (tmp_path / "spec.yaml").write_text(SPEC % ("", field), encoding="utf-8")
    spec = seedspec.load(tmp_path / "spec.yaml")
    engine = seedspec.create_engine(url)
    try:
        with pytest.raises(SpecInvalid) as caught:
            seedspec.apply(spec, engine)
    finally:
        engine.dispose()
    (problem,) = caught.value.diagnostics
    assert problem.code == "E332"
    assert "employees.department_id is in the lookup key of 'employee'" in problem.message
    assert _rows(url, "SELECT count(*) FROM employees") == [(0,)]
    assert _rows(url, "SELECT count(*) FROM departments") == [(0,)]


@pytest.mark.parametrize("field", ["department_id", "department"], ids=["column", "relationship"])
def test_with_a_key_that_leaves_it_out_the_ref_is_deferred_and_set(field: str, tmp_path: Path) -> None:
    url = _database(tmp_path)
    (tmp_path / "spec.yaml").write_text(SPEC % ("\n    key: [badge]", field), encoding="utf-8")
    engine = seedspec.create_engine(url)
    try:
        report = seedspec.apply(seedspec.load(tmp_path / "spec.yaml"), engine)
    finally:
        engine.dispose()
    assert [(s.table, s.created) for s in report.steps] == [("employees", 4), ("departments", 2)]
    orphans = "SELECT count(*) FROM employees e LEFT JOIN departments d ON d.id = e.department_id"
    assert _rows(url, orphans + " WHERE d.id IS NULL") == [(0,)]
    assert _rows(url, "SELECT count(DISTINCT manager_id) FROM departments") == [(2,)]
