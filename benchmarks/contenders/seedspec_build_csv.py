"""Contender: ``seedspec build benchmarks/workload.yaml --format csv`` to files (no database):
generation alone, as a whole process, against Faker generation alone.

The harness runs the command of ``command()``; run directly, this script replaces itself with it.
"""

from __future__ import annotations

import os
import tempfile

from _common import parse_args
from seedspec_apply import SPEC, seedspec_cli


def command(database_url: str | None, n: int) -> tuple[list[str], dict[str, str]]:
    """argv and environment of ``seedspec build --format csv`` into a fresh directory."""
    del database_url
    out = tempfile.mkdtemp(prefix="seedspec-build-")
    argv = [seedspec_cli(), "build", str(SPEC), "--format", "csv", "-o", out, "-q"]
    return argv, dict(os.environ, N=str(n), WORKLOAD_DDL="workload.sql")


def main() -> None:
    args = parse_args(__doc__ or "", database=False)
    argv, env = command(None, args.n)
    os.execve(argv[0], argv, env)  # noqa: S606 - the real CLI, with the workload's arguments


if __name__ == "__main__":
    main()
