"""What a run did or would do: reports per step and table, dry-run ids, diffs (frozen data).

The plan says what to make (``ir``); these say what making it did, so they stand apart from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Pending:
    """The id of a row a dry run would create: it will exist, but has no value yet."""

    row_id: str

    def __repr__(self) -> str:
        return f"<new {self.row_id}>"


@dataclass(frozen=True, slots=True, kw_only=True)
class RowDiff:
    """A stored row that differs from the spec: (column, stored value, spec value) per change."""

    n: int
    key: tuple[Any, ...]
    changes: tuple[tuple[str, Any, Any], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StepReport:
    """What applying one step did (or, in a dry run, would do).

    ``existing`` counts rows found by key (stored before the run); ``differing`` those of them that
    differ from the spec, ``updated`` those rewritten (``on_existing: update``); ``duplicate`` the
    rows whose key an earlier row of the step drew (``duplicates: skip``: written once).
    """

    step: str
    factory: str
    table: str
    created: int = 0
    existing: int = 0
    updated: int = 0
    differing: int = 0
    duplicate: int = 0
    diffs: tuple[RowDiff, ...] = ()
    seconds: float = field(default=0.0, compare=False)  # wall time of the step (apply --verbose)


@dataclass(frozen=True, slots=True, kw_only=True)
class Removal:
    """A row the spec owns and no longer declares: by the step that recorded it, its key."""

    step: str
    table: str
    columns: tuple[str, ...]
    key: tuple[Any, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """What an apply did, per step; ``tables`` sums it per table. ``removals`` are the rows a
    prune removed (``pruned``) or, without one, would remove."""

    spec: str
    database: str
    steps: tuple[StepReport, ...]
    dry_run: bool = False
    reset: tuple[tuple[str, int], ...] = ()  # (table, rows removed) of a reset, children first
    removals: tuple[Removal, ...] = ()
    pruned: bool = False
    notes: tuple[str, ...] = ()  # how the run went where that was chosen for it (apply --shards)

    @property
    def tables(self) -> tuple[StepReport, ...]:
        """Counts summed per table, in first-touched order."""
        sums: dict[str, StepReport] = {}
        for s in self.steps:
            prev = sums.get(s.table) or StepReport(step="*", factory="*", table=s.table)
            sums[s.table] = StepReport(
                step="*",
                factory="*",
                table=s.table,
                created=s.created + prev.created,
                existing=s.existing + prev.existing,
                updated=s.updated + prev.updated,
                differing=s.differing + prev.differing,
                duplicate=s.duplicate + prev.duplicate,
                diffs=prev.diffs + s.diffs,
            )
        return tuple(sums.values())

    @property
    def created(self) -> int:
        """Rows created in all tables."""
        return sum(s.created for s in self.steps)

    @property
    def existing(self) -> int:
        """Rows found already stored, in all tables."""
        return sum(s.existing for s in self.steps)

    @property
    def duplicate(self) -> int:
        """Rows whose key the run drew twice, written once (``duplicates: skip``), in all tables."""
        return sum(s.duplicate for s in self.steps)

    @property
    def updated(self) -> int:
        """Rows updated in all tables."""
        return sum(s.updated for s in self.steps)

    @property
    def pending(self) -> bool:
        """Whether applying would change the database (rows to create, update or prune)."""
        return any(s.created or s.updated for s in self.steps) or bool(self.removals and not self.pruned)


BUILD_FORMATS = ("json", "jsonl", "csv", "sql", "parquet")
"""The formats ``seedspec build`` writes."""
BUILD_DIALECTS = ("sqlite", "postgresql", "mysql", "mariadb")
"""The databases ``seedspec build`` writes rows for."""
BUILD_ENGINES = ("local", "ray")
"""Where ``seedspec build`` runs its shards: this process, or the tasks of a Ray cluster."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildReport:
    """What a build wrote, per step: ``created`` rows, ``existing`` rows whose key a row of an
    earlier step already had (apply would find them, so build writes them once), and ``duplicate``
    rows whose key an earlier row of the same step drew (``duplicates: skip``)."""

    spec: str
    format: str
    dialect: str
    destination: str  # "stdout", or the directory the files are in
    steps: tuple[StepReport, ...]
    files: tuple[str, ...] = ()
    hooks_not_run: tuple[str, ...] = ()  # the steps whose after_create hooks need a database
    shards: tuple[str, ...] = ()  # the shards written ("2/8"); none: an unsharded build
    engine: str = "local"  # where the shards ran: local (this process) or ray

    @property
    def tables(self) -> tuple[StepReport, ...]:
        """Counts summed per table, in first-written order."""
        return Report(spec=self.spec, database=self.destination, steps=self.steps).tables

    @property
    def created(self) -> int:
        """Rows written in all tables."""
        return sum(s.created for s in self.steps)
