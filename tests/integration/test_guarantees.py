"""The promises of docs/guarantees.md, each checked against real databases.

Idempotent, deterministic across processes, stable under growth; atomic when the process is
killed (``kill -9``) and safe under concurrent applies (all three databases); atomic when the
server cuts the connection (PostgreSQL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import EXAMPLES, run_cli, run_cli_process

GROWTH = EXAMPLES / "growth" / "growth.yaml"

# Natural rows: surrogate ids replaced by the keys they point at, so a database grown step by
# step and one filled at once compare equal even though their ids were handed out differently.
NATURAL = {
    "customers": "SELECT code, name, email, tier, joined FROM customers",
    "products": "SELECT sku, name, price FROM products",
    "orders": "SELECT c.code, p.sku, o.number, o.quantity, o.placed_at FROM orders o "
    "JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id",
}


def natural(url: str) -> dict[str, set[tuple[Any, ...]]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {table: {tuple(r) for r in conn.execute(sa.text(sql))} for table, sql in NATURAL.items()}
    finally:
        engine.dispose()


def seedspec_cli(
    *args: str, url: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--database-url", url, cwd=cwd, env=env)


def apply_growth(url: str, cwd: Path, customers: int, **env: str) -> subprocess.CompletedProcess[str]:
    # a hash seed takes effect only in a new interpreter
    run = run_cli_process if "PYTHONHASHSEED" in env else run_cli
    args = ("apply", str(GROWTH), "--create", "--format", "json", "--database-url", url)
    result = run(*args, cwd=cwd, env={"CUSTOMERS": str(customers), **env})
    assert result.returncode == 0, result.stderr
    return result


def created(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    return {t["table"]: t["created"] for t in json.loads(result.stdout)["tables"]}


# ------------------------------------------------------------------ idempotent and deterministic


def test_two_processes_with_other_hash_seeds_fill_two_fresh_databases_identically(
    db_kind: str, new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    first, second = new_db_url(db_kind), new_db_url(db_kind)
    apply_growth(first, tmp_path, 40, PYTHONHASHSEED="1")
    apply_growth(second, tmp_path, 40, PYTHONHASHSEED="2024")
    assert dump(first) == dump(second)


def test_reapplying_writes_nothing_and_a_replan_has_nothing_pending(db_url: str, tmp_path: Path) -> None:
    apply_growth(db_url, tmp_path, 40)
    before = dump(db_url)
    plan = seedspec_cli(
        "plan", str(GROWTH), "--detailed-exitcode", url=db_url, cwd=tmp_path, env={"CUSTOMERS": "40"}
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr
    again = apply_growth(db_url, tmp_path, 40)
    assert set(created(again).values()) == {0}
    assert dump(db_url) == before


def test_growing_a_count_creates_exactly_the_new_rows_and_changes_no_other(
    db_kind: str, new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    grown, fresh = new_db_url(db_kind), new_db_url(db_kind)
    apply_growth(grown, tmp_path, 40)
    before_dump, before = dump(grown), natural(grown)
    result = apply_growth(grown, tmp_path, 60)
    after = natural(grown)
    new_customers = {c[0] for c in after["customers"]} - {c[0] for c in before["customers"]}
    assert len(new_customers) == 20
    new_orders = {o for o in after["orders"] if o[0] in new_customers}
    assert created(result) == {"customers": 20, "products": 0, "orders": len(new_orders)}
    for table, rows in before_dump.items():  # every stored row is untouched, ids included
        assert set(rows) <= set(dump(grown)[table]), table
    apply_growth(fresh, tmp_path, 60)
    assert natural(fresh) == after  # growing step by step == applying the bigger spec at once


# ------------------------------------------------------------------ atomic, concurrent (servers)


def _watch_writes(kind: str, url: str) -> tuple[str, Callable[[], int | None]]:
    """``url`` (tagged where the server needs it), and a probe that gives the apply's server
    process (or 0 on SQLite) once the apply has written rows it has not committed."""
    if kind == "sqlite":  # the rollback journal holds the pages the open transaction changed
        journal = Path(sa.make_url(url).database or "").with_name(
            Path(sa.make_url(url).database or "").name + "-journal"
        )
        return url, lambda: 0 if journal.exists() and journal.stat().st_size > 0 else None
    if kind == "mariadb":  # the one session in this test's database with modified rows
        query = (
            "SELECT p.ID FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p "
            f"ON p.ID = t.trx_mysql_thread_id WHERE p.DB = '{sa.make_url(url).database}' "
            "AND t.trx_rows_modified > 0"
        )
        return url, _probe(url, query)
    name = f"seedspec_victim_{os.getpid()}"
    tagged = (
        sa.make_url(url).update_query_dict({"application_name": name}).render_as_string(hide_password=False)
    )
    # a backend gets a transaction id with its first write: the apply is then mid-transaction
    query = f"SELECT pid FROM pg_stat_activity WHERE application_name = '{name}' AND backend_xid IS NOT NULL"
    return tagged, _probe(url, query)


def _probe(url: str, query: str) -> Callable[[], int | None]:
    def probe() -> int | None:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                found = conn.execute(sa.text(query)).scalar()
                return None if found is None else int(found)
        finally:
            engine.dispose()

    return probe


def _wait_for_writes(probe: Callable[[], int | None], process: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the apply never started writing")


def _start_big_apply(url: str, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CUSTOMERS"] = "20000"  # ~80k rows: seconds of writing to interrupt
    return subprocess.Popen(
        [sys.executable, "-m", "seedspec", "apply", str(GROWTH), "--database-url", url],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_gone(url: str, backend: int) -> None:
    """The server notices the dead client and rolls its transaction back."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    query = (
        "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = :p"
        if admin.dialect.name in ("mysql", "mariadb")
        else "SELECT 1 FROM pg_stat_activity WHERE pid = :p"
    )
    try:
        with admin.connect() as conn:
            deadline = time.monotonic() + 30
            while conn.execute(sa.text(query), {"p": backend}).first():
                assert time.monotonic() < deadline, "the killed apply's session lingers"
                time.sleep(0.05)
    finally:
        admin.dispose()


