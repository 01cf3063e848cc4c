"""The clock Faker's date providers read: ``settings.now`` during a pinned call, the wall clock otherwise.

Faker computes "now" inside its providers (``datetime.now()``, ``date.today()``, in the date
provider and in locale providers such as the Finnish or Swedish SSN), so pinning the arguments is
not enough: ``past_date`` ends at the real yesterday and ``date_of_birth`` counts ages from the real
today. :func:`pin_modules` swaps those modules' ``datetime``/``date`` names (and the ``datetime``
module) for stand-ins that behave as the real ones except that ``now``, ``today`` and ``utcnow``
answer the reference time of the innermost :func:`pinned` block (a context variable: per thread,
per task). Outside one they read the wall clock, so other Faker users in the process see no change.
"""

from __future__ import annotations

import datetime as _dt
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_REFERENCE: ContextVar[_dt.datetime | None] = ContextVar("seedspec_reference_now", default=None)


@contextmanager
def pinned(now: _dt.datetime) -> Iterator[None]:
    """Within this block, the stand-ins' "now" is ``now`` (naive means UTC, as Faker reads it)."""
    token = _REFERENCE.set(now)
    try:
        yield
    finally:
        _REFERENCE.reset(token)


def reference() -> _dt.datetime | None:
    """The pinned reference time, or None outside a :func:`pinned` block."""
    return _REFERENCE.get()


def _now(tz: _dt.tzinfo | None = None) -> _dt.datetime:
    ref = _REFERENCE.get()
    if ref is None:
        return _dt.datetime.now(tz)
    if tz is None:
        return ref.replace(tzinfo=None)  # the reference's wall time, as datetime.now() gives local time
    return (ref if ref.tzinfo is not None else ref.replace(tzinfo=_dt.UTC)).astimezone(tz)


class _StandIn:
    """Stands in for ``datetime.datetime`` or ``datetime.date``: construction, class attributes and
    ``isinstance`` go to the real class (values stay plain datetimes); only the clock differs."""

    __slots__ = ("_real",)

    def __init__(self, real: type) -> None:
        self._real = real

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, self._real)

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, self._real)

    def __repr__(self) -> str:
        return f"<pinned {self._real.__module__}.{self._real.__qualname__}>"

    def now(self, tz: _dt.tzinfo | None = None) -> Any:
        if self._real is _dt.date:
            raise AttributeError("type object 'datetime.date' has no attribute 'now'")
        return _now(tz)

    def today(self) -> Any:
        moment = _now()
        return moment.date() if self._real is _dt.date else moment

    def utcnow(self) -> _dt.datetime:
        return _now(_dt.UTC).replace(tzinfo=None)


DATETIME: Any = _StandIn(_dt.datetime)
DATE: Any = _StandIn(_dt.date)
MODULE = types.ModuleType("datetime", _dt.__doc__)
MODULE.__dict__.update({k: v for k, v in vars(_dt).items() if not k.startswith("__")})
MODULE.__dict__.update(datetime=DATETIME, date=DATE)
_STAND_INS: tuple[tuple[object, object], ...] = ((_dt.datetime, DATETIME), (_dt.date, DATE), (_dt, MODULE))


def pin_modules(modules: Iterable[types.ModuleType]) -> None:
    """Point the ``datetime``/``date`` names of ``modules`` at the stand-ins (idempotent)."""
    for module in modules:
        for name, value in list(vars(module).items()):
            for real, stand_in in _STAND_INS:
                if value is real:
                    setattr(module, name, stand_in)
