"""``seedspec init`` on every public schema of ../shared/realschemas, on each database it ships
DDL for: the drafted spec must validate, apply with FK-clean rows in every table, re-apply as
a no-op and plan with nothing pending (``plan --detailed-exitcode``: 0). In-process (API), one
test per (schema, database). AdventureWorks and MusicBrainz have files of their own."""

from __future__ import annotations

import re
import sqlite3
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import offline_spec, run_cli

import seedspec
from seedspec.api import specs as api
from seedspec.errors import Severity

REALSCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "realschemas"
if not REALSCHEMAS.is_dir():  # a worktree: ../shared next to the checkout
    REALSCHEMAS = Path("/work/shared/realschemas")
COUNT = 4


SERVER_MARKS = {"postgresql": [pytest.mark.postgres], "mariadb": [pytest.mark.mariadb]}


def _case(kind: str, files: tuple[str, ...], *, id: str) -> Any:
    """A case, with its server's marker (``-m "not postgres"``): its fixture is not asked by name."""
    return pytest.param(kind, files, id=id, marks=SERVER_MARKS.get(kind, []))


CASES = [
    _case("sqlite", ("chinook/sqlite.sql",), id="chinook-sqlite"),
    _case("sqlite", ("chinook/sqlite_autoincrement.sql",), id="chinook_autoincrement-sqlite"),
    _case("sqlite", ("chinook/sqlite.sql", "chinook/sample_sqlite.sql"), id="chinook_with_rows-sqlite"),
    _case("sqlite", ("northwind/sqlite.sql",), id="northwind-sqlite"),
    _case("sqlite", ("django/sqlite.sql",), id="django-sqlite"),
    _case("sqlite", ("sakila/sqlite.sql",), id="sakila-sqlite"),
    _case("postgresql", ("chinook/postgres.sql",), id="chinook-postgresql"),
    _case("postgresql", ("chinook/postgres_serial.sql",), id="chinook_serial-postgresql"),
    _case("postgresql", ("chinook/postgres_identity.sql",), id="chinook_identity-postgresql"),
    _case("postgresql", ("northwind/postgres.sql",), id="northwind-postgresql"),
    _case("postgresql", ("django/postgres.sql",), id="django-postgresql"),
    _case("postgresql", ("pagila/postgres.sql",), id="pagila-postgresql"),
    _case("postgresql", ("airlines/postgres.sql",), id="airlines-postgresql"),  # schema bookings
    _case("mariadb", ("chinook/mysql.sql",), id="chinook-mariadb"),
    _case("mariadb", ("sakila/mysql.sql",), id="sakila-mariadb"),
    _case("mariadb", ("employees/mysql.sql",), id="employees-mariadb"),
    _case("mariadb", ("classicmodels/mysql.sql",), id="classicmodels-mariadb"),
]


