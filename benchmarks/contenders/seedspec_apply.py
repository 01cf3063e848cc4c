"""Contender: ``seedspec apply`` of the workload on an empty database (the real CLI, tables created).

The harness runs the command of ``command()`` as its own process; run directly, this script
replaces itself with that command (``os.execve``), so it measures the CLI and nothing else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from _common import BENCHMARKS, DDL, dialect_of, parse_args

SPEC = BENCHMARKS / "workload.yaml"


def seedspec_cli() -> str:
    """The ``seedspec`` console script beside the running interpreter (the venv's)."""
    return str(Path(sys.executable).parent / "seedspec")


def command(database_url: str, n: int) -> tuple[list[str], dict[str, str]]:
    """argv and environment of ``seedspec apply`` for ``n`` users on ``database_url``."""
    # not -q: the summary is printed (to a file), as a user runs it; the progress-bar contender
    # differs from this one by its terminal alone
    argv = [seedspec_cli(), "apply", str(SPEC), "--database-url", database_url, "--create"]
    env = dict(os.environ, N=str(n), WORKLOAD_DDL=DDL[dialect_of(database_url)].name)
    env.pop("DATABASE_URL", None)
    return argv, env


def main() -> None:
    args = parse_args(__doc__ or "")
    argv, env = command(args.database_url, args.n)
    os.execve(argv[0], argv, env)  # noqa: S606 - the real CLI, with the workload's arguments


if __name__ == "__main__":
    main()
