"""Faker-faithful providers computed a column at a time (generator version 3).

A provider here draws from Faker's *own* locale data (the word lists and weights on the
installed Faker's provider classes, read at run time, never copied) and Faker's own formats, but
picks with :mod:`seedspec.language.counterhash` draws over a whole batch of row keys instead of
reseeding a ``Random`` per value: the same possible values with the same weights, hundreds of
times faster. A method, locale or argument set without a vectorised form gives ``None`` from
:func:`lookup`, and the field keeps today's per-value Faker (``plan`` says which fields do).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from seedspec.language.counterhash import Keys


class VectorProvider(Protocol):
    """Values for a batch of rows: one per key, each a pure function of its key alone."""

    def __call__(self, keys: Keys) -> Sequence[Any]: ...


# method -> maker(locale, args, kwargs) -> provider, or None where that call is not covered
Maker = Callable[[str, tuple[Any, ...], Mapping[str, Any]], VectorProvider | None]
_MAKERS: dict[str, Maker] = {}


def provider(*methods: str) -> Callable[[Maker], Maker]:
    """Register a maker for Faker methods ``methods`` (a decorator)."""

    def register(maker: Maker) -> Maker:
        for method in methods:
            _MAKERS[method] = maker
        return maker

    return register


def lookup(
    method: str,
    locale: str,
    args: tuple[Any, ...] = (),
    kwargs: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> VectorProvider | None:
    """The vectorised form of ``faker.<method>(*args, **kwargs)`` for ``locale``, or None;
    ``now``: what Faker's "now" means (``settings.now``), for the methods that read it."""
    from seedspec.language.vectorfaker import providers  # noqa: F401  (registers the makers)

    maker = _MAKERS.get(method)
    return None if maker is None else maker(locale, args, dict(kwargs or {}))


def covered() -> frozenset[str]:
    """The Faker methods with a vectorised form (for some locale and arguments)."""
    from seedspec.language.vectorfaker import providers  # noqa: F401

    return frozenset(_MAKERS)
