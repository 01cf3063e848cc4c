"""User code named in a spec, imported from the spec's folder (and only from there)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from seedspec.language.usercode import ImportTargetError, import_object, resolve


def _module(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(text, encoding="utf-8")
    return folder


def test_an_object_is_imported_from_the_spec_folder_which_leaves_sys_path_as_it_was(tmp_path: Path) -> None:
    folder = _module(tmp_path / "a", "ucmod_a", "class Box:\n    value = 41\n")
    before = list(sys.path)
    assert import_object("ucmod_a:Box.value", folder) == 41
    assert sys.path == before


def test_a_failing_import_names_the_folder_and_keeps_the_cause(tmp_path: Path) -> None:
    folder = _module(tmp_path / "b", "ucmod_b", "raise RuntimeError('boom')\n")
    with pytest.raises(ImportTargetError) as caught:
        import_object("ucmod_b:f", folder)
    assert str(folder) in caught.value.hint
    assert caught.value.describe("a generator", "ucmod_b:f") == (
        "cannot import a generator 'ucmod_b:f': RuntimeError: boom"
    )


def test_a_generator_must_be_callable(tmp_path: Path) -> None:
    folder = _module(tmp_path / "c", "ucmod_c", "def gen(row, n, random, fake):\n    return n\nvalue = 3\n")
    assert resolve("ucmod_c:gen", str(folder))(None, 5, None, None) == 5
    with pytest.raises(ImportTargetError, match="is not callable"):
        resolve("ucmod_c:value", str(folder))


def test_each_spec_gets_its_own_copy_of_a_package_of_the_same_name(tmp_path: Path) -> None:
    one = _module(tmp_path / "one", "ucmod_same", "WHO = 'one'\n")
    two = _module(tmp_path / "two", "ucmod_same", "WHO = 'two'\n")
    assert import_object("ucmod_same:WHO", one) == "one"
    assert import_object("ucmod_same:WHO", two) == "two"
