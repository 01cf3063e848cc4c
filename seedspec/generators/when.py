"""``when``: a conditional field, ``{when: <expression>, then: <generator>, else: <generator>}``.

The expression is a Jinja2 expression over the row's earlier fields and its related rows, as
templates read them (``status == 'published'``, ``post.published_at is not none``). Any
generator mapping also takes ``null_if: <expression>`` or ``null_unless: <expression>``, which
compile to a When with a NULL branch: the common "NULL unless the status says so", per row,
inside one step, the statuses still mixed by weight.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators import template
from seedspec.generators.base import Cell, CheckScope, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Generator, Literal, When

NULL_CONDITIONS = ("null_if", "null_unless")
"""The options that make any generator NULL where a condition on the row holds (or does not)."""
_HOLDS = "1"


def condition_source(expression: str) -> str:
    """The template that renders ``1`` exactly where ``expression`` holds."""
    return f"{{% if {expression} %}}{_HOLDS}{{% endif %}}"


def conditions(raw: Any) -> list[tuple[str, str]]:
    """(pointer suffix, expression) of the conditions a generator mapping as written states."""
    if not isinstance(raw, dict):
        return []
    keys = ("when", *NULL_CONDITIONS)
    return [(f"/{k}", raw[k]) for k in keys if isinstance(raw.get(k), str)]


def branches(raw: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(pointer suffix, generator as written) of what a conditional mapping draws: a ``when``'s
    ``then`` and ``else``, or the mapping itself without its ``null_if`` / ``null_unless``."""
    if "when" in raw:
        return [(f"/{k}", raw[k]) for k in ("then", "else") if k in raw]
    return [("", {k: v for k, v in raw.items() if k not in NULL_CONDITIONS})]


def check_conditional(raw: Any, ptr: str) -> Iterator[Diagnostic]:
    """E370 a ref that is conditional (or a condition on a ref), E371 both null_if and null_unless."""
    if not isinstance(raw, dict) or not conditions(raw):
        return
    present = [k for k in NULL_CONDITIONS if k in raw]
    if len(present) == 2:
        yield Diagnostic(
            code="E371",
            message="a generator has both null_if and null_unless",
            pointer=ptr + "/null_unless",
            hint='keep one: null_unless: "a and not b" states both conditions in one expression',
        )
    refs = [(ptr + suffix, g) for suffix, g in branches(raw) if isinstance(g, dict) and "ref" in g]
    for at, _ in refs:
        yield Diagnostic(
            code="E370",
            message="a ref cannot be conditional (null_if, null_unless or inside when)",
            pointer=at + ("/ref" if at != ptr else "/" + (present or ["when"])[0]),
            hint="a ref picks a row for every row of the step; to leave the foreign key NULL for some "
            "rows, give it null_rate, or split the rows by status into steps (values: {x_id: null})",
        )


def _compile_branch(raw: Any, site: FieldSite, ctx: CompileContext) -> Generator:
    from seedspec.generators import registry

    return registry.compile_generator(raw, site, ctx)


def compile(raw: Mapping[str, Any], site: FieldSite, ctx: CompileContext) -> When:
    expression = str(raw["when"])
    return When(
        expression=expression,
        condition=template.of_source(condition_source(expression)),
        then=_compile_branch(raw["then"], site, ctx),
        otherwise=_compile_branch(raw.get("else"), site, ctx),
    )


def null_condition(raw: Mapping[str, Any], inner: Generator) -> When:
    """``inner`` (the mapping compiled without its condition) under its ``null_if`` or ``null_unless``."""
    null: Generator = Literal(value=None)
    if "null_unless" in raw:
        expression = str(raw["null_unless"])
        then, otherwise = inner, null
    else:
        expression = str(raw["null_if"])
        then, otherwise = null, inner
    return When(
        expression=expression,
        condition=template.of_source(condition_source(expression)),
        then=then,
        otherwise=otherwise,
    )


def holds(gen: When, maker: Maker, cell: Cell, seed: int) -> bool:
    """Whether the condition holds for ``cell``'s row."""
    return template.render(gen.condition, maker, cell, seed) == _HOLDS


def draw(gen: When, maker: Maker, cell: Cell, seed: int, attempt: int) -> Any:
    from seedspec.generators import registry

    branch = gen.then if holds(gen, maker, cell, seed) else gen.otherwise
    inner = cell._replace(field=dataclasses.replace(cell.field, generator=branch))
    return registry.draw(maker, inner, seed, attempt)


def describe(gen: When) -> str:
    from seedspec.generators import registry

    return f"when {gen.expression}: {registry.describe(gen.then)}; else {registry.describe(gen.otherwise)}"


def check(raw: Mapping[str, Any], ptr: str, scope: CheckScope) -> Iterator[Diagnostic]:
    return iter(())


KIND = Kind(name="when", ir=When, compile=compile, draw=draw, describe=describe, check=check)
