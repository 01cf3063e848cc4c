"""Foreign-key cycles between factories, on real databases: a nullable cycle broken by NULL and
an UPDATE, NOT NULL cycles where the check can wait (SQLite, DEFERRABLE on PostgreSQL, checks off
on MariaDB), Sakila's store <-> staff from the real DDL files, and the cycle that cannot be broken."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import apply_spec, assert_idempotent

import seedspec
from seedspec.outcome import StepReport

SAKILA = Path("/work/shared/realschemas/sakila")

TEAMS = """\
version: 1
settings: {seed: 11}
factories:
  team:
    table: teams
    key: [code]
    fields:
      code: {sequence: "T{n:02d}"}
      captain_id: {ref: player%s}
  player:
    table: players
    key: [badge]
    fields:
      badge: {sequence: "P{n:03d}"}
      team_id: {ref: team%s}
seed:
  - factory: team
    count: 3
  - factory: player
    count: 12
"""


def _engine(url: str) -> sa.Engine:
    return seedspec.create_engine(url)


def _teams_tables(url: str, *, nullable: bool = True, deferrable: bool = False) -> None:
    """teams.captain_id -> players and players.team_id -> teams."""
    metadata = sa.MetaData()
    options = {"deferrable": True, "initially": "IMMEDIATE"} if deferrable else {}
    sa.Table(
        "teams",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), nullable=False, unique=True),
        sa.Column(
            "captain_id",
            sa.Integer,
            sa.ForeignKey("players.id", use_alter=True, name="fk_captain", **options),
            nullable=nullable,
        ),
    )
    sa.Table(
        "players",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("badge", sa.String(10), nullable=False, unique=True),
        sa.Column(
            "team_id", sa.Integer, sa.ForeignKey("teams.id", name="fk_team", **options), nullable=False
        ),
    )
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
    finally:
        engine.dispose()


def _write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _dangling(url: str, child: str, column: str, parent: str, parent_column: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    f"SELECT count(*) FROM {child} c WHERE c.{column} IS NULL OR NOT EXISTS "
                    f"(SELECT 1 FROM {parent} p WHERE p.{parent_column} = c.{column})"
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_a_nullable_cycle_is_set_after_the_fact_on_every_database(db_url: str, tmp_path: Path) -> None:
    _teams_tables(db_url)
    spec_path = _write(tmp_path, TEAMS % ("", ""))
    spec = seedspec.load(spec_path)
    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            planned, dry = seedspec.plan_against(spec, conn)
        assert [s.id for s in planned.steps] == ["team", "player"]
        assert [f.column for f in planned.steps[0].deferred_fields] == ["captain_id"]
    finally:
        engine.dispose()
    report = assert_idempotent(spec_path, db_url)
    assert [(s.table, s.created, s.updated) for s in report.steps] == [("teams", 3, 0), ("players", 12, 0)]
    assert [(s.table, s.created) for s in dry.steps] == [("teams", 3), ("players", 12)]  # the dry run agreed
    assert _dangling(db_url, "teams", "captain_id", "players", "id") == 0
    assert _dangling(db_url, "players", "team_id", "teams", "id") == 0
    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            _, again = seedspec.plan_against(spec, conn)
        assert (again.created, again.updated, sum(s.differing for s in again.steps)) == (0, 0, 0)
    finally:
        engine.dispose()


def test_the_rows_are_the_same_whichever_ref_is_deferred(
    new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    both_nullable = [new_db_url("sqlite"), new_db_url("sqlite")]
    for url in both_nullable:
        _teams_tables(url)
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # SQLite cannot alter a column: rebuild players with a nullable team
            conn.exec_driver_sql("DROP TABLE players")
            conn.exec_driver_sql(
                "CREATE TABLE players (id INTEGER PRIMARY KEY, badge VARCHAR(10) NOT NULL UNIQUE, "
                "team_id INTEGER REFERENCES teams (id))"
            )
        engine.dispose()
    auto = apply_spec(_write(tmp_path, TEAMS % ("", ""), "auto.yaml"), both_nullable[0])
    forced = apply_spec(_write(tmp_path, TEAMS % ("", ", deferred: true"), "forced.yaml"), both_nullable[1])
    assert [s.table for s in auto.steps] == ["teams", "players"]  # spec order: the captain waits
    assert [s.table for s in forced.steps] == ["players", "teams"]  # the other break, the other order
    assert dump(both_nullable[0]) == dump(both_nullable[1])


@pytest.mark.postgres
def test_a_deferrable_not_null_cycle_holds_a_placeholder_until_commit(
    postgres_url: str, tmp_path: Path
) -> None:
    _teams_tables(postgres_url, nullable=False, deferrable=True)
    spec_path = _write(tmp_path, TEAMS % ("", ""))
    report = assert_idempotent(spec_path, postgres_url)
    assert report.created == 15
    assert _dangling(postgres_url, "teams", "captain_id", "players", "id") == 0


@pytest.mark.postgres
def test_a_cycle_that_cannot_be_broken_is_e332_at_the_ref(postgres_url: str, tmp_path: Path) -> None:
    _teams_tables(postgres_url, nullable=False)
    spec_path = _write(tmp_path, TEAMS % ("", ""))
    with pytest.raises(seedspec.SpecInvalid) as caught:
        apply_spec(spec_path, postgres_url)
    (d,) = caught.value.diagnostics
    assert d.code == "E332"
    assert d.message == (
        "factories reference each other in a cycle that cannot be broken: player -> team -> player "
        "(players.team_id is NOT NULL and its foreign key is not DEFERRABLE; teams.captain_id is NOT NULL "
        "and its foreign key is not DEFERRABLE)"
    )
    assert str(d.location) == f"{spec_path}:15:7"  # player.team_id
    assert "DEFERRABLE" in d.hint
    assert "nullable" in d.hint
    assert dump(postgres_url) == {"players": [], "teams": []}


SAKILA_SPEC = """\
version: 1
settings: {seed: 7}
factories:
  country:
    table: country
    key: [country]
    fields: {country: {sequence: "Country {n}"}, last_update: 2025-01-01 00:00:00}
  city:
    table: city
    key: [city]
    fields: {city: {sequence: "City {n}"}, country_id: {ref: country}, last_update: 2025-01-01 00:00:00}
  address:
    table: address
    key: [address]
    fields:
      address: {sequence: "{n} Main Street"}
      district: {faker: state}
      city_id: {ref: city}
      phone: {faker: numerify, args: {text: "555-####"}}
      last_update: 2025-01-01 00:00:00
  staff:
    table: staff
    key: [username]
    fields:
      first_name: {faker: first_name}
      last_name: {faker: last_name}
      address_id: {ref: address}
      store_id: {ref: store, pick: round_robin}
      username: {sequence: "staff%s"}
      last_update: 2025-01-01 00:00:00
  store:
    table: store
    key: [address_id]
    fields:
      manager_staff_id: {ref: staff, pick: round_robin}
      address_id: {ref: address, pick: round_robin}
      last_update: 2025-01-01 00:00:00
