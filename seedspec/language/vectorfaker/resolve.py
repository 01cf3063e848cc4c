"""A locale's zero-argument Faker method as a column, the way ``{{token}}`` calls it.

Resolution: a function we re-implement by hand (registered with :func:`special`, keyed by the
base provider's function object) wins; otherwise the method's body must have one of the template
shapes of :mod:`data` (pick, parse a picked format, numerify / bothify / lexify a picked
pattern); otherwise None. Formats are parsed into literals and token columns, resolved in turn
(a cycle, an argument group ``{{name:group}}`` or any unresolved token gives None).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from seedspec.language.vectorfaker import data
from seedspec.language.vectorfaker.expand import (
    LETTERS,
    Col,
    concat,
    has_nul,
    index_of,
    patterns,
    pick,
    switch,
)

Builder = Callable[[str, Any], Col | None]  # (locale, provider instance) -> column
_SPECIAL: dict[Any, Builder] = {}
TOKEN = re.compile(r"\{\{\s*(\w+)(:\s*\w+?)?\s*\}\}")  # faker.generator._re_token
_resolving: set[tuple[str, str]] = set()


def special(*functions: Any) -> Callable[[Builder], Builder]:
    """Register a hand-written column for base provider functions (a decorator)."""

    def register(builder: Builder) -> Builder:
        for function in functions:
            _SPECIAL[function] = builder
        return builder

    return register


@cache
def column(locale: str, name: str) -> Col | None:
    """``generator.<name>()`` for ``locale`` as a column of strings, or None."""
    from seedspec.language.vectorfaker import providers  # noqa: F401  (the specials register on import)

    found = data.method(locale, name)
    if found is None or (locale, name) in _resolving:
        return None
    owner, func = found
    _resolving.add((locale, name))
    try:
        if func in _SPECIAL:
            return _SPECIAL[func](locale, owner)
        return _by_shape(locale, owner, func)
    finally:
        _resolving.discard((locale, name))


def _by_shape(locale: str, owner: Any, func: Any) -> Col | None:
    found = data.shape(func)
    if found is None:
        return None
    kind, attr = found
    if kind == "alias":
        return column(locale, attr)
    value = getattr(owner, attr, None)
    if kind.endswith("_one"):
        value = (value,) if isinstance(value, str) else None
    items = data.elements(value)
    if items is None or not items.strings() or has_nul(items):
        return None
    if kind == "element":
        return pick(items)
    if kind in ("parse", "parse_inline"):
        return formats(locale, items)
    letters = LETTERS if kind in ("bothified", "bothified_upper", "lexified", "bothified_one") else None
    return patterns(items, numerify=kind != "lexified", letters=letters, upper=kind == "bothified_upper")


def formats(locale: str, items: Any) -> Col | None:
    """``generator.parse(random_element(items))``: a format group per format."""
    branches = []
    for text in items.values:
        parsed = parse(locale, str(text))
        if parsed is None:
            return None
        branches.append(parsed)
    return switch(lambda keys: index_of(items, keys), branches)


def parse(locale: str, text: str) -> Col | None:
    """``generator.parse(text)``: literals kept, each token its own call of its method."""
    parts: list[Col | str] = []
    at = 0
    for match in TOKEN.finditer(text):
        if match.group(2):
            return None
        token = column(locale, match.group(1))
        if token is None or (token.values is not None and not all(isinstance(v, str) for v in token.values)):
            return None
        parts += [text[at : match.start()], token]
        at = match.end()
    parts.append(text[at:])
    return concat([p for p in parts if not (isinstance(p, str) and p == "")] or [""])


def pick_attr(owner: Any, attr: str) -> Col | None:
    """``random_element(owner.<attr>)`` over strings, or None."""
    items = data.elements(getattr(owner, attr, None))
    return None if items is None or not items.strings() else pick(items)
