"""Every shipped example, mutated with hostile values: validate and plan --offline exit 0 or 1 with
a located diagnostic, never 3, and never hang (mutations.py; the long run is long_run.py)."""

from __future__ import annotations

import copy
import random
import resource
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.mutations import EXAMPLES as FOLDER
from tests.fuzz.mutations import check_mutant, dump, examples, load, mutate, run, workspace

EXAMPLES = examples()
MEMORY = 2 * 1024**3


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workspace(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module", autouse=True)
def bounded_memory() -> Iterator[None]:
    """A spec that needs more than 2 GiB fails the run (MemoryError: exit 3), not the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


ORIGINALS: dict[Path, Any] = {p: load(p) for p in EXAMPLES}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(EXAMPLES) - 1), seed=st.integers(0, 2**32), times=st.integers(1, 3))
def test_mutated_examples_end_in_a_located_diagnostic_never_exit_3(
    root: Path, index: int, seed: int, times: int
) -> None:
    source = EXAMPLES[index]
    text = dump(mutate(copy.deepcopy(ORIGINALS[source]), random.Random(seed), times))
    for outcome in check_mutant(root / source.relative_to(FOLDER), text):
        assert outcome.ok, (
            f"{outcome.command}: exit {outcome.code}, hung={outcome.hung}\n{text}\n{outcome.output}"
        )


def test_the_fuzzer_starts_from_valid_specs(root: Path) -> None:
    """Most mutants are one hostile value away from a valid spec (included files such as
    workflow/accounts.yaml are not valid alone), so each failure is about that value."""
    codes = [run(["validate", str(root / source.relative_to(FOLDER))]).code for source in EXAMPLES]
    assert set(codes) <= {0, 1}
    assert codes.count(0) > len(EXAMPLES) // 2


def test_a_hang_is_reported_as_one(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from tests.fuzz import mutations

    monkeypatch.setattr(mutations, "main", lambda argv: time.sleep(5) or 0)
    assert mutations.run(["validate"], seconds=1).hung
