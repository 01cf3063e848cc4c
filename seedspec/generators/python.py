"""``python``: a custom generator ``module:function`` from the spec's folder, called per value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.generators.base import Cell, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import PythonCall
from seedspec.language import usercode


def compile(raw: Mapping[str, Any], _site: FieldSite, ctx: CompileContext) -> PythonCall:
    return PythonCall(
        target=raw["python"], base_dir=ctx.base_dir, kwargs=tuple(sorted(raw.get("args", {}).items()))
    )


def draw(gen: PythonCall, maker: Maker, cell: Cell, seed: int, _attempt: int) -> Any:
    """``function(row so far, n, rng, fake, **args)``, the rng and Faker seeded for this value."""
    try:
        function = usercode.resolve(gen.target, gen.base_dir)
    except usercode.ImportTargetError as exc:
        raise maker.error("E506", exc.describe("custom generator", gen.target), cell, exc.hint) from exc
    maker.rng.seed(seed)
    fake = maker.faker(maker.plan.locale, maker.plan.faker_providers)
    fake.seed_instance(seed)
    return function(dict(cell.row), cell.slot.n, maker.rng, fake, **dict(gen.kwargs))


def describe(gen: PythonCall) -> str:
    return f"python {gen.target}"


KIND = Kind(name="python", ir=PythonCall, compile=compile, draw=draw, describe=describe)
