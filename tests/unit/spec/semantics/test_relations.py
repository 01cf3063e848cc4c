"""Validation of what rows read of related rows: E360 (no such column), E361 (no such row)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata
from seedspec.source import SourceMap
from seedspec.spec.validation import validate_document


def _catalog() -> Any:
    md = sa.MetaData()
    sa.Table("customers", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("email", sa.Text))
    sa.Table(
        "orders",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.ForeignKey("customers.id")),
        sa.Column("other_id", sa.ForeignKey("customers.id")),
        sa.Column("note", sa.Text),
    )
    return catalog_from_metadata(md)


def doc(order_fields: dict[str, Any], **step: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "factories": {
            "customer": {"table": "customers", "fields": {"email": {"sequence": "c{n}"}}},
            "order": {"table": "orders", "fields": order_fields},
        },
        "seed": [{"factory": "customer", "count": 3}, {"factory": "order", "count": 2, **step}],
    }


def codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    found = validate_document(document, SourceMap({}), _catalog())
    return [(d.code, d.pointer) for d in found if d.code.startswith("E")]


def test_reading_a_column_of_the_picked_row_or_the_parent_is_valid() -> None:
    assert codes(doc({"customer_id": {"ref": "customer"}, "note": "{{ customer.email }}"})) == []
    assert codes(doc({"note": "{{ customer.email }}"}, for_each="customer")) == []
    assert (
        codes(doc({"customer_id": {"ref": "customer"}, "note": {"ref": "customer", "column": "email"}})) == []
    )


def test_a_column_the_table_lacks_is_e360_with_a_suggestion() -> None:
    document = doc({"customer_id": {"ref": "customer"}, "note": "{{ customer.emial }}"})
    found = validate_document(document, SourceMap({}), _catalog())
    assert [(d.code, d.pointer, d.hint) for d in found] == [
        ("E360", "/factories/order/fields/note", "did you mean 'email'?")
    ]


def test_a_row_without_the_related_row_is_e361() -> None:
    assert codes(doc({"customer_id": 1, "note": "{{ customer.email }}"})) == [
        ("E361", "/factories/order/fields/note")
    ]
    # a step's values are checked in the step's row
    values = {"note": {"template": "{{ customer.email }}"}}
    assert codes(doc({"customer_id": 1, "note": "x"}, values=values)) == [
        ("E361", "/seed/1/values/note/template")
    ]


def test_two_fields_picking_one_factory_is_e361_for_what_reads_it() -> None:
    fields = {
        "customer_id": {"ref": "customer"},
        "other_id": {"ref": "customer"},
        "note": {"ref": "customer", "column": "email"},
    }
    assert codes(doc(fields)) == [("E361", "/factories/order/fields/note/column")]
    fields["note"] = {"ref": "customer", "column": "email", "where": {"email": "c1"}}
    assert codes(doc(fields)) == []  # a filtered ref picks on its own


def test_named_records_keep_their_meaning() -> None:
    document = doc({"customer_id": 1, "note": "{{ customer.boss.email }}"})
    document["seed"][0] = {"factory": "customer", "records": {"boss": {"email": "b"}}}
    assert codes(document) == []


def test_range_bounds_written_as_templates_are_checked_like_templates() -> None:
    fields = {"customer_id": {"ref": "customer"}, "note": {"range": ["{{ customer.emial }}", "now"]}}
    assert codes(doc(fields)) == [("E360", "/factories/order/fields/note/range/0")]
    fields["note"] = {"range": ["{{ created }}", "now"]}
    assert codes(doc(fields)) == [("E305", "/factories/order/fields/note/range/0")]
    fields["note"] = {"range": ["{{ customer.email }}", "{{ note }}"]}
    assert ("E306", "/factories/order/fields/note") in codes(doc(fields))


def test_a_where_value_from_the_row_is_checked_like_a_template() -> None:
    where = {"email": "{{ customer.emial }}"}
    fields = {"customer_id": {"ref": "customer"}, "other_id": {"ref": "customer", "where": where}}
    # under for_each customer, customer is the parent
    assert codes(doc(fields, for_each="customer")) == [
        ("E360", "/factories/order/fields/other_id/where/email")
    ]
    fields["other_id"] = {"ref": "customer", "where": {"email": "{{ customer.email }}"}}
    assert codes(doc(fields, for_each="customer")) == []  # no E336: the value is known per row
    fields = {"customer_id": {"ref": "customer", "where": {"email": "{{ note }}"}}, "note": "c1"}
    assert codes(doc(fields)) == []
    fields["customer_id"] = {"ref": "customer", "where": {"email": "{{ nope }}"}}
    assert codes(doc(fields)) == [("E305", "/factories/order/fields/customer_id/where/email")]


def _cycle(
    post_fields: dict[str, Any], comment_fields: dict[str, Any], best: Any = None
) -> list[tuple[str, str]]:
    """users and posts refer to each other; comments run for_each post."""
    document = {
        "version": 1,
        "factories": {
            "user": {
                "table": "users",
                "fields": {"email": {"sequence": "u{n}"}, "best": best or {"ref": "post"}},
            },
            "post": {"table": "posts", "fields": {"slug": {"sequence": "p{n}"}, **post_fields}},
            "comment": {"table": "comments", "fields": {"post_id": {"ref": "post"}, **comment_fields}},
        },
        "seed": [
            {"factory": "post", "count": 2},
            {"factory": "user", "count": 2},
            {"factory": "comment", "for_each": "post"},
        ],
    }
    found = validate_document(document, SourceMap({}), None)
    return [(d.code, d.pointer) for d in found if d.code.startswith("E")]


def test_a_related_row_read_through_a_deferred_ref_is_e377() -> None:
    late = {"user_id": {"ref": "user", "deferred": True}}
    # through the row's own deferred ref: a template, or a ref's column
    assert _cycle({**late, "title": "{{ user.email }}"}, {}) == [("E377", "/factories/post/fields/title")]
    assert _cycle({**late, "title": {"ref": "user", "column": "email"}}, {}) == [
        ("E377", "/factories/post/fields/title")
    ]
    # through the parent's deferred ref (a grandparent)
    assert _cycle(late, {"note": "{{ post.user.email }}"}) == [("E377", "/factories/comment/fields/note")]
    # the parent's own columns, and the cycle broken at the other ref, are fine
    assert _cycle(late, {"note": "{{ post.slug }}"}) == []
    # posts are written first, so their user_id is the ref deferred when none says deferred: true
    assert _cycle({"user_id": {"ref": "user"}}, {"note": "{{ post.user.email }}"}) == [
        ("E377", "/factories/comment/fields/note")
    ]
    best = {"ref": "post", "deferred": True}
    assert _cycle({"user_id": {"ref": "user"}}, {"note": "{{ post.user.email }}"}, best) == []