@pytest.mark.parametrize(
    ("kind", "interruption"),
    [
        pytest.param("sqlite", "kill -9"),
        pytest.param("postgresql", "kill -9", marks=pytest.mark.postgres),
        pytest.param("mariadb", "kill -9", marks=pytest.mark.mariadb),
        pytest.param("postgresql", "connection cut", marks=pytest.mark.postgres),
    ],
)
def test_an_interrupted_apply_leaves_the_database_as_it_was(
    kind: str, interruption: str, new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = new_db_url(kind)
    apply_growth(url, tmp_path, 5)  # the tables and a few rows, committed
    before = dump(url)
    tagged, probe = _watch_writes(kind, url)
    process = _start_big_apply(tagged, tmp_path)
    try:
        backend = _wait_for_writes(probe, process)
        time.sleep(0.3)  # a few batches in
        if interruption == "kill -9":
            process.kill()
        else:
            admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            admin.dispose()
        _, err = process.communicate(timeout=60)
        if kind != "sqlite":
            _wait_until_gone(url, backend)
    finally:
        if process.poll() is None:
            process.kill()
    if interruption == "kill -9":
        assert process.returncode == -9
    else:
        assert process.returncode == 1, err
        assert "error E403: the database failed during apply, in step '" in err, err
        assert "Traceback" not in err
        assert "nothing was written" in err
    assert dump(url) == before  # no row, no orphan: the open transaction is gone
    apply_growth(url, tmp_path, 30)  # and the next apply simply works
    assert created(apply_growth(url, tmp_path, 30)) == dict.fromkeys(NATURAL, 0)


def test_a_connection_lost_inside_a_bulk_insert_is_e403_not_a_row_search(
    postgres_url: str, tmp_path: Path
) -> None:
    """The server ends the session in the middle of an INSERT (a trigger terminates its own
    backend): the batch must not be retried row by row on the dead link (that was an internal
    error), but reported as the database failing, with nothing written."""
    apply_growth(postgres_url, tmp_path, 5)
    before = dump(postgres_url)
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE FUNCTION cut_link() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN IF NEW.code = 'C00007' THEN PERFORM pg_terminate_backend(pg_backend_pid()); "
                "PERFORM pg_sleep(5); END IF; RETURN NEW; END $$"
            )
        )
        conn.execute(
            sa.text(
                "CREATE TRIGGER cut_link BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION cut_link()"
            )
        )
    engine.dispose()
    result = seedspec_cli("apply", str(GROWTH), url=postgres_url, cwd=tmp_path, env={"CUSTOMERS": "10"})
    assert result.returncode == 1, result.stderr
    assert "error E403: the database failed during apply, in step 'customers'" in result.stderr, result.stderr
    assert "terminating connection" in result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert dump(postgres_url) == before


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param("sqlite"),  # the second waits for SQLite's write lock, then finds every row
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_concurrent_applies_both_succeed_and_leave_no_duplicates(
    kind: str, new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    shared, alone = new_db_url(kind), new_db_url(kind)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CUSTOMERS"] = "1500"
    command = [sys.executable, "-m", "seedspec", "apply", str(GROWTH), "--create", "--database-url", shared]
    processes = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    apply_growth(alone, tmp_path, 1500)
    assert natural(shared) == natural(alone)
    engine = sa.create_engine(shared)
    try:
        with engine.connect() as conn:
            for table in NATURAL:
                count = conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar()
                assert count == len(natural(alone)[table]), table  # no duplicate rows
    finally:
        engine.dispose()
