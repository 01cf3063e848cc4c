"""after_create hooks: SQL gets each created row's parameters, a Python function the rows and
the connection; any failure is the user's (E508), an unusable hook is E509."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.hooks import HookError, HookRunner
from seedspec.database.statements import table_of

HOOKED = """
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    key: [email]
    fields: {email: {sequence: "u{n}@example.com"}}
    after_create:
      - sql: "INSERT INTO log (what) VALUES (:email)"
      - python: %s:record
seed:
  - {factory: user, count: 2}
"""

SCHEMA = """
CREATE TABLE users (id ID_COLUMN, email VARCHAR(50) NOT NULL UNIQUE, age INTEGER);
CREATE TABLE log (what VARCHAR(50));
"""


def test_sql_and_python_hooks_run_on_the_created_rows(
    prepare: Callable[..., Any], sqlite_url: str, tmp_path: Path
) -> None:
    (tmp_path / "hooks_ok.py").write_text(
        "SEEN = []\ndef record(rows, connection):\n    SEEN.extend(r['email'] for r in rows)\n"
    )
    compiled = prepare(sqlite_url, SCHEMA, HOOKED % "hooks_ok")
    step = compiled.plan.steps[0]
    with compiled.engine.begin() as connection:
        runner = HookRunner(step, table_of(compiled.metadata, step), connection)
        assert runner.columns == ("id", "email", "age")  # a function sees the whole row
        runner.run([{"id": 1, "email": "a@x", "age": None}])
        runner.run([])
        logged = connection.exec_driver_sql("SELECT what FROM log").scalars().all()
    assert logged == ["a@x"]
    import hooks_ok  # type: ignore[import-not-found]  # the spec's own module, found by the hook

    assert hooks_ok.SEEN == ["a@x"]


def test_a_failing_hook_is_e508(prepare: Callable[..., Any], sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "hooks_raising.py").write_text("def record(rows, connection):\n    raise ValueError('no')\n")
    compiled = prepare(sqlite_url, SCHEMA, HOOKED % "hooks_raising")
    step = compiled.plan.steps[0]
    with compiled.engine.begin() as connection:
        runner = HookRunner(step, table_of(compiled.metadata, step), connection)
        with pytest.raises(HookError) as caught:
            runner.run([{"id": 1, "email": "a@x", "age": None}])
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E508"
    assert "'hooks_raising:record'" in diagnostic.message
    assert "ValueError: no" in diagnostic.message


def test_sql_failure_is_e508_and_a_missing_function_e509(
    prepare: Callable[..., Any], sqlite_url: str, tmp_path: Path
) -> None:
    (tmp_path / "hooks_three.py").write_text("record = 3\n")
    compiled = prepare(sqlite_url, SCHEMA, HOOKED % "hooks_three")
    step = compiled.plan.steps[0]
    with compiled.engine.begin() as connection, pytest.raises(HookError) as caught:
        HookRunner(step, table_of(compiled.metadata, step), connection)
    assert caught.value.diagnostics[0].code == "E509"
    assert "not callable" in caught.value.diagnostics[0].message
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE log")
    (tmp_path / "hooks_quiet.py").write_text("def record(rows, connection):\n    pass\n")
    compiled = prepare(sqlite_url, SCHEMA, HOOKED % "hooks_quiet")
    step = compiled.plan.steps[0]
    with compiled.engine.begin() as connection:
        runner = HookRunner(step, table_of(compiled.metadata, step), connection)
        with pytest.raises(HookError) as failed:
            runner.run([{"id": 1, "email": "a@x", "age": None}])
    assert failed.value.diagnostics[0].code == "E508"
    assert "(sql)" in failed.value.diagnostics[0].message
    assert sa.inspect(compiled.engine).get_table_names() == ["users"]
