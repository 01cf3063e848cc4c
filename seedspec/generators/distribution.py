"""``distribution``: normal, lognormal or zipf, clamped to [min, max] and rounded."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import accumulate
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
from seedspec.generators.rounding import rounded
from seedspec.ir import Distribution
from seedspec.language.counterhash import mix, unit, weighted

PARAMETERS = {"normal": ("mean", "stddev"), "lognormal": ("mu", "sigma"), "zipf": ("a", "n")}
"""The parameters each distribution takes, in the order the plan records them."""


def check(raw: Mapping[str, Any], ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    needed = PARAMETERS[raw["distribution"]]
    missing = [p for p in needed if p not in raw]
    if missing:
        yield Diagnostic(
            code="E318",
            message=f"{raw['distribution']} distribution needs {' and '.join(missing)} "
            f"(it takes {' and '.join(needed)})",
            pointer=ptr,
            hint=f"add {', '.join(f'{p}: ...' for p in missing)}",
        )
    if "min" in raw and "max" in raw and raw["min"] > raw["max"]:
        yield Diagnostic(
            code="E318",
            message=f"min {raw['min']} is above max {raw['max']}",
            pointer=ptr + "/min",
            hint="swap min and max",
        )


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Distribution:
    return Distribution(
        name=raw["distribution"],
        params=tuple((k, float(raw[k])) for k in PARAMETERS[raw["distribution"]]),
        low=raw.get("min"),
        high=raw.get("max"),
        decimals=raw.get("decimals"),
    )


def draw(gen: Distribution, maker: Maker, _cell: Cell, seed: int, _attempt: int) -> Any:
    maker.rng.seed(seed)
    return draw_distribution(gen, maker.rng)


def draw_distribution(gen: Distribution, rng: random.Random) -> Any:
    """A value drawn from the distribution, clamped and rounded."""
    params = dict(gen.params)
    if gen.name == "normal":
        value: float = rng.gauss(params["mean"], params["stddev"])
    elif gen.name == "lognormal":
        value = rng.lognormvariate(params["mu"], params["sigma"])
    else:
        n = int(params["n"])
        value = rng.choices(range(1, n + 1), cum_weights=_zipf_weights(params["a"], n))[0]
    return _bounded(gen, value)


def _bounded(gen: Distribution, value: Any) -> Any:
    """``value`` clamped to the distribution's [min, max], then rounded."""
    if gen.low is not None:
        value = max(value, gen.low)
    if gen.high is not None:
        value = min(value, gen.high)
    return rounded(value, gen.decimals)


@cache
def _zipf_weights(a: float, n: int) -> list[float]:
    return list(accumulate(1.0 / k**a for k in range(1, n + 1)))


def column(gen: Distribution, _now: str) -> ColumnForm:
    """Version 3: normal values by Box-Muller over two draws per key, lognormal their
    exponential, zipf by weight over its cumulative weights."""
    params = dict(gen.params)

    def draw(batch: Batch) -> list[Any]:
        keys = batch.keys
        if gen.name == "zipf":
            cumulative = np.asarray(_zipf_weights(params["a"], int(params["n"])), dtype=np.float64)
            values: list[Any] = (weighted(mix(keys, 1), cumulative) + 1).tolist()
        else:
            radius = np.sqrt(-2.0 * np.log1p(-unit(mix(keys, 1))))
            normal = radius * np.cos(2.0 * np.pi * unit(mix(keys, 2)))
            if gen.name == "normal":
                values = (params["mean"] + params["stddev"] * normal).tolist()
            else:
                values = np.exp(params["mu"] + params["sigma"] * normal).tolist()
        return [_bounded(gen, v) for v in values]

    return draw


def describe(gen: Distribution) -> str:
    params = ", ".join(f"{k}={v:g}" for k, v in gen.params)
    clamp = f" in [{gen.low}, {gen.high}]" if gen.low is not None or gen.high is not None else ""
    return f"{gen.name}({params}){clamp}"


KIND = Kind(
    name="distribution",
    ir=Distribution,
    compile=compile,
    draw=draw,
    describe=describe,
    check=check,
    column=column,
)