@pytest.fixture
def postgres_database(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """``new()``: the URL of a fresh PostgreSQL *database*: pg_dump files (Pagila, Django)
    create their tables in schema ``public``, so a schema of our own would not hold them."""
    made: list[str] = []

    def new() -> str:
        admin = request.getfixturevalue("postgres_server").require()
        name = f"seedspec_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        made.append(name)
        return admin.url.set(database=name).render_as_string(hide_password=False)

    yield new
    if made:
        admin = request.getfixturevalue("postgres_server").require()
        with admin.connect() as conn:
            for name in made:
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def _mysql_statements(text: str) -> Iterator[str]:
    """Statements of a mysql-client script, honouring ``DELIMITER``."""
    delimiter, lines = ";", []
    for line in text.splitlines():
        change = re.match(r"(?i)^\s*DELIMITER\s+(\S+)\s*$", line)
        if change:
            delimiter = change.group(1)
            continue
        lines.append(line)
        if line.rstrip().endswith(delimiter):
            statement = "\n".join(lines).rstrip()[: -len(delimiter)].strip()
            lines = []
            if statement:
                yield statement


def _load(kind: str, url: str, files: tuple[str, ...]) -> None:
    for name in files:
        text = (REALSCHEMAS / name).read_text(encoding="utf-8")
        if kind == "sqlite":
            with sqlite3.connect(sa.make_url(url).database or "") as conn:
                conn.executescript(text)
        elif kind == "postgresql":
            import psycopg

            parsed = sa.make_url(url)
            info = f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"
            with psycopg.connect(info, autocommit=True) as conn:
                conn.execute(text.encode())  # no parameters: the simple protocol takes a script
        else:
            parsed = sa.make_url(url)
            conn = pymysql.connect(host=parsed.host, port=parsed.port or 3306, user=parsed.username)
            try:
                with conn.cursor() as cursor:
                    cursor.execute(f"USE `{parsed.database}`")
                    for statement in _mysql_statements(text):
                        # the Sakila script makes and names its own schema; ours is given
                        if re.match(r"(?i)(DROP|CREATE)\s+SCHEMA|USE\s", statement):
                            continue
                        cursor.execute(statement.replace("sakila.", ""))
            finally:
                conn.close()


def _dangling(url: str, tables: list[str]) -> dict[str, int]:
    """Rows whose foreign key (not NULL) points at no row, per constraint; only non-zero."""
    engine = sa.create_engine(url)
    found = {}
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            with warnings.catch_warnings():  # Airlines' point: this check does not read it
                warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
                metadata.reflect(bind=conn)
                for schema in dict.fromkeys(t.rpartition(".")[0] for t in tables if "." in t):
                    metadata.reflect(bind=conn, schema=schema)
            for table in metadata.tables.values():
                for fk in table.foreign_key_constraints:
                    parent = fk.referred_table.alias("parent")
                    joined = sa.and_(*(parent.c[e.column.name] == e.parent for e in fk.elements))
                    present = sa.and_(*(c.isnot(None) for c in fk.columns))
                    orphans = (
                        sa.select(sa.func.count())
                        .select_from(table)
                        .where(present, ~sa.exists().where(joined))
                    )
                    if n := conn.execute(orphans).scalar_one():
                        found[f"{table.name}.{fk.name}"] = n
    finally:
        engine.dispose()
    return found


def _table(name: str) -> sa.TableClause:
    """``schema.table`` or a bare name, as the spec names it."""
    schema, _, table = name.rpartition(".")
    return sa.table(table, schema=schema or None)


def _rows(url: str, tables: list[str]) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            count = sa.select(sa.func.count())
            return {t: conn.execute(count.select_from(_table(t))).scalar_one() for t in tables}
    finally:
        engine.dispose()


@pytest.mark.parametrize(("kind", "files"), CASES)
def test_init_drafts_a_spec_that_applies_and_reapplies(
    kind: str,
    files: tuple[str, ...],
    new_db_url: Callable[[str], str],
    postgres_database: Callable[[], str],
    tmp_path: Path,
) -> None:
    url = postgres_database() if kind == "postgresql" else new_db_url(kind)
    _load(kind, url, files)
    engine = seedspec.create_engine(url)
    try:
        done = seedspec.init_spec(engine, out=tmp_path / "seeds.yaml", count=COUNT)
        spec = seedspec.load(done.path, {"DATABASE_URL": url})
        errors = [d for d in api.check(spec, engine) if d.severity is Severity.ERROR]
        assert not errors, [f"{d.code} {d.message} at {d.pointer}" for d in errors]
        if kind == "postgresql":  # the same spec, its tables read from the file alone (#16)
            offline = offline_spec(done.path, REALSCHEMAS / files[0])
            validate = run_cli("validate", offline, cwd=tmp_path)
            assert validate.returncode == 0, validate.stdout + validate.stderr
            plan = run_cli("plan", offline, "--offline", cwd=tmp_path)
            assert plan.returncode == 0, plan.stdout + plan.stderr
        first = seedspec.apply(spec, engine, workers=0)
        after_first = dump(url)
        second = seedspec.apply(spec, engine, workers=0)
        _, planned = seedspec.plan_against(spec, engine)  # plan --detailed-exitcode: 0
    finally:
        engine.dispose()
    tables = [f.table for f in done.draft.factories]
    assert {t.table for t in first.tables} == set(tables)
    assert second.created == 0, {t.table: t.created for t in second.tables if t.created}
    assert not planned.pending
    assert dump(url) == after_first, "re-applying changed the database"
    assert all(n >= COUNT for n in _rows(url, tables).values()), _rows(url, tables)
    assert _dangling(url, tables) == {}
