"""Refs and factories on real databases: an override of a relationship's column wins on every
apply (the key-first path included), and factories on a foreign-key cycle return what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec

SCHEMA = """\
CREATE TABLE users (id %(pk)s, email VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE posts (
    id %(pk)s,
    user_id INTEGER NOT NULL REFERENCES users (id),
    slug VARCHAR(40) NOT NULL UNIQUE
);
"""

POSTS = """\
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    fields: {email: {sequence: "u{n}@x"}}
  post:
    table: posts
    fields:
      user: {ref: user}   # a relationship: fills user_id
      slug: "s-{{ n }}"
seed:
  - {factory: user, count: 2}
  - {factory: post, count: %d, values: {user_id: 2}}
"""


PRIMARY_KEYS = {
    "sqlite": "INTEGER PRIMARY KEY",
    "postgresql": "SERIAL PRIMARY KEY",
    "mysql": "INTEGER AUTO_INCREMENT PRIMARY KEY",
}


def _posts_spec(tmp_path: Path, count: int, backend: str = "sqlite") -> seedspec.LoadedSpec:
    schema = SCHEMA % {"pk": PRIMARY_KEYS[backend]}
    (tmp_path / "schema.sql").write_text(schema, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(POSTS % count, encoding="utf-8")
    return seedspec.load(tmp_path / "spec.yaml")


def _authors(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT user_id FROM posts ORDER BY id")).scalars())


def test_an_override_of_a_relationships_column_wins_when_the_table_has_rows(
    db_url: str, tmp_path: Path
) -> None:
    engine = seedspec.create_engine(db_url)
    backend = engine.url.get_backend_name()
    try:
        seedspec.apply(_posts_spec(tmp_path, 3, backend), engine, create=True)
        seedspec.apply(_posts_spec(tmp_path, 8, backend), engine)  # key-first: the new rows are completed
        assert _authors(engine) == [2] * 8
    finally:
        engine.dispose()


def test_a_factory_override_by_column_or_relationship_sets_the_column(
    sqlite_url: str, tmp_path: Path
) -> None:
    spec = _posts_spec(tmp_path, 1)
    engine = seedspec.create_engine(sqlite_url)
    try:
        seedspec.apply(spec, engine, create=True)
        post = seedspec.factory(spec, "post")
        created = post.create_batch(engine, 3, user_id=1)
        assert [r["user_id"] for r in created] == [1, 1, 1]  # s-0 was stored by apply: numbered past
        assert post.create(engine, user=2)["user_id"] == 2  # the relationship's name: its column
        assert post.make(user=1)["user_id"] == 1
        with pytest.raises(seedspec.SpecInvalid) as caught:
            post.make(user=1, user_id=2)
        assert caught.value.diagnostics[0].code == "E722"
    finally:
        engine.dispose()


CYCLE = """\
version: 1
settings: {seed: 3}
factories:
  department:
    table: departments
    key: [code]
    fields:
      code: {sequence: "D{n:02d}"}
      manager_id: {ref: employee, pick: round_robin}
  employee:
    table: employees
    key: [badge]
    fields:
      badge: {sequence: "E{n:03d}"}
      department_id: {ref: department}
seed:
  - {factory: department, count: 2}
  - {factory: employee, count: 4}
"""


def _cycle(url: str, tmp_path: Path, *, nullable: bool) -> tuple[seedspec.LoadedSpec, sa.Engine]:
    null = "" if nullable else " NOT NULL"
    schema = f"""\
CREATE TABLE departments (
    id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE,
    manager_id INTEGER{null} REFERENCES employees (id)
);
CREATE TABLE employees (
    id INTEGER PRIMARY KEY, badge VARCHAR(10) NOT NULL UNIQUE,
    department_id INTEGER NOT NULL REFERENCES departments (id)
);
"""
    (tmp_path / "schema.sql").write_text(schema, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(CYCLE.replace("version: 1", "version: 1\ntables: {ddl: schema.sql}"))
    engine = seedspec.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a cycle of CREATE TABLEs, in any order
        for statement in schema.split(";")[:-1]:
            conn.exec_driver_sql(statement)
    return seedspec.load(tmp_path / "spec.yaml"), engine


@pytest.mark.parametrize("nullable", [True, False], ids=["null", "not-null"])
def test_create_on_a_cycle_returns_the_deferred_column_as_stored(
    sqlite_url: str, tmp_path: Path, nullable: bool
) -> None:
    spec, engine = _cycle(sqlite_url, tmp_path, nullable=nullable)
    try:
        seedspec.apply(spec, engine)
        created = seedspec.factory(spec, "department").create_batch(engine, 4)
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT id, code, manager_id FROM departments ORDER BY id")).all()
        # four new rows past the two the seed stored (a factory never returns those)
        assert [(r["id"], r["code"], r["manager_id"]) for r in created] == [tuple(r) for r in stored[2:]]
        assert all(r["manager_id"] for r in created)  # set by the UPDATE, not the placeholder
    finally:
        engine.dispose()


def test_create_on_a_cycle_with_no_parents_leaves_a_nullable_ref_null(
    sqlite_url: str, tmp_path: Path
) -> None:
    spec, engine = _cycle(sqlite_url, tmp_path, nullable=True)
    try:
        department = seedspec.factory(spec, "department").create(engine)
        assert (department["code"], department["manager_id"]) == ("D00", None)
        employee = seedspec.factory(spec, "employee").create(engine)
        assert employee["department_id"] == department["id"]
    finally:
        engine.dispose()


def test_create_on_a_cycle_with_no_parents_and_a_not_null_ref_says_what_to_pass(
    sqlite_url: str, tmp_path: Path
) -> None:
    spec, engine = _cycle(sqlite_url, tmp_path, nullable=False)
    try:
        with pytest.raises(seedspec.DatabaseError) as caught:
            seedspec.factory(spec, "department").create(engine)
        (d,) = caught.value.diagnostics
        assert (d.code, d.pointer) == ("E723", "/factories/department/fields/manager_id")
        assert "NOT NULL" in d.message
        assert "pass manager_id=" in d.hint
    finally:
        engine.dispose()


def test_make_gives_none_not_the_placeholder_for_a_ref_that_breaks_a_cycle(tmp_path: Path) -> None:
    spec, engine = _cycle(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, nullable=False)
    engine.dispose()
    assert seedspec.factory(spec, "department").make()["manager_id"] is None
