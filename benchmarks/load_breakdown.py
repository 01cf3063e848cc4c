"""Where the time of a PostgreSQL load goes: generation, COPY, index maintenance, FK checks.

    PYTHONPATH=. .venv/bin/python benchmarks/load_breakdown.py --n 100000 --runs 3

Per run (each on fresh databases ``w19bench_lb_*`` on 127.0.0.1, dropped afterwards):

1. ``seedspec build benchmarks/workload.yaml --format csv`` (``N``): generation and formatting,
   the CLI's wall and CPU (user + system of it and the workers it reaped, ``RUSAGE_CHILDREN``).
   It builds with ``workload.sql``: with the PostgreSQL DDL the ids are identity columns the
   database fills in, which ``build`` refuses (E713); the ids it writes are the ones apply gets.
2. COPY of those files (psycopg ``cursor.copy``, ``FORMAT csv, HEADER``, one transaction) into
   the four tables created five ways: ``bare`` (columns and NOT NULL only), ``pk`` (+ primary
   keys), ``indexes`` (+ the unique constraints and the secondary index), ``full``
   (``workload.postgresql.sql`` as it is: + foreign keys), and ``deferred`` (bare tables, then
   after the COPYs, in the same transaction, all that the DDL file declares added by ALTER
   TABLE and CREATE INDEX). Timed: the wall of the COPYs (and ALTERs) and the commit, this
   client's CPU and the server backend's CPU (``/proc/<pg_backend_pid()>/stat``: client and
   server run on this machine; parallel workers are switched off so that the one backend does
   all the work). The differences between the configurations are the costs of the primary
   keys, of the other indexes and of the foreign key checks.
3. ``seedspec apply`` of the same N into ``workload.postgresql.sql`` (``--create``): the CLI's
   wall, CPU and peak RSS (for build too: ``/usr/bin/time``'s, the largest single process), and
   the CPU of the server backends connected to its database (sampled from ``/proc`` every
   ``--sample`` seconds while it runs, so a backend's last fraction of a sample before it exits
   is missed).

The order of the configurations rotates from run to run; one JSON line per configuration (the
medians over the runs and every run's figures), then one ``summary`` line. Row counts are checked
after every load.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

BENCHMARKS = Path(__file__).resolve().parent
SPEC = BENCHMARKS / "workload.yaml"
FULL_DDL = BENCHMARKS / "workload.postgresql.sql"
TABLES = ("users", "tags", "posts", "post_tags")  # parents first: the FKs of ``full`` hold at commit
HOST = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PREFIX = "w19bench_lb"
TICK = os.sysconf("SC_CLK_TCK")

COLUMNS = {
    "users": "id INTEGER NOT NULL, email VARCHAR(255) NOT NULL, first_name VARCHAR(100), "
    "last_name VARCHAR(100), created_at TIMESTAMP",
    "posts": "id INTEGER NOT NULL, user_id INTEGER NOT NULL, title VARCHAR(300), body TEXT, "
    "published BOOLEAN",
    "tags": "id INTEGER NOT NULL, name VARCHAR(100)",
    "post_tags": "post_id INTEGER NOT NULL, tag_id INTEGER NOT NULL",
}
PRIMARY_KEYS = {"users": "id", "posts": "id", "tags": "id", "post_tags": "post_id, tag_id"}
INDEXES = [  # what workload.postgresql.sql has besides its primary and foreign keys
    "ALTER TABLE users ADD UNIQUE (email)",
    "ALTER TABLE tags ADD UNIQUE (name)",
    "CREATE INDEX ix_posts_user_id ON posts (user_id)",
]
FOREIGN_KEYS = [
    "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users (id)",
    "ALTER TABLE post_tags ADD FOREIGN KEY (post_id) REFERENCES posts (id)",
    "ALTER TABLE post_tags ADD FOREIGN KEY (tag_id) REFERENCES tags (id)",
]


def ddl(config: str) -> list[str]:
    """The statements creating the four tables for one configuration (``full``: the DDL file)."""
    if config == "full":
        text = "\n".join(line for line in FULL_DDL.read_text().splitlines() if not line.startswith("--"))
        return [s.strip() for s in text.split(";") if s.strip()]
    statements = []
    for table, columns in COLUMNS.items():
        key = f", PRIMARY KEY ({PRIMARY_KEYS[table]})" if config in ("pk", "indexes") else ""
        statements.append(f"CREATE TABLE {table} ({columns}{key})")
    return statements + (INDEXES if config == "indexes" else [])


def constraints_after() -> list[str]:
    """What ``deferred`` adds once its bare tables are loaded: all that the DDL file declares."""
    keys = [f"ALTER TABLE {t} ADD PRIMARY KEY ({k})" for t, k in PRIMARY_KEYS.items()]
    return [*keys, *INDEXES, *FOREIGN_KEYS]


# bare, + primary keys, + unique and secondary indexes, + foreign keys (the DDL file); and deferred:
# bare tables loaded, then everything the DDL file declares added (one backend: no parallel workers)
CONFIGS = ("bare", "pk", "indexes", "full", "deferred")


# -- measuring -----------------------------------------------------------------------------------


def backend_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a server process, or None once it has exited."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": field 3 is fields[0]
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime: fields 14 and 15


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def connect(dbname: str) -> psycopg.Connection[Any]:
    return psycopg.connect(dbname=dbname, **HOST)  # type: ignore[arg-type]


@contextlib.contextmanager
def fresh_database(config: str) -> Iterator[str]:
    name = f"{PREFIX}_{config}_{os.getpid()}"
    with connect("postgres") as admin:
        admin.autocommit = True
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield name
    finally:
        with connect("postgres") as admin:
            admin.autocommit = True
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def check_counts(connection: psycopg.Connection[Any], n: int) -> None:
    expected = {"users": n, "tags": 50, "posts": 5 * n, "post_tags": 10 * n}
    counts = {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index, call-overload]
    if counts != expected:
        raise SystemExit(f"wrong row counts {counts}, expected {expected}")


def check_constraints(connection: psycopg.Connection[Any]) -> None:
    """The tables hold what the DDL file declares: 4 primary keys, 2 unique, 3 foreign keys, 7 indexes."""
    kinds = connection.execute(
        "SELECT contype, count(*) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) GROUP BY 1",
        (list(TABLES),),
    ).fetchall()
    indexes = connection.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'").fetchone()[0]  # type: ignore[index]
    if dict(kinds) != {"p": 4, "u": 2, "f": 3} or indexes != 7:
        raise SystemExit(f"the tables' constraints {dict(kinds)} and {indexes} indexes are not the DDL's")


def rows_of(n: int) -> int:
    return 16 * n + 50


# -- the three measurements ----------------------------------------------------------------------


def run_cli(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall, CPU (it and the children it reaped) and peak RSS (MiB, its largest single process,
    from ``/usr/bin/time``) of a seedspec CLI process; exits on failure."""
    with tempfile.NamedTemporaryFile("r", prefix="w19bench-time-") as rss:
        timed = ["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv]
        before = children_cpu()
        started = time.perf_counter()
        done = subprocess.run(timed, env=env, cwd=BENCHMARKS, capture_output=True, text=True, check=False)  # noqa: S603
        wall = time.perf_counter() - started
        cpu = children_cpu() - before
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
        peak = int(rss.read().split()[-1]) / 1024
    return wall, cpu, peak


def build(n: int, out: Path, jobs: str | None) -> dict[str, float]:
    argv = [sys.executable, "-m", "seedspec", "build", str(SPEC), "--format", "csv"]
    argv += ["-o", str(out), "--force", "-q", *(["-j", jobs] if jobs else [])]
    wall, cpu, peak = run_cli(argv, dict(os.environ, N=str(n), WORKLOAD_DDL="workload.sql"))
    return {"wall_s": wall, "client_cpu_s": cpu, "server_cpu_s": 0.0, "peak_rss_mib": peak}


def copy_load(config: str, n: int, folder: Path) -> dict[str, float]:
    """COPY the CSV files into the tables of ``config`` on a fresh database: wall, client and server CPU."""
    with fresh_database(config) as name, connect(name) as connection:
        for statement in ddl(config):
            connection.execute(statement)  # type: ignore[arg-type]
        # one backend does all the work, so that its CPU is all of it (index builds and the
        # validation of an added foreign key could otherwise use parallel workers)
        connection.execute("SET max_parallel_maintenance_workers = 0")
        connection.execute("SET max_parallel_workers_per_gather = 0")
        connection.commit()
        pid = connection.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        connection.commit()
        server, client = backend_cpu(pid) or 0.0, self_cpu()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in TABLES:
                path = folder / f"{table}.csv"
                with path.open("rb") as f:
                    header = f.readline().decode().strip()
                    f.seek(0)
                    sql = f"COPY {table} ({header}) FROM STDIN (FORMAT csv, HEADER)"
                    with cursor.copy(sql) as copy:  # type: ignore[arg-type]
                        while chunk := f.read(1 << 20):
                            copy.write(chunk)
        if config == "deferred":
            for statement in constraints_after():
                connection.execute(statement)  # type: ignore[arg-type]
        connection.commit()
        wall = time.perf_counter() - started
        measured = {
            "wall_s": wall,
            "client_cpu_s": self_cpu() - client,
            "server_cpu_s": (backend_cpu(pid) or 0.0) - server,
        }
        check_counts(connection, n)
        if config in ("full", "deferred"):
            check_constraints(connection)
    return measured


class BackendSampler(threading.Thread):
    """Samples the CPU of every server backend connected to one database until stopped."""

    def __init__(self, dbname: str, period: float) -> None:
        super().__init__(daemon=True)
        self.dbname, self.period = dbname, period
        self.last: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        with connect("postgres") as admin:
            admin.autocommit = True
            while not self.done.is_set():
                rows = admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.dbname,)
                ).fetchall()
                for (pid,) in rows:
                    cpu = backend_cpu(pid)
                    if cpu is not None:
                        self.last[pid] = cpu
                for pid in list(self.last):
                    cpu = backend_cpu(pid)
                    if cpu is not None:
                        self.last[pid] = cpu
                self.done.wait(self.period)

    def cpu(self) -> float:
        return sum(self.last[pid] for pid in self.last)


