"""Validation of ref filters (where): columns of the target, and rows that can match."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata
from seedspec.source import SourceMap
from seedspec.spec.validation import validate_document


def doc(role: Any, where: Any, **step: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "factories": {
            "user": {"table": "users", "fields": {"email": {"sequence": "u{n}"}, "role": role}},
            "post": {"table": "posts", "fields": {"user_id": {"ref": "user", "where": where}}},
        },
        "seed": [{"factory": "user", "count": 3, **step}, {"factory": "post", "count": 2}],
    }


def codes(document: dict[str, Any], catalog: Any = None) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in validate_document(document, SourceMap({}), catalog)]


def test_a_filter_some_row_can_match_is_valid() -> None:
    assert codes(doc({"choice": ["member", "admin"]}, {"role": "admin"})) == []
    assert codes(doc("member", {"role": ["admin", "member"]})) == []
    assert codes(doc("{{ 'admin' }}", {"role": "nobody"})) == []  # a template: unknown until run
    assert codes(doc({"faker": "word", "null_rate": 0.5}, {"role": None})) == []
    records = {"records": {"boss": {"email": "b", "role": "admin"}}}
    assert codes(doc("member", {"role": "admin"}, **records)) == []
    assert codes(doc("member", {"role": "admin"}, values={"role": "admin"})) == []


def test_a_filter_no_row_can_match_is_e336() -> None:
    ptr = "/factories/post/fields/user_id/where/role"
    assert codes(doc("member", {"role": "admin"})) == [("E336", ptr)]
    assert codes(doc({"choice": {"member": 1, "admin": 0}}, {"role": "admin"})) == [("E336", ptr)]


def test_a_filter_column_is_a_column_of_the_target() -> None:
    assert codes(doc("member", {"rank": 1})) == [("E335", "/factories/post/fields/user_id/where/rank")]
    md = sa.MetaData()
    sa.Table(
        "users",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("active", sa.Boolean),
    )
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id")),
    )
    catalog = catalog_from_metadata(md)
    assert codes(doc("member", {"active": True, "role": "member"}), catalog) == []  # a column, no field
    assert codes(doc("member", {"rank": 1}), catalog) == [
        ("E335", "/factories/post/fields/user_id/where/rank")
    ]


def test_a_filter_on_one_named_record_is_e334() -> None:
    document = doc("member", {"role": "admin"}, records={"boss": {"email": "b", "role": "admin"}})
    document["factories"]["post"]["fields"]["user_id"]["ref"] = "user.boss"
    assert codes(document) == [("E334", "/factories/post/fields/user_id/where")]
