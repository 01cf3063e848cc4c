"""``seedspec init`` on AdventureWorks (../shared/realschemas/adventureworks, PostgreSQL: 68 tables
in five schemas, domains, one-to-one tables whose composite primary key is also the foreign
key, defaults its own CHECKs refuse, CHAR(n) columns). The drafted spec, as written, must
validate, apply, apply again as a no-op, and plan with nothing pending, with at least 90 % of
the tables filled; then a reset empties every schema's tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from helpers import offline_spec, run_cli

import seedspec
from seedspec.api import specs as api
from seedspec.errors import Severity

REALSCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "realschemas"
if not REALSCHEMAS.is_dir():  # a worktree: ../shared next to the checkout
    REALSCHEMAS = Path("/work/shared/realschemas")
DDL = REALSCHEMAS / "adventureworks" / "postgres.sql"
COUNT = 3
FILLED = 0.9  # the share of tables the draft must fill as written


pytestmark = pytest.mark.postgres  # a missing schema file fails, as the other real-schema tests do


@pytest.fixture
def adventureworks(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database holding AdventureWorks' tables (psql's meta-commands left out)."""
    admin = request.getfixturevalue("postgres_server").require()
    name = f"seedspec_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name)
    script = "\n".join(line for line in DDL.read_text(encoding="utf-8").splitlines() if line[:1] != "\\")
    info = f"host={url.host} port={url.port} user={url.username} dbname={name}"
    with psycopg.connect(info, autocommit=True) as conn:
        conn.execute(script.encode())  # no parameters: the simple protocol takes a script
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def _table(name: str) -> sa.TableClause:
    schema, _, table = name.rpartition(".")
    return sa.table(table, schema=schema or None)


def _counts(url: str, tables: list[str]) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            count = sa.select(sa.func.count())
            return {t: conn.execute(count.select_from(_table(t))).scalar_one() for t in tables}
    finally:
        engine.dispose()


def test_init_drafts_a_spec_that_applies_as_written(adventureworks: str, tmp_path: Path) -> None:
    url = adventureworks
    engine = seedspec.create_engine(url)
    try:
        done = seedspec.init_spec(engine, out=tmp_path / "seeds.yaml", count=COUNT)
        spec = seedspec.load(done.path, {"DATABASE_URL": url})
        errors = [d for d in api.check(spec, engine) if d.severity is Severity.ERROR]
        assert not errors, [f"{d.code} {d.message} at {d.pointer}" for d in errors]
        offline = offline_spec(done.path, DDL)  # the same spec, its tables read from the file alone (#16)
        validate = run_cli("validate", offline, cwd=tmp_path)
        assert validate.returncode == 0, validate.stdout + validate.stderr
        plan = run_cli("plan", offline, "--offline", cwd=tmp_path)
        assert plan.returncode == 0, plan.stdout + plan.stderr
        first = seedspec.apply(spec, engine, workers=0)
        second = seedspec.apply(spec, engine, workers=0)
        _, planned = seedspec.plan_against(spec, engine)
        tables = [f.table for f in done.draft.factories]
        filled = [t for t, n in _counts(url, tables).items() if n >= COUNT]
        emptied = seedspec.reset(spec, engine)
    finally:
        engine.dispose()
    assert len(tables) == 68
    assert {t.split(".")[0] for t in tables} == {
        "humanresources",
        "person",
        "production",
        "purchasing",
        "sales",
    }
    assert first.created >= COUNT * len(filled)
    assert second.created == 0, {t.table: t.created for t in second.tables if t.created}
    assert not planned.pending
    assert sum(t.differing for t in planned.tables) == 0  # CHAR(n) values read back unpadded
    assert len(filled) >= FILLED * len(tables), sorted(set(tables) - set(filled))
    assert {t for t, n in emptied.reset if n} == set(filled)  # every schema's tables, not only public's
    assert _counts(url, filled) == dict.fromkeys(filled, 0)
    # what AdventureWorks needs drafted
    text = done.text
    assert "documentnode: {ref: document, distinct_per: productid}" in text  # FK with DEFAULT '/'
    assert "its default 0.0 fails CHECK (shipbase > 0.00)" in text
    assert "CHECK (duedate >= orderdate): apart" in text  # orderdate DEFAULT now() drafted too
    assert "businessentityid: {ref: businessentity, pick: round_robin}" in text  # one-to-one
    # billofmaterials' BOMLevel CHECK, an OR of two ANDed branches, is read and drafted to pass
    assert "CHECK (productassemblyid IS NULL AND bomleve...) not understood" not in text
    # Employee's BETWEEN -40 AND 240 ('-40'::integer) and BETWEEN '1996-07-01' AND NOW() + INTERVAL
    # '1 day' are read: every CHECK of AdventureWorks is understood
    assert "not understood" not in text
    assert 'hiredate: {faker: date_between, args: {start_date: "-1y"}}\n' in text
