"""Compiled fields that read related rows: templates with ``related``, refs with ``via``."""

from __future__ import annotations

import dataclasses

from seedspec.compiler.relations import Reach, link_fields
from seedspec.ir import Field, Literal, Ref, Template


def _f(column: str, gen: object) -> tuple[Field, ...]:
    return (Field(column=column, generator=gen, pointer=f"/{column}"),)  # type: ignore[arg-type]


def test_a_ref_with_column_follows_the_pick_and_waits_for_it() -> None:
    raw = {"unit_price": {"ref": "product", "column": "price"}, "product_id": {"ref": "product"}}
    compiled = {
        "unit_price": _f("unit_price", Ref(factory="product", column="price")),
        "product_id": _f("product_id", Ref(factory="product", column="id")),
    }
    waits = link_fields(raw, None, compiled)
    gen = compiled["unit_price"][0].generator
    assert isinstance(gen, Ref)
    assert gen.via == ("product_id", "id")
    assert waits == {"unit_price": {"product_id"}}


def test_a_template_reads_the_picked_row_and_the_parent() -> None:
    source = "{{ customer.email }} {{ order.number }} {{ customer.admin.email }}"
    raw = {"customer_id": {"ref": "customer"}, "note": source}
    compiled = {
        "customer_id": _f("customer_id", Ref(factory="customer", column="id")),
        "note": _f("note", Template(source=source, names=("customer", "order"))),
    }
    waits = link_fields(raw, "order", compiled, reach=Reach(records={"customer": frozenset({"admin"})}))
    gen = compiled["note"][0].generator
    assert isinstance(gen, Template)
    assert gen.related == (("customer", "customer_id", "id", ("email",)), ("order", "", "", ("number",)))
    assert gen.names == ("customer", "customer_id", "order")  # the picking field is read too
    assert waits == {"note": {"customer_id"}}


def test_a_template_reading_only_named_records_is_unchanged() -> None:
    template = Template(source="{{ customer.admin.email }}", names=("customer",))
    compiled = {
        "customer_id": _f("customer_id", Ref(factory="customer", column="id")),
        "note": _f("note", template),
        "x": _f("x", Literal(value=1)),
    }
    reach = Reach(records={"customer": frozenset({"admin"})})
    link_fields(
        {"customer_id": {"ref": "customer"}, "note": template.source, "x": 1}, None, compiled, reach=reach
    )
    assert compiled["note"][0].generator == template


def test_reroute_reads_a_related_row_through_another_link() -> None:
    from seedspec.compiler.relations import reroute

    gen = Template(source="{{ post.day }}", names=("post",), related=(("post", "", "", ("day",)),))
    moved = reroute(gen, "post", ("post_id", "id"))
    assert isinstance(moved, Template)
    assert moved.related == (("post", "post_id", "id", ("day",)),)
    assert moved.names == ("post", "post_id")  # it waits for the field it reads through
    tree = Template(source="{{ c.day }}", names=("c",), related=(("c", "<tree>", "", ("day",)),))
    assert reroute(tree, "c", ("", ""), "<tree>") == dataclasses.replace(
        tree, related=(("c", "", "", ("day",)),)
    )
    assert reroute(gen, "other", ("x", "id")) == gen


def test_a_grandparent_is_kept_as_a_carried_column_of_the_parent() -> None:
    source = "{{ post.user.email }} {{ post.created_at.year }}"
    compiled = {
        "post_id": _f("post_id", Ref(factory="post", column="id", parent=True)),
        "note": _f("note", Template(source=source, names=("post",))),
    }
    link_fields(
        {"post_id": {"ref": "post"}, "note": source},
        "post",
        compiled,
        reach=Reach(hops={"post": frozenset({"user"})}),
    )
    gen = compiled["note"][0].generator
    assert isinstance(gen, Template)
    assert gen.related == (("post", "", "", ("created_at", "user.email")),)
