"""``value``: a fixed value (also what a bare scalar or a wrapped mapping is)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.generators.base import Batch, Cell, ColumnForm, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Literal


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Literal:
    return Literal(value=raw["value"])


def draw(gen: Literal, _maker: Maker, _cell: Cell, _seed: int, _attempt: int) -> Any:
    return gen.value


def column(gen: Literal, _now: str) -> ColumnForm:
    def draw(batch: Batch) -> list[Any]:
        return [gen.value] * batch.size

    return draw


def describe(gen: Literal) -> str:
    return repr(gen.value)


KIND = Kind(name="value", ir=Literal, compile=compile, draw=draw, describe=describe, column=column)
