"""``choice``: a pick from a list, or from a mapping of values to weights."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators.base import Cell, CheckScope, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Choice


def check(raw: Mapping[str, Any], ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    choice = raw["choice"]
    if isinstance(choice, dict) and not any(choice.values()):
        yield Diagnostic(
            code="E324",
            message="every weight of this choice is 0",
            pointer=ptr + "/choice",
            hint="give at least one value a positive weight",
        )


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Choice:
    choice = raw["choice"]
    if isinstance(choice, dict):
        return Choice(values=tuple(choice), weights=tuple(float(w) for w in choice.values()))
    return Choice(values=tuple(choice))


def draw(gen: Choice, maker: Maker, _cell: Cell, seed: int, _attempt: int) -> Any:
    rng = maker.rng
    rng.seed(seed)
    return rng.choices(gen.values, weights=gen.weights)[0]


def describe(gen: Choice) -> str:
    if gen.weights:
        return "choice " + ", ".join(f"{v!r}:{w:g}" for v, w in zip(gen.values, gen.weights, strict=True))
    return "choice " + ", ".join(repr(v) for v in gen.values)


KIND = Kind(name="choice", ir=Choice, compile=compile, draw=draw, describe=describe, check=check)
