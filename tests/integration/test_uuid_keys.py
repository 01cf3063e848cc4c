"""``uuid`` keys on real databases: a text column (SQLite TEXT, MariaDB CHAR(36)) and PostgreSQL's
uuid hold the same ids, a re-apply finds every row by them, and a v7 id carries its row's time."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from helpers import assert_idempotent

SPEC = """\
version: 1
tables: {ddl: schema.sql}
settings: {seed: 5}
factories:
  account:
    table: accounts
    key: [id]
    fields:
      id: {uuid: v5}
      email: {sequence: "a{n}@x.test"}
  event:
    table: events
    key: [id]
    fields:
      id: {uuid: v7, time: at}
      account_id: {ref: account}
      at: {range: ["-1y", "now"]}
seed:
  - factory: account
    count: 5
  - factory: event
    for_each: account
    count: 3
"""
SCHEMA = """\
CREATE TABLE accounts (id {id} PRIMARY KEY, email VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE events (
    id {id} PRIMARY KEY,
    account_id {id} NOT NULL REFERENCES accounts (id),
    at TIMESTAMP NOT NULL
);
"""
ID_TYPES = {"sqlite": "TEXT", "postgresql": "UUID", "mariadb": "CHAR(36)"}


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_uuid_keys_are_found_again_and_carry_their_time(tmp_path: Path, db_kind: str, db_url: str) -> None:
    (tmp_path / "schema.sql").write_text(SCHEMA.format(id=ID_TYPES[db_kind]), encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    report = assert_idempotent(tmp_path / "spec.yaml", db_url)
    assert report.created == 20
    accounts = sorted(str(uuid.UUID(str(r[0]))) for r in _rows(db_url, "SELECT id FROM accounts"))
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "seedspec:5")
    assert accounts == sorted(str(uuid.uuid5(namespace, f"account/account/{i}")) for i in range(5))
    events = _rows(db_url, "SELECT id, at FROM events")
    assert len(events) == 15
    for value, at in events:
        event_id = uuid.UUID(str(value))
        assert event_id.version == 7
        moment = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        assert event_id.int >> 80 == int(moment.replace(tzinfo=dt.UTC).timestamp() * 1000)
