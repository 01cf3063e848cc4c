"""What ``init`` reads from a live database: the tables, and the insert triggers reflection
does not report (real SQLite files)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from seedspec.database.reflect import Partition, SchemaFacts, Trigger, schema_facts

_SCHEMA = (
    "CREATE TABLE teams (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE)",
    "CREATE TABLE players (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams (id), "
    "updated TEXT)",
    "CREATE TABLE audit (player_id INTEGER)",
    "CREATE TRIGGER stamp AFTER INSERT ON players BEGIN "
    "UPDATE players SET updated = 'now' WHERE id = new.id; END",
    "CREATE TRIGGER log AFTER UPDATE ON players BEGIN INSERT INTO audit VALUES (new.id); END",
)


@pytest.fixture
def engine(tmp_path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'league.db'}")
    with engine.begin() as connection:
        for statement in _SCHEMA:
            connection.exec_driver_sql(statement)
    return engine


def test_the_tables_and_the_insert_triggers_are_read(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        facts = schema_facts(connection)
    assert facts.dialect == "sqlite"
    assert set(facts.metadata.tables) == {"teams", "players", "audit"}
    players = facts.metadata.tables["players"]
    assert [fk.target_fullname for fk in players.foreign_keys] == ["teams.id"]
    assert facts.partitions == ()
    (trigger,) = facts.triggers  # the UPDATE trigger does not fire on insert
    assert trigger.table == "players"
    assert "SET updated = 'now'" in trigger.text


def test_a_database_without_tables_has_no_facts(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with engine.connect() as connection:
        facts = schema_facts(connection)
    assert facts.metadata.tables == {}
    assert facts.triggers == ()


def test_facts_are_plain_values() -> None:
    trigger = Trigger(table="t", text="x")
    part = Partition(name="p", parent="t", key="RANGE (n)", bound="DEFAULT")
    facts = SchemaFacts(metadata=sa.MetaData(), dialect="postgresql", partitions=(part,), triggers=(trigger,))
    assert facts.partitions[0].parent == "t"
    assert trigger == Trigger(table="t", text="x")
    with pytest.raises(AttributeError):
        trigger.table = "u"  # type: ignore[misc]
