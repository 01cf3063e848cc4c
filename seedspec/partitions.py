"""Whole rows made in worker processes, a part of a step at a time.

The Faker values of a step are drawn ahead by workers (``parallel``); the rest of a row (refs,
templates, choices, ...) is cheap but, for a step of many rows without Faker fields, it is all
there is, and this process would make it alone while the workers wait. Where every value of a
row depends only on its own seeds, its parent and pools the step does not change
(``independent``), the rows of different parents can be made anywhere and are the rows a serial
run makes: workers forked at the start of such a step inherit the pools and make its rows a
batch at a time, batches cut between parents. A batch a worker could not make is made here,
which reports the error a serial run reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from seedspec.generate import Pool, RowMaker, RowSlot, RunState, parents_of
from seedspec.ir import Field, Plan, PythonCall, Ref, Sequence, Step
from seedspec.parallel import FAILED

Slot = tuple[str, int, int, int]  # local id, n, ordinal, index of the parent in its pool (-1: none)
Job = tuple[str, frozenset[str] | None, list[Slot]]

MIN_ROWS = 5_000  # fewer rows in a step: making them here costs less than forking workers

# What forked workers inherit: the plan, and the run's state as the step began.
_inherited: tuple[Plan, RunState] | None = None
_makers: dict[str, tuple[RowMaker, Pool]] = {}


def independent(step: Step, parent_field: Field | None) -> bool:
    """Whether the rows of ``step`` can be made a part at a time, in any process: no value depends
    on the rows made before it in the step (unique redraws, sequences, custom generators, which
    may keep state), except distinct picks per parent (``parent_field``, when batches never cut a
    parent's rows), and no ref reads the step's own factory's rows."""
    if step.records or step.deferred_fields:
        return False
    for f in step.fields:
        gen = f.generator
        if f.unique or isinstance(gen, Sequence | PythonCall):
            return False
        if isinstance(gen, Ref) and not gen.parent:
            if gen.factory == step.factory or gen.record is not None:
                return False
            if gen.distinct_per and (parent_field is None or gen.distinct_per != parent_field.column):
                return False
    return True


def inherit(plan: Plan, state: RunState) -> None:
    """Set what workers forked from now on start from."""
    global _inherited
    _inherited = (plan, state)
    _makers.clear()


def parent_batches(slots: Iterable[RowSlot], size: int) -> Iterator[list[RowSlot]]:
    """Batches of about ``size`` rows that never cut the rows of one parent in two."""
    batch: list[RowSlot] = []
    for slot in slots:
        if len(batch) >= size and slot.parent is not batch[-1].parent:
            yield batch
            batch = []
        batch.append(slot)
    if batch:
        yield batch


def job(step: Step, columns: frozenset[str] | None, slots: list[RowSlot], parents: Mapping[str, int]) -> Job:
    """What a worker needs to make ``slots``: the rows' identities and their parents' places."""
    return (
        step.id,
        columns,
        [(s.local_id, s.n, s.ordinal, -1 if s.parent is None else parents[s.parent.row_id]) for s in slots],
    )


def make_rows(work: Job) -> list[dict[str, Any]] | Any:
    """In a worker: the rows of a batch, as ``RowMaker.make_batch`` makes them; FAILED when that
    raised (this process then makes the batch again, and says why)."""
    assert _inherited is not None, "a worker forked without a step to make"
    plan, state = _inherited
    step_id, columns, slots = work
    if step_id not in _makers:
        step = next(s for s in plan.steps if s.id == step_id)
        _makers[step_id] = (RowMaker(plan, step, state), parents_of(step, state))
    maker, parents = _makers[step_id]
    fields = maker.step.fields
    made = [
        RowSlot(local_id, n, ordinal, {}, fields, parents.row(i) if i >= 0 else None)
        for local_id, n, ordinal, i in slots
    ]
    try:
        return maker.make_batch(made, columns)
    except Exception:
        return FAILED
    finally:  # a batch holds whole parents: its distinct picks are of no use to the next one
        for key in [k for k in state.distinct_used if k[0] == step_id]:
            del state.distinct_used[key]
