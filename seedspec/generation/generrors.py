"""The errors of generation: a value that could not be made, located at its field and row.

Split from ``rowmaker`` so that the rooms reporting them (``duplicates``, ``columns``) need not
import the row maker, and the wording of a located generation error has one copy.
"""

from __future__ import annotations

from seedspec.errors import Diagnostic, SeedspecError
from seedspec.ir import Field, Step, Template


class GenerationError(SeedspecError):
    """A value could not be generated (pool exhausted, no unique value left, bad conversion)."""


def located(step: Step, code: str, message: str, f: Field, ordinal: int, hint: str) -> GenerationError:
    """Error ``code`` at field ``f`` of row ``ordinal`` of ``step``."""
    return GenerationError(
        Diagnostic(
            code=code,
            message=f"step '{step.id}', row {ordinal}: {message}",
            pointer=f.pointer,
            hint=hint,
        )
    )


def unique_hint(step: Step, f: Field) -> str:
    """Why unique field ``f`` ran out of values, and what to change."""
    gen = f.generator
    if step.for_each and isinstance(gen, Template) and {"n", "n_in_parent"} & set(gen.names):
        return (
            f"n restarts at 0 under each '{step.for_each}': use n_in_step (or a sequence), "
            "which counts every row of the step, or read a field of the parent in the template too"
        )
    return "the generator has too few distinct values for this count: widen it or lower the count"
