"""Values as their columns hold them, on real databases: a template into a JSON column is stored
as the JSON it renders, a UUID column gets UUIDs (and unique ones across spec changes), and an
enum column's labels are read from the database and checked at validate."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.api.specs import check

PEOPLE = """\
version: 1
tables: {ddl: schema.sql}
factories:
  person:
    table: people
    key: [email]
    fields:
      id: {faker: uuid4, unique: true}
      email: "%s{{ n }}@x.test"
      prefs: '{"n": {{ n }}, "tags": ["a"]}'
seed:
  - factory: person
    count: 3
"""

PEOPLE_TABLE = "CREATE TABLE people (id %s PRIMARY KEY, email VARCHAR(40) NOT NULL UNIQUE, prefs %s);"
SCHEMAS = {
    "sqlite": PEOPLE_TABLE % ("CHAR(36)", "JSON"),
    "postgresql": PEOPLE_TABLE % ("UUID", "JSONB"),
    "mariadb": PEOPLE_TABLE % ("UUID", "JSON"),
}


def _apply(folder: Path, url: str, prefix: str) -> seedspec.Report:
    (folder / "spec.yaml").write_text(PEOPLE % prefix, encoding="utf-8")
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(seedspec.load(folder / "spec.yaml"), engine, create=True)
    finally:
        engine.dispose()


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_a_template_into_a_json_column_is_stored_as_json(tmp_path: Path, db_kind: str, db_url: str) -> None:
    (tmp_path / "schema.sql").write_text(SCHEMAS[db_kind], encoding="utf-8")
    _apply(tmp_path, db_url, "p")
    if db_kind == "postgresql":
        assert {r[0] for r in _rows(db_url, "SELECT jsonb_typeof(prefs) FROM people")} == {"object"}
    else:
        assert {r[0].lower() for r in _rows(db_url, "SELECT json_type(prefs) FROM people")} == {"object"}
    assert _apply(tmp_path, db_url, "p").created == 0  # the parsed value is what a lookup compares


def test_a_uuid_column_gets_uuids_unique_across_a_spec_change(
    tmp_path: Path, db_kind: str, db_url: str
) -> None:
    (tmp_path / "schema.sql").write_text(SCHEMAS[db_kind], encoding="utf-8")
    _apply(tmp_path, db_url, "p")
    report = _apply(tmp_path, db_url, "q")  # new keys, the same seeds: the same UUIDs are drawn
    assert report.created == 3
    ids = [r[0] for r in _rows(db_url, "SELECT id FROM people")]
    assert len({str(i) for i in ids}) == 6
    assert all(uuid.UUID(str(i)) for i in ids)
    if db_kind == "postgresql":
        assert all(isinstance(i, uuid.UUID) for i in ids)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_template_that_renders_no_json_is_a_located_error(
    tmp_path: Path, kind: str, new_db_url: Any
) -> None:
    (tmp_path / "schema.sql").write_text(SCHEMAS[kind], encoding="utf-8")
    url = new_db_url(kind)
    # validate cannot tell what the expression renders (E352 refuses text that can never be JSON)
    spec = (PEOPLE % "p").replace("""'{"n": {{ n }}, "tags": ["a"]}'""", """'{{ "n" ~ n }}'""")
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    engine = seedspec.create_engine(url)
    try:
        with pytest.raises(seedspec.SeedspecError) as caught:
            seedspec.apply(seedspec.load(tmp_path / "spec.yaml"), engine, create=True)
    finally:
        engine.dispose()
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer) == ("E504", "/factories/person/fields/prefs")
    assert "must render JSON" in d.hint


ENUM_SCHEMAS = {
    "postgresql": "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
    "CREATE TABLE people (id SERIAL PRIMARY KEY, feeling mood NOT NULL);",
    "mariadb": "CREATE TABLE people (id INTEGER AUTO_INCREMENT PRIMARY KEY, "
    "feeling ENUM('happy', 'sad') NOT NULL);",
}

MOODS = """\
version: 1
factories:
  person:
    table: people
    fields:
      feeling: {choice: [happy, angry]}
seed:
  - factory: person
    count: 2
