"""The README's quick start, run as written (in a copy of the files it needs) with the output it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from helpers import EXAMPLES, ROOT, copy_example, run_cli

README = ROOT / "README.md"
PROGRAM = ".venv/bin/seedspec"
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def quick_start() -> tuple[list[str], str, list[str], str]:
    """The quick start's command and its output, then the re-run's command and its output."""
    text = README.read_text("utf-8")
    section = text[text.index("## Quick start") :]
    section = section[: section.index("\n## ", 1)]
    setup, first, second = _blocks(section)
    command = setup.strip().split(" && ")[-1]
    rerun, _, rerun_output = second.partition("\n")
    return _seedspec_args(command), first, _seedspec_args(rerun.removeprefix("$ ")), rerun_output


def _blocks(section: str) -> tuple[str, str, str]:
    blocks = [m[2] for m in _BLOCK.finditer(section)]
    assert len(blocks) >= 3, "the quick start: a command, its output, and the re-run with its output"
    return blocks[0], blocks[1], blocks[2]


def _seedspec_args(command: str) -> list[str]:
    program, *args = shlex.split(command)
    assert program == PROGRAM, command
    return args


def test_the_quick_start_prints_what_the_readme_shows(tmp_path: Path) -> None:
    args, output, again, again_output = quick_start()
    assert args[:2] == ["apply", "specs_examples/design/dev.yaml"]
    copy_example(EXAMPLES / "design", tmp_path / "specs_examples" / "design")

    first = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout + first.stderr == output
    assert (tmp_path / "specs_examples" / "design" / "dev.db").is_file()

    rerun = run_cli(*again, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout + rerun.stderr == again_output
