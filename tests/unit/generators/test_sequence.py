"""``sequence``: numbers or a format over n; a unique retry moves on to the next number."""

from __future__ import annotations

from typing import Any

from seedspec.generators import sequence
from seedspec.ir import Sequence


def test_compile(ctx: Any, site: Any) -> None:
    assert sequence.compile({"sequence": "u{n}"}, site(), ctx) == Sequence(format="u{n}")
    assert sequence.compile({"sequence": 10, "step": 5}, site(), ctx) == Sequence(start=10, step=5)


def test_draw_uses_the_rows_number_plus_the_attempt(maker: Any, cell: Any) -> None:
    gen = Sequence(start=100, step=10)
    at = cell(gen, column="c", seqs={"c": 3})
    assert sequence.draw(gen, maker, at, 0, 0) == 130
    assert sequence.draw(gen, maker, at, 0, 2) == 150
    assert sequence.draw(Sequence(format="u{n:03d}"), maker, at, 0, 0) == "u003"


def test_check_reports_bad_formats_and_unknown_names(scope: Any) -> None:
    assert list(sequence.check({"sequence": "u{n:04d}"}, "/f", scope)) == []
    assert list(sequence.check({"sequence": 1}, "/f", scope)) == []
    [bad] = sequence.check({"sequence": "u{n"}, "/f", scope)
    assert bad.code == "E325"
    assert bad.pointer == "/f/sequence"
    [unknown] = sequence.check({"sequence": "{x}-{n}"}, "/f", scope)
    assert "{x}" in unknown.message


def test_describe() -> None:
    assert sequence.describe(Sequence(format="u{n}")) == "sequence 'u{n}'"
    assert sequence.describe(Sequence(start=1, step=2)) == "sequence 1+2n"


def test_check_refuses_indexing_attributes_nested_fields_and_huge_widths(scope: Any) -> None:
    for text in ("u{n[0]}", "u{n.real}", "u{n!r:{n}}"):
        [d] = sequence.check({"sequence": text}, "/f", scope)
        assert d.code in ("E325", "E209"), text
    [wide] = sequence.check({"sequence": "u{n:>1000000000}"}, "/f", scope)
    assert (wide.code, wide.pointer) == ("E209", "/f/sequence")
    assert list(sequence.check({"sequence": "u{n:>1000}"}, "/f", scope)) == []
    [typed] = sequence.check({"sequence": "u{n:s}"}, "/f", scope)
    assert typed.code == "E325"
