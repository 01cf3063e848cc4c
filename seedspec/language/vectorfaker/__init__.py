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


_WANT_NOW: set[str] = set()


def provider(*methods: str, wants_now: bool = False) -> Callable[[Maker], Maker]:
    """Register a maker for Faker methods ``methods`` (a decorator); ``wants_now``: it reads the
    caller's ``now`` from its kwargs under ``"__now__"``."""

    def register(maker: Maker) -> Maker:
        for method in methods:
            _MAKERS[method] = maker
            if wants_now:
                _WANT_NOW.add(method)
        return maker

    return register


def lookup(
    method: str,
    locale: str,
    args: tuple[Any, ...] = (),
    kwargs: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> VectorProvider | None:
    """The vectorised form of ``faker.<method>(*args, **kwargs)`` for ``locale``, or None.

    ``now`` is what Faker's "now" and "today" mean (pass the plan's ``settings.now``, naive =
    UTC, as the pinned clock gives Faker): the date methods whose range ends at "now" (``date``,
    ``date_time``, ``date_of_birth``, a ``date_between`` without ``end_date``...) fall back
    without it. The makers find it in their kwargs under ``"__now__"``.
    """
    from seedspec.language.vectorfaker import providers  # noqa: F401  (registers the makers)

    maker = _MAKERS.get(method)
    given = dict(kwargs or {})
    if maker is None or "__now__" in given:
        return None
    wanted = now is not None and method in _WANT_NOW
    return maker(locale, args, given | {"__now__": now} if wanted else given)


def covered() -> frozenset[str]:
    """The Faker methods with a vectorised form (for some locale and arguments)."""
    from seedspec.language.vectorfaker import providers  # noqa: F401

    return frozenset(_MAKERS)
