"""Selecting steps (``--only``, ``--exclude``): the equivalent of ``db:seed --class``. Pure.

A selected step runs with everything its rows are made from, so they are the rows a full apply
makes: the steps of the factories it refers to (their pools), and the earlier steps writing its
own table (they number the shared sequences, take unique values first and are the rows a
self-reference picks from).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from seedspec.errors import Diagnostic, SpecInvalid
from seedspec.ir import Plan, Step
from seedspec.spec.semantics.common import did_you_mean


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """Which steps to run: a selector is a factory, a step ``id`` or a step ``name``.

    ``only`` empty means every step; ``with_deps`` false refuses a selection that lacks a step
    its steps depend on instead of running that step too.
    """

    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    with_deps: bool = True


def select_steps(plan: Plan, selection: Selection) -> Plan:
    """The plan reduced to the selected steps plus what they depend on, in plan order.

    Raises:
        SpecInvalid: E703 an unknown selector; E704 ``with_deps`` is false and the selection
            lacks steps it depends on (listed); E705 an excluded step is needed by a kept one.
    """
    if not selection.only and not selection.exclude:
        return plan
    kept, removed = _chosen(plan, selection)
    needed = _closure(plan, kept)
    missing = [s for s in plan.steps if s in needed and s not in kept]
    if blocked := [s for s in missing if s in removed]:
        raise SpecInvalid(_excluded_but_needed(plan, kept, blocked))
    if missing and not selection.with_deps:
        raise SpecInvalid(_missing_dependencies(plan, kept, missing))
    steps = tuple(s for s in plan.steps if s in needed)
    if partial := _partial_aggregates(plan, steps):
        raise SpecInvalid(partial)
    return dataclasses.replace(plan, steps=steps)


def _partial_aggregates(plan: Plan, steps: tuple[Step, ...]) -> Diagnostic | None:
    """E708 when a kept step's aggregate would be computed over only some of its children's steps:
    it would store a value that is not its children's."""
    for step in steps:
        for f in step.aggregate_fields:
            child = getattr(f.generator, "child", "")
            left_out = [s.id for s in plan.steps if s.factory == child and s not in steps]
            if left_out:
                return Diagnostic(
                    code="E708",
                    message=f"step '{step.id}' computes '{f.column}' from the '{child}' rows, but the "
                    f"selection leaves out their step{'s' * (len(left_out) > 1)} {', '.join(left_out)}",
                    pointer=f.pointer,
                    hint=f"select the '{child}' steps too (--only {','.join(left_out)}), or leave out "
                    f"step '{step.id}'",
                )
    return None


def selected_steps(plan: Plan, selection: Selection) -> tuple[Step, ...]:
    """The steps the selection names, without what they depend on (what a reset empties).

    Raises:
        SpecInvalid: E703 an unknown selector.
    """
    return tuple(_chosen(plan, selection)[0])


def _chosen(plan: Plan, selection: Selection) -> tuple[list[Step], list[Step]]:
    """(kept, removed): the steps ``only`` names (all without it) minus those ``exclude`` names."""
    chosen = _matching(plan, selection.only, "--only") if selection.only else list(plan.steps)
    removed = _matching(plan, selection.exclude, "--exclude") if selection.exclude else []
    return [s for s in chosen if s not in removed], removed


def _matching(plan: Plan, selectors: Sequence[str], flag: str) -> list[Step]:
    found: list[Step] = []
    for selector in selectors:
        steps = [s for s in plan.steps if selector in (s.factory, s.id, s.name)]
        if not steps:
            raise SpecInvalid(_unknown(plan, selector, flag))
        found.extend(s for s in steps if s not in found)
    ids = {s.id for s in found}
    for step in plan.steps:  # a tree step's levels go with it (each level follows the one above)
        if step.parents in ids and step not in found:
            found.append(step)
            ids.add(step.id)
    return found


def _unknown(plan: Plan, selector: str, flag: str) -> Diagnostic:
    names = {s.factory for s in plan.steps} | {s.id for s in plan.steps}
    names |= {s.name for s in plan.steps if s.name}
    return Diagnostic(
        code="E703",
        message=f"{flag} {selector}: no step of {plan.spec} is a factory, step id or step name '{selector}'",
        hint=did_you_mean(selector, names) + " (seedspec plan lists the steps)",
    )


def _closure(plan: Plan, kept: list[Step]) -> list[Step]:
    """``kept`` and, transitively, every step one of them depends on."""
    needed = list(kept)
    queue = list(kept)
    while queue:
        step = queue.pop()
        for other in _dependencies(plan, step):
            if other not in needed:
                needed.append(other)
                queue.append(other)
    return needed


def _dependencies(plan: Plan, step: Step) -> list[Step]:
    position = plan.steps.index(step)
    return [
        other
        for i, other in enumerate(plan.steps)
        if other.factory in (*step.depends_on, *step.deferred_refs)
        or (other.table == step.table and i < position)
    ]


def _why(plan: Plan, kept: list[Step], missing: Step) -> str:
    users = [s.id for s in kept if missing in _closure(plan, [s]) and s is not missing]
    return f"{missing.id} (for {', '.join(users)})"


def _missing_dependencies(plan: Plan, kept: list[Step], missing: list[Step]) -> Diagnostic:
    listing = "; ".join(_why(plan, kept, s) for s in missing)
    return Diagnostic(
        code="E704",
        message=f"--no-deps: the selected steps need steps that are not selected: {listing}",
        hint="select those too, or drop --no-deps to run them first (they find their rows and "
        "create only the missing ones)",
    )


def _excluded_but_needed(plan: Plan, kept: list[Step], blocked: list[Step]) -> Diagnostic:
    listing = "; ".join(_why(plan, kept, s) for s in blocked)
    return Diagnostic(
        code="E705",
        message=f"--exclude removes steps that kept steps need: {listing}",
        hint="exclude the steps that need them too, or exclude less",
    )
