"""``after_create`` hooks on SQLite, PostgreSQL and MariaDB: they run once per created row, in the
apply's transaction, never for rows found again; a failing hook is a located error that rolls back
everything."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import apply_spec, run_cli

METADATA = sa.MetaData()
sa.Table(
    "accounts",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
    sa.Column("owner_id", sa.Integer),
    sa.Column("plan", sa.String(20), nullable=False, server_default="free"),  # filled by the database
)
sa.Table(
    "users",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("email", sa.String(100), nullable=False, unique=True),
)
sa.Table(
    "hook_log",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("account_id", sa.Integer),
    sa.Column("user_id", sa.Integer),
    sa.Column("note", sa.String(100)),
    sa.Column("batch", sa.Integer),
)

OWNER_SQL = "UPDATE accounts SET owner_id = :id WHERE id = :account_id AND owner_id IS NULL"
SPEC = f"""\
version: 1
settings: {{seed: 3, batch_size: 4}}
factories:
  account:
    table: accounts
    key: [name]
    fields:
      name: {{sequence: "account{{n:02d}}"}}
    after_create:
      sql: "INSERT INTO hook_log (source, account_id, note) VALUES ('account', :id, :plan)"
  user:
    table: users
    key: [email]
    fields:
      account_id: {{ref: account}}
      email: {{sequence: "user{{n:03d}}@example.com"}}
    after_create:
      - sql: "{OWNER_SQL}"
seed:
  - factory: account
    count: 3
  - factory: user
    for_each: account
    count: 3
    after_create: {{python: "hook_funcs:log_users"}}
"""
HOOK_FUNCS = '''\
import sqlalchemy as sa


def log_users(rows, connection):
    """Runs after the factory's SQL hook: every account of these users must have its owner."""
    ids = sorted({row["account_id"] for row in rows})
    owners = connection.execute(
        sa.text("SELECT owner_id FROM accounts WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)
        ),
        {"ids": ids},
    ).scalars().all()
    if None in owners:
        raise RuntimeError("the factory's hook did not run first")
    connection.execute(
        sa.text(
            "INSERT INTO hook_log (source, account_id, user_id, note, batch) "
            "VALUES ('user', :account_id, :id, :note, :batch)"
        ),
        [{**row, "note": ",".join(sorted(row)), "batch": len(rows)} for row in rows],
    )


def explode(rows, connection):
    raise ValueError(f"no owner for {len(rows)} users")


def bad_sql(rows, connection):
    connection.execute(sa.text("SELECT missing_column FROM users"))
