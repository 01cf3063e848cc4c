"""``python``: a custom generator from the spec's folder, called with the row, n, rng and fake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seedspec.generators import python
from seedspec.ir import PythonCall


def test_compile_sorts_the_args(ctx: Any, site: Any) -> None:
    gen = python.compile({"python": "gen:f", "args": {"b": 1, "a": 2}}, site(), ctx)
    assert gen == PythonCall(target="gen:f", base_dir="/specs", kwargs=(("a", 2), ("b", 1)))


def test_draw_calls_the_function(tmp_path: Path, maker: Any, cell: Any) -> None:
    (tmp_path / "kindgen.py").write_text(
        "def f(row, n, rng, fake, *, k):\n    return (row['a'], n, k, rng.random())\n"
    )
    gen = PythonCall(target="kindgen:f", base_dir=str(tmp_path), kwargs=(("k", 9),))
    first = python.draw(gen, maker, cell(gen, n=2, row={"a": 1}), 5, 0)
    assert first[:3] == (1, 2, 9)
    assert python.draw(gen, maker, cell(gen, n=2, row={"a": 1}), 5, 0) == first


def test_a_target_that_does_not_import_is_e506(tmp_path: Path, maker: Any, cell: Any) -> None:
    gen = PythonCall(target="no_such_module_here:f", base_dir=str(tmp_path))
    with pytest.raises(LookupError) as raised:
        python.draw(gen, maker, cell(gen), 1, 0)
    assert raised.value.args[0] == "E506"


def test_describe() -> None:
    assert python.describe(PythonCall(target="m:f", base_dir=".")) == "python m:f"
