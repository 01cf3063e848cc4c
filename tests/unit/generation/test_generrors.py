"""Generation errors: located at the step, row and field; the hint for a unique field run dry."""

from __future__ import annotations

from seedspec.generation.generrors import located, unique_hint
from seedspec.ir import Field, Literal, Step, Template

STEP = Step(id="post", factory="post", table="posts", key=("id",), seed=1, pointer="/seed/0")
TITLE = Field(
    column="title", generator=Template(source="t{{ n }}", names=("n",)), pointer="/factories/post/title"
)


def test_an_error_names_the_step_and_row_and_points_at_the_field() -> None:
    (diagnostic,) = located(STEP, "E504", "cannot use 'x'", TITLE, 7, "fix it").diagnostics
    assert diagnostic.code == "E504"
    assert diagnostic.message == "step 'post', row 7: cannot use 'x'"
    assert diagnostic.pointer == "/factories/post/title"
    assert diagnostic.hint == "fix it"


def test_n_under_for_each_is_named_as_why_a_unique_field_ran_out() -> None:
    children = Step(
        id="post<user>",
        factory="post",
        table="posts",
        key=("id",),
        seed=1,
        pointer="/seed/1",
        for_each="user",
    )
    assert "n restarts at 0 under each 'user'" in unique_hint(children, TITLE)
    assert unique_hint(STEP, TITLE).startswith("the generator has too few distinct values")
    literal = Field(column="title", generator=Literal(value="x"), pointer="/p")
    assert unique_hint(children, literal).startswith("the generator has too few distinct values")
