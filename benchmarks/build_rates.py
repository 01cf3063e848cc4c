"""Rows per CPU second of ``seedspec build`` to Parquet, CSV and JSON lines, whole and ``--shard 1/4``.

    PYTHONPATH=. .venv/bin/python benchmarks/build_rates.py --n 20000 100000 [--runs 1]

Runs, for the staging recipe's spec (``staging.yaml``, ``--set users=N``) and the benchmark
workload (``workload.yaml``, ``N``, from ``benchmarks/``) at every N given:

    /usr/bin/time -f "%e %U %S %M" python -m seedspec build SPEC --format FMT -o DIR -q -j 0 [--shard 1/4]

``-j 0``: no Faker worker processes, so the CPU time (user + system, start-up included) is one
core's, the figure to read on a shared machine. The rows are counted in the files written (a
Parquet file's metadata, a CSV's lines less its header, a JSON lines file's lines). One JSON line
per build: spec, N, format, shard, rows, wall, CPU, rows per CPU second, peak RSS, load average.

The staging spec runs from a temporary folder holding a copy of it whose ``tables:`` is the
recipe's ``schema.sql`` (docs/recipes/billion-rows.md: ``BIGINT PRIMARY KEY`` ids): that is
``staging.sql`` with ``BIGINT`` for ``BIGSERIAL``, whose ids the database draws and ``build``
therefore cannot write (E314).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
BUILDS = (("parquet", None), ("csv", None), ("jsonl", None), ("parquet", "1/4"))


def rows_written(folder: Path, fmt: str) -> int:
    files = sorted(p for p in folder.rglob(f"*.{fmt}") if p.is_file())
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return sum(pq.read_metadata(p).num_rows for p in files)
    lines = sum(sum(1 for _ in p.open("rb")) for p in files)
    return lines - len(files) if fmt == "csv" else lines


def staging_folder() -> Path:
    """A folder with the recipe's ``staging.yaml`` and ``schema.sql`` (ids the spec writes)."""
    folder = Path(tempfile.mkdtemp(prefix="w19bench-staging-"))
    spec = (BENCHMARKS / "staging.yaml").read_text()
    (folder / "staging.yaml").write_text(spec.replace("ddl: staging.sql", "ddl: schema.sql"))
    ddl = (BENCHMARKS / "staging.sql").read_text()
    (folder / "schema.sql").write_text(ddl.replace("BIGSERIAL PRIMARY KEY", "BIGINT PRIMARY KEY"))
    return folder


def build(spec: str, n: int, fmt: str, shard: str | None, staging: Path) -> dict[str, object]:
    out = Path(tempfile.mkdtemp(prefix="w19bench-build-"))
    env = dict(os.environ)
    argv = [sys.executable, "-m", "seedspec", "build", spec, "--format", fmt, "-o", str(out)]
    argv += ["--force", "-q", "-j", "0", *(["--shard", shard] if shard else [])]
    if spec == "staging.yaml":
        argv += ["--set", f"users={n}"]
    else:
        env.update(N=str(n), WORKLOAD_DDL="workload.sql")
    timed = ["/usr/bin/time", "-f", "%e %U %S %M", *argv]
    try:
        cwd = staging if spec == "staging.yaml" else BENCHMARKS
        done = subprocess.run(timed, cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
        wall, user, system, rss = done.stderr.strip().splitlines()[-1].split()
        rows = rows_written(out, fmt)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    cpu = float(user) + float(system)
    return {
        "spec": spec,
        "n": n,
        "format": fmt,
        "shard": shard,
        "rows": rows,
        "wall_s": float(wall),
        "cpu_s": round(cpu, 2),
        "rows_per_cpu_s": round(rows / cpu),
        "peak_rss_mib": round(int(rss) / 1024),
        "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[20_000], help="users (default 20000)")
    parser.add_argument("--specs", nargs="+", default=["staging.yaml", "workload.yaml"])
    parser.add_argument("--runs", type=int, default=1, help="rounds of every build, interleaved")
    args = parser.parse_args()
    staging = staging_folder()
    try:
        for _ in range(args.runs):
            for n in args.n:
                for spec in args.specs:
                    for fmt, shard in BUILDS:
                        print(json.dumps(build(spec, n, fmt, shard, staging)), flush=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    main()