'''


@pytest.fixture
def project(tmp_path: Path, db_url: str) -> Path:
    """A directory with the spec, its hook module, and the tables created in ``db_url``."""
    engine = sa.create_engine(db_url)
    try:
        METADATA.create_all(engine)
    finally:
        engine.dispose()
    (tmp_path / "hook_funcs.py").write_text(HOOK_FUNCS, encoding="utf-8")
    _write(tmp_path, SPEC)
    return tmp_path


def _write(directory: Path, text: str, name: str = "seeds.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def _log(url: str, source: str) -> list[tuple[object, ...]]:
    return _rows(url, f"SELECT account_id, user_id, note, batch FROM hook_log WHERE source = '{source}'")


def test_hooks_run_once_per_created_row(project: Path, db_url: str) -> None:
    report = apply_spec(project / "seeds.yaml", db_url)
    assert report.created == 12

    accounts = _rows(db_url, "SELECT id, plan FROM accounts")
    users = _rows(db_url, "SELECT id, account_id, email FROM users")
    # the SQL hook of the factory: once per account, with its database-filled columns bound
    assert sorted(_log(db_url, "account")) == sorted((i, None, plan, None) for i, plan in accounts)
    # the owner hook: the first user created in each account owns it
    first_user = {account: min(u for u, a, _ in users if a == account) for account, _ in accounts}
    assert dict(_rows(db_url, "SELECT id, owner_id FROM accounts")) == first_user
    # the step's python hook: once per batch (4, 4, 1 rows), with every column of the rows
    user_log = _log(db_url, "user")
    assert sorted((u, a) for a, u, _, _ in user_log) == sorted((u, a) for u, a, _ in users)
    assert {note for _, _, note, _ in user_log} == {"account_id,email,id"}
    assert Counter(batch for _, _, _, batch in user_log) == {4: 8, 1: 1}


def test_hooks_do_not_run_for_rows_found_again(project: Path, db_url: str) -> None:
    apply_spec(project / "seeds.yaml", db_url)
    before = dump(db_url)

    again = apply_spec(project / "seeds.yaml", db_url)
    assert (again.created, again.existing) == (0, 12)
    assert dump(db_url) == before

    grown = _write(project, SPEC.replace("count: 3\n  - factory: user", "count: 4\n  - factory: user"))
    assert apply_spec(grown, db_url).created == 4  # one account and its three users
    assert len(_log(db_url, "account")) == 4
    assert len(_log(db_url, "user")) == 12
    owners = dict(_rows(db_url, "SELECT id, owner_id FROM accounts"))
    old = {row[0]: row[2] for row in before["accounts"]}
    assert {k: owners[k] for k in old} == old  # existing accounts keep their owners
    assert None not in owners.values()


def test_plan_against_the_database_neither_imports_nor_runs_hooks(project: Path, db_url: str) -> None:
    _write(project, SPEC.replace("hook_funcs:log_users", "no_such_module:hook"))
    before = dump(db_url)
    result = run_cli("plan", "seeds.yaml", "--database-url", db_url, cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"     after_create: sql {OWNER_SQL}\n" in result.stdout
    assert "     after_create: python no_such_module:hook\n" in result.stdout
    assert dump(db_url) == before


# -- failing hooks --------------------------------------------------------------------------------


def _fails_cleanly(project: Path, db_url: str, spec: str, code: str, hook_text: str) -> str:
    """Apply ``spec`` over a seeded database: exit 1, no traceback, located at the hook, and the
    database exactly as before. Returns the output."""
    assert apply_spec(project / "seeds.yaml", db_url).created == 12
    before = dump(db_url)
    result: subprocess.CompletedProcess[str] = run_cli(
        "apply", _write(project, spec, "grown.yaml").name, "--database-url", db_url, cwd=project
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    match = re.search(rf"^grown\.yaml:(\d+):(\d+): error {code}: ", output, re.MULTILINE)
    assert match, output
    line = next(i for i, text in enumerate(spec.splitlines(), 1) if hook_text in text)
    assert int(match[1]) == line, output
    assert dump(db_url) == before
    return output


GROWN = SPEC.replace("count: 3\n  - factory: user", "count: 5\n  - factory: user")


def test_a_failing_sql_hook_rolls_everything_back(project: Path, db_url: str) -> None:
    broken = "UPDATE accounts SET no_such_column = 1 WHERE id = :account_id"
    output = _fails_cleanly(project, db_url, GROWN.replace(OWNER_SQL, broken), "E508", broken)
    assert "the after_create hook (sql) of step 'user<account' (table 'users') failed: " in output
    assert "no_such_column" in output
    assert "at /factories/user/after_create/0/sql" in output
    assert "hint: nothing was written: the whole apply was rolled back" in output


def test_a_raising_python_hook_rolls_everything_back(project: Path, db_url: str) -> None:
    spec = GROWN.replace("hook_funcs:log_users", "hook_funcs:explode")
    output = _fails_cleanly(project, db_url, spec, "E508", "hook_funcs:explode")
    assert (
        "the after_create hook 'hook_funcs:explode' of step 'user<account' (table 'users') failed: "
        "ValueError: no owner for 3 users" in output  # the first batch with new users holds 3
    )
    assert "at /seed/1/after_create/python" in output


def test_a_python_hook_whose_sql_fails_rolls_everything_back(project: Path, db_url: str) -> None:
    spec = GROWN.replace("hook_funcs:log_users", "hook_funcs:bad_sql")
    output = _fails_cleanly(project, db_url, spec, "E508", "hook_funcs:bad_sql")
    assert "missing_column" in output


def test_a_hook_that_cannot_be_imported_is_e509(project: Path, db_url: str) -> None:
    spec = GROWN.replace("hook_funcs:log_users", "hook_funcs:log_user")
    output = _fails_cleanly(project, db_url, spec, "E509", "hook_funcs:log_user")
    assert "cannot import after_create hook 'hook_funcs:log_user': AttributeError" in output
