"""Scaffolding guesses: a column's name and type -> a generator, a table -> a factory (fields,
refs, key), and the names ``seedspec new factory`` accepts."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata
from seedspec.scaffold.guess import (
    FactoryDraft,
    check_name,
    factory_name,
    guess_factory,
    guess_generator,
    snake_case,
    unknown_table,
)
from seedspec.source import SourceMap
from seedspec.spec.validation import validate_document


@pytest.mark.parametrize(
    ("name", "snake"),
    [("BillingPostalCode", "billing_postal_code"), ("Order Details", "order_details"), ("userID", "user_id")],
)
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize(
    ("table", "factory"),
    [
        ("users", "user"),
        ("post_tags", "post_tag"),
        ("categories", "category"),
        ("addresses", "address"),
        ("MediaType", "media_type"),
        ("Order Details", "order_detail"),
        ("status", "status"),
        ("2024_logs", "t_2024_log"),
    ],
)
def test_factory_name_is_the_singular_in_snake_case(table: str, factory: str) -> None:
    assert factory_name(table) == factory


def _guess(name: str, type_: sa.types.TypeEngine[Any], table: str = "things", **kw: Any) -> Any:
    column = sa.Column(name, type_, **kw)
    sa.Table(table, sa.MetaData(), column)
    return guess_generator(column, frozenset(factory_name(table).split("_")))


GUESSES: list[tuple[str, Any, Any]] = [
    ("email", sa.String(120), {"faker": "email"}),
    ("FirstName", sa.String(40), {"faker": "first_name"}),
    ("last_name", sa.String(40), {"faker": "last_name"}),
    ("phone_number", sa.String(30), {"faker": "phone_number"}),
    ("Fax", sa.String(24), {"faker": "phone_number"}),
    ("city", sa.String(40), {"faker": "city"}),
    ("BillingCountry", sa.String(60), {"faker": "country"}),
    ("country", sa.String(2), {"faker": "country_code"}),
    ("street", sa.String(80), {"faker": "street_address"}),
    ("zip", sa.String(10), {"faker": "postcode"}),
    ("postal_code", sa.String(10), {"faker": "postcode"}),
    ("company", sa.String(80), {"faker": "company"}),
    ("website", sa.String(200), {"faker": "url"}),
    ("username", sa.String(30), {"faker": "user_name"}),
    ("slug", sa.String(60), {"faker": "slug"}),
    ("description", sa.Text(), {"faker": "text", "args": {"max_nb_chars": 200}}),
    ("body", sa.String(80), {"faker": "text", "args": {"max_nb_chars": 80}}),
    ("notes", sa.String(3), {"faker": "pystr", "args": {"max_chars": 3}}),
    ("whatever", sa.String(50), {"faker": "text", "args": {"max_nb_chars": 50}}),
    ("title", sa.String(200), {"faker": "sentence", "args": {"nb_words": 4}}),
    ("created_at", sa.DateTime(), {"faker": "date_time_between", "args": {"start_date": "-1y"}}),
    ("created", sa.String(40), {"faker": "date_time_between", "args": {"start_date": "-1y"}}),
    ("shipped_on", sa.Date(), {"faker": "date_between", "args": {"start_date": "-1y"}}),
    ("birth_date", sa.Date(), {"faker": "date_between", "args": {"start_date": "-80y", "end_date": "-18y"}}),
    ("opens", sa.Time(), {"faker": "time_object"}),
    ("active", sa.Boolean(), {"faker": "boolean"}),
    ("is_admin", sa.Integer(), {"range": [0, 1]}),
    ("age", sa.Integer(), {"range": [18, 90]}),
    ("quantity", sa.Integer(), {"range": [1, 10]}),
    ("pages", sa.Integer(), {"range": [0, 1000]}),
    ("level", sa.SmallInteger(), {"range": [0, 100]}),
    ("price", sa.Numeric(10, 2), {"range": [1.0, 1000.0], "decimals": 2}),
    ("total", sa.Numeric(5, 3), {"range": [1.0, 99.0], "decimals": 3}),
    ("amount", sa.Numeric(8, 0), {"range": [1, 1000]}),
    ("weight", sa.Float(), {"range": [0.0, 1000.0], "decimals": 2}),
    ("latitude", sa.Numeric(9, 6), {"range": [-90.0, 90.0], "decimals": 6}),
    ("token", sa.Uuid(), {"faker": "uuid4"}),
    ("guid", sa.String(36), {"faker": "uuid4"}),
    ("settings", sa.JSON(), {"value": {}}),
    ("metadata", sa.Text(), {"value": {}}),
    ("photo", sa.LargeBinary(), {"faker": "binary", "args": {"length": 16}}),
    ("mood", sa.Enum("sad", "ok", name="mood"), {"choice": ["sad", "ok"]}),
    ("labels", sa.ARRAY(sa.Text()), {"value": []}),
]


@pytest.mark.parametrize(("name", "type_", "expected"), GUESSES, ids=[g[0] for g in GUESSES])
def test_a_column_name_and_type_give_a_generator(name: str, type_: Any, expected: Any) -> None:
    assert _guess(name, type_) == expected


def test_every_guess_passes_validation() -> None:
    metadata = sa.MetaData()
    columns = [sa.Column(name, type_, nullable=False) for name, type_, _ in GUESSES]
    table = sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True), *columns)
    draft = guess_factory(table, "thing", {})
    assert len(_fields(draft)) == len(GUESSES)
    document = {"version": 1, "factories": {"thing": draft.mapping()}, "seed": [{"factory": "thing"}]}
    assert validate_document(document, SourceMap({}), catalog_from_metadata(metadata)) == ()


def test_a_bare_name_depends_on_the_table() -> None:
    assert _guess("name", sa.String(80), "customers") == {"faker": "name"}
    assert _guess("name", sa.String(80), "suppliers") == {"faker": "company"}
    assert _guess("name", sa.String(80), "products") == {"faker": "catch_phrase"}
    assert _guess("ContactName", sa.String(80), "suppliers") == {"faker": "name"}
    assert _guess("title", sa.String(80), "employees") == {"faker": "job"}


def test_a_value_that_may_not_fit_the_column_is_cut_by_a_template() -> None:
    assert _guess("country", sa.String(40)) == "{{ fake.country()[:40] }}"
    assert _guess("title", sa.String(30)) == "{{ fake.sentence(nb_words=4)[:30] }}"


def test_a_type_without_a_guess_gives_none() -> None:
    assert _guess("spot", sa.types.NullType()) is None


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


@pytest.mark.parametrize(("name", "code"), [("9lives", "E803"), ("blog-post", "E803"), ("user", "E804")])
def test_a_factory_name_must_be_an_identifier_that_is_not_taken(name: str, code: str) -> None:
    problem = check_name(name, ["user"])
    assert problem is not None
    assert problem.code == code
    assert check_name("blog_post", ["user"]) is None


def test_an_unknown_table_suggests_the_closest_and_lists_the_known() -> None:
    problem = unknown_table("album", ["Album", "Artist"], "tables.ddl (chinook.sql)")
    assert problem.code == "E805"
    assert problem.hint == "did you mean 'Album'? known tables: Album, Artist"
