"""``choice``: a seeded pick, weighted when written as a mapping."""

from __future__ import annotations

from collections import Counter
from typing import Any

from seedspec.generators import choice
from seedspec.ir import Choice


def test_compile(ctx: Any, site: Any) -> None:
    assert choice.compile({"choice": ["a", "b"]}, site(), ctx) == Choice(values=("a", "b"))
    assert choice.compile({"choice": {"a": 1, "b": 3}}, site(), ctx) == Choice(
        values=("a", "b"), weights=(1.0, 3.0)
    )


def test_draw_is_seeded_and_follows_the_weights(maker: Any, cell: Any) -> None:
    gen = Choice(values=("a", "b"), weights=(0.0, 1.0))
    assert Counter(choice.draw(gen, maker, cell(gen), s, 0) for s in range(50)) == {"b": 50}
    even = Choice(values=("a", "b", "c"))
    assert choice.draw(even, maker, cell(even), 9, 0) == choice.draw(even, maker, cell(even), 9, 0)


def test_check_reports_all_zero_weights(scope: Any) -> None:
    [zero] = choice.check({"choice": {"a": 0, "b": 0}}, "/f", scope)
    assert zero.code == "E324"
    assert zero.pointer == "/f/choice"
    assert list(choice.check({"choice": {"a": 0, "b": 1}}, "/f", scope)) == []


def test_describe() -> None:
    assert choice.describe(Choice(values=("a",), weights=(2.0,))) == "choice 'a':2"
    assert choice.describe(Choice(values=(1, 2))) == "choice 1, 2"
