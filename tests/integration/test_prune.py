"""Pruning on SQLite, PostgreSQL and MariaDB: the rows a spec owns and no longer declares are
listed by plan and removed by ``apply --prune``, never a row it does not own, and refused with
nothing written when unsafe."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import run_cli

import seedspec
from seedspec.errors import DatabaseError

SCHEMA = """\
CREATE TABLE roles (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE,
  role_id INTEGER NOT NULL REFERENCES roles (id));
"""
ROLES = ("admin", "editor", "viewer", "guest", "owner", "auditor")


def write_spec(folder: Path, roles: tuple[str, ...] = ROLES, users: int = 6, extra: str = "") -> Path:
    (folder / "schema.sql").write_text(SCHEMA, encoding="utf-8")
    records = "".join(f"      {r}: {{name: {r}}}\n" for r in roles)
    spec = folder / "spec.yaml"
    spec.write_text(
        f"""version: 1
tables: {{ddl: schema.sql, dialect: sqlite}}
settings: {{id: roles-and-users}}
{extra}factories:
  role:
    table: roles
    key: [name]
    fields:
      name: {{sequence: "role{{n}}"}}
  user:
    table: users
    key: [email]
    fields:
      email: {{sequence: "user{{n}}@example.com"}}
      role_id: {{ref: role.admin}}
seed:
  - factory: role
    records:
{records}  - factory: user
    count: {users}
