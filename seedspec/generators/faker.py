"""``faker``: a Faker method call, its relative date defaults pinned to ``settings.now``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from seedspec import suggest
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
from seedspec.ir import FakerCall
from seedspec.language import dates, vectorfaker
from seedspec.language.counterhash import Keys
from seedspec.language.fakers import oversized_args
from seedspec.limits import MAX_SIZE_ARG, limit_error


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


def check(raw: Mapping[str, Any], ptr: str, scope: CheckScope) -> Iterator[Diagnostic]:
    """The locale exists, the method is one of its data methods, and it takes these args."""
    if "locale" not in raw and not scope.locale_ok:
        return  # the unknown default locale is reported once, at /settings/locale
    locale = raw.get("locale", scope.default_locale)
    try:
        methods = scope.faker_methods(locale)
    except AttributeError:
        yield Diagnostic(
            code="E309",
            message=f"unknown Faker locale '{locale}'",
            pointer=ptr + "/locale",
            hint="for example en_US, fr_FR, de_DE",
        )
        return
    method = raw["faker"]
    if method not in methods:
        if scope.providers_ok:  # else it may come from the provider that does not import (E339)
            yield Diagnostic(
                code="E303",
                message=f"unknown Faker method '{method}'",
                pointer=ptr + "/faker",
                hint=_method_hint(method, methods),
            )
        return
    signature = methods[method]
    if signature is None:
        return
    args = raw.get("args", {})
    try:
        bound = signature.bind(*args) if isinstance(args, list) else signature.bind(**args)
    except TypeError as exc:
        yield Diagnostic(
            code="E308",
            message=f"Faker method '{method}' does not accept these args: {exc}",
            pointer=ptr + "/args",
            hint=f"its parameters: {', '.join(signature.parameters) or 'none'}",
        )
        return
    for name, value in bound.arguments.items():
        if dates.is_relative(value):
            try:
                dates.resolve(value, dates.parse_now(dates.DEFAULT_NOW))
            except ValueError as exc:
                yield limit_error(f"{ptr}/args", f"Faker method '{method}' with {name}={value[:40]!r}: {exc}")
    if (past := oversized_args(bound.arguments)) is not None:
        yield limit_error(
            ptr + "/args",
            f"Faker method '{method}' with {past}={bound.arguments[past]!r}: past {MAX_SIZE_ARG:,}",
        )


def _method_hint(method: str, methods: Mapping[str, Any]) -> str:
    """Spelling first ('emial' -> 'email'), then methods sharing a word ('full_name' -> 'name')."""
    if suggestion := suggest.did_you_mean(method, methods, cutoff=0.75):
        return suggestion
    words = [w for w in method.split("_") if len(w) > 2]
    related = sorted(
        (m for m in methods if any(w in m.split("_") for w in words)),
        key=lambda m: (m.split("_")[-1] != method.split("_")[-1], len(m), m),
    )[:4]
    if related:
        return f"did you mean '{related[0]}'? related: {', '.join(related[1:])}".rstrip(": ,")
    listing = "the methods are listed at https://faker.readthedocs.io/en/master/providers.html"
    suggestion = suggest.did_you_mean(method, methods)
    return f"{suggestion} ({listing})" if suggestion else listing


def draw(gen: FakerCall, maker: Maker, cell: Cell, seed: int, attempt: int) -> Any:
    if attempt == 0 and (drawn := maker.worker_draw(cell)):
        return drawn[0]
    fake = maker.faker(gen.locale, gen.providers)
    fake.seed_instance(seed)
    return getattr(fake, gen.method)(*gen.args, **dict(gen.kwargs))


def column(gen: FakerCall, now: str) -> ColumnForm | None:
    """Version 3: the vectorised provider of the method, locale and arguments, if there is one.
    Not with ``faker_providers``, whose classes may replace any method. ``now`` is
    ``settings.now``: what Faker's own "now" means (``date_of_birth``, ``date_time``)."""
    if gen.providers:
        return None
    provider = vectorfaker.lookup(gen.method, gen.locale, gen.args, dict(gen.kwargs), dates.parse_now(now))
    if provider is None:
        return None

    def draw(batch: Batch) -> Sequence[Any]:
        return provider(batch.keys)

    return draw


def unique_column(gen: FakerCall) -> Callable[[Keys, Sequence[int]], Sequence[Any]] | None:
    """Version 3, ``unique: true``: the method's values made unique by construction (the plain
    value with ``.<row>`` in its user name: ``user_name`` and the e-mail methods), or None.
    ``draw(keys, rows)`` takes each row's key and a number distinct per row."""
    if gen.providers:
        return None
    from seedspec.language.vectorfaker import providers

    return providers.unique_for(gen.method, gen.locale, gen.args, dict(gen.kwargs))


def describe(gen: FakerCall) -> str:
    args = [repr(a) for a in gen.args] + [f"{k}={v!r}" for k, v in gen.kwargs]
    locale = f" [{gen.locale}]" if gen.locale != "en_US" else ""
    return f"faker {gen.method}({', '.join(args)}){locale}"


KIND = Kind(
    name="faker", ir=FakerCall, compile=compile, draw=draw, describe=describe, check=check, column=column
)
