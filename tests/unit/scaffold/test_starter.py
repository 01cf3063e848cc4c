"""The starter project of ``seedspec new spec``: its files, its refusals, and the committed
example that must stay equal to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.errors import SeedspecError
from seedspec.scaffold import starter


def test_the_starter_names_its_spec_file(tmp_path: Path) -> None:
    files = starter.files("seeds.yaml")
    assert set(files) == {"seeds.yaml", "schema.sql"}
    assert "seedspec apply seeds.yaml --create" in files["seeds.yaml"]
    assert "dev.yaml" not in files["seeds.yaml"]


def test_the_starter_refuses_to_overwrite_and_to_write_toml(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("-- mine\n", encoding="utf-8")
    with pytest.raises(SeedspecError) as caught:
        starter.write(tmp_path / "dev.yaml")
    assert caught.value.diagnostics[0].code == "E800"
    assert not (tmp_path / "dev.yaml").exists()
    assert (tmp_path / "schema.sql").read_text(encoding="utf-8") == "-- mine\n"
    with pytest.raises(SeedspecError) as caught:
        starter.write(tmp_path / "dev.toml")
    assert caught.value.diagnostics[0].code == "E801"
    assert starter.write(tmp_path / "dev.yaml", force=True) == (
        tmp_path / "dev.yaml",
        tmp_path / "schema.sql",
    )
    assert (tmp_path / "schema.sql").read_text(encoding="utf-8") == starter.SCHEMA


def test_the_committed_starter_example_is_what_new_spec_writes() -> None:
    example = Path(__file__).resolve().parents[3] / "specs_examples" / "starter"
    for name, text in starter.files("dev.yaml").items():
        assert (example / name).read_text(encoding="utf-8") == text
