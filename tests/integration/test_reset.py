"""Resets on SQLite, PostgreSQL and MariaDB: exactly the spec's tables, children first, ids
restarted, in the apply's transaction, never a table the spec does not name."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from dbdump import dump
from helpers import EXAMPLES, copy_example, run_cli

import seedspec

WORKFLOW = EXAMPLES / "workflow" / "seeds.yaml"


def apply(url: str, spec_path: Path = WORKFLOW, **options: object) -> seedspec.Report:
    spec = seedspec.load(spec_path, params={"users": "4"})
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(spec, engine, create=True, **options)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql))
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_apply_reset_empties_the_spec_s_tables_and_restarts_ids(db_url: str, db_kind: str) -> None:
    apply(db_url)
    apply(db_url)  # nothing new
    report = apply(db_url, reset=True)
    assert report.reset == (("posts", 15), ("users", 5), ("teams", 2))
    assert report.created == 22
    assert report.existing == 0
    ids = query(db_url, "SELECT min(id), max(id) FROM users")[0]
    if db_kind == "mariadb":  # AUTO_INCREMENT restarts only by DDL, which would commit mid-apply
        assert ids == (6, 10)
    else:
        assert ids == (1, 5)


def test_reset_alone_restarts_ids_everywhere(db_url: str, tmp_path: Path) -> None:
    apply(db_url)
    result = run_cli("reset", str(WORKFLOW), "--database-url", db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "emptied posts (15 rows), users (5 rows), teams (2 rows)" in result.stdout
    assert query(db_url, "SELECT count(*) FROM users") == [(0,)]
    fresh = apply(db_url)
    assert fresh.created == 22
    assert query(db_url, "SELECT min(id), max(id) FROM users") == [(1, 5)]


def test_reset_never_touches_a_table_the_spec_does_not_name(db_url: str, tmp_path: Path) -> None:
    apply(db_url)
    query(db_url, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(20))")
    query(db_url, "INSERT INTO notes (id, body) VALUES (1, 'keep me')")
    # the selected steps' tables only: content's posts, not the users and teams it pulls in
    result = run_cli("reset", str(WORKFLOW), "--only", "content", "--database-url", db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "emptied posts (15 rows)" in result.stdout
    assert query(db_url, "SELECT count(*) FROM posts") == [(0,)]
    assert query(db_url, "SELECT count(*) FROM users") == [(5,)]
    report = apply(db_url, reset=True, selection=seedspec.Selection(only=("team", "user")))
    assert report.reset == (("users", 5), ("teams", 2))
    assert query(db_url, "SELECT count(*) FROM posts") == [(0,)]
    assert query(db_url, "SELECT body FROM notes") == [("keep me",)]


def test_rows_of_another_table_pointing_in_refuse_the_reset(db_url: str, tmp_path: Path) -> None:
    apply(db_url)
    query(db_url, "CREATE TABLE badges (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id))")
    query(db_url, "INSERT INTO badges (id, user_id) VALUES (1, 1)")
    before = dump(db_url)
    for command in (["reset"], ["apply", "--reset"]):
        result = run_cli(*command[:1], str(WORKFLOW), *command[1:], "--database-url", db_url, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert (
            "error E707: cannot reset table users: table badges, which this reset does not empty, "
            "has rows that refer to it" in result.stderr
        )
        assert "Traceback" not in result.stderr
        assert dump(db_url) == before


def test_an_apply_that_fails_after_its_reset_leaves_the_database_as_it_was(
    db_url: str, tmp_path: Path
) -> None:
    apply(db_url)
    before = dump(db_url)
    copy = tmp_path / "workflow"
    copy_example(WORKFLOW.parent, copy)
    content = copy / "content.yaml"
    broken = (
        "  - {factory: user, id: broken, count: 1, values: {email: broken@example.com, team_id: 424242}}\n"
    )
    content.write_text(content.read_text(encoding="utf-8") + broken, encoding="utf-8")
    result = run_cli(
        "apply",
        str(copy / "seeds.yaml"),
        "--reset",
        "--set",
        "users=4",
        "--database-url",
        db_url,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "error E500: the database refused row 0 of step 'broken'" in result.stderr
    assert dump(db_url) == before


def test_a_reset_table_is_refilled_by_all_its_steps_not_only_the_selected(sqlite_url: str) -> None:
    apply(sqlite_url)
    full = dump(sqlite_url)
    engine = seedspec.create_engine(sqlite_url)
    seedspec.reset(seedspec.load(WORKFLOW), engine, selection=seedspec.Selection(only=("content",)))
    engine.dispose()
    report = apply(sqlite_url, reset=True, selection=seedspec.Selection(only=("admins",)))
    assert report.reset == (("users", 5),)
    assert {s.step for s in report.steps} == {"team:records", "admins", "user"}
    assert dump(sqlite_url)["users"] == full["users"]  # ids restart: the very same rows


def test_an_outside_row_that_points_nowhere_does_not_block_the_reset(db_url: str) -> None:
    apply(db_url)
    query(db_url, "CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id))")
    query(db_url, "INSERT INTO audit (id, user_id) VALUES (1, NULL)")
    assert apply(db_url, reset=True).created == 22
    assert query(db_url, "SELECT id, user_id FROM audit") == [(1, None)]


MODELS = """
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Employee(Base):
    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True)
    badge: Mapped[str] = mapped_column(String(10), unique=True)
    boss_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", use_alter=True))


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(40), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
"""

TREE_SPEC = """
version: 1
tables: {models: "reset_models:Base"}
factories:
  employee:
    table: employees
    key: [badge]
    fields:
      badge: {sequence: "E{n:03d}"}
      boss_id: {ref: employee}
