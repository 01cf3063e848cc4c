"""Aggregates: a column computed from the row's children (sum, count, min, max), once they exist.

A parent row is made (and stored) with the value of no children. Each child row a step keeps,
created or found, adds its value to its parent's total, keyed by the value its link field holds
(the parent's id); once the last step of the children (and of the parent) has run, ``settle``
gives every parent row of the run its total, as the column's type: the parents' pool rows and
named records change in place, so later steps read the total, and the writer stores the rows
whose value changed. Values are those the children hold as stored: a found child counts with
its stored columns. One rule for ``apply``, ``plan`` and ``build``.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from typing import Any

from seedspec.compiler.planfile import row_changes
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.generation.pools import Pool
from seedspec.ir import Aggregate, Field, Plan, Step
from seedspec.language import templates
from seedspec.language.convert import convert, to_scale

_Key = tuple[str, str]  # (parent factory, column)


class AggregateError(SeedspecError):
    """A child's value that an aggregate cannot take (sum of a text that is no number)."""


@dataclass(slots=True)
class Totals:
    """The aggregates of a run so far: per (parent factory, column), the value per link value
    (the parent's id); and the parents the run created, whose change is part of their creation."""

    values: dict[_Key, dict[Any, Any]] = field(default_factory=dict)
    created: dict[str, set[str]] = field(default_factory=dict)

    def note_created(self, step: Step, local_ids: list[str]) -> None:
        """The rows of ``step`` (by their ids in it) that the run created."""
        self.created.setdefault(step.factory, set()).update(f"{step.id}:{i}" for i in local_ids)


@dataclass(frozen=True, slots=True)
class Change:
    """A parent row whose aggregate column changes: its pool index, the link value (its id, the
    column the UPDATE finds it by), the value stored and the new one."""

    step: str
    ordinal: int  # the row's position among its step's rows
    column: str
    target: str
    link: Any
    old: Any
    new: Any
    created: bool


class Feeds:
    """The aggregates that one child step's rows feed, and the columns it reads of them."""

    def __init__(self, plan: Plan, factory: str, totals: Totals) -> None:
        self.totals = totals
        self.over: tuple[tuple[str, Field], ...] = plan.aggregates_over(factory)
        kinds = {(s.factory, c): k for s in plan.steps for c, k in s.kinds}
        self.kinds = {(p, f.column): kinds.get((p, f.column), "other") for p, f in self.over}
        reads: list[str] = []
        for _, f in self.over:
            gen = f.generator
            assert isinstance(gen, Aggregate)
            names = gen.value.names if gen.value is not None else ()
            reads += [gen.link, *([gen.value_column] if gen.value_column else []), *names]
        self.reads = tuple(dict.fromkeys(reads))

    def refusing_deferred(self, step: Step) -> Feeds:
        """These feeds; E530 when the child step's link to its parent is set only after the fact
        (a deferred ref of a foreign-key cycle): its children would count under no parent."""
        deferred = {f.column for f in step.deferred_fields}
        for _, f in self.over:
            gen = f.generator
            if isinstance(gen, Aggregate) and gen.link in deferred:
                raise _failed(
                    gen, f, f"'{gen.link}' of step '{step.id}' breaks a foreign-key cycle (set later)"
                )
        return self

    def add(self, row: dict[str, Any]) -> None:
        """Count a child row (its columns as stored) in its parents' aggregates."""
        for parent, f in self.over:
            gen = f.generator
            assert isinstance(gen, Aggregate)
            link = row.get(gen.link)
            if link is None:
                continue
            totals = self.totals.values.setdefault((parent, f.column), {})
            if gen.function == "count":
                totals[link] = totals.get(link, 0) + 1
                continue
            value = _value_of(gen, f, row, self.kinds[parent, f.column])
            if value is None:  # NULLs are left out, as SQL's aggregates leave them
                continue
            held = totals.get(link)
            if gen.function == "sum":
                totals[link] = value if held is None else held + value
            elif held is None or (value < held if gen.function == "min" else value > held):
                totals[link] = value


def _value_of(gen: Aggregate, f: Field, row: dict[str, Any], kind: str) -> Any:
    if gen.value is not None:
        try:
            text = templates.run(templates.compiled(gen.value.source), row)
        except templates.TemplateError as exc:
            raise _failed(gen, f, f"its value template failed on a child row: {exc}") from exc
        value: Any = None if text in ("", "None") else text
    else:
        value = row.get(gen.value_column or "")
    if value is None or (gen.function == "sum" and isinstance(value, (int, decimal.Decimal))):
        return value
    if gen.function != "sum":  # min and max compare values as the column holds them
        try:
            return convert(value, kind)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise _failed(gen, f, f"a child's value {value!r} is no {kind} ({exc})") from exc
    try:  # exact sums: every value as a Decimal (a float's shortest text, not its binary expansion)
        return decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise _failed(gen, f, f"a child's value {value!r} is not a number") from None


def _failed(gen: Aggregate, f: Field, why: str) -> AggregateError:
    return AggregateError(
        Diagnostic(
            code="E530",
            message=f"the {gen.function} of '{f.column}' over '{gen.child}' cannot be computed: {why}",
            pointer=f.pointer,
            hint="nothing was written: the whole apply was rolled back; sum adds numbers, min and max "
            "compare values of the column's type: the value must be a child column or a template "
            "rendering one",
        )
    )


def settle(
    plan: Plan, factory: str, pool: Pool, named: dict[str, dict[str, Any]], totals: Totals
) -> list[Change]:
    """Every row of ``factory`` whose aggregate columns change, now that their children exist;
    the pool rows and named records take the new values (what later steps read)."""
    steps = {s.id: s for s in plan.steps if s.factory == factory}
    created = totals.created.get(factory, set())
    changes: list[Change] = []
    ordinals: dict[str, int] = {}
    for index in range(len(pool)):
        row = pool.row(index)
        step = steps.get(row.step)
        if step is None:
            continue
        ordinal = ordinals[step.id] = ordinals.get(step.id, -1) + 1
        new_values: dict[str, Any] = {}
        for f in step.aggregate_fields:
            gen = f.generator
            assert isinstance(gen, Aggregate)
            link = row.values.get(gen.target)
            new = value_for(step, f, link, totals)
            if row_changes({f.column: new}, {f.column: row.values.get(f.column)}):
                old = row.values.get(f.column)
                changes.append(
                    Change(step.id, ordinal, f.column, gen.target, link, old, new, row.row_id in created)
                )
                new_values[f.column] = new
        if new_values:
            pool.update(index, new_values)
            record = row.row_id[len(row.step) + 1 :]
            if record in named:
                named[record].update(new_values)
    return changes


def value_for(step: Step, f: Field, link: Any, totals: Totals) -> Any:
    """The aggregate ``f`` of ``step``'s row whose children refer to it by ``link``, as its
    column holds it (the value over no children when it has none)."""
    gen = f.generator
    assert isinstance(gen, Aggregate)
    total = totals.values.get((step.factory, f.column), {}).get(link, gen.empty)
    try:
        converted = convert(total, dict(step.kinds).get(f.column, "other"))
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise _failed(gen, f, f"{total!r} is no value of the column ({exc})") from exc
    scale = dict(step.scales).get(f.column)
    return converted if scale is None else to_scale(converted, scale)
