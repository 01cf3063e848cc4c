"""Checks of each factory and its generators: templates, Faker calls, refs, ranges, distributions."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from seedspec import suggest
from seedspec.errors import Diagnostic, Severity
from seedspec.generators import registry
from seedspec.generators import template as template_kind
from seedspec.generators import when as when_kind
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.profiles import params_read
from seedspec.spec.semantics.common import (
    Names,
    did_you_mean,
    error,
    faker_methods,
    find_cycle,
    template_dependencies,
    template_sources,
)


def check_factory(fname: str, factory: Mapping[str, Any], names: Names) -> Iterator[Diagnostic]:
    base = pointer("factories", fname)
    fields: Mapping[str, Any] = factory.get("fields", {})
    meant = names.misspelt.get(fname, frozenset())  # a template reading them is not a 2nd error
    for column, gen in fields.items():
        scope = Scope((set(fields) | meant) - {column}, _only_in_states(factory, column))
        yield from _check_generator(gen, base + pointer("fields", column), scope, names)
    for state, overrides in factory.get("states", {}).items():
        for column, gen in overrides.items():
            scope = Scope((set(fields) | set(overrides) | meant) - {column}, {})
            yield from _check_generator(gen, base + pointer("states", state, column), scope, names)
    base_cycle = list(_check_field_cycles(fields, base + "/fields"))
    yield from base_cycle
    for state, overrides in factory.get("states", {}).items() if not base_cycle else ():
        yield from _check_field_cycles({**fields, **overrides}, base + pointer("states", state))
    for i, column in enumerate(factory.get("key", [])):
        if column not in factory.get("fields", {}):
            yield error(
                "E312",
                f"key column '{column}' of factory '{fname}' has no field",
                base + pointer("key", i),
                f"add a field for '{column}', or {did_you_mean(column, factory['fields'])}",
            )
    yield from _check_faker_key(fname, factory, base)


def check_step_generators(steps: list[Any], names: Names) -> Iterator[Diagnostic]:
    """A step's ``values`` and ``records`` are generators too: each kind checks them as it checks
    a factory's fields (a ``ref`` to an unknown factory, a sequence format, Faker arguments)."""
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        factory = names.factories.get(step.get("factory", ""), {})
        fields = set(factory.get("fields", {})) if isinstance(factory, dict) else set()
        records = step.get("records", {})
        named = records.items() if isinstance(records, dict) else enumerate(records)
        rows = [(("values",), step.get("values", {})), *((("records", k), r) for k, r in named)]
        for where, row in rows:
            for column, gen in row.items():
                if column == "states":
                    continue
                scope = Scope((fields | set(row)) - {column, "states"}, {})
                yield from _check_generator(gen, pointer("seed", i, *where, column), scope, names)


def every_generator(factories: Mapping[str, Any], steps: list[Any]) -> Iterator[tuple[str, Any]]:
    """(pointer, generator) of every field written: factories' fields and states, steps' values
    and records."""
    for fname, factory in factories.items():
        base = pointer("factories", fname)
        for column, gen in factory.get("fields", {}).items():
            yield base + pointer("fields", column), gen
        for state, overrides in factory.get("states", {}).items():
            for column, gen in overrides.items():
                yield base + pointer("states", state, column), gen
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        for column, gen in step.get("values", {}).items():
            yield pointer("seed", i, "values", column), gen
        records = step.get("records", {})
        for name, record in records.items() if isinstance(records, dict) else enumerate(records):
            for column, gen in record.items():
                if column != "states":
                    yield pointer("seed", i, "records", name, column), gen


@dataclass(frozen=True, slots=True)
class Scope:
    """The fields a generator may read, and the ones only some state sets (for a better hint)."""

    fields: set[str]
    state_only: Mapping[str, str]


def _only_in_states(factory: Mapping[str, Any], column: str) -> dict[str, str]:
    fields = factory.get("fields", {})
    return {
        name: state
        for state, overrides in factory.get("states", {}).items()
        for name in overrides
        if name not in fields and name != column
    }


def _check_generator(gen: Any, ptr: str, scope: Scope, names: Names) -> Iterator[Diagnostic]:
    if conditional := when_kind.conditions(gen):
        for suffix, expression in conditional:
            yield from _check_template(when_kind.condition_source(expression), ptr + suffix, scope, names)
        yield from when_kind.check_conditional(gen, ptr)
        for suffix, inner in when_kind.branches(gen):
            yield from _check_generator(inner, ptr + suffix, scope, names)
    elif isinstance(gen, str) and templates.is_template(gen):
        yield from _check_template(gen, ptr, scope, names)
    elif isinstance(gen, dict) and "template" in gen:
        yield from _check_template(gen["template"], ptr + "/template", scope, names)
    elif isinstance(gen, dict):
        yield from registry.check(gen, ptr, _KindScope(names, scope.fields))
        if "range" in gen or "where" in gen:
            for suffix, source in template_sources(gen):
                yield from _check_template(source, ptr + suffix, scope, names)


