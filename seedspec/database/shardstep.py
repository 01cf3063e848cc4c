"""One shard of a step applied to a database (``apply --shards``): the writer's walk over the step's
rows, writing only the shard's range.

As in a sharded build (``generation.shards``), a shard draws for every row what the rows after it
or later steps depend on (the key, ``unique`` values, the pooled columns) and the rest only for
its own rows; a *pure* step's shard does not visit the rows before its range at all. What the
database is asked (is the table empty, which keys are stored) must be the same in every shard:
no shard commits before all have walked the step (``parallel``'s barrier), so every shard sees
the database as the step found it.

Ids: when the step's ids come from a block reserved for it (``IdBlock``), the ``k``-th new row of
the step gets ``first + k``, counted the same way in every shard (a pure shard, which cannot
count the rows before its range, gives row ``k`` of the step ``first + k``: the same in an empty
table, where no row is found). So a shard knows the ids of the other shards' rows too: the rows
later steps read are whole in every shard's pool, the in-process one's included.

A shard that runs elsewhere (a forked process, a Ray task: ``own_connection``) opens its own
connection from the URL, walks its shard in a transaction, says so (``arrive``: the barrier) and
commits only when told to: the apply commits a step only once every shard has walked it.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from seedspec.database.stepwriter import DatabaseStep
from seedspec.errors import DatabaseError, Diagnostic, SeedspecError, database_reason
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.rows import Key, Row, column_groups
from seedspec.generation.shards import Shard, writes
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Plan, Step
from seedspec.outcome import StepReport

Failed = tuple[type[SeedspecError], tuple[Diagnostic, ...]]  # a shard's error, as a value that pickles
Outcome = StepReport | Failed  # what a shard ends with
PAUSE_ENV = "SEEDSPEC_TEST_SHARD_PAUSE"  # tests: "STEP:K:S" (see pause_for_tests)
KILL_ENV = "SEEDSPEC_TEST_SHARD_KILL"  # tests: "STEP:K" (see _kill_for_tests)


@dataclasses.dataclass(frozen=True, slots=True)
class IdBlock:
    """The ids reserved for a step: ``column`` takes ``first``, ``first + 1``, ... (``total``)."""

    column: str
    first: int
    total: int


class ShardStep(DatabaseStep):
    """Shard ``shard`` of ``step``: the walk of every row (or of its range, for a pure step), the
    shard's own rows written, the others' ids counted (``IdBlock``)."""

    def __init__(
        self,
        plan: Plan,
        step: Step,
        table: sa.Table,
        connection: Connection,
        state: RunState,
        prefetcher: Prefetcher,
        shard: Shard,
        ids: IdBlock | None,
    ) -> None:
        super().__init__(plan, step, table, connection, state, False, prefetcher, shard=shard)
        self.ids = ids
        self.counted = 0  # the step's new rows numbered so far (every shard counts all of them)

    def _skip_before(self, first: int) -> bool:
        return True  # pure (the walk asks only then): no row is dropped, no later step reads them

    def _differs(self, slot: RowSlot, row: Row, stored: Row) -> bool:
        """Found rows are compared by the shard that writes them (the others lack columns)."""
        return writes(self.rows, slot) and super()._differs(slot, row, stored)

    def _complete(self, missing: list[tuple[RowSlot, Row]]) -> None:
        super()._complete([(slot, row) for slot, row in missing if writes(self.rows, slot)])

    def _create(self, missing: list[tuple[RowSlot, Row]]) -> dict[Key, Row]:
        """Number every new row of the step, write this shard's; their ids by key."""
        numbered: dict[Key, Row] = {}
        if self.ids is not None:
            column, first = self.ids.column, self.ids.first
            ordered = [pair for group in column_groups(missing) for pair in group]  # as a serial insert
            with_ids = []
            for slot, row in ordered:
                number = slot.ordinal if self.skipping else self.counted
                self.counted += 1
                with_ids.append((slot, {**row, column: first + number}))
                numbered[self._key(row)] = {column: first + number}
            missing = with_ids
        own = [(slot, row) for slot, row in missing if writes(self.rows, slot)]
        stored = super()._create(own) if own else {}
        return {**numbered, **stored}


@dataclasses.dataclass(frozen=True)
class ShardJob:
    """One step to load in ``shards`` shards: what every shard needs (shipped once per step)."""

    url: URL
    plan: Plan
    step: Step
    table: sa.Table
    state: RunState
    ids: IdBlock | None
    shards: int


