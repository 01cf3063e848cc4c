"""Progress bars for long applies (rich, on stderr); the CLI uses them only on a terminal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from seedspec.apply import Progress as ProgressCallback
from seedspec.ir import Step

REFRESH_SECONDS = 0.1  # redrawing on every batch would cost more than the bar is worth


@contextmanager
def progress_bars(*, no_color: bool = False) -> Iterator[ProgressCallback]:
    """A callback for ``apply`` that draws one bar per step, redrawn at most every 0.1 s; rich
    leaves colour out under ``NO_COLOR`` and so does ``no_color``."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(
        *columns, console=Console(stderr=True, no_color=no_color or None), transient=True, auto_refresh=False
    ) as bars:
        tasks: dict[str, TaskID] = {}
        last = 0.0

        def update(step: Step, done: int, total: int) -> None:
            nonlocal last
            if step.id not in tasks:
                tasks[step.id] = bars.add_task(f"{step.id} -> {step.table}", total=total)
            bars.update(tasks[step.id], completed=done)
            now = time.monotonic()
            if now - last >= REFRESH_SECONDS or done == total:
                bars.refresh()
                last = now

        yield update
