"""Run one command; print its wall time, CPU time, exit code and peak RSS as a JSON line (for run.py).

A process's peak RSS (``ru_maxrss``) starts from the memory of the process that spawned it, so
run.py, which has SQLAlchemy and psycopg loaded, does not spawn the contenders itself: it starts
this small stdlib-only process (``python -I -S``), which spawns the contender and waits for it.

    _launch.py STDOUT_FILE STDERR_FILE PROGRAM [ARG ...]
"""

import json
import os
import sys
import time


def main() -> None:
    out, err, *argv = sys.argv[1:]
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 1, out, flags, 0o600), (os.POSIX_SPAWN_OPEN, 2, err, flags, 0o600)]
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime  # with the children it reaped (worker processes)
    sys.stdout.write(
        json.dumps({"wall": wall, "cpu": cpu, "exit": code, "maxrss_kib": usage.ru_maxrss}) + "\n"
    )


if __name__ == "__main__":
    main()