@dataclass(frozen=True, slots=True)
class _KindScope:
    """The names a kind's check looks up (``generators.base.CheckScope``), for one field."""

    names: Names
    fields: set[str]

    @property
    def factories(self) -> Mapping[str, Any]:
        return self.names.factories

    @property
    def records(self) -> Mapping[str, frozenset[str]]:
        return self.names.records

    @property
    def default_locale(self) -> str:
        return self.names.default_locale

    @property
    def locale_ok(self) -> bool:
        return self.names.locale_ok

    @property
    def providers_ok(self) -> bool:
        return self.names.providers_ok

    def suggest(self, name: str, options: Any) -> str:
        return did_you_mean(name, options)

    def faker_methods(self, locale: str) -> Mapping[str, inspect.Signature | None]:
        return faker_methods(locale, self.names.providers)


def _check_template(source: str, ptr: str, scope: Scope, names: Names) -> Iterator[Diagnostic]:
    try:
        free = templates.referenced_names(source)
    except templates.TemplateSyntaxError as exc:
        yield error(
            "E304",
            f"template syntax error: {exc.message} (template line {exc.lineno})",
            ptr,
            "templates use Jinja2 syntax: {{ field }}, {{ value | filter }}",
        )
        return
    known = scope.fields | templates.ROW_GLOBALS | {template_kind.NULL_NAME} | set(names.factories)
    if "params" in free:
        yield from check_params_read(source, ptr, names.params)
    for name in sorted(free - known):
        state = scope.state_only.get(name)
        close = suggest.closest(name, known)
        hint = (
            f"only state '{state}' sets '{name}'; give it a base field too (the state still overrides it)"
            if state
            else f"did you mean '{close}'? (or is the field '{close}' the misspelt one?)"
            if close in scope.fields
            else did_you_mean(name, known)
            + " (templates see the row's fields, n, fake, params, null and factory names: "
            "related rows and named records)"
        )
        yield error("E305", f"template reads undefined name '{name}'", ptr, hint)


def check_params_read(source: str, ptr: str, declared: frozenset[str]) -> Iterator[Diagnostic]:
    """E331 for every ``params.name`` a template reads that ``params:`` does not declare."""
    for name in sorted(params_read(source) - declared):
        yield error(
            "E331",
            f"template reads params.{name}, but the spec declares no parameter '{name}'",
            ptr,
            did_you_mean(name, declared) + " (parameters are declared under params: with a default)"
            if declared
            else f"declare it: params: {{{name}: <default>}}",
        )


def _check_field_cycles(fields: Mapping[str, Any], base: str) -> Iterator[Diagnostic]:
    deps = {col: template_dependencies(gen) & set(fields) for col, gen in fields.items()}
    cycle = find_cycle(deps)
    if cycle:
        chain = " -> ".join((*cycle, cycle[0]))
        yield error(
            "E306",
            f"fields depend on each other in a cycle: {chain}",
            base + pointer(cycle[0]),
            "one field of the cycle must not read the others",
        )


def _check_faker_key(fname: str, factory: Mapping[str, Any], base: str) -> Iterator[Diagnostic]:
    key = factory.get("key", [])
    fields = factory.get("fields", {})
    warning = faker_key_warning(fname, [fields.get(col) for col in key], base + "/key")
    if warning is not None:
        yield warning


def faker_key_warning(
    fname: str, generators: Sequence[Any], ptr: str, inferred: str = ""
) -> Diagnostic | None:
    """W401 when every generator of a lookup key (explicit, or ``inferred`` from a constraint,
    which the message names) is Faker output: a Faker upgrade changes the key, so re-seeding
    finds none of the old rows and creates new ones."""
    if not generators or not all(isinstance(g, dict) and "faker" in g for g in generators):
        return None
    how = f" ({inferred})" if inferred else ""
    return Diagnostic(
        code="W401",
        severity=Severity.WARNING,
        pointer=ptr,
        message=f"the lookup key of factory '{fname}'{how} is built only from Faker output",
        hint="a Faker upgrade changes these values and re-seeding then creates new rows; "
        "key on a sequence, a template over n, or a declared value",
    )
