"""Run the seeding benchmark of the performance issue and write its Markdown report.

Every contender of ``benchmarks/contenders/`` runs as its own process, ``--runs`` times, on a
fresh SQLite file and a fresh PostgreSQL database each time (a re-run contender shares the
database of the contender it follows). Within one run the contenders of both databases are
interleaved, and the order rotates from run to run, so that drift of the machine spreads over
all of them. Per contender: wall time of the process (median, min, max), rows per second,
and peak RSS (``ru_maxrss`` of the child, from ``os.wait4`` in the small ``_launch.py`` process
that spawns it). After each contender that writes, the row counts of the four tables are checked.

    .venv/bin/python benchmarks/run.py --n 10000 --runs 3
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import runpy
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
CONTENDERS = BENCHMARKS / "contenders"
LAUNCHER = BENCHMARKS / "_launch.py"
sys.path.insert(0, str(CONTENDERS))

from _common import TABLES, total_rows  # noqa: E402 - lives beside the contenders

NONE = "none"  # the pseudo-database of the contenders that use none
DATABASES = ("sqlite", "postgresql")
TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", NONE: "No database"}
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MIB = 1024  # ru_maxrss is in KiB on Linux
BAR = "-> users"  # the label of the bar of the workload's first step ("user -> users")
DASH = "\u2013"  # en dash, for ranges


@dataclass(frozen=True)
class Contender:
    name: str  # file stem in contenders/
    label: str
    databases: tuple[str, ...] = DATABASES
    scale: int = 1  # runs at N // scale users
    after: str | None = None  # runs on the database this contender has just filled
    timed: str | None = None  # what the contender's own ``timed_s`` measures
    writes: bool = True  # row counts are checked afterwards (as 16n + 50)
    rows: bool = True  # makes the workload's rows (validate makes none)
    terminal: bool = False  # stderr is a pseudo-terminal, and something must be drawn on it

    def n(self, n: int) -> int:
        return max(n // self.scale, 1)


CATALOG = (
    Contender("seedspec_apply", "seedspec apply, empty database"),
    Contender("seedspec_reapply", "seedspec apply again, every row exists", after="seedspec_apply"),
    Contender(
        "seedspec_apply_progress",
        "seedspec apply, empty database, progress bars on a terminal",
        terminal=True,
    ),
    Contender("core_first_or_create", "hand-written Core batched first-or-create, Faker included"),
    Contender(
        "core_first_or_create_rerun",
        "same, re-run when every row exists",
        after="core_first_or_create",
    ),
    Contender(
        "faker_generate", "Faker generation alone", databases=(NONE,), timed="generation", writes=False
    ),
    Contender(
        "seedspec_build_csv",
        "seedspec build --format csv (generation alone)",
        databases=(NONE,),
        writes=False,
    ),
    Contender("dbapi_executemany", "driver executemany of pre-generated rows", timed="insert"),
    Contender(
        "pg_copy",
        "PostgreSQL COPY of pre-generated rows",
        databases=("postgresql",),
        timed="insert",
    ),
    Contender("factory_boy_orm", "factory_boy SQLAlchemyModelFactory, flush per object", scale=10),
    Contender("polyfactory_orm", "polyfactory SQLAlchemyFactory create_batch_sync", scale=10),
    Contender(
        "seedspec_validate",
        "seedspec validate (whole process)",
        databases=(NONE,),
        writes=False,
        rows=False,
    ),
)
BY_NAME = {c.name: c for c in CATALOG}


@dataclass
class Measure:
    wall: float
    maxrss_kib: int
    n: int
    cpu: float = 0.0
    timed: float | None = None
    error: str | None = None


@dataclass
class Results:
    measures: dict[tuple[str, str], list[Measure]] = field(default_factory=dict)

    def add(self, database: str, name: str, measure: Measure) -> None:
        self.measures.setdefault((database, name), []).append(measure)

    def ok(self, database: str, name: str) -> list[Measure]:
        return [m for m in self.measures.get((database, name), []) if m.error is None]

    def failures(self, database: str, name: str) -> list[Measure]:
        return [m for m in self.measures.get((database, name), []) if m.error is not None]

    def wall(self, database: str, name: str) -> float | None:
        ok = self.ok(database, name)
        return statistics.median(m.wall for m in ok) if ok else None

    def cpu(self, database: str, name: str) -> float | None:
        ok = self.ok(database, name)
        return statistics.median(m.cpu for m in ok) if ok else None

    def timed(self, database: str, name: str) -> float | None:
        values = [m.timed for m in self.ok(database, name) if m.timed is not None]
        return statistics.median(values) if values else None

    def rate(self, database: str, name: str) -> float | None:
        """Rows per second: over the contender's own timed section if it has one, else wall time."""
        ok = self.ok(database, name)
        seconds = self.timed(database, name) or self.wall(database, name)
        return total_rows(ok[0].n) / seconds if ok and seconds else None


