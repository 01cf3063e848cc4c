"""Contender: ``seedspec apply`` on an empty database with its progress bars drawn on a terminal.

The same command as ``seedspec_apply`` (which has no ``-q``: that would turn the bars off): the
CLI draws its bars when stderr is a terminal, so the harness gives this contender's stderr a
pseudo-terminal (``_launch.py --stderr-pty``) and checks afterwards that bars were drawn on it.
The process measured is the CLI itself, as for ``seedspec_apply``; the two differ by that
terminal alone, so their ratio is the bars' cost.

Run directly (from a terminal), this script replaces itself with that command.
"""

from __future__ import annotations

import os

from _common import parse_args
from seedspec_apply import command as apply_command

TERMINAL = "xterm-256color"  # what a terminal sets; rich draws no live bars on a "dumb" one


def command(database_url: str, n: int) -> tuple[list[str], dict[str, str]]:
    """argv and environment of ``seedspec apply`` for ``n`` users on ``database_url``, bars on."""
    argv, env = apply_command(database_url, n)
    env["TERM"] = TERMINAL
    return argv, env


def main() -> None:
    args = parse_args(__doc__ or "")
    argv, env = command(args.database_url, args.n)
    os.execve(argv[0], argv, env)  # noqa: S606 - the real CLI, with the workload's arguments


if __name__ == "__main__":
    main()
