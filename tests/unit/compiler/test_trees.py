"""A tree step's levels, and a tree per for_each parent."""

from __future__ import annotations

from seedspec.compiler.trees import tree_levels
from seedspec.ir import Field, Literal, Range, Ref, Step, Template


def _roots(for_each: str | None) -> Step:
    read = Template(source="{{ post.day }}", names=("post",), related=(("post", "", "", ("day",)),))
    fields = (
        Field(column="reply_to", generator=Literal(value=None), pointer="/r"),
        Field(column="day", generator=Range(kind="int", low=None, high=9, low_template=read), pointer="/d"),
        Field(column="post_id", generator=Ref(factory="post", column="id", parent=True), pointer="/p"),
    )
    return Step(
        id="t",
        factory="comment",
        table="comments",
        key=("id",),
        seed=1,
        pointer="/seed/1",
        count=2,
        for_each=for_each,
        fields=fields if for_each else fields[:1],
        links=(("post", "", ""),) if for_each else (),
        parent_where=(("status", ("published",)),) if for_each else (),
    )


LINK = Field(column="reply_to", generator=Ref(factory="comment", column="id", parent=True), pointer="/tree")


def test_each_level_runs_for_each_row_of_the_level_above() -> None:
    levels = tree_levels({"field": "reply_to", "depth": 3, "children": 2}, _roots(None), LINK, 0, {})
    assert [(s.id, s.for_each, s.parents, s.count) for s in levels] == [
        ("t", None, None, 2),
        ("t/2", "comment", "t", 2),
        ("t/3", "comment", "t/2", 2),
    ]
    assert levels[1].fields == (LINK,)


def test_under_for_each_a_level_keeps_its_tree_parents_parent() -> None:
    levels = tree_levels({"field": "reply_to", "depth": 2}, _roots("post"), LINK, 0, {})
    level = levels[1]
    assert level.parent_where == ()  # the roots' parents were filtered; the levels follow their rows
    assert [f.column for f in level.fields] == ["post_id", "reply_to", "day"]
    assert level.fields[0].generator == Ref(factory="comment", column="post_id", parent=True)
    day = level.fields[2].generator
    assert isinstance(day, Range)
    assert day.low_template is not None
    assert day.low_template.related == (("post", "post_id", "id", ("day",)),)
    assert level.links == (("post", "post_id", "id"),)