seed:
  - {factory: employee, records: {ceo: {badge: CEO, boss_id: null}}}
  - {factory: employee, id: staff, count: 12}
"""

CYCLE_SPEC = """
version: 1
tables: {models: "reset_models:Base"}
factories:
  team: {table: teams, key: [name], fields: {name: {sequence: "t{n}"}}}
  member: {table: members, key: [email], fields: {email: "m{{ n }}@x.test", team_id: {ref: team}}}
seed:
  - {factory: team, count: 2}
  - {factory: member, count: 4}
"""


def reset_round_trip(url: str, folder: Path, spec_text: str, linking_sql: str) -> tuple[object, int]:
    """Apply, link rows with ``linking_sql``, reset, apply again: (what was emptied, rows created)."""
    (folder / "reset_models.py").write_text(MODELS, encoding="utf-8")
    (folder / "spec.yaml").write_text(spec_text, encoding="utf-8")
    spec = seedspec.load(folder / "spec.yaml")
    engine = seedspec.create_engine(url)
    try:
        seedspec.apply(spec, engine, create=True)
        query(url, linking_sql)
        emptied = seedspec.reset(spec, engine).reset
        return emptied, seedspec.apply(spec, engine).created
    finally:
        engine.dispose()


def test_a_self_referencing_table_is_emptied_whatever_the_row_order(db_url: str, tmp_path: Path) -> None:
    linking = "UPDATE employees SET boss_id = (SELECT max(id) FROM employees) WHERE badge = 'CEO'"
    assert reset_round_trip(db_url, tmp_path, TREE_SPEC, linking) == ((("employees", 13),), 13)


def test_tables_referring_to_each_other_are_emptied_on_every_database(db_url: str, tmp_path: Path) -> None:
    """The teams' owners point at members, members at teams; an empty outside table (audit)
    points in too, so PostgreSQL cannot TRUNCATE and must DELETE around the cycle."""
    linking = "UPDATE teams SET owner_id = (SELECT max(id) FROM members)"
    assert reset_round_trip(db_url, tmp_path, CYCLE_SPEC, linking) == ((("members", 4), ("teams", 2)), 6)
