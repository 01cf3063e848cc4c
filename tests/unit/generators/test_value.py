"""``value``: a fixed value, drawn as is."""

from __future__ import annotations

from typing import Any

from seedspec.generators import value
from seedspec.ir import Literal


def test_compile_wraps_the_value(ctx: Any, site: Any) -> None:
    assert value.compile({"value": {"a": [1]}}, site(), ctx) == Literal(value={"a": [1]})


def test_draw_gives_the_value_whatever_the_seed(maker: Any, cell: Any) -> None:
    gen = Literal(value="x")
    assert {value.draw(gen, maker, cell(gen), seed, 0) for seed in range(5)} == {"x"}


def test_describe_is_the_repr() -> None:
    assert value.describe(Literal(value="x")) == "'x'"
    assert value.KIND.name == "value"
    assert value.KIND.ir is Literal
