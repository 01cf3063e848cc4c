"""A DDL file written for one database (``tables: {ddl: ..., dialect: ...}``), applied with
``--create`` on SQLite, PostgreSQL and MariaDB as written, and validated offline in its own dialect."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, run_cli

from seedspec.api.specs import check, known_tables, load

PG_SCHEMA = """\
CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok');
CREATE DOMAIN short_name AS varchar(50) CHECK (VALUE <> '');

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    name short_name NOT NULL,
    feeling mood NOT NULL DEFAULT 'ok',
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

CREATE TABLE posts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id INTEGER NOT NULL,
    slug VARCHAR(200) NOT NULL,
    CONSTRAINT posts_slug UNIQUE (slug),
    CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id)
);
"""

PG_SPEC = """\
version: 1
tables: {ddl: schema.sql, dialect: postgresql}
settings: {seed: 1}
factories:
  user:
    table: users
    fields:
      email: {sequence: "user{n}@example.com"}
      name: {faker: first_name}
  post:
    table: posts
    fields:
      user_id: {ref: user}
      slug: {sequence: "post-{n}"}
seed:
  - factory: user
    count: 3
  - factory: post
    for_each: user
    count: 2
"""


def _apply(project: Path, spec: str, url: str) -> tuple[int, str, str]:
    """``seedspec apply SPEC --create`` in its own process (the CLI's engines end with it)."""
    done = run_cli("apply", spec, "--create", "--database-url", url, cwd=project)
    return done.returncode, done.stdout, done.stderr


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize(("example", "spec", "users", "posts"), [("starter", "dev.yaml", 11, 22)])
def test_the_starter_applies_as_written_on_each_database(
    example: str,
    spec: str,
    users: int,
    posts: int,
    db_url: str,
    tmp_path: Path,
) -> None:
    project = shutil.copytree(EXAMPLES / example, tmp_path / example)
    assert _apply(project, spec, db_url)[0] == 0
    assert (_count(db_url, "users"), _count(db_url, "posts")) == (users, posts)
    assert "total           0" in _apply(project, spec, db_url)[1]
    assert (_count(db_url, "users"), _count(db_url, "posts")) == (users, posts)


def test_the_tutorial_schema_applies_as_written_on_each_database(db_url: str, tmp_path: Path) -> None:
    project = shutil.copytree(EXAMPLES / "tutorial" / "seeds", tmp_path / "seeds")
    assert _apply(project, "dev.yaml", db_url)[0] == 0
    users = _count(db_url, "users")
    assert users > 0
    assert "total           0" in _apply(project, "dev.yaml", db_url)[1]
    assert _count(db_url, "users") == users


def test_a_postgresql_ddl_creates_its_tables_on_each_database(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(PG_SCHEMA)
    (tmp_path / "dev.yaml").write_text(PG_SPEC)
    assert _apply(tmp_path, "dev.yaml", db_url)[0] == 0
    assert (_count(db_url, "users"), _count(db_url, "posts")) == (3, 6)
    assert "total           0" in _apply(tmp_path, "dev.yaml", db_url)[1]
    assert (_count(db_url, "users"), _count(db_url, "posts")) == (3, 6)


def test_a_postgresql_ddl_validates_offline_in_its_own_dialect(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(PG_SCHEMA)
    (tmp_path / "dev.yaml").write_text(PG_SPEC)
    spec = load(tmp_path / "dev.yaml")
    assert check(spec) == ()
    catalog = known_tables(spec)
    assert catalog is not None
    users = catalog.tables["users"]
    assert [(c.name, c.has_default) for c in users.columns if c.has_default] == [
        ("id", True),
        ("feeling", True),
        ("created_at", True),
    ]
    feeling = users.column("feeling")
    assert feeling is not None
    assert feeling.labels == ("happy", "sad", "ok")
    name = users.column("name")
    assert name is not None
    assert (name.kind, name.length) == ("str", 50)
    posts_id = catalog.tables["posts"].column("id")
    assert posts_id is not None
    assert posts_id.has_default


def test_without_its_dialect_a_postgresql_ddl_is_not_read_as_sqlite(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(PG_SCHEMA)
    (tmp_path / "dev.yaml").write_text(PG_SPEC.replace(", dialect: postgresql", ""))
    codes = [d.code for d in check(load(tmp_path / "dev.yaml"))]
    assert codes == ["E402"]


def test_a_filled_column_sqlite_cannot_fill_is_a_located_error(sqlite_url: str, tmp_path: Path) -> None:
    schema = PG_SCHEMA.replace(
        "    slug VARCHAR(200) NOT NULL,", "    slug VARCHAR(200) NOT NULL,\n    n BIGSERIAL,"
    )
    (tmp_path / "schema.sql").write_text(schema)
    (tmp_path / "dev.yaml").write_text(PG_SPEC)
    assert check(load(tmp_path / "dev.yaml")) == ()  # offline, PostgreSQL fills it
    code, _, err = _apply(tmp_path, "dev.yaml", sqlite_url)
    assert code == 1
    assert "schema.sql:12:1: error E329: sqlite fills only a single-column primary key" in err
    assert "'posts.n'" in err


@pytest.mark.postgres
def test_a_sqlite_ddl_without_its_dialect_on_postgresql_says_how_to_number_the_key(
    postgres_url: str, tmp_path: Path
) -> None:
    project = shutil.copytree(EXAMPLES / "starter", tmp_path / "starter")
    spec = project / "dev.yaml"
    spec.write_text(spec.read_text().replace("  dialect: sqlite", "  # dialect: sqlite"))
    code, _, err = _apply(project, "dev.yaml", postgres_url)
    assert code == 1
    assert "error E314: column 'users.id' is NOT NULL without a default" in err
    assert "declare the key as 'id SERIAL PRIMARY KEY'" in err
    assert "add a field 'id'" not in err