def apply(n: int, jobs: str | None, period: float) -> dict[str, float]:
    with fresh_database("apply") as name:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        argv = [sys.executable, "-m", "seedspec", "apply", str(SPEC), "--database-url", url]
        argv += ["--create", "-q", *(["-j", jobs] if jobs else [])]
        sampler = BackendSampler(name, period)
        sampler.start()
        try:
            wall, cpu, peak = run_cli(argv, dict(os.environ, N=str(n), WORKLOAD_DDL=FULL_DDL.name))
        finally:
            sampler.done.set()
            sampler.join()
        with connect(name) as connection:
            check_counts(connection, n)
    return {
        "wall_s": wall,
        "client_cpu_s": cpu,
        "server_cpu_s": sampler.cpu(),
        "backends": len(sampler.last),
        "peak_rss_mib": peak,
    }


# -- the report ----------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def median(runs: list[dict[str, float]], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def summarize(name: str, n: int, runs: list[dict[str, float]]) -> dict[str, Any]:
    wall = median(runs, "wall_s")
    return {
        "config": name,
        "n": n,
        "rows": rows_of(n),
        "wall_s": wall,
        "client_cpu_s": median(runs, "client_cpu_s"),
        "server_cpu_s": median(runs, "server_cpu_s"),
        "rows_per_s_wall": round(rows_of(n) / wall) if wall else None,
        "peak_rss_mib": round(max(r.get("peak_rss_mib", 0.0) for r in runs)),
        "runs": [{k: round(v, 2) for k, v in r.items()} for r in runs],
    }


