"""Checks of each factory and its generators: templates, Faker calls, refs, ranges, distributions."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from seedspec import suggest
from seedspec.errors import Diagnostic, Severity
from seedspec.language import dates, templates
from seedspec.source import pointer
from seedspec.spec.profiles import params_read
from seedspec.spec.semantics.common import (
    Names,
    did_you_mean,
    error,
    faker_methods,
    find_cycle,
    template_dependencies,
)


def check_factory(fname: str, factory: Mapping[str, Any], names: Names) -> Iterator[Diagnostic]:
    base = pointer("factories", fname)
    fields: Mapping[str, Any] = factory.get("fields", {})
    for column, gen in fields.items():
        scope = Scope(set(fields) - {column}, _only_in_states(factory, column))
        yield from _check_generator(gen, base + pointer("fields", column), scope, names)
    for state, overrides in factory.get("states", {}).items():
        for column, gen in overrides.items():
            scope = Scope((set(fields) | set(overrides)) - {column}, {})
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
    if isinstance(gen, str) and templates.is_template(gen):
        yield from _check_template(gen, ptr, scope, names)
    elif isinstance(gen, dict):
        if "template" in gen:
            yield from _check_template(gen["template"], ptr + "/template", scope, names)
        elif "faker" in gen:
            yield from _check_faker(gen, ptr, names)
        elif "ref" in gen:
            yield from _check_ref(gen, ptr, scope.fields, names)
        elif "choice" in gen and isinstance(gen["choice"], dict) and not any(gen["choice"].values()):
            yield error(
                "E324",
                "every weight of this choice is 0",
                ptr + "/choice",
                "give at least one value a positive weight",
            )
        elif "sequence" in gen and isinstance(gen["sequence"], str):
            yield from _check_sequence_format(gen["sequence"], ptr + "/sequence")
        elif "range" in gen:
            yield from _check_range(gen, ptr)
        elif "distribution" in gen:
            yield from _check_distribution(gen, ptr)


def _check_sequence_format(text: str, ptr: str) -> Iterator[Diagnostic]:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        text.format(n=0)
    except (ValueError, IndexError, KeyError) as exc:
        names = names if "names" in locals() else set()
        if not (names - {"n"}):
            yield error(
                "E325",
                f"invalid sequence format {text!r}: {exc}",
                ptr,
                "write a Python format string over n, such as 'user{n:04d}'",
            )
            return
    unknown = sorted(names - {"n"})
    if unknown:
        yield error(
            "E325",
            f"sequence format {text!r} uses {{{unknown[0]}}}; only {{n}} is defined",
            ptr,
            "write a Python format string over n, such as 'user{n:04d}'",
        )


def _check_range(gen: Mapping[str, Any], ptr: str) -> Iterator[Diagnostic]:
    try:
        _, low, high = dates.range_bounds(gen["range"], dates.parse_now(dates.DEFAULT_NOW))
        backwards = low > high
    except (TypeError, ValueError):
        yield error(
            "E317",
            f"range bounds {gen['range']!r} are not two numbers, dates or datetimes",
            ptr + "/range",
            "for example [1, 10], [2024-01-01, 2024-12-31] or ['-1y', 'now']",
        )
        return
    if backwards:
        yield error("E317", f"range low {low} is above high {high}", ptr + "/range", "write [low, high]")


def _check_distribution(gen: Mapping[str, Any], ptr: str) -> Iterator[Diagnostic]:
    needed = {"normal": ("mean", "stddev"), "lognormal": ("mu", "sigma"), "zipf": ("a", "n")}[
        gen["distribution"]
    ]
    missing = [p for p in needed if p not in gen]
    if missing:
        yield error(
            "E318",
            f"{gen['distribution']} distribution needs {' and '.join(missing)} "
            f"(it takes {' and '.join(needed)})",
            ptr,
            f"add {', '.join(f'{p}: ...' for p in missing)}",
        )
    if "min" in gen and "max" in gen and gen["min"] > gen["max"]:
        yield error("E318", f"min {gen['min']} is above max {gen['max']}", ptr + "/min", "swap min and max")


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
    known = scope.fields | templates.ROW_GLOBALS | set(names.factories)
    if "params" in free:
        yield from check_params_read(source, ptr, names.params)
    for name in sorted(free - known):
        state = scope.state_only.get(name)
        hint = (
            f"only state '{state}' sets '{name}'; give it a base field too (the state still overrides it)"
            if state
            else did_you_mean(name, known)
            + " (templates see the row's fields, n, fake, params and factory names for named records)"
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


def _faker_hint(method: str, methods: Mapping[str, Any]) -> str:
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


def _check_faker(gen: Mapping[str, Any], ptr: str, names: Names) -> Iterator[Diagnostic]:
    if "locale" not in gen and not names.locale_ok:
        return  # the unknown default locale is reported once, at /settings/locale
    locale = gen.get("locale", names.default_locale)
    try:
        methods = faker_methods(locale, names.providers)
    except AttributeError:
        yield error(
            "E309",
            f"unknown Faker locale '{locale}'",
            ptr + "/locale",
            "for example en_US, fr_FR, de_DE",
        )
        return
    method = gen["faker"]
    if method not in methods:
        if not names.providers_ok:
            return  # it may come from the provider that does not import (E339)
        yield error(
            "E303",
            f"unknown Faker method '{method}'",
            ptr + "/faker",
            _faker_hint(method, methods),
        )
        return
    signature = methods[method]
    args = gen.get("args", {})
    if signature is None:
        return
    try:
        if isinstance(args, list):
            signature.bind(*args)
        else:
            signature.bind(**args)
    except TypeError as exc:
        params = ", ".join(signature.parameters) or "none"
        yield error(
            "E308",
            f"Faker method '{method}' does not accept these args: {exc}",
            ptr + "/args",
            f"its parameters: {params}",
        )


def _check_ref(gen: Mapping[str, Any], ptr: str, others: set[str], names: Names) -> Iterator[Diagnostic]:
    target, _, record = gen["ref"].partition(".")
    if target not in names.factories:
        yield error(
            "E300",
            f"ref to unknown factory '{target}'",
            ptr + "/ref",
            did_you_mean(target, names.factories),
        )
        return
    if record and record not in names.records.get(target, frozenset()):
        yield error(
            "E302",
            f"unknown named record '{target}.{record}'",
            ptr + "/ref",
            did_you_mean(record, names.records.get(target, frozenset())),
        )
    per = gen.get("distinct_per")
    if per is not None and per not in others:
        yield error(
            "E313",
            f"distinct_per names '{per}', which is not a field of this factory",
            ptr + "/distinct_per",
            did_you_mean(per, others),
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
    gens = [fields.get(col) for col in key]
    if gens and all(isinstance(g, dict) and "faker" in g for g in gens):
        yield Diagnostic(
            code="W401",
            severity=Severity.WARNING,
            pointer=base + "/key",
            message=f"the lookup key of factory '{fname}' is built only from Faker output",
            hint="a Faker upgrade changes these values and re-seeding then creates new rows; "
            "key on a sequence, a template over n, or a declared value",
        )
