"""The CLI process collects cycles less often than Python's default (a run makes few)."""

from __future__ import annotations

import gc

from seedspec.cli.main import GC_THRESHOLD, main


def test_a_command_runs_with_the_cli_collector_threshold() -> None:
    before = gc.get_threshold()
    try:
        assert main(["validate", "specs_examples/does-not-exist.yaml"]) != 0
        assert gc.get_threshold() == GC_THRESHOLD
        assert GC_THRESHOLD[0] > before[0] or before == GC_THRESHOLD
    finally:
        gc.set_threshold(*before)
