"""``range``: a uniform pick between inclusive bounds: numbers, dates, datetimes or relative times."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators.base import Cell, CheckScope, CompileContext, FieldSite, Kind, Maker
from seedspec.generators.rounding import rounded
from seedspec.ir import Range
from seedspec.language import dates


def check(raw: Mapping[str, Any], ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    ptr += "/range"
    try:
        _, low, high = dates.range_bounds(raw["range"], dates.parse_now(dates.DEFAULT_NOW))
        backwards = low > high
    except (TypeError, ValueError):
        yield Diagnostic(
            code="E317",
            message=f"range bounds {raw['range']!r} are not two numbers, dates or datetimes",
            pointer=ptr,
            hint="for example [1, 10], [2024-01-01, 2024-12-31] or ['-1y', 'now']",
        )
        return
    if backwards:
        yield Diagnostic(
            code="E317",
            message=f"range low {low} is above high {high}",
            pointer=ptr,
            hint="write [low, high]",
        )


def compile(raw: Mapping[str, Any], _site: FieldSite, ctx: CompileContext) -> Range:
    kind, low, high = dates.range_bounds(raw["range"], ctx.now)
    decimals = raw.get("decimals")
    if kind in ("int", "float") and decimals is not None:
        kind, low, high = "decimal", float(low), float(high)
    return Range(kind=kind, low=low, high=high, step=raw.get("step"), decimals=decimals)


def draw(gen: Range, maker: Maker, _cell: Cell, seed: int, _attempt: int) -> Any:
    maker.rng.seed(seed)
    return draw_range(gen, maker.rng)


def draw_range(gen: Range, rng: random.Random) -> Any:
    """A uniform value between the inclusive bounds of ``gen``."""
    if gen.kind in ("date", "datetime"):
        span = gen.high - gen.low
        if gen.kind == "date":
            return gen.low + dt.timedelta(days=rng.randint(0, span.days))
        return gen.low + dt.timedelta(seconds=rng.randint(0, int(span.total_seconds())))
    if gen.step:
        value = gen.low + gen.step * rng.randint(0, int((gen.high - gen.low) // gen.step))
    elif gen.kind == "int":
        value = rng.randint(gen.low, gen.high)
    else:
        value = rng.uniform(gen.low, gen.high)
    return rounded(value, gen.decimals) if gen.kind != "int" else value


def describe(gen: Range) -> str:
    step = f" step {gen.step:g}" if gen.step else ""
    return f"range {gen.low}..{gen.high}{step}" + (f" ({gen.decimals} decimals)" if gen.decimals else "")


KIND = Kind(name="range", ir=Range, compile=compile, draw=draw, describe=describe, check=check)
