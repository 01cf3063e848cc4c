"""The published hook, run by the real pre-commit tool against a sample repository.

pre-commit installs seedspec from this checkout into an environment of its own (a real,
non-editable install), so this also proves the package ships every module and the schema.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT

BAD = "version: 1\nfactories:\n  t: {table: t, feilds: {}}\n"


def _pre_commit(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(ROOT),
        "seedspec-validate",
        "--files",
        *files,
    ]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        command, cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is needed to run pre-commit")
    repo = tmp_path_factory.mktemp("sample")
    seeds = repo / "seeds"
    seeds.mkdir()
    shutil.copy(EXAMPLES / "library" / "library.toml", seeds / "good.toml")
    shutil.copy(EXAMPLES / "library" / "schema.sql", seeds / "schema.sql")
    (seeds / "bad.yaml").write_text(BAD, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    return repo


def test_the_hook_passes_a_valid_spec_and_fails_an_invalid_one_with_its_location(
    sample: Path, tmp_path: Path
) -> None:
    good = _pre_commit(sample, tmp_path / "home", "seeds/good.toml")
    assert good.returncode == 0, good.stdout + good.stderr
    both = _pre_commit(sample, tmp_path / "home", "seeds/good.toml", "seeds/bad.yaml")
    assert both.returncode == 1
    assert "seeds/bad.yaml:3:17: error E200: unknown key 'feilds'" in both.stdout
    assert "Traceback" not in both.stdout + both.stderr
