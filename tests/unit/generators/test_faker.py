"""``faker``: relative dates pinned to settings.now, a worker's draw first, else a seeded call."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from seedspec.generators import faker
from seedspec.ir import FakerCall


def _signature(start: str = "-30y", end: str = "now") -> inspect.Signature:
    def method(start_date: str = start, end_date: str = end) -> None: ...

    return inspect.signature(method)


def test_compile_resolves_relative_args_and_defaults(ctx: Any, site: Any) -> None:
    ctx.signatures["date_between"] = _signature()
    gen = faker.compile({"faker": "date_between", "args": {"start_date": "-1y"}}, site(), ctx)
    assert gen.method == "date_between"
    assert gen.locale == "en_US"
    assert dict(gen.kwargs) == {"start_date": dt.datetime(2023, 6, 1, 12, 0), "end_date": ctx.now}


def test_compile_keeps_positional_args_and_the_locale(ctx: Any, site: Any) -> None:
    gen = faker.compile({"faker": "pyint", "args": [1, 9], "locale": "fr_FR"}, site(), ctx)
    assert gen == FakerCall(method="pyint", args=(1, 9), locale="fr_FR")


def test_draw_is_seeded(maker: Any, cell: Any) -> None:
    gen = FakerCall(method="pyint", kwargs=(("max_value", 10**9),))
    assert faker.draw(gen, maker, cell(gen), 5, 0) == faker.draw(gen, maker, cell(gen), 5, 0)
    assert faker.draw(gen, maker, cell(gen), 5, 0) != faker.draw(gen, maker, cell(gen), 6, 0)


def test_the_first_draw_is_the_workers_when_there_is_one(maker: Any, cell: Any) -> None:
    gen = FakerCall(method="pyint")
    maker.drawn = ("from worker",)
    assert faker.draw(gen, maker, cell(gen), 5, 0) == "from worker"
    assert faker.draw(gen, maker, cell(gen), 5, 1) != "from worker"  # a unique retry draws anew


def test_describe() -> None:
    assert faker.describe(FakerCall(method="pyint", args=(1,), kwargs=(("x", 2),))) == "faker pyint(1, x=2)"
    assert faker.describe(FakerCall(method="name", locale="fr_FR")) == "faker name() [fr_FR]"


def test_check_reports_unknown_locales_methods_and_args(scope: Any) -> None:
    assert list(faker.check({"faker": "pyint", "args": {"max_value": 3}}, "/f", scope)) == []
    [locale] = faker.check({"faker": "pyint", "locale": "xx_XX"}, "/f", scope)
    assert (locale.code, locale.pointer) == ("E309", "/f/locale")
    [method] = faker.check({"faker": "emial"}, "/f", scope)
    assert (method.code, method.hint) == ("E303", "did you mean 'email'?")
    [args] = faker.check({"faker": "pyint", "args": {"nope": 1}}, "/f", scope)
    assert (args.code, args.pointer) == ("E308", "/f/args")
    assert "min_value, max_value" in args.hint


def test_check_stays_quiet_where_another_diagnostic_says_it(scope: Any) -> None:
    scope.locale_ok = False  # the default locale is reported once, at /settings/locale
    assert list(faker.check({"faker": "nothing"}, "/f", scope)) == []
    scope.providers_ok = False  # an unknown method may come from the provider that did not import
    assert list(faker.check({"faker": "nothing", "locale": "en_US"}, "/f", scope)) == []
    assert [
        d.code for d in faker.check({"faker": "pyint", "locale": "en_US", "args": [1, 2, 3]}, "/f", scope)
    ] == ["E308"]