def own_connection(job: ShardJob, index: int, arrive: Callable[[], bool]) -> Outcome | None:
    """Shard ``index`` of ``job`` on a connection of its own: walked in a transaction, then
    ``arrive`` (the barrier: True once every shard has walked, False when one failed) says
    whether to commit. Its report; None when rolled back for another shard; its error."""
    from seedspec.database.session import create_engine

    engine = create_engine(job.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            shard = Shard(index, job.shards)
            run = ShardStep(
                job.plan, job.step, job.table, connection, job.state, Prefetcher(0), shard, job.ids
            )
            report = run.run(None)
            _kill_for_tests(job.step, index)
            if not arrive():
                connection.rollback()
                return None
            pause_for_tests(job.step, index, committed=False)
            connection.commit()
        pause_for_tests(job.step, index, committed=True)
        return report
    except SeedspecError as exc:
        return type(exc), in_shard(exc.diagnostics, index, job.shards)
    except sa.exc.DBAPIError as exc:
        return DatabaseError, (failed_in_database(job.step, index, job.shards, exc),)
    finally:
        engine.dispose()


def in_shard(diagnostics: tuple[Diagnostic, ...], index: int, count: int) -> tuple[Diagnostic, ...]:
    """A shard's errors (located at step, row and column by the walk) naming the shard too."""
    return tuple(dataclasses.replace(d, message=f"{d.message} [shard {index}/{count}]") for d in diagnostics)


def failed_in_database(step: Step, index: int, count: int, exc: sa.exc.DBAPIError) -> Diagnostic:
    """E403 for a shard the database failed (not a refused row: those are located)."""
    return Diagnostic(
        code="E403",
        message=f"the database failed during apply, in step '{step.id}' (table {step.table}), "
        f"shard {index}/{count}: {database_reason(exc)}",
        pointer=step.pointer,
        hint="no shard of this step committed; the steps before it did: run the same apply again "
        "to create the rest",
    )


def lost(step: Step, index: int, count: int, what: str, *, committed: bool) -> Failed:
    """E750: shard ``index`` ended without a word (killed: the OOM killer, a kill -9, a dead
    Ray worker); ``committed``: the other shards of the step had been told to commit."""
    others = (
        "the other shards of this step committed"
        if committed
        else "no shard of this step committed (the others were rolled back)"
    )
    return DatabaseError, (
        Diagnostic(
            code="E750",
            message=f"shard {index}/{count} of step '{step.id}' (table {step.table}) was lost: {what}",
            pointer=step.pointer,
            hint=f"{others}; the steps before it did: run the same apply again, it creates exactly "
            "the missing rows (a shard killed for memory: fewer shards, or more memory per shard)",
        ),
    )


def signalled(exitcode: int | None) -> str:
    """How a process ended, in words: its exit code or the signal that killed it."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"its process was killed by {name}"
    return f"its process exited with code {exitcode} before it reported"


def pause_for_tests(step: Step, index: int, *, committed: bool) -> None:
    """``SEEDSPEC_TEST_SHARD_PAUSE=STEP:K:S``: in step STEP, shard K sleeps S seconds after it
    committed, the others before they commit (the tests kill the apply then: a deterministic
    point mid-load, exactly shard K's rows of the step stored)."""
    rest, _, seconds = os.environ.get(PAUSE_ENV, "").rpartition(":")
    name, _, shard = rest.rpartition(":")
    if name == step.id and shard.isdigit() and (int(shard) == index) == committed:
        time.sleep(float(seconds or 0))


def _kill_for_tests(step: Step, index: int) -> None:
    """``SEEDSPEC_TEST_SHARD_KILL=STEP:K``: shard K of step STEP kills itself (SIGKILL) once
    it has written its rows, before the barrier: a shard lost mid-step, as the OOM killer does.
    ``STEP:K:PATH``: it writes its pid to PATH there and waits to be killed by the test."""
    name, _, rest = os.environ.get(KILL_ENV, "").partition(":")
    shard, _, path = rest.partition(":")
    if name != step.id or shard != str(index) or index == 1:
        return
    if not path:
        os.kill(os.getpid(), signal.SIGKILL)
    with open(path, "w", encoding="utf-8") as file:
        file.write(str(os.getpid()))
    time.sleep(120)