""",
        encoding="utf-8",
    )
    return spec


def apply(url: str, spec: Path, **options: object) -> seedspec.Report:
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(seedspec.load(spec), engine, create=True, **options)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = seedspec.create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql))
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def names(url: str) -> list[object]:
    return sorted(r[0] for r in query(url, "SELECT name FROM roles"))


def emails(url: str) -> list[object]:
    return sorted(r[0] for r in query(url, "SELECT email FROM users"))


def test_plan_lists_and_prune_removes_exactly_what_the_spec_dropped(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    query(db_url, "INSERT INTO roles (name) VALUES ('by-hand')")
    query(
        db_url,
        "INSERT INTO users (email, role_id) SELECT 'hand@example.com', id FROM roles WHERE name = 'admin'",
    )
    write_spec(tmp_path, roles=("admin", "editor", "viewer", "owner"), users=5)  # guest, auditor gone

    result = run_cli("plan", spec, "--database-url", db_url, "--detailed-exitcode", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "pending removal: 3 rows the spec owns and no longer declares" in result.stdout
    for line in ("roles name='auditor'", "roles name='guest'", "users email='user5@example.com'"):
        assert f"  - {line} (step " in result.stdout
    assert names(db_url) == sorted([*ROLES, "by-hand"])  # plan removed nothing

    without = apply(db_url, spec)  # no prune: nothing deleted, the removals only listed
    assert (len(without.removals), without.pruned) == (3, False)
    assert len(names(db_url)) == 7

    report = apply(db_url, spec, prune=True)
    assert report.pruned
    assert sorted((r.table, r.key) for r in report.removals) == [
        ("roles", ("auditor",)),
        ("roles", ("guest",)),
        ("users", ("user5@example.com",)),
    ]
    assert names(db_url) == ["admin", "by-hand", "editor", "owner", "viewer"]
    assert emails(db_url) == ["hand@example.com", *(f"user{n}@example.com" for n in range(5))]

    again = apply(db_url, spec, prune=True)
    assert (again.created, again.removals) == (0, ())
    result = run_cli("plan", spec, "--database-url", db_url, "--detailed-exitcode", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_a_renamed_key_is_one_removal_and_one_creation(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    write_spec(tmp_path, roles=("admin", "editor", "viewer", "visitor", "owner", "auditor"))
    result = run_cli("plan", spec, "--database-url", db_url, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import json

    against = json.loads(result.stdout)["against"]
    assert against["removals"] == [{"step": "role:records", "table": "roles", "key": {"name": "guest"}}]
    assert (against["created"], against["pending"]) == (1, True)
    report = apply(db_url, spec, prune=True)
    assert (report.created, [r.key for r in report.removals]) == (1, [("guest",)])
    assert names(db_url) == ["admin", "auditor", "editor", "owner", "viewer", "visitor"]


def test_rows_the_spec_does_not_own_referring_refuse_the_prune(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    query(
        db_url,
        "INSERT INTO users (email, role_id) SELECT 'hand@example.com', id FROM roles WHERE name = 'guest'",
    )
    write_spec(tmp_path, roles=("admin", "editor", "viewer", "owner", "auditor", "new"))
    before = query(db_url, "SELECT count(*) FROM seedspec_rows")
    result = run_cli("apply", spec, "--database-url", db_url, "--prune", cwd=tmp_path)
    assert result.returncode == 1
    assert "spec.yaml:17:5: error E742: cannot prune table roles: 1 row of table users that" in result.stderr
    assert names(db_url) == sorted(ROLES)  # nothing written: guest kept, new not created
    assert query(db_url, "SELECT count(*) FROM seedspec_rows") == before


def test_child_rows_the_spec_owns_go_before_their_parents(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    # the spec's users now point at 'auditor', then the spec drops both the users and the role
    query(
        db_url,
        "UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'auditor') "
        "WHERE email = 'user5@example.com'",
    )
    write_spec(tmp_path, roles=ROLES[:5], users=5)
    report = apply(db_url, spec, prune=True)
    assert len(report.removals) == 2
    assert names(db_url) == sorted(ROLES[:5])
    assert emails(db_url) == [f"user{n}@example.com" for n in range(5)]


def test_removing_more_than_half_of_a_table_needs_force(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    write_spec(tmp_path, roles=("admin", "editor"))
    with pytest.raises(DatabaseError) as refused:
        apply(db_url, spec, prune=True)
    (d,) = refused.value.diagnostics
    assert d.code == "E740"
    assert "4 of the 6 rows the spec owns there" in d.message
    assert len(names(db_url)) == 6
    assert len(apply(db_url, spec, prune=True, force=True).removals) == 4
    assert names(db_url) == ["admin", "editor"]


def test_a_step_that_declares_nothing_refuses_the_prune(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    write_spec(tmp_path, users=0)
    with pytest.raises(DatabaseError) as refused:
        apply(db_url, spec, prune=True, force=True)
    assert refused.value.diagnostics[0].code == "E741"
    assert len(emails(db_url)) == 6


def test_the_production_guard_applies_to_pruning(sqlite_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(sqlite_url, spec, prune=True)
    write_spec(tmp_path, roles=ROLES[:5], extra="protect: ['sqlite:*']\n")
    result = run_cli("apply", spec, "--database-url", sqlite_url, "--prune", cwd=tmp_path)
    assert result.returncode == 1
    assert "E706" in result.stderr
    assert "apply and prune" in result.stderr
    assert len(names(sqlite_url)) == 6


def test_prune_in_a_callers_connection_and_the_async_twin(sqlite_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(sqlite_url, spec, prune=True)
    write_spec(tmp_path, roles=ROLES[:5])
    engine = seedspec.create_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            report = seedspec.apply(seedspec.load(spec), conn, prune=True)
            assert [r.key for r in report.removals] == [("auditor",)]
            conn.rollback()  # the caller's to decide: nothing of it stays
    finally:
        engine.dispose()
    assert "auditor" in names(sqlite_url)

    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine

    async def run() -> seedspec.Report:
        aengine = create_async_engine(sqlite_url.replace("sqlite://", "sqlite+aiosqlite://"))
        try:
            return await seedspec.apply_async(seedspec.load(spec), aengine, prune=True)
        finally:
            await aengine.dispose()

    assert [r.key for r in asyncio.run(run()).removals] == [("auditor",)]
    assert "auditor" not in names(sqlite_url)


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_concurrent_prunes_leave_no_partial_state(kind: str, new_db_url: object, tmp_path: Path) -> None:
    url = new_db_url(kind)  # type: ignore[operator]
    spec = write_spec(tmp_path)
    apply(url, spec, prune=True)
    write_spec(tmp_path, roles=ROLES[:4], users=4)
    reports: list[seedspec.Report] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            reports.append(apply(url, spec, prune=True))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(len(r.removals) for r in reports) == [0, 0, 4]  # the first removes, the others find it done
    assert names(url) == sorted(ROLES[:4])
    assert len(emails(url)) == 4
    assert query(url, "SELECT count(*) FROM seedspec_rows") == [(8,)]


def test_an_exact_table_loses_every_row_the_spec_does_not_declare(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    text = spec.read_text(encoding="utf-8").replace("    key: [name]\n", "    key: [name]\n    exact: true\n")
    spec.write_text(text, encoding="utf-8")
    apply(db_url, spec)  # no prune yet: no state table, and still the exact table is compared
    query(db_url, "INSERT INTO roles (name) VALUES ('by-hand')")
    result = run_cli("plan", spec, "--database-url", db_url, "--detailed-exitcode", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "  - roles name='by-hand' (step role:records)" in result.stdout
    assert emails(db_url)  # users is not exact: its rows are not listed
    assert "users email" not in result.stdout
    report = apply(db_url, spec, prune=True)
    assert [(r.table, r.key) for r in report.removals] == [("roles", ("by-hand",))]
    assert names(db_url) == sorted(ROLES)
    assert apply(db_url, spec, prune=True).removals == ()


def test_a_kept_row_of_the_spec_referring_to_a_removed_one_refuses_too(db_url: str, tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    apply(db_url, spec, prune=True)
    query(
        db_url,
        "UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'guest') "
        "WHERE email = 'user0@example.com'",
    )
    write_spec(tmp_path, roles=("admin", "editor", "viewer", "owner", "auditor"))
    with pytest.raises(DatabaseError) as refused:
        apply(db_url, spec, prune=True)
    (d,) = refused.value.diagnostics
    assert d.code == "E742"
    assert "1 row of table users that the prune does not remove" in d.message
    assert "guest" in names(db_url)
