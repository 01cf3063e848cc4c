"""``apply --shards N`` into PostgreSQL: one timed run per shard count, each on a fresh database.

    PYTHONPATH=. .venv/bin/python benchmarks/shards_load.py --spec benchmarks/staging.yaml \
        --set users=100000 --shards 1 2 [--defer-indexes] [--engine ray]

Runs ``python -m seedspec apply SPEC --create -v -j 0 [--shards N]`` as a child process;
prints the rows, wall, CPU (user + system of the process and the shard processes it reaped),
rows/s, peak RSS (the largest single process) and the report (each step's seconds, the notes).
With ``--engine ray`` the shards run as tasks of a local Ray cluster the apply starts: Ray's
processes are not reaped children of the apply, so ``tree_cpu_s`` and ``tree_peak_rss_mib`` also
sample every process descended from the apply twice a second (its last CPU time counted once).
The database ``seedspec_bench_shards`` on 127.0.0.1 is dropped and created before each run, and dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
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


class TreeSampler(threading.Thread):
    """The CPU seconds and peak RSS of every process descended from ``root``, sampled from /proc."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.done = root, threading.Event()
        self.cpu: dict[int, float] = {}  # pid -> its own user + system seconds, last seen
        self.rss: dict[int, int] = {}  # pid -> VmHWM in KiB, last seen

    def run(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self.done.wait(0.5):
            parents: dict[int, tuple[int, float]] = {}
            for name in os.listdir("/proc"):
                if name.isdigit():
                    try:
                        with open(f"/proc/{name}/stat") as f:
                            fields = f.read().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    parents[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
            for pid, (_, seconds) in parents.items():
                ancestor = pid
                while ancestor in parents and ancestor != self.root and ancestor > 1:
                    ancestor = parents[ancestor][0]
                if ancestor == self.root:
                    self.cpu[pid] = seconds
                    self.rss[pid] = _hwm(pid) or self.rss.get(pid, 0)


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


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
    child = subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env}
    )
    sampler = TreeSampler(child.pid)
    sampler.start()
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    done = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
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
        "tree_cpu_s": round(sum(sampler.cpu.values()), 1),
        "tree_peak_rss_mib": round(max(sampler.rss.values(), default=0) / 1024),
        "processes": len(sampler.cpu),
        "report": lines,  # -v: each step's rows and seconds, then the tables and the notes
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--set", action="append", default=[], dest="sets")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the spec's ${VAR}")
    parser.add_argument("--shards", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--defer-indexes", action="store_true", help="also pass --defer-indexes")
    parser.add_argument("--engine", choices=("local", "ray"), default="local", help="apply --engine")
    args = parser.parse_args()
    env = dict(e.split("=", 1) for e in args.env)
    for count in args.shards:
        extra = ["--defer-indexes"] if args.defer_indexes else []
        extra += ["--engine", "ray"] if args.engine == "ray" and count > 1 else []
        print(json.dumps(run(args.spec, args.sets, count, env, extra)), flush=True)


if __name__ == "__main__":
    main()
