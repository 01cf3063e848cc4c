"""``seedspec init`` on MusicBrainz (../shared/realschemas/musicbrainz: 371 tables in schema
``musicbrainz``, 762 foreign keys, 600-odd CHECKs), the whole cycle as a user runs it, with
the CLI: init, validate, apply, apply again (0 created), ``plan --detailed-exitcode`` (0), and at
least 90 % of the tables filled. The tables left empty are the ones whose CHECK no drafted
values meet (two refs to one table that must differ), each named in a note of the spec."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from helpers import offline_spec, run_cli

pytestmark = pytest.mark.postgres

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "realschemas" / "musicbrainz" / "postgres.sql"
if not SCHEMA.is_file():  # a worktree: ../shared next to the checkout
    SCHEMA = Path("/work/shared/realschemas/musicbrainz/postgres.sql")
COUNT = 4


@pytest.fixture
def musicbrainz(postgres_server: Any) -> Iterator[str]:
    """The URL of a fresh database holding the MusicBrainz schema (psql's ``\\set`` lines left out)."""
    admin = postgres_server.require()
    name = f"seedspec_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = admin.url.set(database=name)
        text = SCHEMA.read_text(encoding="utf-8")
        script = "\n".join(line for line in text.splitlines() if not line.startswith("\\"))
        info = f"host={url.host} port={url.port} user={url.username} dbname={name}"
        with psycopg.connect(info, autocommit=True) as conn:
            conn.execute(script.encode())  # no parameters: the simple protocol takes a script
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def _filled(url: str) -> dict[str, int]:
    """Rows per table of schema ``musicbrainz`` (partitions counted in their parent only)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = conn.exec_driver_sql(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'musicbrainz' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            ).scalars()
            count = sa.select(sa.func.count())
            return {
                t: conn.execute(count.select_from(sa.table(t, schema="musicbrainz"))).scalar_one()
                for t in names
            }
    finally:
        engine.dispose()


def test_init_drafts_a_spec_that_applies_reapplies_and_plans_clean(musicbrainz: str, tmp_path: Path) -> None:
    spec = tmp_path / "musicbrainz.yaml"
    env = {"DATABASE_URL": musicbrainz}
    init = run_cli("init", "--from-database", musicbrainz, "--count", COUNT, "-o", spec, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    validate = run_cli("validate", spec, "--database-url", musicbrainz, cwd=tmp_path, env=env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    offline = offline_spec(spec, SCHEMA)  # the same spec, its tables read from the file alone (#16)
    validate = run_cli("validate", offline, cwd=tmp_path)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    offline_plan = run_cli("plan", offline, "--offline", cwd=tmp_path)
    assert offline_plan.returncode == 0, offline_plan.stdout + offline_plan.stderr
    first = run_cli("apply", spec, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    second = run_cli("apply", spec, cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    total = re.search(r"^\s*total\s+(\d+)\s+(\d+)\s*$", second.stdout, re.MULTILINE)
    assert total is not None, second.stdout
    assert total.group(1) == "0", second.stdout
    plan = run_cli("plan", spec, "--detailed-exitcode", cwd=tmp_path, env=env)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "differing" not in plan.stdout  # CHAR(n) columns (cdtoc.freedb_id, editor.ha1) read back padded
    rows = _filled(musicbrainz)
    assert len(rows) == 371
    empty = sorted(t for t, n in rows.items() if n == 0)
    assert len(empty) <= len(rows) // 10, empty
    text = spec.read_text(encoding="utf-8")
    for table in empty:  # each empty table says why
        assert re.search(rf"table: musicbrainz\.{table}\b", text)
    assert text.count("# no rows: no drafted values meet CHECK") == len(empty)
    assert "vote: {choice: [-1, 0, 1]}" in text  # CHECK (vote = ANY (ARRAY['-1'::integer, 0, 1]))
