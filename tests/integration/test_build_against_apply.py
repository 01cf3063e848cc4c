"""`seedspec build` against real databases: the SQL it writes, loaded into fresh tables, gives
exactly the rows `apply` writes, and a second `apply` on top creates nothing.

JSON, JSON lines and CSV read back to the same rows as the database holds after `apply`.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlparse
from dbdump import Dump, dump, records
from helpers import EXAMPLES, apply_spec, example_specs

import seedspec
from seedspec.api.building import build
from seedspec.api.specs import table_definitions
from seedspec.cli.main import main
from seedspec.output.formats import csv_text, json_default

HOOKED = {EXAMPLES / "hooks" / "hooks.yaml"}  # its after_create hooks change rows: apply only
CYCLIC = {EXAMPLES / "cycles" / "cycles.yaml"}  # a deferred ref is set by an UPDATE: E716

TYPES_MODELS = """
import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Kind(Base):
    __tablename__ = "kinds"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("kinds.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    active: Mapped[bool]
    born: Mapped[dt.date]
    seen: Mapped[dt.datetime | None]
    attrs: Mapped[Any] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(20), default="none yet")
"""

TYPES_SPEC = r"""
version: 1
tables: {models: "types_models:Base"}
settings: {seed: 7, now: "2025-01-01T00:00:00"}
factories:
  kind:
    table: kinds
    key: [name]
    fields:
      name: {sequence: "kind-{n}"}
  item:
    table: items
    key: [code]
    fields:
      kind_id: {ref: kind}
      code: {sequence: "I{n:04d}"}
      label: {choice: ["it's", "50% off", "back\\slash", "two\nlines", "ünïcode ✓", "semi; colon", ""]}
      price: {range: [1, 500], decimals: 2}
      active: {faker: boolean}
      born: {range: [2000-01-01, 2010-12-31]}
      seen: {range: ["-1y", "now"], null_rate: 0.3}
      attrs: {value: {size: 3, tags: [a, "b'c"], "%": null}}
seed:
  - factory: kind
    records: [{id: 10, name: special}]
  - factory: kind
    count: 3
  - factory: item
    count: 14
"""


@pytest.fixture
def types_spec(tmp_path: Path) -> Path:
    (tmp_path / "types_models.py").write_text(TYPES_MODELS, encoding="utf-8")
    spec = tmp_path / "types.yaml"
    spec.write_text(textwrap.dedent(TYPES_SPEC), encoding="utf-8")
    return spec


def create_tables(spec_path: Path, url: str) -> None:
    engine = seedspec.create_engine(url)
    try:
        with engine.begin() as conn:
            table_definitions(seedspec.load(spec_path), conn, create=True)
    finally:
        engine.dispose()


def built_sql(spec_path: Path, dialect: str) -> str:
    stream = io.StringIO()
    build(seedspec.load(spec_path), "sql", dialect=dialect, stream=stream, workers=0)
    return stream.getvalue()


def load_sql(url: str, text: str) -> None:
    """Run a SQL script as a database client would (the script holds its own transaction)."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            if isinstance(raw, sqlite3.Connection):
                raw.executescript(text)
                return
            cursor = raw.cursor()
            statements = [text] if engine.dialect.name == "postgresql" else sqlparse.split(text)
            for statement in statements:
                cursor.execute(statement)
            cursor.close()
    finally:
        engine.dispose()


def built_and_applied(spec_path: Path, kind: str, new_db_url: Callable[[str], str]) -> tuple[str, Dump, Dump]:
    """(url of the built database, its dump, the dump of a fresh database after apply)."""
    applied, built = new_db_url(kind), new_db_url(kind)
    apply_spec(spec_path, applied)
    create_tables(spec_path, built)
    load_sql(built, built_sql(spec_path, kind))  # the fixtures name kinds as build names dialects
    return built, dump(built), dump(applied)


def assert_nothing_left_to_apply(spec_path: Path, url: str, before: Dump) -> None:
    report = apply_spec(spec_path, url, create=False)
    assert report.created == 0
    assert report.existing > 0
    assert dump(url) == before


@pytest.mark.parametrize(
    "spec", [EXAMPLES / "design" / "dev.yaml", EXAMPLES / "growth" / "growth.yaml"], ids=["design", "growth"]
)
def test_built_sql_gives_the_rows_apply_writes(
    spec: Path, db_kind: str, new_db_url: Callable[[str], str]
) -> None:
    url, built, applied = built_and_applied(spec, db_kind, new_db_url)
    assert built == applied
    assert all(built.values())
    assert_nothing_left_to_apply(spec, url, built)


