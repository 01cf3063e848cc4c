"""Contender: ``seedspec validate benchmarks/workload.yaml`` as a whole process (no database).

The harness runs the command of ``command()``; run directly, this script replaces itself with it.
"""

from __future__ import annotations

import os

from _common import parse_args
from seedspec_apply import SPEC, seedspec_cli


def command(database_url: str | None, n: int) -> tuple[list[str], dict[str, str]]:
    """argv and environment of ``seedspec validate`` (``database_url`` is not used)."""
    del database_url
    return [seedspec_cli(), "validate", str(SPEC)], dict(os.environ, N=str(n))


def main() -> None:
    args = parse_args(__doc__ or "", database=False)
    argv, env = command(None, args.n)
    os.execve(argv[0], argv, env)  # noqa: S606 - the real CLI, with the workload's arguments


if __name__ == "__main__":
    main()
