"""The package's public names: resolved lazily, never shadowed by a submodule."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_every_public_name_is_there_and_none_is_a_submodule() -> None:
    # in a new interpreter, where the rooms are first imported after the package
    code = (
        "import types, seedspec\n"
        "import seedspec.database.writer, seedspec.output.builder, seedspec.compiler.steps\n"
        "import seedspec.api.pipeline as commands, seedspec.api.building as building\n"
        "bad = [n for n in seedspec.__all__ if isinstance(getattr(seedspec, n), types.ModuleType)]\n"
        "assert seedspec.apply is commands.apply and seedspec.build is building.build, bad\n"
        "assert seedspec.compile is commands.compile and seedspec.reset is commands.reset, bad\n"
        "print(bad)\n"
    )
    assert _run(code) == "[]"


def test_a_submodule_is_a_module_and_patchable() -> None:
    code = (
        "import seedspec.database.writer\n"
        "import seedspec\n"
        "assert callable(seedspec.database.writer.apply_plan)\n"
        "print(sorted(set(seedspec.__all__) - set(dir(seedspec))))\n"
    )
    assert _run(code) == "[]"


def test_importing_the_errors_imports_no_third_party_package() -> None:
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import seedspec.errors\n"
        "third = {'sqlalchemy', 'yaml', 'jsonschema', 'jinja2', 'faker', 'rich', 'tomli', 'sqlparse'}\n"
        "print(sorted({m.split('.')[0] for m in set(sys.modules) - before} & third))\n"
    )
    assert _run(code) == "[]"


def test_importing_the_package_imports_nothing_else() -> None:
    code = "import sys\nimport seedspec\nprint(sorted(m for m in sys.modules if m.startswith('seedspec.')))\n"
    assert _run(code) == "[]"
