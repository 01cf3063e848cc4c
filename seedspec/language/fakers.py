"""Faker generators with the providers a spec registers (``settings.faker_providers``).

A provider is named ``package.module:Class`` and imported like a custom generator, with the
spec's folder first on ``sys.path`` (this runs that module's code). Generators that draw rows are
:class:`PinnedFaker`: every method call reads ``settings.now`` as "now" (see ``clock``).
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from collections.abc import Callable, Mapping
from functools import cache, wraps
from pathlib import Path
from typing import Any

from seedspec.language import clock, dates
from seedspec.language.usercode import ImportTargetError, import_object
from seedspec.limits import MAX_SIZE_ARG, SIZE_ARGS

Providers = tuple[tuple[str, str], ...]  # (module:Class, the folder it is imported from)


@cache
def provider_class(target: str, base_dir: str) -> type:
    """The Faker provider class ``target``, imported from ``base_dir``.

    Raises:
        ImportTargetError: it cannot be imported, or is not a Faker provider class.
    """
    from faker.providers import BaseProvider

    obj = import_object(target, Path(base_dir))
    if not (isinstance(obj, type) and issubclass(obj, BaseProvider)):
        raise ImportTargetError(
            f"'{target}' is not a Faker provider class",
            "point at a subclass of faker.providers.BaseProvider, such as 'faker_vehicle:VehicleProvider'",
        )
    return obj


def create_faker(locale: str, providers: Providers = ()) -> Any:
    """A new Faker generator for ``locale`` with ``providers`` added."""
    import faker

    generator = faker.Factory.create(locale)
    for target, base_dir in providers:
        generator.add_provider(provider_class(target, base_dir))
    # the locale's providers are imported now: their clock reads become pinnable (cheap, idempotent)
    names = {cls.__module__ for cls in map(type, generator.providers)}
    clock.pin_modules(m for n, m in list(sys.modules.items()) if n.startswith("faker.") or n in names)
    return generator


def transliterate(text: str) -> str:
    """``text`` in ASCII letters by Faker's table: ``"Ærøskøbing Straße"`` -> ``"AEroskobing Strasse"``,
    ``"Привет"`` -> ``"Privet"`` (``slugify``, generator version 2)."""
    from faker.decode import unidecode

    return str(unidecode(text))


def pinned_faker(locale: str, providers: Providers, now: str) -> PinnedFaker:
    """A Faker generator for ``locale`` whose "now" and "today" are ``now`` (``settings.now``)."""
    return PinnedFaker(create_faker(locale, providers), dates.parse_now(now))


class PinnedFaker:
    """A Faker generator whose methods run with the clock pinned to the plan's reference time.

    The same object for templates (``fake.date_of_birth()``), serial draws and worker processes,
    so a value never depends on who draws it, or on the day it is drawn.
    """

    __slots__ = ("_generator", "_methods", "_now")

    def __init__(self, generator: Any, now: Any) -> None:
        self._generator, self._now = generator, now
        self._methods: dict[str, Callable[..., Any]] = {}

    def seed_instance(self, seed: int) -> None:
        self._generator.seed_instance(seed)

    def __getattr__(self, name: str) -> Any:
        method = self._methods.get(name)
        if method is not None:
            return method
        attr = getattr(self._generator, name)
        if not callable(attr):
            return attr
        now, stale = self._now, _wall_clock_defaults(attr)

        @wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            if stale is not None:
                signature, names = stale
                given = signature.bind_partial(*args, **kwargs).arguments
                kwargs = {**kwargs, **{n: now.date() for n in names if n not in given}}
            with clock.pinned(now):
                return attr(*args, **kwargs)

        self._methods[name] = call
        return call


def _wall_clock_defaults(method: Callable[..., Any]) -> tuple[inspect.Signature, list[str]] | None:
    """The parameters of a Faker provider method whose default is a date: Faker's only one (40.x),
    ``passport_dates(birthday=date.today())``, read the wall clock when it was imported, out of the
    clock's reach. (A registered provider's date defaults are its own: left alone.)"""
    if not getattr(method, "__module__", "").startswith("faker."):
        return None
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return None
    names = [n for n, p in signature.parameters.items() if type(p.default) is dt.date]
    return (signature, names) if names else None


# Generator methods that are machinery, not providers' values: they re-seed, re-configure or reach
# any attribute by name (``format('__setattr__', ...)``). No spec names them as ``faker:``, and a
# template cannot call them (it could break determinism).
FAKER_MACHINERY = frozenset(
    {
        "add_provider",
        "del_arguments",
        "format",
        "generator",
        "get_arguments",
        "get_formatter",
        "get_providers",
        "optional",
        "parse",
        "provider",
        "random",
        "seed",
        "seed_instance",
        "seed_locale",
        "set_arguments",
        "set_formatter",
        "unique",
        "weighted_random_generator",
    }
)


class TemplateFaker:
    """What a template sees as ``fake``: the providers' methods (``fake.name()``), nothing else.

    The sandbox refuses ``_`` attributes, but a Faker generator hands out any attribute through
    ``format`` and can be re-seeded; this proxy has no such door."""

    __slots__ = ("_generator",)

    def __init__(self, generator: Any) -> None:
        self._generator = generator

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in FAKER_MACHINERY or not _provides(self._generator, name):
            raise AttributeError(f"fake.{name} is not a Faker method templates may call")
        method = getattr(self._generator, name)

        def bounded(*args: Any, **kwargs: Any) -> Any:
            if (past := oversized_args(kwargs)) is not None:
                raise ValueError(f"fake.{name}({past}=...) is past {MAX_SIZE_ARG:,}")
            return method(*args, **kwargs)

        return bounded


def oversized_args(args: Mapping[str, Any]) -> str | None:
    """The first argument that sizes Faker's output (``max_chars``) and is past ``MAX_SIZE_ARG``."""
    for key, value in args.items():
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if key in SIZE_ARGS and number and not value <= MAX_SIZE_ARG:  # NaN too
            return key
    return None


def _provides(generator: Any, name: str) -> bool:
    """Whether a provider of ``generator`` has a method ``name`` (not a property, not data)."""
    for provider in generator.providers:
        method = getattr(type(provider), name, None)
        if callable(method) and not isinstance(method, type):
            return True
    return False
