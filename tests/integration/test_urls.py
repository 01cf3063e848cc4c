"""On the real servers: database URLs as users type them reach the installed drivers, and
`--format json` carries the diagnostics of the live tables."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import run_cli

import seedspec
from seedspec.cli import main as cli

SPEC = """
    version: 1
    tables: {models: "urls_models:Base"}
    factories:
      note: {table: notes, fields: {title: {sequence: "note-{n}"}}}
    seed:
      - {factory: note, count: 2}
"""
MODELS = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40), unique=True)
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    (tmp_path / "urls_models.py").write_text(MODELS)
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(SPEC))
    return path


def _apply(spec: Path, url: str) -> str:
    """Apply ``spec`` to ``url`` as typed; the URL of the engine seedspec made for it."""
    engine = seedspec.create_engine(url)
    try:
        assert seedspec.apply(seedspec.load(spec), engine, create=True).created == 2
        return engine.url.render_as_string(hide_password=True)
    finally:
        engine.dispose()


def _titles(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT title FROM notes ORDER BY title")).scalars())
    finally:
        engine.dispose()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_and_postgresql_urls_use_psycopg(scheme: str, spec: Path, postgres_url: str) -> None:
    typed = postgres_url.replace("postgresql+psycopg://", f"{scheme}://", 1)
    assert typed != postgres_url
    assert _apply(spec, typed).startswith("postgresql+psycopg://")
    assert _titles(postgres_url) == ["note-0", "note-1"]


@pytest.mark.parametrize("scheme", ["mysql", "mariadb"])
def test_mysql_and_mariadb_urls_use_pymysql(scheme: str, spec: Path, mariadb_url: str) -> None:
    typed = mariadb_url.replace("mysql+pymysql://", f"{scheme}://", 1)
    assert typed != mariadb_url
    assert _apply(spec, typed).startswith(f"{scheme}+pymysql://")
    assert _titles(mariadb_url) == ["note-0", "note-1"]


def test_a_driver_that_is_not_installed_gets_the_working_spelling(
    spec: Path, mariadb_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = mariadb_url.replace("mysql+pymysql://", "mariadb+mysqldb://", 1)
    assert cli.main(["apply", str(spec), "--database-url", typed]) == 1
    err = capsys.readouterr().err
    assert "error E400:" in err
    assert f"write {mariadb_url.replace('mysql+pymysql', 'mariadb+pymysql')} " in err


@pytest.mark.parametrize("kind", ["postgres_url", "mariadb_url"])
def test_plan_format_json_carries_the_diagnostics_of_the_live_tables(
    kind: str, spec: Path, request: pytest.FixtureRequest
) -> None:
    # no tables: in the spec, so the factory's table is looked up in the (empty) live database
    url: str = request.getfixturevalue(kind)
    spec.write_text(textwrap.dedent(SPEC).replace('tables: {models: "urls_models:Base"}\n', ""))
    done = run_cli("plan", spec.name, "--database-url", url, "--format", "json", cwd=spec.parent)
    assert done.returncode == 1, done.stderr
    listed = json.loads(done.stdout)
    assert [(d["code"], d["pointer"], d["line"]) for d in listed] == [("E310", "/factories/note/table", 4)]
    assert "error E310" in done.stderr
