"""A ``uuid`` inside conditions on real databases: a v7 id two ``when``s deep reads its ``time``
column, written after it in the spec, so the column is drawn first (the id carries the row's
time, never a NULL one), and a re-apply finds every row."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from helpers import assert_idempotent

SPEC = """\
version: 1
tables: {ddl: schema.sql}
settings: {seed: 3, now: "2025-01-01T00:00:00"}
factories:
  thing:
    table: things
    key: [name]
    fields:
      id:
        when: "kind == 'a'"
        then: {uuid: v5}
        else:
          when: "kind == 'b'"
          then: {uuid: v7, time: created_at}   # two whens deep, reading a later field
          else: {uuid: v5}
      name: {sequence: "t{n}"}
      kind: {choice: [a, b, c]}
      created_at: {range: ["-1y", "now"]}
seed:
  - factory: thing
    count: 30
"""
SCHEMA = (
    "CREATE TABLE things (id {id} PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE, "
    "kind VARCHAR(1) NOT NULL, created_at TIMESTAMP NOT NULL);"
)
ID_TYPES = {"sqlite": "TEXT", "postgresql": "UUID", "mariadb": "CHAR(36)"}


def test_a_v7_uuid_two_whens_deep_carries_its_rows_time(tmp_path: Path, db_kind: str, db_url: str) -> None:
    (tmp_path / "schema.sql").write_text(SCHEMA.format(id=ID_TYPES[db_kind]), encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    assert assert_idempotent(tmp_path / "spec.yaml", db_url).created == 30
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, kind, created_at FROM things")).all()
    finally:
        engine.dispose()
    by_kind = {k: [(uuid.UUID(str(i)), t) for i, kind, t in rows if kind == k] for k in "abc"}
    assert all(by_kind.values())  # every branch was taken, so each check below can fail
    assert {i.version for i, _ in by_kind["a"] + by_kind["c"]} == {5}
    for i, at in by_kind["b"]:
        assert i.version == 7
        moment = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        millis = int(moment.replace(tzinfo=dt.UTC).timestamp() * 1000)
        assert i.int >> 80 == millis  # the time part is the row's created_at
