"""Golden files: what ``seedspec validate`` prints for each error case, and the design example's plan.

Each ``cases/errors/<case>/`` holds one ``spec.*`` (plus what it includes or imports) and
``expected.txt``, the exact text ``seedspec validate spec.*`` prints when run in that directory
(followed by the arguments in ``args.txt``, when the case has one); a case with a ``command.txt``
runs that command instead of ``validate`` (an error only a run finds, such as E520).
A case with an ``xfail.txt`` documents a known bug: its ``expected.txt`` is written by hand as the
output should be, the reason is in ``xfail.txt``, and ``--update-goldens`` leaves it alone.

Run ``pytest tests/test_goldens.py --update-goldens`` to rewrite the other golden files from the
current output, then review the diff.
"""

from __future__ import annotations

import re
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from seedspec.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"
ERROR_CASES = sorted(p for p in (CASES / "errors").iterdir() if p.is_dir())
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")
# only a live database gives them: a MySQL URL without a database (test_init_cli), tables that
# cannot be read, such as a file that is not SQLite (test_bad_input)
NEED_A_DATABASE = {"E812", "E401"}
_SUMMARY_OK = re.compile(r"^(0 errors, \d+ warnings?|\d+ specs? valid)$")


def _case_param(case: Path) -> object:
    xfail = case / "xfail.txt"
    marks = (
        [pytest.mark.xfail(reason=xfail.read_text(encoding="utf-8").strip(), strict=True)]
        if xfail.exists()
        else []
    )
    return pytest.param(case, id=case.name, marks=marks)


def _spec_of(case: Path) -> Path:
    (spec,) = [p for p in case.iterdir() if p.stem == "spec"]
    return spec


@pytest.fixture
def no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DATABASE_URL in the environment."""
    monkeypatch.delenv("DATABASE_URL", raising=False)


def _forget_modules_of(case: Path) -> None:
    """Cases import their own models.py: never let one case see another's module.

    The CLI puts the spec's directory on sys.path as written ("."), and the import system caches
    the finder of "." for the directory it first meant, so that cache entry goes too.
    """
    for path in case.glob("*.py"):
        sys.modules.pop(path.stem, None)
    sys.path_importer_cache.pop(".", None)


FAKER_VERSION = version("faker")


def _without_faker_version(out: str) -> str:
    """Goldens name the installed Faker ``FAKER_VERSION``: they hold across Faker releases."""
    return out.replace(f"faker {FAKER_VERSION}", "faker FAKER_VERSION").replace(
        f'"faker": "{FAKER_VERSION}"', '"faker": "FAKER_VERSION"'
    )


def test_every_case_has_one_spec_and_an_expected_output() -> None:
    assert len(ERROR_CASES) >= 40
    for case in ERROR_CASES:
        assert _spec_of(case).suffix in (".yaml", ".toml", ".json"), case.name
        assert (case / "expected.txt").is_file(), case.name


def _validating_sources() -> list[Path]:
    """The modules whose diagnostics `seedspec validate` prints (tables: models and DDL files)."""
    package = ROOT / "seedspec"
    files = [
        package / "spec" / "loader.py",
        package / "spec" / "validation.py",
        package / "database" / "tables.py",
    ]
    return [*files, *sorted((package / "spec" / "semantics").glob("*.py"))]


def test_every_code_validation_can_emit_has_a_passing_case() -> None:
    sources = _validating_sources()
    assert len(sources) > 3
    emitted = {code for path in sources for code in re.findall(r'"([EW]\d{3})"', path.read_text("utf-8"))}
    covered = {
        code
        for case in ERROR_CASES
        if not (case / "xfail.txt").exists()
        for code in re.findall(
            r"^\S+ (?:error|warning) ([EW]\d{3}):", (case / "expected.txt").read_text("utf-8"), re.M
        )
    }
    assert len(emitted) > 30
    assert emitted - covered - NEED_A_DATABASE == set()


@pytest.mark.usefixtures("no_database_url")
@pytest.mark.parametrize("case", [_case_param(c) for c in ERROR_CASES])
def test_validate_output(
    case: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_goldens: bool,
    tmp_path: Path,
) -> None:
    spec = _spec_of(case)
    for path in case.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".toml"):
            for name in _VARIABLE.findall(path.read_text(encoding="utf-8")):
                monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(case)

    _forget_modules_of(case)
    # command.txt: an error only a run finds (``build ... -o out``), run in a copy of the case (a
    # build makes its directory); its diagnostics go to stderr
    command = ["validate"]
    if (case / "command.txt").exists():
        command = (case / "command.txt").read_text(encoding="utf-8").split()
        monkeypatch.chdir(shutil.copytree(case, tmp_path / case.name))
    try:
        args = (case / "args.txt").read_text(encoding="utf-8").split() if (case / "args.txt").exists() else []
        code = main([command[0], spec.name, *command[1:], *args])
    finally:
        _forget_modules_of(case)
    out, err = capsys.readouterr()
    if command != ["validate"]:
        out, err = out + err, ""
    out = _without_faker_version(out)

    expected_file = case / "expected.txt"
    if update_goldens and not (case / "xfail.txt").exists():
        expected_file.write_text(out, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert err == ""
    assert out == expected
    summary = expected.rstrip("\n").rsplit("\n", 1)[-1]
    assert code == (0 if _SUMMARY_OK.match(summary) else 1)


PLAN_CASES = {"design": "specs_examples/design/dev.yaml"}  # planned from the repository's root
# the other plan cases are folders like the error cases: cases/plans/<case>/spec.* (+ args.txt),
# planned from their own folder
PLAN_DIRS = {p.name: p for p in (CASES / "plans").iterdir() if p.is_dir() and p.name not in PLAN_CASES}


@pytest.mark.usefixtures("no_database_url")
@pytest.mark.parametrize(("fmt", "golden"), [("text", "expected.txt"), ("json", "expected.json")])
@pytest.mark.parametrize("name", sorted({*PLAN_CASES, *PLAN_DIRS}))
def test_plan_output(
    name: str,
    fmt: str,
    golden: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_goldens: bool,
) -> None:
    if name in PLAN_CASES:
        monkeypatch.chdir(ROOT)
        spec, args = PLAN_CASES[name], []
    else:
        monkeypatch.chdir(PLAN_DIRS[name])
        spec = _spec_of(PLAN_DIRS[name]).name
        extra = PLAN_DIRS[name] / "args.txt"
        args = extra.read_text(encoding="utf-8").split() if extra.exists() else []
    # --offline: never plan against a database file an earlier apply may have left behind
    code = main(["plan", spec, *args, "--offline", "--format", fmt])
    out, err = capsys.readouterr()
    out = _without_faker_version(out)

    expected_file = CASES / "plans" / name / golden
    if update_goldens:
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(out, encoding="utf-8")
    assert (code, err) == (0, "")
    assert out == expected_file.read_text(encoding="utf-8")
