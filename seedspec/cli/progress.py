"""Progress bars for long applies (rich, on stderr); the CLI uses them only on a terminal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from seedspec.ir import Step

if TYPE_CHECKING:
    from seedspec.api.pipeline import Progress as ProgressCallback

# rich redraws on the thread that writes the rows, at about 0.2 ms per bar shown: at most four
# redraws a second, of one bar (the step being written; a finished step's bar goes when the next
# starts), keep the bars near 1 % of an apply however many steps it has.
REFRESH_SECONDS = 0.25


@contextmanager
def progress_bars(*, no_color: bool = False) -> Iterator[ProgressCallback]:
    """A callback for ``apply`` that draws a bar for the step being written, redrawn at most
    every 0.25 s; rich leaves colour out under ``NO_COLOR`` and so does ``no_color``."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(
        *columns, console=Console(stderr=True, no_color=no_color or None), transient=True, auto_refresh=False
    ) as bars:
        step_shown, bar = "", TaskID(-1)
        last = 0.0

        def update(step: Step, done: int, total: int) -> None:
            nonlocal step_shown, bar, last
            now = time.monotonic()
            if step.id != step_shown:  # a new step: its bar replaces the finished one's
                if step_shown:
                    bars.update(bar, visible=False)
                step_shown, last = step.id, now
                bar = bars.add_task(f"{step.id} -> {step.table}", total=total, completed=done)  # drawn
                return
            if now - last >= REFRESH_SECONDS or done == total:  # (update costs too: only here)
                bars.update(bar, completed=done, refresh=True)
                last = now

        yield update
