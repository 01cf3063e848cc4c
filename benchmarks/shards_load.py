"""``apply --shards N`` into PostgreSQL: one timed run per shard count, each on a fresh database.

    PYTHONPATH=. .venv/bin/python benchmarks/shards_load.py --spec benchmarks/staging.yaml \
        --set users=100000 --shards 1 2 [--defer-indexes]

Runs ``python -m seedspec apply SPEC --create -v -j 0 [--shards N]`` as a child process;
prints the rows, wall, CPU (user + system of the process and the shard processes it reaped),
rows/s, peak RSS (the largest single process) and the report (each step's seconds, the notes).
The database ``seedspec_bench_shards`` on 127.0.0.1 is dropped and created before each run, and dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import sqlalchemy as sa

ADMIN = "postgresql+psycopg://postgres@127.0.0.1/postgres"
NAME = "seedspec_bench_shards"


def _fresh(admin: sa.Engine, *, drop_only: bool = False) -> str:
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        if not drop_only:
            c.exec_driver_sql(f"CREATE DATABASE {NAME}")
    return f"postgresql://postgres@127.0.0.1/{NAME}"


def run(spec: str, sets: list[str], shards: int, env: dict[str, str], extra: list[str]) -> dict[str, object]:
    admin = sa.create_engine(ADMIN)
    url = _fresh(admin)
    command = [sys.executable, "-m", "seedspec", "apply", spec, "--create", "-v", "-j", "0"]
    command += [a for s in sets for a in ("--set", s)] + ["--database-url", url]
    if shards > 1:
        command += ["--shards", str(shards)]
    command += extra
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env}, check=False)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _fresh(admin, drop_only=True)
    admin.dispose()
    if done.returncode != 0:
        raise SystemExit(f"apply failed ({done.returncode}): {done.stderr[-2000:]}")
    lines = done.stdout.splitlines()
    total = next(line for line in lines if line.split()[:1] == ["total"])
    rows = int(total.split()[1])
    return {
        "shards": shards,
        "flags": extra,
        "rows": rows,
        "wall_s": round(wall, 1),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        "rows_per_s": round(rows / wall),
        "peak_rss_mib": round(after.ru_maxrss / 1024),
        "report": lines,  # -v: each step's rows and seconds, then the tables and the notes
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--set", action="append", default=[], dest="sets")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the spec's ${VAR}")
    parser.add_argument("--shards", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--defer-indexes", action="store_true", help="also pass --defer-indexes")
    args = parser.parse_args()
    env = dict(e.split("=", 1) for e in args.env)
    for count in args.shards:
        extra = ["--defer-indexes"] if args.defer_indexes else []
        print(json.dumps(run(args.spec, args.sets, count, env, extra)), flush=True)


if __name__ == "__main__":
    main()
