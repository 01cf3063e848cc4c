"""The generator kinds, in the order a document's mapping is matched against them.

This is the one list of kinds: validation names them from it, the compiler and generation
dispatch through it, the plan artefact and text describe with it. A new kind is a module
here (and its branch of the JSON Schema).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators import (
    aggregate,
    choice,
    distribution,
    faker,
    python,
    ref,
    sequence,
    template,
    uuids,
    value,
    when,
)
from seedspec.generators import range as range_
from seedspec.generators.base import Cell, CheckScope, ColumnForm, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Generator, Literal
from seedspec.language import templates

KINDS: tuple[Kind[Any], ...] = (
    value.KIND,
    template.KIND,
    faker.KIND,
    sequence.KIND,
    choice.KIND,
    range_.KIND,
    distribution.KIND,
    python.KIND,
    uuids.KIND,
    ref.KIND,
    aggregate.KIND,
    when.KIND,
)
NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)
"""The keys that name a kind in a generator mapping (``faker:``, ``ref:``, ...)."""
IR_NAMES: frozenset[str] = frozenset(k.ir.__name__ for k in KINDS)
"""The names of the IR generator classes (the plan artefact tags them)."""
_BY_IR: dict[type, Kind[Any]] = {k.ir: k for k in KINDS}


def kind_named_in(raw: Mapping[str, Any]) -> Kind[Any] | None:
    """The kind a generator mapping names: the first of ``KINDS`` whose key it has."""
    return next((k for k in KINDS if k.name in raw), None)


def kind_of(gen: Generator) -> Kind[Any]:
    """The kind of a compiled generator."""
    return _BY_IR[type(gen)]


def check(raw: Mapping[str, Any], ptr: str, scope: CheckScope) -> Iterator[Diagnostic]:
    """What the kind of a generator mapping checks beyond the JSON Schema."""
    kind = kind_named_in(raw)
    return kind.check(raw, ptr, scope) if kind is not None else iter(())


def compile_generator(raw: Any, site: FieldSite, ctx: CompileContext) -> Generator:
    """The IR generator of a field as written: a template string, a scalar, or a kind's mapping."""
    if isinstance(raw, str) and templates.is_template(raw):
        return template.of_source(raw)
    if not isinstance(raw, dict):
        return Literal(value=raw)
    if any(k in raw for k in when.NULL_CONDITIONS):  # any kind, NULL where a condition says
        inner = {k: v for k, v in raw.items() if k not in when.NULL_CONDITIONS}
        return when.null_condition(raw, compile_generator(inner, site, ctx))
    kind = kind_named_in(raw) or ref.KIND  # validation has made sure it names one
    generator: Generator = kind.compile(raw, site, ctx)
    return generator


def draw(maker: Maker, cell: Cell, seed: int, attempt: int = 0) -> Any:
    """A value of ``cell``'s field, drawn from ``seed``."""
    gen = cell.field.generator
    return _BY_IR[type(gen)].draw(gen, maker, cell, seed, attempt)


def column_form(gen: Generator, now: str) -> ColumnForm | None:
    """Generator version 3's column form of ``gen`` under ``settings.now`` (``now``), or None
    where its values are drawn one by one."""
    form = _BY_IR[type(gen)].column
    return None if form is None else form(gen, now)


def describe(gen: Generator) -> str:
    """One short phrase for a generator, as the plan shows it."""
    phrase: str = _BY_IR[type(gen)].describe(gen)
    return phrase