"""


@pytest.mark.parametrize("kind", ["postgresql", "mariadb"])
def test_enum_labels_are_read_from_the_database_and_checked(
    tmp_path: Path, kind: str, new_db_url: Any
) -> None:
    url = new_db_url(kind)
    engine = seedspec.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in ENUM_SCHEMAS[kind].split(";\n"):
                conn.exec_driver_sql(statement)
        (tmp_path / "spec.yaml").write_text(MOODS, encoding="utf-8")
        found = check(seedspec.load(tmp_path / "spec.yaml"), engine)
    finally:
        engine.dispose()
    assert [(d.code, d.pointer) for d in found] == [("E350", "/factories/person/fields/feeling/choice/1")]
    assert "happy, sad" in found[0].hint


SLUGS = """\
version: 1
settings: {locale: ru_RU%s}
factories:
  post:
    table: posts
    key: [slug]
    fields:
      slug: "{{ fake.sentence() | slugify }}"
seed:
  - factory: post
    count: 20
"""


SERIAL = {"sqlite": "INTEGER", "postgresql": "SERIAL", "mariadb": "INTEGER AUTO_INCREMENT"}


def test_slugify_transliterates_and_a_pinned_version_keeps_the_old_slugs(
    tmp_path: Path, db_kind: str, db_url: str
) -> None:
    (tmp_path / "schema.sql").write_text(
        f"CREATE TABLE posts (id {SERIAL[db_kind]} PRIMARY KEY, slug VARCHAR(200) NOT NULL)", encoding="utf-8"
    )
    (tmp_path / "spec.yaml").write_text("tables: {ddl: schema.sql}\n" + SLUGS % "", encoding="utf-8")
    engine = seedspec.create_engine(db_url)
    try:
        assert seedspec.apply(seedspec.load(tmp_path / "spec.yaml"), engine, create=True).created == 20
        pinned = "tables: {ddl: schema.sql}\n" + SLUGS % ", generator_version: 1"
        (tmp_path / "spec.yaml").write_text(pinned, encoding="utf-8")
        with pytest.raises(seedspec.SeedspecError) as refused:
            seedspec.apply(seedspec.load(tmp_path / "spec.yaml"), engine, create=True)
    finally:
        engine.dispose()
    slugs = [r[0] for r in _rows(db_url, "SELECT slug FROM posts")]
    assert sum(1 for s in slugs if s) == 20  # version 2: every Cyrillic sentence has a slug
    assert all(s.isascii() for s in slugs)
    # version 1 reproduces the old slugs: every one is "", a key drawn 20 times, refused (E520)
    assert refused.value.diagnostics[0].code == "E520"
    assert "{'slug': ''}" in refused.value.diagnostics[0].message


def test_e503_under_for_each_says_that_n_restarts_under_each_parent(tmp_path: Path, sqlite_url: str) -> None:
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE clinics (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
        "CREATE TABLE doctors (id INTEGER PRIMARY KEY, clinic_id INTEGER NOT NULL, "
        "host TEXT NOT NULL, email TEXT NOT NULL UNIQUE);",
        encoding="utf-8",
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\ntables: {ddl: schema.sql}\nfactories:\n"
        "  clinic: {table: clinics, fields: {name: 'C{{ n }}'}}\n"
        "  doctor:\n    table: doctors\n    fields:\n      clinic_id: {ref: clinic}\n"
        "      host: clinic.test\n      email: 'doctor{{ n }}@{{ host }}'\n"
        "seed:\n  - {factory: clinic, count: 2}\n  - {factory: doctor, for_each: clinic, count: 2}\n",
        encoding="utf-8",
    )
    engine = seedspec.create_engine(sqlite_url)
    try:
        with pytest.raises(seedspec.SeedspecError) as caught:
            seedspec.apply(seedspec.load(spec), engine, create=True)
    finally:
        engine.dispose()
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer) == ("E503", "/factories/doctor/fields/email")
    assert "n restarts at 0 under each 'clinic'" in d.hint


def test_a_uuid_lookup_key_finds_its_rows_again(tmp_path: Path, db_kind: str, db_url: str) -> None:
    (tmp_path / "schema.sql").write_text(SCHEMAS[db_kind], encoding="utf-8")
    (tmp_path / "spec.yaml").write_text((PEOPLE % "p").replace("key: [email]", "key: [id]"), encoding="utf-8")
    engine = seedspec.create_engine(db_url)
    try:
        first = seedspec.apply(seedspec.load(tmp_path / "spec.yaml"), engine, create=True)
        second = seedspec.apply(seedspec.load(tmp_path / "spec.yaml"), engine, create=True)
    finally:
        engine.dispose()
    assert (first.created, second.created, second.existing) == (3, 0, 3)
