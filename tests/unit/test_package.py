"""The package's public names."""

from __future__ import annotations

import subprocess
import sys


def test_every_public_name_is_there_and_none_is_a_submodule() -> None:
    # in a new interpreter, where the API's submodules are first imported after the package
    code = (
        "import types, seedspec\n"
        "import seedspec.apply, seedspec.build, seedspec.compile, seedspec.reset\n"
        "bad = [n for n in seedspec.__all__ if isinstance(getattr(seedspec, n), types.ModuleType)]\n"
        "assert seedspec.apply is seedspec.api.apply and seedspec.build is seedspec.api.build, bad\n"
        "assert seedspec.compile is seedspec.api.compile and seedspec.reset is seedspec.api.reset, bad\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
