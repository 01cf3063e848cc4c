"""Run one command; print its wall time, CPU time, exit code and peak RSS as a JSON line (for run.py).

A process's peak RSS (``ru_maxrss``) starts from the memory of the process that spawned it, so
run.py, which has SQLAlchemy and psycopg loaded, does not spawn the contenders itself: it starts
this small stdlib-only process (``python -I -S``), which spawns the contender and waits for it.

    _launch.py [--stderr-pty] STDOUT_FILE STDERR_FILE PROGRAM [ARG ...]

With ``--stderr-pty`` the contender's stderr is a pseudo-terminal (as when a user runs it in a
terminal), whose output this process copies to STDERR_FILE. The contender is spawned and timed
exactly as without it: only where its stderr goes differs.
"""

import fcntl
import json
import os
import struct
import sys
import termios
import threading
import time

TERMINAL_SIZE = (40, 120)  # rows, columns: a usual terminal window


def main() -> None:
    pty = sys.argv[1] == "--stderr-pty"
    out, err, *argv = sys.argv[2:] if pty else sys.argv[1:]
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 1, out, flags, 0o600)]
    if pty:
        master, terminal = os.openpty()  # both non-inheritable: the child keeps only its fd 2
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", *TERMINAL_SIZE, 0, 0))
        actions.append((os.POSIX_SPAWN_DUP2, terminal, 2))
    else:
        actions.append((os.POSIX_SPAWN_OPEN, 2, err, flags, 0o600))
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    if pty:
        os.close(terminal)  # the read ends when the child (and whatever it forked) closes its end
        copier = threading.Thread(target=copy, args=(master, err), daemon=True)
        copier.start()
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    if pty:
        copier.join(timeout=10)  # forked workers may hold the terminal a moment longer
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime  # with the children it reaped (worker processes)
    sys.stdout.write(
        json.dumps({"wall": wall, "cpu": cpu, "exit": code, "maxrss_kib": usage.ru_maxrss}) + "\n"
    )


def copy(master: int, path: str) -> None:
    """Drain the terminal's output into ``path`` as it comes, so that the child never blocks."""
    with open(path, "wb") as sink:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: no process holds the terminal any more
                break
            if not chunk:
                break
            sink.write(chunk)
    os.close(master)


if __name__ == "__main__":
    main()
