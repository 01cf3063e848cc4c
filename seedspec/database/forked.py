"""The shards 2..N of a step (``apply --shards``) as forked processes of this one.

Each process talks to the apply over a pipe: it says when it has walked its shard (or how it
failed), then waits for the verdict (commit or roll back) and reports how it ended. The apply
watches the pipes and the processes' sentinels together, so a process that dies without a word
(the OOM killer, a kill -9) is noticed at once, not after a timeout: the shards still waiting are
told to roll back and the error names the shard and the signal (``shardstep.lost``).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from multiprocessing.connection import Connection as Pipe
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from typing import Any

from seedspec.database.shardstep import Failed, Outcome, ShardJob, lost, own_connection, signalled

_JOB: ShardJob | None = None  # read by the forked processes (set while they start)


class Forked:
    """Shards 2..N of ``job``, one forked process each (``parallel.Others``)."""

    def __init__(self, job: ShardJob) -> None:
        global _JOB
        self.job = job
        self.pipes: dict[int, Pipe] = {}
        self.processes: dict[int, BaseProcess] = {}
        self.walked_ones: set[int] = set()
        self.failure: Failed | None = None
        context = multiprocessing.get_context("fork")
        _JOB = job
        try:
            for index in range(2, job.shards + 1):
                here, there = context.Pipe()
                process = context.Process(target=_shard_process, args=(index, there), daemon=True)
                process.start()
                there.close()
                self.pipes[index], self.processes[index] = here, process
        finally:
            _JOB = None

    def walked(self) -> Failed | None:
        """Wait until every shard has walked the step: None; else the first failure, or loss."""
        return self._heard(None)

    def failed(self) -> Failed | None:
        """A shard that failed or was lost so far (None: none yet); never waits."""
        return self._heard(0)

    def _heard(self, timeout: float | None) -> Failed | None:
        """What the shards not yet walked say within ``timeout`` (None: until all have walked)."""
        waiting = set(self.processes) - self.walked_ones
        while waiting and self.failure is None:
            ready = self._ready(waiting, timeout)
            if not ready:
                return None
            for index in ready:
                message = self._message(index, committed=False)
                if isinstance(message, tuple):
                    self.failure = message  # kept: its pipe has said it
                    return message
                self.walked_ones.add(index)
                waiting.discard(index)
        return self.failure

    def decide(self, commit: bool) -> None:
        """Tell every shard still there to commit or to roll back."""
        for pipe in self.pipes.values():
            with contextlib.suppress(OSError):  # it is gone: ``ended`` says how
                pipe.send(commit)

    def ended(self) -> list[Outcome | None]:
        """How shards 2..N ended, in order, once told to commit (each a report, or its failure)."""
        results: list[Outcome | None] = []
        for index in sorted(self.processes):
            self._ready({index}, None)  # until it says something or ends
            message = self._message(index, committed=True)
            results.append(None if isinstance(message, str) else message)
        return results

    def close(self) -> None:
        """End every process still running (a shard not told to commit rolls back as it dies)."""
        for process in self.processes.values():
            if process.is_alive():
                process.kill()
        for index, process in self.processes.items():
            process.join()
            self.pipes[index].close()

    def _ready(self, indexes: set[int], timeout: float | None) -> list[int]:
        """The shards among ``indexes`` that said something or ended (within ``timeout``)."""
        by_object: dict[Any, int] = {}
        for index in indexes:
            by_object[self.pipes[index]] = index
            by_object[self.processes[index].sentinel] = index
        return sorted({by_object[o] for o in wait(list(by_object), timeout)})

    def _message(self, index: int, *, committed: bool) -> Outcome | str | None:
        """What shard ``index`` said: "walked", its outcome; its loss when it ended silently."""
        pipe, process = self.pipes[index], self.processes[index]
        try:
            if pipe.poll():
                message: Outcome | str | None = pipe.recv()
                return message
        except (EOFError, OSError):
            pass
        process.join()
        return lost(self.job.step, index, self.job.shards, signalled(process.exitcode), committed=committed)


def _shard_process(index: int, pipe: Pipe) -> None:
    """One forked process: shard ``index`` on its own connection; it tells the apply when it has
    walked and waits for the verdict (EOF: the apply is gone, roll back)."""
    _die_with_parent()
    job = _JOB
    assert job is not None, "set before the fork"

    def arrive() -> bool:
        pipe.send("walked")
        try:
            return bool(pipe.recv())
        except EOFError:
            return False

    outcome = own_connection(job, index, arrive)
    pipe.send(outcome)
    pipe.close()


def _die_with_parent() -> None:
    """A shard process ends when the apply that started it is killed (Linux): it then never
    commits behind a re-run's back."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:
        os._exit(1)
