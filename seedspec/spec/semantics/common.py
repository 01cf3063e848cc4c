"""Shared pieces of the semantic checks: names, suggestions, cycles, Faker and template introspection."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from seedspec import suggest
from seedspec.errors import Diagnostic
from seedspec.generators import when
from seedspec.graph import find_cycle as find_cycle  # re-exported: the checks find cycles here
from seedspec.language import templates
from seedspec.language.fakers import FAKER_MACHINERY, Providers, create_faker
from seedspec.source import pointer


@dataclass(frozen=True, slots=True)
class Names:
    factories: Mapping[str, Any]
    records: Mapping[str, frozenset[str]]
    default_locale: str
    locale_ok: bool = True
    param_values: tuple[tuple[str, Any], ...] = ()
    providers: Providers = ()  # the spec's Faker providers that import
    providers_ok: bool = True  # False when one does not: its methods are unknown
    misspelt: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Per factory, the real columns its misspelt fields stand for (their one error is E311)."""

    @property
    def params(self) -> frozenset[str]:
        """The names ``params:`` declares."""
        return frozenset(name for name, _ in self.param_values)


def did_you_mean(name: str, options: Any) -> str:
    if suggestion := suggest.did_you_mean(name, options):
        return suggestion
    shown = sorted(options)[:8]
    return f"known: {', '.join(shown)}" if shown else "none are defined"


def error(code: str, message: str, ptr: str, hint: str = "") -> Diagnostic:
    return Diagnostic(code=code, message=message, pointer=ptr, hint=hint)


def factory_generators(factory: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(column, pointer suffix, generator) for the fields and every state of a factory."""
    for column, gen in factory.get("fields", {}).items():
        yield column, pointer("fields", column), gen
    for state, overrides in factory.get("states", {}).items():
        for column, gen in overrides.items():
            yield column, pointer("states", state, column), gen


@cache
def faker_methods(locale: str, providers: Providers = ()) -> dict[str, inspect.Signature | None]:
    """Data methods of a Faker generator for ``locale`` with ``providers``, with their signatures.

    Raises:
        AttributeError: an unknown locale.
        ImportTargetError: a provider cannot be imported.
    """
    generator = create_faker(locale, providers)
    found: dict[str, inspect.Signature | None] = {}
    for name in dir(generator):
        if name.startswith("_") or name in FAKER_MACHINERY:
            continue
        attr = getattr(generator, name, None)
        if callable(attr):
            try:
                found[name] = inspect.signature(attr)
            except (TypeError, ValueError):
                found[name] = None
    return found


def template_sources(gen: Any) -> list[tuple[str, str]]:
    """(pointer suffix, source) of the templates a generator as written renders per row: itself,
    its ``template:``, the bounds of its ``range`` written as templates, a ref's row filters, and
    the conditions of a conditional field with its branches'."""
    if isinstance(gen, str):
        return [("", gen)] if templates.is_template(gen) else []
    if not isinstance(gen, dict):
        return []
    if conditional := when.conditions(gen):  # the conditions, then what each branch renders
        found = [(suffix, when.condition_source(expression)) for suffix, expression in conditional]
        for suffix, inner in when.branches(gen):
            found.extend((suffix + s, source) for s, source in template_sources(inner))
        return found
    if isinstance(gen.get("template"), str):
        return [("/template", gen["template"])]
    where = gen.get("where") if isinstance(gen.get("ref"), str) else None
    if isinstance(where, dict):
        return [
            (f"/where/{c}", v) for c, v in where.items() if isinstance(v, str) and templates.is_template(v)
        ]
    bounds = gen.get("range")
    if isinstance(bounds, list) and "faker" not in gen:
        return [
            (f"/range/{i}", b)
            for i, b in enumerate(bounds)
            if isinstance(b, str) and templates.is_template(b)
        ]
    return []


def template_dependencies(gen: Any) -> set[str]:
    """Names a field reads: its templates' names (none for unparsable ones), and the ``time``
    column of a ``uuid`` (drawn after it, like a template's names)."""
    found = _uuid_times(gen)
    for _, source in template_sources(gen):
        try:
            found |= templates.referenced_names(source)
        except templates.TemplateSyntaxError:
            continue
    return found


def _uuid_times(gen: Any) -> set[str]:
    """The ``time`` columns of the uuids a field may draw: its own, or its branches' at any depth
    (a ``when`` inside a ``when``), as ``template_sources`` reads nested templates."""
    if isinstance(gen, dict) and "uuid" in gen and isinstance(gen.get("time"), str):
        return {gen["time"]}
    found: set[str] = set()
    if when.conditions(gen):
        for _, inner in when.branches(gen):
            found |= _uuid_times(inner)
    return found


def step_ids(raw_steps: list[Any]) -> list[str]:
    """Each step's identity: its ``id``, else factory, states, for_each and records; a repeat
    gets ``#2``, ``#3`` in spec order."""
    ids: list[str] = []
    for raw in raw_steps:
        if not isinstance(raw, dict) or not isinstance(raw.get("factory"), str):
            ids.append("")
            continue
        base = raw.get("id") or (
            raw["factory"]
            + (f"[{','.join(raw['states'])}]" if raw.get("states") else "")
            + (f"<{raw['for_each']}" if raw.get("for_each") else "")
            + (":records" if "records" in raw else "")
        )
        candidate, k = base, 1
        while candidate in ids:
            k += 1
            candidate = f"{base}#{k}"
        ids.append(candidate)
    return ids
