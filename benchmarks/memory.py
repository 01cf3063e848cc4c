"""Peak memory of one ``seedspec apply`` of the workload on a fresh PostgreSQL schema (not timed).

The promise (docs/recipes/large-volumes.md): memory is bounded by what later steps read, not by
the rows written. This runs the very command of ``contenders/seedspec_apply.py`` once, at ``--n``
users (16N + 50 rows: N = 625,000 is 10 M rows), in a schema of its own that it drops afterwards,
and prints the process's peak RSS (``ru_maxrss`` of the CLI, from ``os.wait4`` in the stdlib-only
``_launch.py``, so this process's own memory is not counted) against the bound.

    .venv/bin/python benchmarks/memory.py --n 625000 --limit-mib 300
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS / "contenders"))

from _common import total_rows  # noqa: E402 - lives beside the contenders
from seedspec_apply import command  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MIB = 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL, help="an existing database to use")
    parser.add_argument("--n", type=int, default=62_500, help="users (the workload has 16N + 50 rows)")
    parser.add_argument("--limit-mib", type=float, default=300, help="the bound; exit 1 above it")
    args = parser.parse_args()
    admin = sa.create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
    schema = f"memory_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = sa.make_url(args.postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
        measure = run(url.render_as_string(hide_password=False), args.n)
        written = None
        if measure["exit"] == 0:
            with admin.connect() as conn:
                written = conn.execute(sa.text(f'SELECT count(*) FROM "{schema}".post_tags')).scalar()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    mib = measure["maxrss_kib"] / MIB
    complete = measure["exit"] == 0 and written == 10 * args.n  # post_tags: the last step's rows
    verdict = "pass" if complete and mib <= args.limit_mib else "FAIL"
    print(
        f"seedspec apply, N = {args.n:,} ({total_rows(args.n):,} rows), PostgreSQL: exit {measure['exit']}, "
        f"{measure['wall']:.0f} s wall, peak RSS {mib:.0f} MiB (bound {args.limit_mib:.0f} MiB): {verdict}"
    )
    if not complete:
        print(measure.get("stderr", ""), file=sys.stderr)
    sys.exit(0 if verdict == "pass" else 1)


def run(database_url: str, n: int) -> dict[str, object]:
    """The launcher's measure of ``seedspec apply`` (exit, wall, maxrss_kib), and its stderr."""
    argv, env = command(database_url, n)
    argv = [sys.executable, "-m", "seedspec", *argv[1:]]  # the CLI of the interpreter running this
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        launcher = [sys.executable, "-I", "-S", str(BENCHMARKS / "_launch.py"), str(out), str(err), *argv]
        line = subprocess.run(launcher, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603
        measure: dict[str, object] = json.loads(line.strip().splitlines()[-1])
        measure["stderr"] = err.read_text()[-4000:]
    return measure


if __name__ == "__main__":
    main()
