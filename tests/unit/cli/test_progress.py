"""The progress bars: one bar, of the step being written, redrawn at most every REFRESH_SECONDS."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest

from seedspec.cli import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """stderr as a terminal (set in the test itself: pytest's capture resets it after fixtures)."""
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setenv("TERM", "xterm-256color")
    return err


def _step(name: str) -> Any:
    return SimpleNamespace(id=name, table=f"{name}s")


def test_a_bar_is_redrawn_at_most_every_refresh_period_and_when_its_step_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _terminal(monkeypatch)
    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    user = _step("user")
    with progress.progress_bars() as update:
        update(user, 1000, 4000)
        assert "1000/4000" in terminal.getvalue()  # a new step's bar is drawn at once
        clock[0] += progress.REFRESH_SECONDS / 2
        update(user, 2000, 4000)
        assert "2000/4000" not in terminal.getvalue()  # too soon
        clock[0] += progress.REFRESH_SECONDS / 2
        update(user, 3000, 4000)
        assert "3000/4000" in terminal.getvalue()
        update(user, 4000, 4000)
        assert "4000/4000" in terminal.getvalue()  # the end of a step is always drawn


def test_a_finished_steps_bar_goes_when_the_next_step_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _terminal(monkeypatch)
    with progress.progress_bars() as update:
        update(_step("user"), 10, 10)
        update(_step("post"), 5, 30)
        last_frame = terminal.getvalue().rsplit("\x1b[2K", 1)[-1]  # each line of a frame starts so
        assert "post -> posts" in last_frame
        assert "user -> users" not in last_frame
