"""``seedspec init`` on PostgreSQL tables outside ``public``: every schema a user made is read
(or those named), tables are drafted as ``schema.table``, refs agree with the factory names,
and the spec applies and re-applies as a no-op. Types seedspec does not know are named once."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.api import specs as api
from seedspec.errors import Severity
from seedspec.scaffold.draft_spec import Initialized

DDL = """
CREATE SCHEMA sales; CREATE SCHEMA person;
CREATE TABLE person.customer (id int PRIMARY KEY, email varchar(80) UNIQUE NOT NULL);
CREATE TABLE sales.customer (id int PRIMARY KEY, person_id int NOT NULL REFERENCES person.customer);
CREATE DOMAIN sales."Name" varchar(12);
CREATE TABLE sales.territory (id serial PRIMARY KEY, name sales."Name" NOT NULL UNIQUE, spot point NOT NULL);
CREATE TABLE sales.node (id serial PRIMARY KEY, root_id int NOT NULL REFERENCES sales.node);
CREATE TABLE sales.credit (id int NOT NULL, is_track boolean NOT NULL) PARTITION BY LIST (is_track);
CREATE TABLE sales.credit_no PARTITION OF sales.credit FOR VALUES IN (FALSE);
CREATE TABLE sales.credit_yes PARTITION OF sales.credit FOR VALUES IN (TRUE);
CREATE TABLE public.note (id serial PRIMARY KEY, territory_id int NOT NULL REFERENCES sales.territory,
                          title varchar(30) NOT NULL UNIQUE);
"""


@pytest.fixture
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database holding DDL (its own, so no other test's schema is read)."""
    admin = request.getfixturevalue("postgres_server").require()
    name = f"seedspec_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(DDL)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def _cycle(url: str, out: Path, **options: object) -> Initialized:
    engine = seedspec.create_engine(url)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", "Did not recognize type")  # about the point type
            done = seedspec.init_spec(engine, out=out, count=3, **options)  # type: ignore[arg-type]
            spec = seedspec.load(done.path, {"DATABASE_URL": url})
            errors = [d for d in api.check(spec, engine) if d.severity is Severity.ERROR]
            assert not errors, [f"{d.code} {d.message}" for d in errors]
            first = seedspec.apply(spec, engine, workers=0)
            second = seedspec.apply(spec, engine, workers=0)
    finally:
        engine.dispose()
    assert first.created == 3 * len(done.draft.factories)
    assert second.created == 0
    return done


@pytest.mark.postgres
def test_init_reads_every_schema_and_names_tables_with_it(database: str, tmp_path: Path) -> None:
    done = _cycle(database, tmp_path / "seeds.yaml")
    tables = {f.name: f.table for f in done.draft.factories}
    assert tables == {
        "person_customer": "person.customer",
        "sales_customer": "sales.customer",  # two schemas have a customer: the schema tells them apart
        "territory": "sales.territory",
        "node": "sales.node",  # NOT NULL self-reference: each row its own
        "credit": "sales.credit",  # boolean LIST partitions
        "note": "note",  # the default schema's tables keep their bare name
    }
    text = done.text
    assert "ref: person_customer" in text
    assert "ref: territory" in text
    assert 'root_id: "{{ id }}"' in text
    assert "is_track: {choice: [true, false]}" in text
    assert "[:12]" in text  # the domain's length: varchar(12)
    assert 'spot: "(0,0)"' in text
    assert "placeholder: seedspec has no generator for type point" in text


@pytest.mark.postgres
def test_init_reads_only_the_schemas_named(database: str, tmp_path: Path) -> None:
    done = _cycle(database, tmp_path / "seeds.yaml", schemas=("person",))
    assert [(f.name, f.table) for f in done.draft.factories] == [("customer", "person.customer")]


@pytest.mark.postgres
def test_a_schema_qualified_table_unknown_to_the_database_is_e310(database: str, tmp_path: Path) -> None:
    spec_file = tmp_path / "seeds.yaml"
    spec_file.write_text(
        "version: 1\nfactories:\n  t:\n    table: sales.territorry\n    fields: {name: x}\n"
        "seed:\n  - {factory: t, count: 1}\n"
    )
    engine = seedspec.create_engine(database)
    try:
        spec = seedspec.load(spec_file, {"DATABASE_URL": database})
        codes = [d.code for d in api.check(spec, engine) if d.severity is Severity.ERROR]
    finally:
        engine.dispose()
    assert codes == ["E310"]


def test_a_not_null_self_reference_applies_on_every_database(db_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE nodes (id INTEGER PRIMARY KEY, label VARCHAR(20) NOT NULL, "
            "root_id INTEGER NOT NULL REFERENCES nodes (id))"
        )
    engine.dispose()
    done = _cycle(db_url, tmp_path / "seeds.yaml")
    assert 'root_id: "{{ id }}"' in done.text
