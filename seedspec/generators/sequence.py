"""``sequence``: a number counted per sequence, or a format string over it (``user{n:04d}``)."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators.base import Cell, CheckScope, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Sequence

_HINT = "write a Python format string over n, such as 'user{n:04d}'"


def check(raw: Mapping[str, Any], ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    text = raw["sequence"]
    if not isinstance(text, str):
        return
    ptr += "/sequence"
    names: set[str] = set()
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        text.format(n=0)
    except (ValueError, IndexError, KeyError) as exc:
        if not (names - {"n"}):
            yield Diagnostic(
                code="E325", message=f"invalid sequence format {text!r}: {exc}", pointer=ptr, hint=_HINT
            )
            return
    unknown = sorted(names - {"n"})
    if unknown:
        yield Diagnostic(
            code="E325",
            message=f"sequence format {text!r} uses {{{unknown[0]}}}; only {{n}} is defined",
            pointer=ptr,
            hint=_HINT,
        )


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Sequence:
    seq = raw["sequence"]
    if isinstance(seq, str):
        return Sequence(format=seq)
    return Sequence(start=seq, step=raw.get("step", 1))


def draw(gen: Sequence, _maker: Maker, cell: Cell, _seed: int, attempt: int) -> Any:
    n = cell.slot.seqs[cell.field.column] + attempt  # a taken number moves on to the next one
    return gen.format.format(n=n) if gen.format is not None else gen.start + n * gen.step


def describe(gen: Sequence) -> str:
    return f"sequence {gen.format!r}" if gen.format is not None else f"sequence {gen.start}+{gen.step}n"


KIND = Kind(name="sequence", ir=Sequence, compile=compile, draw=draw, describe=describe, check=check)
