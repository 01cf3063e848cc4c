"""``range``: a uniform pick between inclusive bounds: numbers, dates, datetimes or relative times."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators import template
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
from seedspec.generators.rounding import rounded
from seedspec.ir import Range
from seedspec.language import dates, templates
from seedspec.language.counterhash import Keys, below, mix, unit


def check(raw: Mapping[str, Any], ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    ptr += "/range"
    if any(_templated(b) for b in raw["range"]):
        yield from _check_templated(raw["range"], ptr)
        return
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


def _templated(bound: Any) -> bool:
    return isinstance(bound, str) and templates.is_template(bound)


def _check_templated(bounds: list[Any], ptr: str) -> Iterator[Diagnostic]:
    """A bound rendered per row: the other bound, if written, is a number, date or datetime."""
    for i, bound in enumerate(bounds):
        if _templated(bound):
            continue
        try:
            dates.kind_of_bound(bound, dates.parse_now(dates.DEFAULT_NOW))
        except (TypeError, ValueError):
            yield Diagnostic(
                code="E317",
                message=f"range bound {bound!r} is not a number, date or datetime",
                pointer=f"{ptr}/{i}",
                hint="for example 1, 2024-01-01, '-1y', 'now' or a template: '{{ created_at }} +30d'",
            )


def compile(raw: Mapping[str, Any], site: FieldSite, ctx: CompileContext) -> Range:
    if any(_templated(b) for b in raw["range"]):
        return _compile_templated(raw, site, ctx)
    kind, low, high = dates.range_bounds(raw["range"], ctx.now)
    decimals = raw.get("decimals")
    if kind in ("int", "float") and decimals is not None:
        kind, low, high = "decimal", float(low), float(high)
    return Range(kind=kind, low=low, high=high, step=raw.get("step"), decimals=decimals)


def _compile_templated(raw: Mapping[str, Any], site: FieldSite, ctx: CompileContext) -> Range:
    """A range with a bound rendered per row: its kind is the written bound's, else the column's."""
    written = [b for b in raw["range"] if not _templated(b)]
    column = site.table.column(site.column)
    if written:
        kind = dates.kind_of_bound(written[0], ctx.now)
    else:
        kind = column.kind if column is not None and column.kind in dates.BOUND_KINDS else "datetime"
    decimals = raw.get("decimals")
    if (kind in ("int", "float") and decimals is not None) or kind == "decimal":
        kind = "decimal"
    low, high = (None if _templated(b) else dates.typed_bound(b, kind, ctx.now) for b in raw["range"])
    low_t, high_t = (template.of_source(b) if _templated(b) else None for b in raw["range"])
    return Range(
        kind=kind,
        low=low,
        high=high,
        step=raw.get("step"),
        decimals=decimals,
        low_template=low_t,
        high_template=high_t,
    )


def draw(gen: Range, maker: Maker, cell: Cell, seed: int, _attempt: int) -> Any:
    if gen.low_template is not None or gen.high_template is not None:
        gen = _bounded(gen, maker, cell, seed)
    maker.rng.seed(seed)
    return draw_range(gen, maker.rng)


def _bounded(gen: Range, maker: Maker, cell: Cell, seed: int) -> Range:
    """``gen`` with the bounds of this row: its templates rendered and read as its kind."""
    now = dates.parse_now(maker.plan.now)
    low, high = (
        dates.typed_bound(template.render(t, maker, cell, seed), gen.kind, now) if t is not None else b
        for t, b in ((gen.low_template, gen.low), (gen.high_template, gen.high))
    )
    if low > high:
        raise maker.error(
            "E514",
            f"range low {low} is above high {high} for this row",
            cell,
            "bound the value by what comes before it: [earlier, later], "
            "such as ['{{ customer.created_at }}', 'now']",
        )
    return dataclasses.replace(gen, low=low, high=high)


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


def column(gen: Range, _now: str) -> ColumnForm | None:
    """Version 3: uniform picks from each row's key (a range with a bound per row: none)."""
    if gen.low_template is not None or gen.high_template is not None:
        return None

    def draw(batch: Batch) -> list[Any]:
        draws = mix(batch.keys, 1)
        low = gen.low
        if gen.kind == "date":
            return [low + dt.timedelta(days=i) for i in _integers(draws, (gen.high - low).days + 1)]
        if gen.kind == "datetime":
            seconds = int((gen.high - low).total_seconds()) + 1
            return [low + dt.timedelta(seconds=i) for i in _integers(draws, seconds)]
        if gen.step:
            step = gen.step
            values = [low + step * i for i in _integers(draws, int((gen.high - low) // step) + 1)]
        elif gen.kind == "int":
            return [low + i for i in _integers(draws, gen.high - low + 1)]
        else:
            values = (low + unit(draws) * (gen.high - low)).tolist()
        return values if gen.kind == "int" else [rounded(v, gen.decimals) for v in values]

    return draw


def _integers(draws: Keys, span: int) -> list[int]:
    """Integers uniform in [0, span): vectorised below 2**53, else from 128 bits per value."""
    if span <= 1 << 53:
        picks: list[int] = below(draws, span).tolist()
        return picks
    other = mix(draws, 2).tolist()
    return [((high << 64) | low) % span for high, low in zip(draws.tolist(), other, strict=True)]


def describe(gen: Range) -> str:
    if gen.low_template is not None or gen.high_template is not None:
        low = gen.low_template.source if gen.low_template is not None else gen.low
        high = gen.high_template.source if gen.high_template is not None else gen.high
        return f"range {low}..{high} per row ({gen.kind})"
    step = f" step {gen.step:g}" if gen.step else ""
    return f"range {gen.low}..{gen.high}{step}" + (f" ({gen.decimals} decimals)" if gen.decimals else "")


KIND = Kind(name="range", ir=Range, compile=compile, draw=draw, describe=describe, check=check, column=column)
