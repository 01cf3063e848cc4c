"""``choice``: a pick from a list, or from a mapping of values to weights."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from seedspec.errors import Diagnostic
from seedspec.generators.base import (
    Batch,
    Cell,
    CheckScope,
    ColumnForm,
    CompileContext,
    FieldSite,
    Kind,
    Maker,
)
from seedspec.ir import Choice
from seedspec.language.counterhash import below, mix, weighted


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


def column(gen: Choice, _now: str) -> ColumnForm:
    """Version 3: a value by weight (else uniformly) from each row's key."""
    values = gen.values
    cumulative = np.cumsum(np.asarray(gen.weights, dtype=np.float64)) if gen.weights else None

    def draw(batch: Batch) -> list[Any]:
        draws = mix(batch.keys, 1)
        picks = weighted(draws, cumulative) if cumulative is not None else below(draws, len(values))
        return [values[i] for i in picks.tolist()]

    return draw


def describe(gen: Choice) -> str:
    if gen.weights:
        return "choice " + ", ".join(f"{v!r}:{w:g}" for v, w in zip(gen.values, gen.weights, strict=True))
    return "choice " + ", ".join(repr(v) for v in gen.values)


KIND = Kind(
    name="choice", ir=Choice, compile=compile, draw=draw, describe=describe, check=check, column=column
)
