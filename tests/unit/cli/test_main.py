"""The CLI's exit codes, in-process: 0 on success, 1 with located diagnostics for a user error,
3 with a request to report anything else (the traceback behind --traceback), 130 interrupted."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from seedspec.cli import commands, common
from seedspec.cli.main import main

WriteSpec = Callable[[str, str], Path]

VALID = """\
    version: 1
    factories:
      user:
        table: users
        fields: {name: {faker: name}}
    seed:
      - {factory: user, count: 2}
"""


@pytest.fixture(autouse=True)
def colour_as_it_was() -> Iterator[None]:
    """main sets the --no-color of the running command; the next test starts without it."""
    yield
    common.NO_COLOR[0] = False


def failing(exc: BaseException) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        raise exc

    return handler


def test_success_exits_0_and_prints_the_result(write: WriteSpec, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write("spec.yaml", VALID))]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("1 spec valid\n", "")


def test_a_user_error_exits_1_with_the_located_diagnostic_on_stderr(
    write: WriteSpec, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write("spec.yaml", VALID)
    assert main(["apply", str(spec), "--set", "oops"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "E700" in captured.err
    assert "--set oops: expected NAME=VALUE" in captured.err


def test_a_spec_that_does_not_parse_exits_1_naming_its_file(
    write: WriteSpec, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write("broken.yaml", "version: 1\nfactories: [1, 2\n")
    assert main(["plan", str(spec), "--offline"]) == 1
    assert "broken.yaml:" in capsys.readouterr().err


def test_an_internal_error_exits_3_asking_for_a_report_without_the_traceback(
    write: WriteSpec, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "validate", failing(RuntimeError("a bug")))
    assert main(["validate", str(write("spec.yaml", VALID))]) == 3
    err = capsys.readouterr().err
    assert err.startswith("seedspec: internal error; please report it with the spec that caused it")
    assert "run again with --traceback to see where it happened" in err
    assert "Traceback" not in err
    assert "a bug" not in err


def test_with_traceback_an_internal_error_shows_where_it_happened(
    write: WriteSpec, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "validate", failing(RuntimeError("a bug")))
    assert main(["validate", str(write("spec.yaml", VALID)), "--traceback"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: a bug" in err
    assert "--traceback to see" not in err


def test_an_interrupt_exits_130_saying_nothing_was_committed(
    write: WriteSpec, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "validate", failing(KeyboardInterrupt()))
    assert main(["validate", str(write("spec.yaml", VALID))]) == 130
    assert capsys.readouterr().err == "interrupted: nothing was committed\n"


def test_no_color_is_what_the_running_command_says(write: WriteSpec) -> None:
    spec = str(write("spec.yaml", VALID))
    main(["validate", spec, "--no-color"])
    assert common.NO_COLOR[0] is True
    main(["validate", spec])
    assert common.NO_COLOR[0] is False


@pytest.mark.parametrize("command", [["apply"], ["plan", "--offline"], ["plan"], ["reset"], ["validate"]])
def test_with_format_json_an_invalid_spec_prints_its_diagnostics_as_json_on_stdout(
    command: list[str], write: WriteSpec, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write("spec.yaml", VALID.replace("faker: name", "faker: nmae"))
    assert main([command[0], str(spec), *command[1:], "--format", "json"]) == 1
    captured = capsys.readouterr()
    listed = json.loads(captured.out)
    assert [(d["code"], d["line"], d["hint"]) for d in listed] == [("E303", 5, "did you mean 'name'?")]
    assert set(listed[0]) == {"severity", "code", "message", "file", "line", "column", "pointer", "hint"}
    assert ("E303" in captured.err) is (command[0] != "validate")  # the text stays on stderr


def test_with_format_text_or_build_json_the_diagnostics_stay_on_stderr(
    write: WriteSpec, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write("spec.yaml", VALID.replace("faker: name", "faker: nmae"))
    for argv in (["apply", str(spec)], ["build", str(spec), "--format", "json"]):
        assert main(argv) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "E303" in captured.err