def breakdown(lines: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """seedspec apply = generation + COPY + primary keys + other indexes + FK checks + rest.

    Each term in CPU seconds: generation is the build's CPU; the load terms are the server
    backend's CPU of the configurations and their differences; ``rest`` is what apply's client
    and server CPU hold beyond them (its own COPY rows, ids, keys, pools, start-up, DDL).
    """

    def cpu(config: str) -> float:
        return float(lines[config]["server_cpu_s"] + lines[config]["client_cpu_s"])

    terms = {
        "generation_cpu_s": lines["build"]["client_cpu_s"],
        "copy_cpu_s": cpu("bare"),
        "primary_keys_cpu_s": cpu("pk") - cpu("bare"),
        "indexes_cpu_s": cpu("indexes") - cpu("pk"),
        "fk_checks_cpu_s": cpu("full") - cpu("indexes"),
    }
    total = lines["apply"]["client_cpu_s"] + lines["apply"]["server_cpu_s"]
    terms["rest_cpu_s"] = total - sum(terms.values())
    return {"config": "summary", "apply_cpu_s": round(total, 2), **{k: round(v, 2) for k, v in terms.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="users (16N + 50 rows; default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs (the medians are printed; default 3)")
    parser.add_argument("--jobs", "-j", help="seedspec's -j for build and apply (default: its own)")
    parser.add_argument(
        "--sample", type=float, default=0.1, help="seconds between samples of apply's backends"
    )
    parser.add_argument(
        "--configs",
        type=lambda text: text.split(","),
        default=[*CONFIGS, "apply"],
        help=f"comma-separated, of {','.join(CONFIGS)},apply (default: all)",
    )
    args = parser.parse_args()
    measured: dict[str, list[dict[str, float]]] = {}
    folder = Path(tempfile.mkdtemp(prefix="w19bench-csv-"))
    loads = [c for c in (*CONFIGS, "apply") if c in args.configs]
    order = ["build", *loads]
    try:
        for run in range(args.runs):
            shift = run % len(loads)
            sys.stderr.write(f"run {run + 1}/{args.runs}, load average {load_average()}\n")
            measured.setdefault("build", []).append(build(args.n, folder, args.jobs))
            for config in loads[shift:] + loads[:shift]:
                one = (
                    apply(args.n, args.jobs, args.sample)
                    if config == "apply"
                    else copy_load(config, args.n, folder)
                )
                measured.setdefault(config, []).append(one)
                sys.stderr.write(f"  {config:<8} {json.dumps({k: round(v, 2) for k, v in one.items()})}\n")
                sys.stderr.flush()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = {name: summarize(name, args.n, measured[name]) for name in order}
    for name in order:
        print(json.dumps(lines[name]), flush=True)
    if {"bare", "pk", "indexes", "full", "apply"} <= set(lines):
        print(json.dumps({**breakdown(lines), "load_average_end": load_average()}), flush=True)


if __name__ == "__main__":
    main()
