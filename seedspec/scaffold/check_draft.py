"""Drafting a table's fields so that a CHECK read as logic (``check_logic``) holds (pure).

Of the CHECK's terms, the one cheapest to meet is drafted: each column it names either NULL
(commented out, or ``null_rate: 1`` where a column default would step in) or a value narrowed to pass its
conditions; a term that changes fewer drafted columns wins, the first on a tie. A column
another CHECK of the table already set NULL or not NULL keeps that. Two columns compared are
put apart (``cross_checks``), made equal with a template, or one of them NULL. A condition not
understood passes when one of its columns is NULL; otherwise the column keeps its guess with a
``not understood: review`` comment. When no term can be met (two NOT NULL refs to one table that
must differ), the table gets no rows, and a note says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa

from seedspec.scaffold import cross_checks
from seedspec.scaffold.check_logic import Literal, Term
from seedspec.scaffold.checks import Restriction
from seedspec.scaffold.narrowing import narrow

REVIEW = 10  # the cost of a guess left for review: any term without one is better


class Draft(Protocol):
    """What ``table_draft``'s table offers this module."""

    pinned: dict[str, bool]  # column -> drafted NULL (True) or not NULL (False) by an earlier CHECK

    def column(self, name: str) -> sa.Column[Any] | None: ...

    def generator(self, name: str) -> tuple[bool, Any]:
        """(whether the column is drafted NULL now, its generator or guess; None: none)"""
        ...

    def put(self, name: str, gen: Any, comment: str = "") -> None: ...

    def commented(self, name: str) -> bool:
        """A field written as a comment (the column NULL or its default)."""
        ...

    def null(self, name: str, comment: str) -> None:
        """Draft the column NULL."""
        ...


@dataclass(slots=True)
class _Plan:
    """How one term is drafted: per column NULL or a generator, its cost, the comments."""

    nulls: set[str] = field(default_factory=set)
    values: dict[str, Any] = field(default_factory=dict)
    review: set[str] = field(default_factory=set)
    unread: set[str] = field(default_factory=set)  # NULL for a condition not understood
    required: set[str] = field(default_factory=set)  # IS NOT NULL (IS TRUE, IS FALSE) in the term
    cost: int = 0


def _value(draft: Draft, name: str, restrictions: Sequence[Restriction]) -> Any | None:
    column = draft.column(name)
    _, gen = draft.generator(name)
    if column is None or gen is None:
        return None
    for restriction in restrictions:
        gen = narrow(gen, restriction, column)
        if gen is None:
            return None
    return gen


def _plan(draft: Draft, term: Term) -> _Plan | None:
    """The term drafted, or None when it cannot be met."""
    plan = _Plan()
    names = dict.fromkeys(c for lit in term for c in lit.columns)
    for name in names:
        column = draft.column(name)
        if column is None:
            return None
        own = [lit for lit in term if lit.columns == (name,)]
        wants_null = any(lit.kind == "null" for lit in own)
        wants_value = any(lit.kind == "not_null" for lit in own)
        restrictions = [lit.restriction for lit in own if lit.kind == "value" and lit.restriction]
        is_null, _ = draft.generator(name)
        pinned = draft.pinned.get(name)  # True: NULL, False: not NULL, None: free
        can_null = column.nullable and not wants_value and pinned is not False
        value = None if wants_null or pinned is True else _value(draft, name, restrictions)
        if value is not None and (not is_null or wants_value or not can_null):
            plan.values[name] = value
            if wants_value:
                plan.required.add(name)
            plan.cost += is_null
        elif can_null:
            plan.nulls.add(name)
            plan.cost += not is_null
        else:
            return None
    for lit in term:
        if (
            lit.kind in ("pair", "opaque")
            and not plan.nulls & set(lit.columns)
            and not _settle(draft, plan, lit)
        ):
            return None
    return plan


def _settle(draft: Draft, plan: _Plan, lit: Literal) -> bool:
    """A pair or an opaque condition between drafted values: met, or a column made NULL."""
    if lit.kind == "pair":
        a, b = lit.columns
        if lit.op == "=" and not _is_ref(plan.values[a]) and not _is_ref(plan.values[b]):
            plan.values[b] = f"{{{{ {a} }}}}"
            return True
        if lit.op in (">", ">=", "<>"):
            both = cross_checks.ordered(plan.values[a], plan.values[b])
            if both is not None:
                plan.values[a], plan.values[b] = both
                return True
    for name in lit.columns:  # NULL makes the condition pass
        column = draft.column(name)
        free = name not in plan.required and draft.pinned.get(name) is not False
        if column is not None and column.nullable and free:
            plan.values.pop(name, None)
            plan.nulls.add(name)
            if lit.kind == "opaque":
                plan.unread.add(name)
            plan.cost += 1
            return True
    if lit.kind == "pair":
        return False
    plan.review |= set(lit.columns)
    plan.cost += REVIEW
    return True


def _is_ref(gen: Any) -> bool:
    return isinstance(gen, dict) and "ref" in gen


def draft_check(draft: Draft, text: str, terms: Iterable[Term]) -> str | None:
    """Draft the cheapest term of a CHECK; the reason no term can be met, else None."""
    plans = [p for p in (_plan(draft, t) for t in terms) if p is not None]
    short = " ".join(text.split())
    short = short if len(short) <= 60 else short[:57] + "..."
    if not plans:
        return f"no drafted values meet CHECK ({short}): write these rows by hand"
    best = min(plans, key=lambda p: p.cost)
    for name in sorted(best.nulls):
        unread = name in best.unread
        if not draft.generator(name)[0] or unread:
            draft.null(
                name, f"left NULL: CHECK ({short}) not understood" if unread else f"NULL: CHECK ({short})"
            )
        draft.pinned[name] = True
    for name, gen in best.values.items():
        draft.pinned[name] = False
        _, before = draft.generator(name)
        if name in best.review:
            draft.put(name, gen, f"CHECK ({short}) not understood: review")
        elif gen != before or draft.commented(name):
            draft.put(name, gen, f"CHECK ({short})")
    return None
