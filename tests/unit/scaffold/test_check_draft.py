"""CHECKs read as logic, drafted: the cheapest term, each column NULL or a value that passes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.scaffold.guess import FactoryDraft
from seedspec.scaffold.table_draft import draft_factory

FACTORIES = {"artist": "artist", "allowed": "allowed", "alias_type": "alias_type"}


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    for name in ("artist", "allowed", "alias_type"):
        sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def _draft(table: sa.Table) -> FactoryDraft:
    return draft_factory(table, table.name, {**FACTORIES, table.name: table.name}, dialect="postgresql")[0]


def _fields(draft: FactoryDraft) -> dict[str, Any]:
    return {f.name: f.generator for f in draft.fields if not f.commented_out}


def test_exactly_one_of_two_is_null_keeps_the_cheaper_side() -> None:
    table = sa.Table(
        "artist_attribute", _metadata(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("allowed_value", sa.Integer, sa.ForeignKey("allowed.id")),
        sa.Column("text", sa.Text),
        sa.CheckConstraint("(allowed_value IS NULL AND text IS NOT NULL)"
                           " OR (allowed_value IS NOT NULL AND text IS NULL)"),
    )  # fmt: skip
    draft = _draft(table)
    assert "allowed_value" not in _fields(draft)
    assert "text" in _fields(draft)
    assert not draft.blocked


def test_num_nonnulls_with_a_default_writes_null_rate() -> None:
    table = sa.Table(
        "link", _metadata(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer),
        sa.Column("b", sa.Integer, server_default="0"),
        sa.CheckConstraint("num_nonnulls(a, b) = 1"),
    )  # fmt: skip
    fields = _fields(_draft(table))
    assert fields["a"] == {"range": [0, 1000]} or "a" in fields
    assert fields.get("b", {"null_rate": 1}).get("null_rate") == 1  # its default would not be NULL


def test_dates_ended_and_locale_of_an_alias() -> None:
    table = sa.Table(
        "artist_alias", _metadata(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("end_date_year", sa.SmallInteger),
        sa.Column("ended", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("locale", sa.Text),
        sa.Column("primary_for_locale", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.CheckConstraint("((end_date_year IS NOT NULL) AND (ended = true)) OR (end_date_year IS NULL)"),
        sa.CheckConstraint("((locale IS NULL) AND (primary_for_locale IS FALSE)) OR (locale IS NOT NULL)"),
    )  # fmt: skip
    fields = _fields(_draft(table))
    assert fields["ended"] is True  # drafted, though the database has a default
    assert "end_date_year" in fields
    assert "locale" in fields
    assert "primary_for_locale" not in fields


def test_a_key_the_database_counts_skips_a_value_the_check_refuses() -> None:
    table = sa.Table(
        "artist", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.Integer),
        sa.CheckConstraint("(id <> 1) OR ((kind = 3) AND (kind IS NOT NULL))"),
    )  # fmt: skip
    draft = _draft(table)
    assert _fields(draft)["id"] == {"sequence": 2}
    assert draft.key == ("id",)


def test_a_ref_compared_with_a_constant_is_left_null() -> None:
    table = sa.Table(
        "artist_alias", _metadata(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("type", sa.Integer, sa.ForeignKey("alias_type.id")),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sort_name", sa.Text, nullable=False),
        sa.CheckConstraint("(type <> 2) OR ((type = 2) AND ((sort_name)::text = (name)::text))"),
    )  # fmt: skip
    fields = _fields(_draft(table))
    assert "type" not in fields  # NULL: neither side compares, the CHECK passes
    assert fields["sort_name"] != "{{ name }}"


def test_equal_columns_are_drafted_with_a_template() -> None:
    table = sa.Table(
        "alias", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sort_name", sa.Text, nullable=False),
        sa.CheckConstraint("sort_name = name"),
    )  # fmt: skip
    fields = _fields(_draft(table))
    assert fields["name"] == "{{ sort_name }}"  # the second column renders the first
    assert fields["sort_name"] == {"faker": "catch_phrase"}


def test_two_refs_to_one_table_that_must_differ_get_no_rows() -> None:
    table = sa.Table(
        "l_artist_artist", _metadata(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity0", sa.Integer, sa.ForeignKey("artist.id"), nullable=False),
        sa.Column("entity1", sa.Integer, sa.ForeignKey("artist.id"), nullable=False),
        sa.CheckConstraint("entity0 <> entity1"),
    )  # fmt: skip
    draft = _draft(table)
    assert draft.blocked == "no drafted values meet CHECK (entity0 <> entity1): write these rows by hand"
    assert draft.notes == (f"no rows: {draft.blocked}",)


def test_at_least_one_not_null_sets_a_null_column() -> None:
    table = sa.Table(
        "language", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("iso_code_2t", sa.CHAR(3)),
        sa.Column("iso_code_3", sa.CHAR(3)),
        sa.CheckConstraint("iso_code_2t IS NOT NULL OR iso_code_3 IS NOT NULL"),
        sa.CheckConstraint("iso_code_2t ~ '^[a-z]{3}$'"),
    )  # fmt: skip
    fields = _fields(_draft(table))
    assert fields["iso_code_2t"] == {
        "faker": "bothify",
        "args": {"text": "???", "letters": "abcdefghijklmnopqrstuvwxyz"},
    }


def test_a_condition_not_understood_on_a_not_null_column_is_left_for_review() -> None:
    table = sa.Table(
        "tag", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.CheckConstraint("controlled_for_whitespace(name)"),
    )  # fmt: skip
    draft = _draft(table)
    assert {f.name: f.comment for f in draft.fields}["name"] == (
        "CHECK (controlled_for_whitespace(name)) not understood: review"
    )


def test_a_column_the_term_wants_set_is_never_nulled_for_a_condition_not_understood() -> None:
    table = sa.Table(
        "release", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("barcode", sa.Text),
        sa.CheckConstraint("barcode IS NOT NULL AND length(barcode) > 3"),
    )  # fmt: skip
    draft = _draft(table)
    assert "barcode" in _fields(draft)
    assert {f.name: f.comment for f in draft.fields}["barcode"].endswith("not understood: review")
