"""``faker``: a Faker method call, its relative date defaults pinned to ``settings.now``."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from seedspec.generators.base import Cell, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import FakerCall
from seedspec.language import dates


def compile(raw: Mapping[str, Any], _site: FieldSite, ctx: CompileContext) -> FakerCall:
    locale = raw.get("locale", ctx.locale)
    args = raw.get("args", {})
    positional = tuple(_absolute(a, ctx) for a in args) if isinstance(args, list) else ()
    keywords = {k: _absolute(v, ctx) for k, v in args.items()} if isinstance(args, dict) else {}
    signature = ctx.faker_signature(locale, raw["faker"])
    if signature is not None:  # pin Faker's own relative defaults ('now', '-30y') to settings.now
        bound = signature.bind_partial(*positional, **keywords).arguments
        for name, param in signature.parameters.items():
            if (
                name not in bound
                and param.default is not inspect.Parameter.empty
                and dates.is_relative(param.default)
            ):
                keywords[name] = dates.resolve(param.default, ctx.now)
    return FakerCall(
        method=raw["faker"],
        args=positional,
        kwargs=tuple(sorted(keywords.items())),
        locale=locale,
        providers=ctx.providers,
    )


def _absolute(value: Any, ctx: CompileContext) -> Any:
    return dates.resolve(value, ctx.now) if dates.is_relative(value) else value


def draw(gen: FakerCall, maker: Maker, cell: Cell, seed: int, attempt: int) -> Any:
    if attempt == 0 and (drawn := maker.worker_draw(cell)):
        return drawn[0]
    fake = maker.faker(gen.locale, gen.providers)
    fake.seed_instance(seed)
    return getattr(fake, gen.method)(*gen.args, **dict(gen.kwargs))


def describe(gen: FakerCall) -> str:
    args = [repr(a) for a in gen.args] + [f"{k}={v!r}" for k, v in gen.kwargs]
    locale = f" [{gen.locale}]" if gen.locale != "en_US" else ""
    return f"faker {gen.method}({', '.join(args)}){locale}"


KIND = Kind(name="faker", ir=FakerCall, compile=compile, draw=draw, describe=describe)
