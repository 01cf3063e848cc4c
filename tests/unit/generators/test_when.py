"""``when``: one generator or another per row by a condition; ``null_if`` / ``null_unless``."""

from __future__ import annotations

from typing import Any

from seedspec.generators import registry, when
from seedspec.ir import Choice, Literal, Template, When


def test_compile_keeps_the_expression_and_both_branches(ctx: Any, site: Any) -> None:
    gen = when.compile(
        {"when": "role == 'admin'", "then": "boss", "else": {"choice": ["a", "b"]}}, site(), ctx
    )
    assert gen.expression == "role == 'admin'"
    assert gen.condition.names == ("role",)
    assert gen.then == Literal(value="boss")
    assert gen.otherwise == Choice(values=("a", "b"))
    assert when.compile({"when": "x", "then": 1}, site(), ctx).otherwise == Literal(value=None)


def test_null_unless_and_null_if_compile_to_a_when_with_a_null_branch(ctx: Any, site: Any) -> None:
    unless = registry.compile_generator({"value": 3, "null_unless": "role == 'a'"}, site(), ctx)
    assert isinstance(unless, When)
    assert (unless.then, unless.otherwise) == (Literal(value=3), Literal(value=None))
    null_if = registry.compile_generator({"value": 3, "null_if": "role == 'a'"}, site(), ctx)
    assert isinstance(null_if, When)
    assert (null_if.then, null_if.otherwise) == (Literal(value=None), Literal(value=3))


def test_draw_takes_the_branch_the_row_says(ctx: Any, site: Any, maker: Any, cell: Any) -> None:
    gen = when.compile({"when": "role == 'admin'", "then": "{{ name }}!", "else": None}, site(), ctx)
    assert when.draw(gen, maker, cell(gen, row={"role": "admin", "name": "ada"}), 1, 0) == "ada!"
    assert when.draw(gen, maker, cell(gen, row={"role": "member", "name": "bob"}), 1, 0) is None


def test_the_condition_reads_related_rows(maker: Any, cell: Any) -> None:
    condition = Template(
        source=when.condition_source("post.status == 'published'"),
        names=("post",),
        related=(("post", "", "", ("status",)),),
    )
    gen = When(
        expression="post.status == 'published'",
        condition=condition,
        then=Literal(value=1),
        otherwise=Literal(value=0),
    )
    maker.related_rows = {"post": {"status": "published"}}
    assert when.draw(gen, maker, cell(gen), 1, 0) == 1
    maker.related_rows = {"post": {"status": "draft"}}
    assert when.draw(gen, maker, cell(gen), 1, 0) == 0


def test_describe_shows_the_condition(ctx: Any, site: Any) -> None:
    gen = registry.compile_generator({"value": 3, "null_unless": "role == 'a'"}, site(), ctx)
    assert when.describe(gen) == "when role == 'a': 3; else None"


def test_conditions_and_branches_as_written() -> None:
    written = {"when": "a", "then": 1, "else": {"when": "b", "then": 2}}
    assert when.conditions(written) == [("/when", "a")]
    assert when.branches(written) == [("/then", 1), ("/else", {"when": "b", "then": 2})]
    assert when.branches({"faker": "word", "null_if": "a"}) == [("", {"faker": "word"})]
    assert when.conditions("text") == []


def test_a_conditional_ref_and_both_null_options_are_refused() -> None:
    found = list(when.check_conditional({"ref": "user", "null_unless": "a"}, "/f"))
    assert [(d.code, d.pointer) for d in found] == [("E370", "/f/null_unless")]
    found = list(when.check_conditional({"when": "a", "then": {"ref": "user"}}, "/f"))
    assert [(d.code, d.pointer) for d in found] == [("E370", "/f/then/ref")]
    found = list(when.check_conditional({"value": 1, "null_if": "a", "null_unless": "b"}, "/f"))
    assert [(d.code, d.pointer) for d in found] == [("E371", "/f/null_unless")]
    assert list(when.check_conditional({"value": 1, "null_if": "a"}, "/f")) == []
