"""Faker's own locale data, read at run time from the installed Faker's provider objects.

A method is vectorised only when we *know* what it does: either it is the very function of a
base provider we re-implement (identity: ``method.__func__ is person.Provider.first_name``), or
its bytecode has the shape of one of a few one-line templates (``return
self.random_element(self.states)``), whichever locale class defines it. A locale that overrides a
method with anything else gets ``None`` (the per-value Faker fallback), so no locale's quirk is
silently replaced by the base behaviour.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import CodeType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seedspec.language.fakers import create_faker


@cache
def generator(locale: str) -> Any:
    """One Faker generator per locale, only read (never drawn from)."""
    return create_faker(locale)


def method(locale: str, name: str) -> tuple[Any, Callable[..., Any]] | None:
    """(provider instance, plain function) behind ``generator.<name>``, or None."""
    try:
        bound = getattr(generator(locale), name, None)
    except AttributeError:
        return None
    owner, func = getattr(bound, "__self__", None), getattr(bound, "__func__", None)
    if owner is None or func is None:
        return None
    return owner, func


def base_owner(locale: str, name: str, base: Callable[..., Any]) -> Any:
    """The provider behind ``generator.<name>`` when that method is ``base`` itself (not a
    locale's override), else None."""
    found = method(locale, name)
    return found[0] if found is not None and found[1] is base else None


def bind(names: Sequence[str], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
    """Positional and keyword arguments by parameter name; None if one is unknown or given twice."""
    if len(args) > len(names) or set(kwargs) - set(names) or set(names[: len(args)]) & set(kwargs):
        return None
    return dict(zip(names, args, strict=False)) | dict(kwargs)


@dataclass(frozen=True)
class Elements:
    """What ``random_element(x)`` picks from: the values, and the running weights (None = uniform)."""

    values: tuple[Any, ...]
    cumulative: NDArray[np.float64] | None

    def strings(self) -> bool:
        return all(isinstance(v, str) for v in self.values)


def elements(value: Any) -> Elements | None:
    """``value`` as Faker's ``random_element`` reads it (weights when an OrderedDict; Faker
    refuses a plain dict, so do we), or None for an empty or unreadable collection."""
    if isinstance(value, dict):
        if not isinstance(value, OrderedDict) or not value:
            return None
        weights = list(value.values())
        if not all(isinstance(w, int | float) and w >= 0 for w in weights) or sum(weights) <= 0:
            return None
        return Elements(tuple(value), np.cumsum(np.asarray(weights, dtype=np.float64)))
    if isinstance(value, list | tuple | str) and value:
        return Elements(tuple(value), None)
    return None


class _Shapes:
    """One-line method bodies Faker's locale providers repeat; ``ATTR`` stands for the attribute."""

    ATTR: Any = ()

    def random_element(self, _x: Any) -> Any: ...
    def numerify(self, _x: Any) -> Any: ...
    def bothify(self, _x: Any) -> Any: ...
    def lexify(self, _x: Any) -> Any: ...

    generator: Any = None

    def element(self) -> Any:
        return self.random_element(self.ATTR)

    def parse(self) -> Any:
        pattern = self.random_element(self.ATTR)
        return self.generator.parse(pattern)

    def parse_inline(self) -> Any:
        return self.generator.parse(self.random_element(self.ATTR))

    def numerified(self) -> Any:
        return self.numerify(self.random_element(self.ATTR))

    def bothified(self) -> Any:
        return self.bothify(self.random_element(self.ATTR))

    def bothified_upper(self) -> Any:
        return self.bothify(self.random_element(self.ATTR)).upper()

    def lexified(self) -> Any:
        return self.lexify(self.random_element(self.ATTR))

    def numerified_one(self) -> Any:  # military_apo(): return self.numerify(self.military_apo_format)
        return self.numerify(self.ATTR)

    def bothified_one(self) -> Any:
        return self.bothify(self.ATTR)

    def alias(self) -> Any:  # zipcode(): return self.postcode()
        return self.ATTR()


SHAPES = (
    "element",
    "parse",
    "parse_inline",
    "numerified",
    "bothified",
    "bothified_upper",
    "lexified",
    "alias",
    "numerified_one",
    "bothified_one",
)


def _signature(code: CodeType) -> tuple[Any, ...]:
    consts = code.co_consts[1:]  # the first is the docstring or None; the flags drop __future__ ones
    return (code.co_code, consts, code.co_argcount, code.co_kwonlyargcount, code.co_flags & 0xFFFF)


_TEMPLATES = {name: getattr(_Shapes, name).__code__ for name in SHAPES}


def shape(func: Callable[..., Any]) -> tuple[str, str] | None:
    """(template name, attribute) when ``func``'s body is one of the templates, else None."""
    code = getattr(func, "__code__", None)
    if code is None or getattr(func, "__defaults__", None) or hasattr(func, "__wrapped__"):
        return None
    for name, template in _TEMPLATES.items():
        if _signature(code) != _signature(template) or len(code.co_names) != len(template.co_names):
            continue
        attr = None
        for mine, theirs in zip(template.co_names, code.co_names, strict=True):
            if mine == "ATTR":
                attr = theirs
            elif mine != theirs:
                break
        else:
            if attr is not None:
                return name, attr
    return None
