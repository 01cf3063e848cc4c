"""The production guard as the API applies it."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import USER_SPEC as SPEC
from samples import write_spec

from seedspec.api import protection, specs
from seedspec.errors import SeedspecError


def test_the_spec_s_patterns_come_first_then_the_environment_s(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path, SPEC + "protect: ['*prod*']\n"))
    found = protection.protected_by(spec, "postgresql://h/prod_db")
    assert found is not None
    assert found.text == "*prod*"
    patterns = protection.environment_patterns({"SEEDSPEC_PROTECT": "*staging*"})
    assert protection.protected_by(spec, "postgresql://staging/x", patterns) == patterns[0]
    assert protection.environment_patterns({}) == ()


def test_a_protected_engine_is_refused_unless_forced(tmp_path: Path) -> None:
    spec = specs.load(write_spec(tmp_path, SPEC + "protect: ['*prod*']\n"))
    engine = specs.create_engine(f"sqlite:///{tmp_path / 'prod.db'}")
    with pytest.raises(SeedspecError) as refused:
        protection.refuse_protected(spec, engine, (), "apply to", force=False)
    assert refused.value.diagnostics[0].code == "E706"
    protection.refuse_protected(spec, engine, (), "apply to", force=True)
