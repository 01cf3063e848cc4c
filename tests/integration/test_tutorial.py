"""docs/tutorial.md is replayed: its files, edits and command outputs are what seedspec does today.

The tutorial marks what the replay uses with HTML comments (invisible on the rendered page) before
a fenced block:

- ``<!-- tutorial: file PATH -->``: the block is the whole file PATH;
- ``<!-- tutorial: append PATH -->``: the block is appended to PATH as written (no blank line
  added: what a reader pasting it at the end of the file does), so the line numbers the tutorial
  shows are those of the literal procedure;
- ``<!-- tutorial: patch PATH -->``: a ``diff`` block (lines ``' '``, ``-``, ``+``) edited into PATH;
- ``<!-- tutorial: run -->``: a transcript of ``$ seedspec ...`` commands (and ``$ echo $?``), each
  followed by its exact output.

The files left at the end are the committed ones in specs_examples/tutorial/.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT

from seedspec.cli.main import main

TUTORIAL = ROOT / "docs" / "tutorial.md"
FINISHED = EXAMPLES / "tutorial"
_MARKED_BLOCK = re.compile(r"^<!-- tutorial: (\w+)(?: (\S+))? -->\n```\w*\n(.*?)^```$", re.M | re.S)


@dataclass(frozen=True)
class Block:
    """One marked block of the tutorial: what to do, to which file, with which text."""

    action: str
    path: str
    text: str
    line: int


def tutorial_blocks() -> list[Block]:
    text = TUTORIAL.read_text("utf-8")
    return [Block(m[1], m[2] or "", m[3], _line(text, m.start())) for m in _MARKED_BLOCK.finditer(text)]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def patched(text: str, diff: str) -> str:
    """``text`` with the one hunk of ``diff`` applied; the hunk's old lines must occur exactly once."""
    lines = diff.splitlines(keepends=True)
    assert all(line[:1] in " -+" for line in lines), f"not a diff hunk:\n{diff}"
    old = "".join(line[1:] for line in lines if line[0] in " -")
    new = "".join(line[1:] for line in lines if line[0] in " +")
    assert text.count(old) == 1, f"the hunk's old lines do not occur exactly once:\n{old}"
    return text.replace(old, new)


def _commands(transcript: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a transcript."""
    pairs: list[tuple[str, str]] = []
    for line in transcript.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], ""))
        else:
            assert pairs, f"output before any command: {line!r}"
            command, output = pairs[-1]
            pairs[-1] = (command, output + line + "\n")
    return pairs


def _replay(transcript: str, line: int, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code: int | None = None
    for command, expected in _commands(transcript):
        if command == "echo $?":
            assert f"{exit_code}\n" == expected, f"tutorial.md:{line}: exit code of the command before"
            continue
        program, *args = shlex.split(command)
        assert program == "seedspec", f"tutorial.md:{line}: a replayed block runs only seedspec: {command}"
        exit_code = main(args)
        out, err = capsys.readouterr()
        assert out + err == expected, f"tutorial.md:{line}: output of `{command}` differs"


def test_the_tutorial_marks_every_part_of_the_story() -> None:
    actions = [block.action for block in tutorial_blocks()]
    assert actions.count("run") >= 7
    assert {"file", "append", "patch", "run"} == set(actions)


def test_the_tutorial_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SEEDSPEC_PROTECT", raising=False)
    monkeypatch.chdir(tmp_path)
    written: set[str] = set()
    for block in tutorial_blocks():
        target = tmp_path / block.path
        if block.action == "file":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, "utf-8")
            written.add(block.path)
        elif block.action == "append":
            target.write_text(target.read_text("utf-8") + block.text, "utf-8")
        elif block.action == "patch":
            target.write_text(patched(target.read_text("utf-8"), block.text), "utf-8")
        else:
            assert block.action == "run", f"tutorial.md:{block.line}: unknown action {block.action}"
            _replay(block.text, block.line, capsys)

    finished = (p for p in FINISHED.rglob("*") if p.suffix in (".yaml", ".sql"))
    committed = {p.relative_to(FINISHED).as_posix() for p in finished}
    assert written == committed
    for path in sorted(written):
        assert (tmp_path / path).read_text("utf-8") == (FINISHED / path).read_text("utf-8"), path


_SPEC_LINE = re.compile(r"^(?:seeds/)?dev\.yaml:(\d+)(?::(\d+))?: error \w+: .*'(\w+)'$")
_STEP_FROM = re.compile(r"^  \d+\. (\w+)\S* -> .*\n     from dev\.yaml:(\d+)$", re.M)


def test_the_line_numbers_the_tutorial_shows_point_at_what_they_name(tmp_path: Path) -> None:
    """Each ``dev.yaml:LINE`` in the outputs is checked against the file the tutorial's blocks
    build when pasted literally, not against seedspec's own locating: a diagnostic's line holds
    the name it complains about, and a plan step's ``from`` line is that step's ``- factory:``."""
    files: dict[str, str] = {}
    checked = 0
    for block in tutorial_blocks():
        if block.action == "file":
            files[block.path] = block.text
        elif block.action == "append":
            files[block.path] += block.text
        elif block.action == "patch":
            files[block.path] = patched(files[block.path], block.text)
        else:
            lines = files["seeds/dev.yaml"].splitlines()
            for output in block.text.splitlines():
                if m := _SPEC_LINE.match(output):
                    line = lines[int(m[1]) - 1]
                    column = int(m[2] or 1)
                    assert m[3] in line[column - 1 :], f"tutorial.md:{block.line}: {output!r} vs {line!r}"
                    checked += 1
            for factory, number in _STEP_FROM.findall(block.text):
                line = lines[int(number) - 1]
                assert line == f"  - factory: {factory}", f"tutorial.md:{block.line}: {factory}: {line!r}"
                checked += 1
    assert checked >= 10
