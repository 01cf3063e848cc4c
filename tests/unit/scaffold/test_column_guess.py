"""Guesses for one column: its name and type give a generator; a key column gets distinct
values."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata
from seedspec.scaffold.column_guess import guess_generator, unique_guess
from seedspec.scaffold.guess import guess_factory
from seedspec.scaffold.names import factory_name
from seedspec.source import SourceMap
from seedspec.spec.validation import validate_document


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
    assert len([f for f in draft.fields if not f.commented_out]) == len(GUESSES)
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


def _key_column(name: str, type_: sa.types.TypeEngine[Any], table: str = "teams") -> sa.Column[Any]:
    column = sa.Column(name, type_, primary_key=True)
    sa.Table(table, sa.MetaData(), column)
    return column


def test_a_key_column_gets_a_sequence_unless_its_name_says_better() -> None:
    assert unique_guess(_key_column("id", sa.Integer())) == {"sequence": 1}
    assert unique_guess(_key_column("code", sa.String(20))) == {"sequence": "code-{n:04d}"}
    assert unique_guess(_key_column("name", sa.String(40))) == {"sequence": "team-{n:04d}"}
    assert unique_guess(_key_column("email", sa.String(120))) is None  # Faker's email, made unique
    assert unique_guess(_key_column("born", sa.Date())) is None


def test_a_short_key_column_is_numbered_without_its_name() -> None:
    assert unique_guess(_key_column("code", sa.String(6))) == {"sequence": "{n:06d}"}
    assert unique_guess(_key_column("reference", sa.String(40))) == {"sequence": "reference-{n:04d}"}


def test_a_char_key_column_is_numbered_to_its_full_width() -> None:
    assert unique_guess(_key_column("book_ref", sa.CHAR(6))) == {"sequence": "{n:06d}"}
    assert unique_guess(_key_column("ticket_no", sa.CHAR(13))) == {"sequence": "{n:013d}"}
    assert unique_guess(_key_column("ref", sa.VARCHAR(13))) == {"sequence": "ref-{n:04d}"}  # not padded


def test_camel_case_and_snake_case_names_are_guessed_alike() -> None:
    assert _guess("addressLine1", sa.String(60)) == {"faker": "street_address"}
    assert _guess("address_line_2", sa.String(60)) == {"faker": "secondary_address"}
    assert _guess("passenger_name", sa.String(60)) == {"faker": "name"}
    assert _guess("customerName", sa.String(60)) == {"faker": "name"}
    assert _guess("timezone", sa.Text()) == {"faker": "timezone"}
    assert _guess("timeZone", sa.String(64)) == {"faker": "timezone"}
    assert _guess("phoneNumber", sa.String(30)) == {"faker": "phone_number"}
    assert _guess("postalCode", sa.String(10)) == {"faker": "postcode"}
