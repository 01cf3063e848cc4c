"""What sqlglot does not read in a PostgreSQL DDL, read by ``ddl.parse``'s pre-passes: psql
meta-commands, ``SET search_path``, ``CREATE SCHEMA s CREATE TABLE ...``, keyword types; and the
statements offline validation leaves out (triggers, DO blocks that only create functions)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from seedspec.database import ddl, ddl_load, tables

SCRIPT = """\
\\set ON_ERROR_STOP 1
CREATE SCHEMA Person
  CREATE TABLE Person (Id SERIAL PRIMARY KEY, Name varchar(20) NOT NULL)
  CREATE TABLE Phone (PersonId INT NOT NULL REFERENCES Person (Id), Number TEXT)
;
CREATE SCHEMA mb;
SET search_path = mb, public;
CREATE TABLE place (id SERIAL, spot cube, at point NOT NULL, address inet);
ALTER TABLE place ADD CONSTRAINT place_pkey PRIMARY KEY (id);
CREATE TRIGGER t BEFORE INSERT ON place FOR EACH ROW EXECUTE FUNCTION f();
DO $$
BEGIN
  CREATE OR REPLACE FUNCTION mb.f() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;
EXCEPTION
  WHEN insufficient_privilege THEN NULL;
END
$$;
"""


def test_statements_carry_the_schema_their_unqualified_names_are_in() -> None:
    parsed = ddl.parse(SCRIPT, "schema.sql", "postgresql")
    found = [(s.line, s.text.split("(")[0].strip(), s.schema) for s in parsed.statements]
    assert found[:4] == [
        (2, "CREATE SCHEMA Person", None),
        (3, "CREATE TABLE Person", "person"),
        (4, "CREATE TABLE Phone", "person"),
        (6, "CREATE SCHEMA mb;", None),
    ]
    assert [s for _, _, s in found[5:7]] == ["mb", "mb"]  # the SET itself, and the table after it


def test_left_out_offline() -> None:
    assert ddl.left_out_offline("CREATE TRIGGER t BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION f()")
    assert ddl.left_out_offline("DO $$ BEGIN CREATE FUNCTION f() RETURNS int AS $f$ SELECT 1 $f$; END $$;")
    assert not ddl.left_out_offline("DO $$ BEGIN CREATE TABLE t (a int); END $$;")
    assert not ddl.left_out_offline("DO $$ BEGIN INSERT INTO t VALUES (1); END $$")
    assert not ddl.left_out_offline("DO $$ BEGIN CREATE FUNCTION f() RETURNS int AS 'x'; PERFORM f(); END $$")


def test_offline_the_tables_are_named_as_on_the_database(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(SCRIPT)
    metadata = ddl_load.offline_metadata(tmp_path / "schema.sql", "postgresql", None)
    assert sorted(metadata.tables) == ["mb.place", "person.person", "person.phone"]
    phone = metadata.tables["person.phone"]
    assert [fk.column.table.name for fk in phone.foreign_keys] == ["person.person"]
    place = metadata.tables["mb.place"]
    assert [c.name for c in place.primary_key.columns] == ["id"]
    assert isinstance(place.c.spot.type, sa.types.NullType)
    assert place.c.spot.info["type_name"] == "cube"
    assert isinstance(place.c.at.type, sa.types.NullType)
    assert not place.c.at.nullable
    catalog = tables.catalog_from_metadata(metadata)
    assert [c.name for c in catalog.tables["mb.place"].columns if c.has_default] == ["id"]


def test_serial4_is_a_serial(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE f (id serial4 NOT NULL PRIMARY KEY, n int8);")
    catalog = tables.catalog_from_metadata(
        ddl_load.offline_metadata(tmp_path / "schema.sql", "postgresql", None)
    )
    assert [c.name for c in catalog.tables["f"].columns if c.has_default] == ["id"]