def test_built_sql_writes_every_column_type_as_apply_does(
    types_spec: Path, db_kind: str, new_db_url: Callable[[str], str]
) -> None:
    url, built, applied = built_and_applied(types_spec, db_kind, new_db_url)
    assert built == applied
    assert [row[0] for row in built["kinds"]] == [10, 11, 12, 13]  # after the spec's explicit id
    assert {row[-1] for row in built["items"]} == {"none yet"}  # the models' default
    assert_nothing_left_to_apply(types_spec, url, built)
    # ids continue past the built ones (PostgreSQL: its sequence was moved on by setval)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO kinds (name) VALUES ('later')"))
            assert conn.execute(sa.text("SELECT id FROM kinds WHERE name = 'later'")).scalar() == 14
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "spec",
    [s for s in example_specs() if s not in HOOKED | CYCLIC],
    ids=lambda p: p.relative_to(EXAMPLES).as_posix(),
)
def test_every_example_builds_what_it_applies_on_sqlite(spec: Path, new_db_url: Callable[[str], str]) -> None:
    url, built, applied = built_and_applied(spec, "sqlite", new_db_url)
    assert built == applied
    assert_nothing_left_to_apply(spec, url, built)


def test_a_spec_with_hooks_builds_its_rows_and_says_the_hooks_did_not_run() -> None:
    spec = seedspec.load(EXAMPLES / "hooks" / "hooks.yaml")
    stream = io.StringIO()
    report = build(spec, "sql", stream=stream, workers=0)
    assert report.hooks_not_run == ("user<account",)
    assert "-- after_create hooks do not run in build (no database): steps user<account" in stream.getvalue()


def _applied_rows(spec_path: Path, url: str) -> dict[str, list[dict[str, object]]]:
    apply_spec(spec_path, url)
    return records(url)


def test_json_files_read_back_to_the_applied_rows(types_spec: Path, sqlite_url: str, tmp_path: Path) -> None:
    applied = _applied_rows(types_spec, sqlite_url)
    build(seedspec.load(types_spec), "json", out=tmp_path / "out", workers=0)
    for table, rows in applied.items():
        read = json.loads((tmp_path / "out" / f"{table}.json").read_text(encoding="utf-8"))
        assert read == json.loads(json.dumps(rows, default=json_default))


def test_one_json_document_and_json_lines_hold_the_same_rows(types_spec: Path, sqlite_url: str) -> None:
    applied = _applied_rows(types_spec, sqlite_url)
    expected = json.loads(json.dumps(applied, default=json_default))
    document, lines = io.StringIO(), io.StringIO()
    build(seedspec.load(types_spec), "json", stream=document, workers=0)
    build(seedspec.load(types_spec), "jsonl", stream=lines, workers=0)
    assert json.loads(document.getvalue()) == expected
    from_lines: dict[str, list[object]] = {}
    for line in lines.getvalue().splitlines():
        record = json.loads(line)
        from_lines.setdefault(record["table"], []).append(record["row"])
    assert from_lines == expected


def test_csv_files_read_back_to_the_applied_rows(types_spec: Path, sqlite_url: str, tmp_path: Path) -> None:
    applied = _applied_rows(types_spec, sqlite_url)
    report = build(seedspec.load(types_spec), "csv", out=tmp_path / "csv", workers=0)
    assert sorted(Path(f).name for f in report.files) == ["items.csv", "kinds.csv"]
    for table, rows in applied.items():
        with (tmp_path / "csv" / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
            read = list(csv.DictReader(handle))
        assert read == [{c: csv_text(v) for c, v in row.items()} for row in rows]


def test_cli_writes_one_stream_to_stdout_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(EXAMPLES / "org" / "org.yaml"), "--format", "jsonl", "-j", "0"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 25
    assert err == ""


def test_cli_writes_files_and_says_which(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = EXAMPLES / "hooks" / "hooks.yaml"
    assert main(["build", str(spec), "--format", "csv", "-o", str(tmp_path), "-j", "0"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"built {spec} as csv for sqlite to {tmp_path}"
    assert f"  wrote {tmp_path / 'users.csv'}" in out.splitlines()
    assert err == "note: after_create hooks need a database and did not run in build (steps user<account)\n"


def test_cli_csv_needs_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(EXAMPLES / "org" / "org.yaml"), "--format", "csv"]) == 1
    assert "error E711" in capsys.readouterr().err


def test_cli_writes_sql_for_the_database_apply_would_use(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://seeder:s3cret@db.example/app")
    assert main(["build", str(EXAMPLES / "org" / "org.yaml"), "--format", "sql", "-j", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("-- seedspec build of org.yaml for postgresql: load into empty tables\n")
    assert "setval" in out
    assert "s3cret" not in out
    assert main(["build", str(EXAMPLES / "org" / "org.yaml"), "--format", "sql", "--dialect", "mysql"]) == 0
    assert "setval" not in capsys.readouterr().out