seed:
  - factory: country
    count: 2
  - factory: city
    count: 3
  - factory: address
    count: 4
  - factory: store
    count: 2
  - factory: staff
    count: 2
"""


def _check_sakila(url: str, spec_path: Path) -> None:
    report = assert_idempotent(spec_path, url)
    assert {t.table: t.created for t in report.tables} == {
        "country": 2,
        "city": 3,
        "address": 4,
        "staff": 2,
        "store": 2,
    }
    assert _dangling(url, "staff", "store_id", "store", "store_id") == 0
    assert _dangling(url, "store", "manager_staff_id", "staff", "staff_id") == 0
    rows = dump(url)
    assert sorted(r[1] for r in rows["store"]) == [1, 2]  # each store its own manager (round robin)


def test_sakila_store_and_staff_on_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    shutil.copy(SAKILA / "sqlite.sql", tmp_path / "sakila.sql")
    spec_path = _write(tmp_path, "tables: {ddl: sakila.sql}\n" + SAKILA_SPEC % "{n}")
    plan = seedspec.plan(seedspec.load(spec_path))
    store = next(s for s in plan.steps if s.factory == "store")  # written first: its manager waits
    assert [(f.column, f.placeholder) for f in store.deferred_fields] == [("manager_staff_id", 0)]
    _check_sakila(sqlite_url, spec_path)


def _sakila_mysql_tables(url: str, names: tuple[str, ...]) -> None:
    """The CREATE TABLE statements of ``names``, verbatim from the official MySQL file."""
    text = (SAKILA / "mysql.sql").read_text(encoding="utf-8")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")  # staff refers to store, created after it
            for name in names:
                match = re.search(rf"^CREATE TABLE {name} \(.*?\) ENGINE=[^;]*;", text, re.S | re.M)
                assert match, name
                conn.exec_driver_sql(match.group(0))
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_sakila_store_and_staff_on_mariadb_with_checks_off_only_during_the_apply(
    mariadb_url: str, tmp_path: Path
) -> None:
    _sakila_mysql_tables(mariadb_url, ("country", "city", "address", "staff", "store"))
    spec_path = _write(tmp_path, SAKILA_SPEC % "{n}")
    engine = _engine(mariadb_url)
    try:
        with engine.connect() as conn:
            plan = seedspec.plan(seedspec.load(spec_path), conn)
    finally:
        engine.dispose()
    staff = next(s for s in plan.steps if s.factory == "staff")  # store.manager_staff_id is unique here
    assert [(f.column, f.placeholder) for f in staff.deferred_fields] == [("store_id", 0)]
    _check_sakila(mariadb_url, spec_path)
    engine = _engine(mariadb_url)  # one pooled connection: the one the applies used
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT @@foreign_key_checks").scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_a_failed_apply_with_checks_off_leaves_nothing_and_restores_them(
    mariadb_url: str, tmp_path: Path
) -> None:
    _sakila_mysql_tables(mariadb_url, ("country", "city", "address", "staff", "store"))
    # usernames are VARCHAR(16): the staff step is refused, after the store step ran
    spec_path = _write(tmp_path, SAKILA_SPEC % "{n}-with-a-name-far-too-long")
    spec = seedspec.load(spec_path)
    engine = sa.create_engine(mariadb_url, poolclass=sa.pool.StaticPool)
    try:
        with pytest.raises(seedspec.DatabaseError) as caught:
            seedspec.apply(spec, engine)
        assert caught.value.diagnostics[0].code == "E500"
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT @@foreign_key_checks").scalar() == 1
    finally:
        engine.dispose()
    assert all(rows == [] for rows in dump(mariadb_url).values())


def test_a_found_row_whose_deferred_column_differs_is_reported_and_updated_on_request(
    sqlite_url: str, tmp_path: Path
) -> None:
    _teams_tables(sqlite_url)
    spec_path = _write(tmp_path, TEAMS % (", pick: round_robin", ""))
    apply_spec(spec_path, sqlite_url)
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE teams SET captain_id = NULL WHERE code = 'T00'")
    engine.dispose()
    spec = seedspec.load(spec_path)
    engine = _engine(sqlite_url)
    try:
        with engine.connect() as conn:
            _, dry = seedspec.plan_against(spec, conn)
        teams = dry.steps[0]
        assert (teams.differing, teams.updated) == (1, 0)  # skip: reported, kept
        assert teams.diffs[0].changes == (("captain_id", None, 1),)
    finally:
        engine.dispose()
    refusing = (TEAMS % (", pick: round_robin", "")).replace(
        "key: [code]", "key: [code]\n    on_existing: error"
    )
    with pytest.raises(seedspec.DatabaseError) as caught:
        apply_spec(_write(tmp_path, refusing), sqlite_url)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E505"
    assert "a row with key {'code': 'T00'} exists and differs (captain_id)" in diagnostic.message
    updating = _write(
        tmp_path,
        (TEAMS % (", pick: round_robin", "")).replace("key: [code]", "key: [code]\n    on_existing: update"),
    )
    report = apply_spec(updating, sqlite_url)
    assert (report.steps[0].updated, report.created) == (1, 0)
    assert _dangling(sqlite_url, "teams", "captain_id", "players", "id") == 0
    assert apply_spec(updating, sqlite_url).updated == 0


def test_the_time_of_setting_the_deferred_columns_counts_in_their_steps_seconds(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seedspec.database import deferred

    settle = deferred.DeferredRows.settle

    def slow_settle(self: deferred.DeferredRows, report: StepReport, *, dry_run: bool) -> StepReport:
        time.sleep(0.3)  # a long UPDATE
        return settle(self, report, dry_run=dry_run)

    monkeypatch.setattr(deferred.DeferredRows, "settle", slow_settle)
    _teams_tables(sqlite_url)
    engine = _engine(sqlite_url)
    try:
        report = seedspec.apply(seedspec.load(_write(tmp_path, TEAMS % ("", ""))), engine, workers=0)
    finally:
        engine.dispose()
    teams = next(s for s in report.steps if s.step == "team")
    assert teams.seconds >= 0.3
