"""Keys a run draws twice (part of the walk): counted apart from the rows found stored, and
refused (E520) unless the step accepts them (``duplicates: skip``).

A repeated key is not a row the database held: counting it as "existing" would report success
for rows the spec asked for and nobody wrote. Apply, plan and build share the walk, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generation.generrors import GenerationError
from seedspec.ir import Step

MAX_KEYS_SHOWN = 3


@dataclass(slots=True)
class Duplicates:
    """The rows of one step whose key an earlier row of the step drew: how many, the first keys."""

    step: Step
    count: int = 0
    keys: list[dict[str, Any]] = field(default_factory=list)

    def note(self, row: dict[str, Any]) -> None:
        """``row`` repeats the key of an earlier row (it is not written)."""
        self.count += 1
        key = {c: row.get(c) for c in self.step.key}
        if len(self.keys) < MAX_KEYS_SHOWN and key not in self.keys:
            self.keys.append(key)

    def check(self, total: int) -> None:
        """Raise E520 when the step drew a key twice and does not accept it."""
        if self.count and self.step.duplicates != "skip":
            raise duplicates_error(self.step, self.count, total, self.keys)


def duplicates_error(step: Step, count: int, total: int, keys: list[dict[str, Any]]) -> GenerationError:
    """E520, located at the first key field the step generates (else at the step)."""
    at = next((f.pointer for c in step.key for f in step.fields if f.column == c), step.pointer)
    where = f" ({step.source})" if step.source else ""
    shown = ", ".join(repr(k) for k in keys) + (", ..." if count > len(keys) else "")
    columns = ", ".join(step.key)
    return GenerationError(
        Diagnostic(
            code="E520",
            pointer=at,
            message=f"step '{step.id}'{where}: {count} of its {total} rows drew a key ({columns}) "
            f"that an earlier row of the step already drew: {shown}",
            hint="draw distinct keys (a sequence, unique: true, fewer rows or more parents to pick "
            "from), or set duplicates: skip on the step or factory to write each key once and "
            "report the others as duplicates",
        )
    )
