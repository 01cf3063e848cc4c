"""Fixtures of the database room's unit tests: a spec compiled against a real, fresh database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.api import specs as api
from seedspec.ir import Plan

# ``ID_COLUMN`` in a schema: an id the database numbers itself
ID_COLUMNS = {"postgresql": "SERIAL PRIMARY KEY", "mysql": "INTEGER AUTO_INCREMENT PRIMARY KEY"}

USERS_SCHEMA = """
CREATE TABLE users (id ID_COLUMN, email VARCHAR(50) NOT NULL UNIQUE, age INTEGER);
CREATE TABLE posts (
  id ID_COLUMN, user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(40) NOT NULL
);
"""

USERS_SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    key: [email]
    fields:
      email: {sequence: "u{n}@example.com"}
      age: "{{ n + 20 }}"
  post:
    table: posts
    key: [user_id, title]
    fields:
      user_id: {ref: user}
      title: {sequence: "post {n}"}
seed:
  - {factory: user, count: 3}
  - {factory: post, for_each: user, count: 2}
"""


@dataclass
class Compiled:
    """A plan, the tables it writes (created) and an engine on the database."""

    plan: Plan
    metadata: sa.MetaData
    engine: sa.Engine


@pytest.fixture
def prepare(tmp_path: Path) -> Iterator[Callable[..., Compiled]]:
    """``prepare(url, schema_sql=USERS_SCHEMA, spec_yaml=USERS_SPEC)``: the tables made, the spec
    compiled for them (users, and two posts of each)."""
    engines: list[sa.Engine] = []

    def prepare(url: str, schema: str = USERS_SCHEMA, spec: str = USERS_SPEC) -> Compiled:
        backend = sa.make_url(url).get_backend_name()
        schema = schema.replace("ID_COLUMN", ID_COLUMNS.get(backend, "INTEGER PRIMARY KEY"))
        (tmp_path / "schema.sql").write_text(schema, encoding="utf-8")
        (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
        loaded = seedspec.load(tmp_path / "spec.yaml")
        engine = seedspec.create_engine(url)
        engines.append(engine)
        with engine.begin() as connection:
            metadata = api.table_definitions(loaded, connection, create=True)
            plan = api.compile(loaded, metadata, connection.dialect.name)
        return Compiled(plan=plan, metadata=metadata, engine=engine)

    yield prepare
    for engine in engines:
        engine.dispose()
