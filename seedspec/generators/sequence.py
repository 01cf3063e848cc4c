"""``sequence``: a number counted per sequence, or a format string over it (``user{n:04d}``)."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators.base import (
    Batch,
    Cell,
    CheckScope,
    ColumnForm,
    CompileContext,
    FieldSite,
    Kind,
    Maker,
)
from seedspec.ir import Sequence
from seedspec.limits import MAX_FORMAT_WIDTH, limit_error

_HINT = "write a Python format string over n, such as 'user{n:04d}'"


def check(raw: Mapping[str, Any], ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    """A format over ``{n}`` alone: no other name, no ``{n[0]}`` or ``{n.real}``, no nested field,
    no width past ``MAX_FORMAT_WIDTH`` (``{n:>1000000000}`` is a gigabyte per row)."""
    text = raw["sequence"]
    if not isinstance(text, str):
        return
    ptr += "/sequence"
    try:
        fields = [
            (name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None
        ]
    except ValueError as exc:
        yield Diagnostic(
            code="E325", message=f"invalid sequence format {text!r}: {exc}", pointer=ptr, hint=_HINT
        )
        return
    for name, spec in fields:
        if name != "n":
            shown = "{" + name + "}"
            message = f"sequence format {text!r} uses {shown}; only {{n}} is defined"
            yield Diagnostic(code="E325", message=message, pointer=ptr, hint=_HINT)
            return
        if "{" in spec or any(int(width) > MAX_FORMAT_WIDTH for width in re.findall(r"[0-9]+", spec)):
            yield limit_error(ptr, f"sequence format {text!r}: a width past {MAX_FORMAT_WIDTH}")
            return
    try:
        text.format(n=0)
    except (ValueError, TypeError) as exc:
        yield Diagnostic(
            code="E325", message=f"invalid sequence format {text!r}: {exc}", pointer=ptr, hint=_HINT
        )


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Sequence:
    seq = raw["sequence"]
    if isinstance(seq, str):
        return Sequence(format=seq)
    return Sequence(start=seq, step=raw.get("step", 1))


def draw(gen: Sequence, _maker: Maker, cell: Cell, _seed: int, attempt: int) -> Any:
    n = cell.slot.seqs[cell.field.column] + attempt  # a taken number moves on to the next one
    return gen.format.format(n=n) if gen.format is not None else gen.start + n * gen.step


def column(gen: Sequence, _now: str) -> ColumnForm:
    """The numbers are the run's, not drawn: the values ``draw`` gives, a batch at a time."""

    def draw(batch: Batch) -> list[Any]:
        numbers = batch.sequence()
        if gen.format is not None:
            text = gen.format.format
            return [text(n=n) for n in numbers]
        start, step = gen.start, gen.step
        return [start + n * step for n in numbers]

    return draw


def describe(gen: Sequence) -> str:
    return f"sequence {gen.format!r}" if gen.format is not None else f"sequence {gen.start}+{gen.step}n"


KIND = Kind(
    name="sequence", ir=Sequence, compile=compile, draw=draw, describe=describe, check=check, column=column
)