# -- databases -----------------------------------------------------------------------------------


class Databases:
    """Fresh databases: a SQLite file in a temporary folder, or a PostgreSQL database."""

    def __init__(self, pg_url: str, prefix: str = "bench") -> None:
        from sqlalchemy.engine import make_url

        self.pg_url = make_url(pg_url)
        self.prefix = prefix
        self.counter = 0
        self.folder = Path(tempfile.mkdtemp(prefix="seedspec-bench-"))

    @contextlib.contextmanager
    def fresh(self, database: str) -> Iterator[str | None]:
        self.counter += 1
        if database == NONE:
            yield None
        elif database == "sqlite":
            path = self.folder / f"bench_{self.counter}.db"
            try:
                yield f"sqlite:///{path}"
            finally:
                path.unlink(missing_ok=True)
        else:
            name = f"{self.prefix}_{os.getpid()}_{self.counter}"
            self._admin(f'CREATE DATABASE "{name}"')
            try:
                yield self.pg_url.set(database=name).render_as_string(hide_password=False)
            finally:
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        url = self.pg_url
        with psycopg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password, dbname="postgres"
        ) as connection:
            connection.autocommit = True
            connection.execute(sql)  # type: ignore[arg-type]

    def pg_version(self) -> str:
        import psycopg

        url = self.pg_url
        with psycopg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password, dbname="postgres"
        ) as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def row_counts(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            return {t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


# -- running one contender -----------------------------------------------------------------------


def command(contender: Contender, url: str | None, n: int) -> tuple[list[str], dict[str, str] | None]:
    """The contender's command: its own ``command()`` if it has one (the seedspec CLI), else the script."""
    script = CONTENDERS / f"{contender.name}.py"
    build: Callable[[str | None, int], tuple[list[str], dict[str, str]]] | None = runpy.run_path(
        str(script)
    ).get("command")
    if build is not None:
        return build(url, n)
    argv = [sys.executable, str(script), "--n", str(n)]
    if url is not None:
        argv += ["--database-url", url]
    return argv, None


Outcome = tuple[float, float, int, int, str, str]  # wall s, CPU s, exit code, peak RSS KiB, stdout, stderr


def spawn(
    argv: Sequence[str], env: dict[str, str] | None, timeout: float, *, terminal: bool = False
) -> Outcome:
    """Run a process to its end: (wall seconds, CPU seconds, exit code, peak RSS KiB, stdout, stderr).

    Through ``_launch.py``, so that the peak RSS is the contender's own, not this process's. With
    ``terminal``, its stderr is a pseudo-terminal and ``stderr`` what was drawn on it.
    """
    with tempfile.TemporaryDirectory(prefix="seedspec-bench-") as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        pty = ["--stderr-pty"] if terminal else []
        launcher = [sys.executable, "-I", "-S", str(LAUNCHER), *pty, str(out), str(err), *argv]
        process = subprocess.Popen(  # noqa: S603 - our own launcher and contender
            launcher, stdout=subprocess.PIPE, env=env, cwd=ROOT, start_new_session=True, text=True
        )
        try:
            report, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return timeout, 0.0, -signal.SIGKILL, 0, "", f"killed after {timeout:.0f} s"
        if process.returncode != 0:
            return 0.0, 0.0, process.returncode, 0, "", f"the launcher failed: {report.strip()}"
        measured = json.loads(report)
        return (
            measured["wall"],
            measured["cpu"],
            measured["exit"],
            measured["maxrss_kib"],
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
        )


def run_one(contender: Contender, database: str, url: str | None, n: int, timeout: float) -> Measure:
    argv, env = command(contender, url, n)
    before = row_counts(url) if url and contender.after else None
    wall, cpu, code, maxrss, out, err = spawn(argv, env, timeout, terminal=contender.terminal)
    measure = Measure(wall=wall, maxrss_kib=maxrss, n=n, cpu=cpu)
    if code != 0:
        shown = shlex.join(argv).replace(str(ROOT) + "/", "")
        if env is not None:
            shown = " ".join(f"{k}={env[k]}" for k in ("N", "WORKLOAD_DDL") if k in env) + " " + shown
        measure.error = f"exit {code}: `{shown}`: {tail(err or out)}"
        return measure
    for line in out.splitlines():
        if line.startswith("{"):
            measure.timed = json.loads(line).get("timed_s")
    if contender.terminal and BAR not in err:
        measure.error = f"no progress bar was drawn on the terminal (no {BAR!r} in its output): {tail(err)}"
        return measure
    if url and contender.writes:
        counts = row_counts(url)
        expected = {"users": n, "tags": 50, "posts": 5 * n, "post_tags": 10 * n}
        if before is not None and counts != before:
            measure.error = f"the re-run changed the row counts: {before} -> {counts}"
        elif counts != expected:
            measure.error = f"wrong row counts {counts}, expected {expected}"
    return measure


def tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[-1500:] or "(no output)"


# -- the run -------------------------------------------------------------------------------------


def groups(selected: Sequence[Contender]) -> list[list[Contender]]:
    """Contenders with the ones that follow them on the same database (first apply, then re-apply)."""
    heads = [c for c in selected if c.after is None]
    return [[head, *(c for c in selected if c.after == head.name)] for head in heads]


def schedule(
    selected: Sequence[Contender], databases: Sequence[str], run: int, runs: int
) -> list[tuple[str, list[Contender]]]:
    """One run's (database, group) tasks: databases alternating, the start moved on at every run."""
    lanes = [[(db, g) for g in groups(selected) if db in g[0].databases] for db in (*databases, NONE)]
    tasks: list[tuple[str, list[Contender]]] = []
    for i in range(max(map(len, lanes), default=0)):
        tasks.extend(lane[i] for lane in lanes if i < len(lane))
    shift = run * len(tasks) // max(runs, 1)
    return tasks[shift:] + tasks[:shift]


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def benchmark(args: argparse.Namespace, selected: Sequence[Contender], dbs: Databases) -> Results:
    results = Results()
    for run in range(args.runs):
        for database, group in schedule(selected, args.databases, run, args.runs):
            with dbs.fresh(database) as url:
                for contender in group:
                    n = contender.n(args.n)
                    measure = run_one(contender, database, url, n, args.timeout)
                    results.add(database, contender.name, measure)
                    status = "ok" if measure.error is None else f"FAILED {measure.error}"
                    log(
                        f"[run {run + 1}/{args.runs}] {database:<10} {contender.name:<27} n={n:<6} "
                        f"{measure.wall:7.2f} s (CPU {measure.cpu:6.2f} s) "
                        f"{measure.maxrss_kib / MIB:6.0f} MiB {status}"
                    )
                    if measure.error is not None and contender.after is None:
                        break  # its followers would measure a broken database
    return results


# -- the report ----------------------------------------------------------------------------------


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return f"{cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.system()} {platform.release()}"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_state() -> str:
    def git(*argv: str) -> str:
        done = subprocess.run(  # noqa: S603 - read-only queries of the work tree
            ["git", "--no-optional-locks", *argv],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "?"
    diff = git("diff", "HEAD", "--", "seedspec")
    if not diff:
        return head
    digest = hashlib.sha256(diff.encode()).hexdigest()[:8]
    return f"{head} with uncommitted changes under seedspec/ (diff sha256 {digest})"


def seedspec_state(before: str, after: str) -> str:
    """The seedspec measured: the work tree (an editable install) at the start and end of the run."""
    if before == after:
        return f"commit {before}"
    return f"commit {before} at the start of the run, {after} at its end (the work tree changed meanwhile)"


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def mark(value: float | None, bound: float, below: bool = True) -> str:
    if value is None:
        return "n/a"
    return "pass" if (value <= bound if below else value >= bound) else "**fail**"


def table(results: Results, database: str, selected: Sequence[Contender]) -> list[str]:
    lines = [
        f"| contender | N | rows | wall median [min{DASH}max] | CPU | own timed section | rows/s "
        "| peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for contender in selected:
        if database not in contender.databases or (database, contender.name) not in results.measures:
            continue
        ok = results.ok(database, contender.name)
        failures = results.failures(database, contender.name)
        n = (ok or failures)[0].n
        rows = f"{total_rows(n):,}" if contender.rows else "—"
        if not ok:
            lines.append(f"| {contender.label} | {n:,} | {rows} | **failed** | | | | |")
            continue
        walls = [m.wall for m in ok]
        timed = results.timed(database, contender.name)
        own = f"{timed:.2f} s ({contender.timed})" if timed is not None else ""
        peak = max(m.maxrss_kib for m in ok) / MIB
        runs = f" ({len(ok)} of {len(ok) + len(failures)} runs)" if failures else ""
        lines.append(
            f"| {contender.label}{runs} | {n:,} | {rows} | "
            f"{statistics.median(walls):.2f} s [{min(walls):.2f}{DASH}{max(walls):.2f}] | "
            f"{statistics.median(m.cpu for m in ok):.2f} s | {own} | "
            f"{rate(results.rate(database, contender.name)) if contender.rows else '—'} | {peak:.0f} MiB |"
        )
    return lines


def bounds(results: Results) -> list[str]:
    """What bounds the SQLite and re-apply ratios, with this run's figures where it has them."""
    faker = results.cpu(NONE, "faker_generate")
    hand = results.wall("sqlite", "core_first_or_create")
    first, first_cpu = results.wall("sqlite", "seedspec_apply"), results.cpu("sqlite", "seedspec_apply")
    if faker is None or hand is None or first is None or first_cpu is None:
        return []
    n = results.ok("sqlite", "seedspec_apply")[0].n
    factory_boy = results.rate("sqlite", "factory_boy_orm") or float("inf")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    seeded = faker * SEEDING
    return [
        "",
        "## What bounds the ratios not met",
        "",
        f"- **SQLite first apply.** 0.7 times the hand-written contender is {0.7 * hand:.2f} s. Drawing the",
        f"  workload's Faker values alone takes {faker:.2f} s of CPU (the Faker contender). seedspec",
        "  seeds every value on its own (what makes parallel runs equal serial ones): a Mersenne",
        f"  Twister reseed per value, about {SEEDING - 1:.0%} on top of Faker (profiled, 2026-11-22), so",
        f"  {seeded:.2f} s of CPU, at best {seeded / cores:.2f} s over this machine's {cores} cores. Then",
        "  the process's start (imports, validation, DDL) and the post_tags step (100,000 rows without",
        "  a Faker value: refs picked and inserted) run on one core, in the main process. seedspec",
        f"  used {first_cpu:.2f} s of CPU for {first:.2f} s of wall time.",
        "- **factory_boy on SQLite.** Twelve times factory_boy's rows/s asks for this first apply in",
        f"  {total_rows(n) / (12 * factory_boy):.2f} s: bounded as above.",
        "- **Re-apply.** A re-apply draws the key fields of every row: the users' emails (Faker's",
        "  costliest value here, about 65 µs each) and the posts' titles, about a third of all the",
        "  Faker CPU, then looks 160,050 keys up and compares them. The faster the first apply, the",
        "  harder this ratio.",
    ]


SEEDING = 1.25  # Faker CPU with a reseed per value ÷ without, on this workload (profiled)


FLOORS = {"sqlite": "dbapi_executemany", "postgresql": "pg_copy"}  # the insert floors, whole process


def targets(results: Results, databases: Sequence[str], rss_100k: Measure | None) -> list[str]:
    lines = ["| target | database | value | bound | result |", "|---|---|---:|---:|---|"]

    def row(
        name: str, database: str, value: float | None, bound: str, verdict: str, fmt: str = "{:.2f}"
    ) -> None:
        shown = "n/a" if value is None else fmt.format(value)
        lines.append(f"| {name} | {TITLES[database]} | {shown} | {bound} | {verdict} |")

    for db in databases:
        first = results.wall(db, "seedspec_apply")
        value = ratio(first, results.wall(db, "core_first_or_create"))
        row(
            "seedspec first apply ÷ hand-written first-or-create (wall)", db, value, "≤ 0.7", mark(value, 0.7)
        )
    for db in databases:
        value = ratio(results.wall(db, "seedspec_reapply"), results.wall(db, "seedspec_apply"))
        row("seedspec re-apply ÷ first apply (wall)", db, value, "≤ 0.3", mark(value, 0.3))
    for db in databases:
        value = ratio(results.wall(db, "seedspec_apply_progress"), results.wall(db, "seedspec_apply"))
        row(
            "seedspec first apply with progress bars ÷ without (wall)", db, value, "≤ 1.02", mark(value, 1.02)
        )
    for db in databases:
        value = ratio(results.rate(db, "seedspec_apply"), results.rate(db, "factory_boy_orm"))
        row("seedspec rows/s ÷ factory_boy rows/s", db, value, "≥ 12", mark(value, 12, below=False), "{:.1f}")
    if "postgresql" in databases:
        generation = results.wall(NONE, "faker_generate")
        copy = results.timed("postgresql", "pg_copy")
        floor = generation + copy if generation is not None and copy is not None else None
        value = ratio(results.wall("postgresql", "seedspec_apply"), floor)
        row(
            "seedspec first apply ÷ (Faker generation + COPY)", "postgresql", value, "≤ 1.1", mark(value, 1.1)
        )
    for db in databases:  # the vectorised tier's targets (#17)
        first, floor = results.wall(db, "seedspec_apply"), results.wall(db, FLOORS[db])
        value = ratio(first, results.wall(db, "core_first_or_create"))
        row("#17: first apply ÷ hand-written first-or-create (wall)", db, value, "≤ 0.3", mark(value, 0.3))
        value = ratio(first, floor)
        row(f"#17: first apply ÷ insert floor ({FLOORS[db]}, wall)", db, value, "≤ 2", mark(value, 2))
        value = ratio(results.wall(db, "seedspec_reapply"), floor)
        row(f"#17: re-apply ÷ insert floor ({FLOORS[db]}, wall)", db, value, "≤ 1.25", mark(value, 1.25))
        value = ratio(results.rate(db, "seedspec_apply"), results.rate(db, "factory_boy_orm"))
        row("#17: rows/s ÷ factory_boy rows/s", db, value, "≥ 50", mark(value, 50, below=False), "{:.1f}")
    value = ratio(results.rate(NONE, "seedspec_build_csv"), results.rate(NONE, "faker_generate"))
    row(
        "#17: build rows/s ÷ Faker generation rows/s",
        NONE,
        value,
        "≥ 10",
        mark(value, 10, below=False),
        "{:.1f}",
    )
    validate = results.wall(NONE, "seedspec_validate")
    row(
        "`seedspec validate benchmarks/workload.yaml` wall",
        NONE,
        validate,
        "≤ 0.5 s",
        mark(validate, 0.5),
        "{:.3f} s",
    )
    if rss_100k is None:
        lines.append(
            "| seedspec apply peak RSS at N = 100,000 | SQLite | not measured (give `--rss-100k`) "
            "| ≤ 250 MiB | n/a |"
        )
    elif rss_100k.error is not None:
        lines.append(
            "| seedspec apply peak RSS at N = 100,000 | SQLite | **failed** | ≤ 250 MiB | **fail** |"
        )
    else:
        mib = rss_100k.maxrss_kib / MIB
        row(
            f"seedspec apply peak RSS at N = 100,000 ({rss_100k.wall:.0f} s wall)",
            "sqlite",
            mib,
            "≤ 250 MiB",
            mark(mib, 250),
            "{:.0f} MiB",
        )
    return lines


def report(
    args: argparse.Namespace,
    selected: Sequence[Contender],
    results: Results,
    rss_100k: Measure | None,
    pg_version: str | None,
    started: dt.datetime,
    elapsed: float,
    seedspec_before: str,
) -> str:
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    argv = [python, os.path.relpath(Path(__file__).resolve(), ROOT), *sys.argv[1:]]
    versions = [
        f"Python {platform.python_version()}",
        f"SQLAlchemy {version('sqlalchemy')}",
        f"Faker {version('faker')}",
        f"psycopg {version('psycopg')}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    if pg_version is not None:
        versions.append(f"PostgreSQL {pg_version}")
    versions += [f"factory_boy {version('factory-boy')}", f"polyfactory {version('polyfactory')}"]
    out = [
        "# Seeding benchmarks",
        "",
        "The workload of the performance issue (`benchmarks/workload.yaml`): N users, 50 tags, 5 posts per",
        "user, 2 distinct tags per post — 16N + 50 rows. Produced by `benchmarks/run.py`; every contender",
        "(`benchmarks/contenders/`) runs as its own process on a fresh database, contenders interleaved and",
        "the order rotated between runs. The machine drifts between runs: compare figures of one report.",
        "",
        f"- Command: `{shlex.join(argv)}` (run from the repository root)",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M %Z').strip()}, {elapsed / 60:.1f} min in all, "
        f"{args.runs} run{'s' * (args.runs != 1)} per contender",
        f"- Machine: {machine()}",
        f"- Versions: {', '.join(versions)}",
        f"- seedspec: {seedspec_state(seedspec_before, git_state())}",
        "",
        "Columns: *wall* is the whole process (interpreter start-up and imports included); *CPU* is its",
        "user + system time (median), worker processes it forked and reaped included, so CPU above wall",
        "means it used both cores; *own timed section* is what the contender timed itself (the inserts",
        "alone for pre-generated rows, the generation alone for Faker); *rows/s* divides the rows by that",
        "section when there is one, else by the wall median; *peak RSS* is the highest `ru_maxrss` over the",
        "runs: that of the largest single process of the contender (forked workers are not added up).",
        "factory_boy and polyfactory run at N/10, so compare them by rows/s. The database server's own",
        "CPU and memory are not counted anywhere.",
        "",
        "How seedspec writes: rows are generated and written in batches of",
        "`settings.batch_size` (1,000). Between batches only what later steps read is kept: the ids and",
        "key columns that refs and `for_each` need, stored column by column, and the keys a step has",
        "already made only while a repeat is still possible (none when a key column is `unique`, only the",
        "current parent's when the key holds the parent's id), so memory grows with the rows refs point",
        "at, not with all rows. Worker processes (one per core) draw the Faker values of the next batches",
        "meanwhile. On PostgreSQL (psycopg 3) new rows are loaded with `COPY ... FROM STDIN`, the ids",
        "later steps need drawn first from the id column's sequence, each batch's COPY running in a",
        "thread while the next batch is drawn; on SQLite with one `executemany` per batch on the driver,",
        "the ids read first (one past the largest rowid: the ids the INSERT gives). A re-apply draws only",
        "the key fields, looks the keys up a batch at a time, and draws the other fields only for the",
        "rows it must create. Every process reads compiled modules (`run.py` compiles `seedspec/` first).",
        "",
        "The CLI draws progress bars only when stderr is a terminal: the *progress bars on a terminal*",
        "contender runs the first apply's very command (without `-q`, as the first apply runs: its summary",
        "goes to a file), its stderr a pseudo-terminal that the launcher (`benchmarks/_launch.py",
        "--stderr-pty`) opens and drains, so the process measured is still the CLI alone and the two differ",
        "by that terminal alone; the run fails if no bar was drawn.",
    ]
    for database in (*args.databases, NONE):
        out += ["", f"## {TITLES[database]}", "", *table(results, database, selected)]
    out += [
        "",
        "## Targets",
        "",
        "Ratios of medians within this run. The COPY floor is the Faker generation contender's wall time",
        "(a process that only generates) plus the COPY contender's insert time. The progress bars' bound",
        "(2%) is smaller than the drift between runs on a busy machine: compare their CPU column too.",
        "",
        *targets(results, args.databases, rss_100k),
        *bounds(results),
    ]
    failures = [
        (database, name, m)
        for (database, name), measures in results.measures.items()
        for m in measures
        if m.error is not None
    ]
    if rss_100k is not None and rss_100k.error is not None:
        failures.append(("sqlite", "seedspec_apply at N = 100,000", rss_100k))
    if failures:
        out += ["", "## Failures", ""]
        out += [f"- {TITLES[database]}, {name}: {m.error}" for database, name, m in failures]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="users (16N + 50 rows; default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every contender (default 3)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--only", help="comma-separated contender names (default: all)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "benchmarks.md", help="the Markdown report"
    )
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (a database per contender)"
    )
    parser.add_argument(
        "--db-prefix", default="bench", help="prefix of the PostgreSQL databases it creates and drops"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a contender is killed")
    parser.add_argument(
        "--rss-100k",
        action="store_true",
        help="also measure seedspec apply's peak RSS at N = 100,000 on SQLite",
    )
    args = parser.parse_args()
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(args.databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown databases {sorted(unknown)}: choose from {', '.join(DATABASES)}")
    names = [n.strip() for n in args.only.split(",")] if args.only else [c.name for c in CATALOG]
    if unknown := set(names) - set(BY_NAME):
        parser.error(f"unknown contenders {sorted(unknown)}: choose from {', '.join(BY_NAME)}")
    wanted = set(names)
    for name in names:  # a re-run needs the contender that fills its database
        while (after := BY_NAME[name].after) is not None:
            wanted.add(after)
            name = after
    selected = [c for c in CATALOG if c.name in wanted]

    # every process reads seedspec's compiled modules, as an installed package does, even where
    # PYTHONDONTWRITEBYTECODE would have each one compile them again
    compileall.compile_dir(ROOT / "seedspec", quiet=1)
    started = dt.datetime.now().astimezone()
    clock = time.perf_counter()
    seedspec_before = git_state()
    dbs = Databases(args.pg_url, args.db_prefix)
    try:
        pg_version = dbs.pg_version() if "postgresql" in args.databases else None
        results = benchmark(args, selected, dbs)
        rss_100k = None
        if args.rss_100k:
            with dbs.fresh("sqlite") as url:
                rss_100k = run_one(BY_NAME["seedspec_apply"], "sqlite", url, 100_000, args.timeout)
            log(
                f"[rss-100k] seedspec_apply n=100000 {rss_100k.wall:.1f} s "
                f"{rss_100k.maxrss_kib / MIB:.0f} MiB"
            )
    finally:
        dbs.close()
    elapsed = time.perf_counter() - clock
    text = report(args, selected, results, rss_100k, pg_version, started, elapsed, seedspec_before)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + kept_sections(args.out))
    log(f"wrote {args.out}")


MEMORY_SECTION = "## Memory at 10 M rows"  # written by hand from benchmarks/memory.py: kept


def kept_sections(out: Path) -> str:
    """The report's sections this run does not measure (from ``MEMORY_SECTION`` on), kept as they are."""
    old = out.read_text() if out.exists() else ""
    at = old.find(MEMORY_SECTION)
    return "" if at < 0 else "\n" + old[at:]


if __name__ == "__main__":
    main()
