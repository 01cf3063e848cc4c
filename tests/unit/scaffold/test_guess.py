"""Guessing a table's factory: fields, refs for foreign keys, what the database fills, and
the key."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.scaffold import guess, names
from seedspec.scaffold.guess import FactoryDraft, constant_default, filled_by_database, guess_factory


def _library() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "authors",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(120), nullable=False, unique=True),
        sa.Column("mentor_id", sa.ForeignKey("authors.id")),
        sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
    )
    sa.Table(
        "books",
        metadata,
        sa.Column("isbn", sa.String(8), primary_key=True),
        sa.Column("author_id", sa.ForeignKey("authors.id"), nullable=False),
        sa.Column("editor_id", sa.ForeignKey("editors.id")),
        sa.Column("publisher_id", sa.ForeignKey("publishers.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
    )
    sa.Table("editors", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("publishers", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "book_tags",
        metadata,
        sa.Column("book_isbn", sa.ForeignKey("books.isbn"), primary_key=True),
        sa.Column("tag_id", sa.ForeignKey("tags.id"), primary_key=True),
    )
    sa.Table("tags", metadata, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
    return metadata


def _fields(draft: FactoryDraft) -> dict[str, Any]:
    return {f.name: f.generator for f in draft.fields if not f.commented_out}


def test_the_database_fills_autoincrement_keys_and_defaults() -> None:
    draft = guess_factory(_library().tables["authors"], "author", {})
    assert draft.left_out == ("id", "created_at")
    assert draft.key == ("email",)
    assert _fields(draft) == {"email": {"faker": "email", "unique": True}}


def test_a_self_reference_is_only_a_comment() -> None:
    draft = guess_factory(_library().tables["authors"], "author", {})
    (mentor,) = [f for f in draft.fields if f.name == "mentor_id"]
    assert mentor.commented_out
    assert mentor.generator == {"ref": "author"}


def test_foreign_keys_refer_to_the_spec_factories_or_name_the_missing_ones() -> None:
    draft = guess_factory(_library().tables["books"], "book", {"authors": "writer"})
    fields = _fields(draft)
    assert fields["author_id"] == {"ref": "writer"}
    assert fields["publisher_id"] == {"ref": "publisher"}  # NOT NULL: written, the factory is missing
    assert "editor_id" not in fields  # nullable, no factory: a comment only
    assert draft.missing == (("publisher", "publishers"),)
    assert fields["isbn"] == {"sequence": "{n:08d}"}  # a string key too short for "isbn-0000"
    assert draft.key == ("isbn",)


def test_a_join_table_keys_on_its_two_refs_and_never_repeats_a_pair() -> None:
    draft = guess_factory(_library().tables["book_tags"], "book_tag", {"books": "book", "tags": "tag"})
    assert draft.key == ("book_isbn", "tag_id")
    assert _fields(draft)["tag_id"] == {"ref": "tag", "distinct_per": "book_isbn"}


def test_an_integer_key_the_database_does_not_fill_is_a_sequence() -> None:
    draft = guess_factory(_library().tables["tags"], "tag", {})
    assert _fields(draft) == {"id": {"sequence": 1}}
    assert draft.key == ("id",)


def test_a_composite_foreign_key_is_one_relationship_field() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "bins",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("region", sa.String(2), nullable=False),
        sa.Column("code", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["region", "code"], ["warehouses.region", "warehouses.code"]),
    )
    draft = guess_factory(metadata.tables["bins"], "bin", {"warehouses": "warehouse"})
    assert _fields(draft) == {"warehouse": {"ref": "warehouse"}}


def test_the_database_fills_what_has_a_default_other_than_null() -> None:
    table = sa.Table(
        "things",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note", sa.String(20), server_default=sa.text("NULL")),
        sa.Column("state", sa.String(20), server_default="new"),
        sa.Column("total", sa.Integer, sa.Computed("1 + 1")),
        sa.Column("name", sa.String(20)),
    )
    filled = [c.name for c in table.columns if filled_by_database(c)]
    assert filled == ["id", "state", "total"]


def test_the_api_finds_the_names_through_guess() -> None:
    assert guess.factory_name is names.factory_name
    assert guess.check_name is names.check_name
    assert guess.unknown_table is names.unknown_table


def test_a_not_null_column_of_an_unknown_type_gets_a_named_placeholder() -> None:
    metadata = sa.MetaData()
    table = sa.Table(
        "airports",
        metadata,
        sa.Column("code", sa.String(3), primary_key=True),
        sa.Column("coordinates", sa.types.NullType(), nullable=False, info={"type_name": "point"}),
        sa.Column("shape", sa.types.NullType(), info={"type_name": "polygon"}),
        sa.Column("blob", sa.types.NullType(), nullable=False, info={"type_name": "mytype"}),
    )
    fields = {f.name: f for f in guess_factory(table, "airport", {}).fields}
    assert fields["coordinates"].generator == "(0,0)"
    assert not fields["coordinates"].commented_out
    assert "no generator for type point" in fields["coordinates"].comment
    assert fields["shape"].commented_out  # nullable: left NULL
    assert fields["blob"].commented_out
    assert "type mytype" in fields["blob"].comment


def test_a_primary_key_with_a_constant_default_gets_a_field() -> None:
    table = sa.Table(
        "document",
        sa.MetaData(),
        sa.Column("node", sa.String(20), primary_key=True, server_default=sa.text("'/'::character varying")),
        sa.Column("title", sa.String(50), nullable=False, server_default=sa.text("'untitled'")),
    )
    assert not filled_by_database(table.c.node)  # every row would get '/': the second repeats it
    assert filled_by_database(table.c.title)  # not a key: the same default in every row is fine
    fields = {f.name: f.generator for f in guess_factory(table, "document", {}).fields}
    assert fields["node"] == {"sequence": "node-{n:04d}"}


def test_a_foreign_key_with_a_constant_default_gets_a_ref() -> None:
    metadata = sa.MetaData()
    sa.Table("document", metadata, sa.Column("node", sa.String(20), primary_key=True))
    table = sa.Table(
        "product_document",
        metadata,
        sa.Column("product_id", sa.Integer, primary_key=True),
        sa.Column("node", sa.ForeignKey("document.node"), primary_key=True, server_default=sa.text("'/'")),
    )
    assert not filled_by_database(table.c.node)  # '/' names a document the spec does not write
    fields = {
        f.name: f.generator for f in guess_factory(table, "product_document", {"document": "doc"}).fields
    }
    assert fields["node"] == {"ref": "doc"}


@pytest.mark.parametrize(
    ("default", "value"),
    [("'/'::character varying", ("/",)), ("(0.00)", (0.0,)), ("0", (0,)), ("'it''s'", ("it's",)),
     ("now()", None), ("nextval('t_id_seq'::regclass)", None)],
)  # fmt: skip
def test_a_constant_default_is_read_as_its_value(default: str, value: tuple[object] | None) -> None:
    assert constant_default(sa.DefaultClause(sa.text(default))) == value


def test_a_table_without_a_unique_key_is_keyed_by_its_columns_but_json_ones() -> None:
    metadata = sa.MetaData()
    table = sa.Table(
        "events",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False),
    )
    # a JSON value cannot be looked up (E378): the key is written without it
    assert guess_factory(table, "event", {}).key == ("kind", "seen_at")
    plain = sa.Table(
        "notes", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("body", sa.Text)
    )
    assert guess_factory(plain, "note", {}).key == ()  # inferred at apply from every column, as before
