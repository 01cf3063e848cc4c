"""The multi-tenant SaaS of ``specs_examples/apps/saas/`` on SQLite, PostgreSQL and MariaDB.

Applied, re-applied (nothing created), planned (``--detailed-exitcode`` 0), then checked in SQL:
every reference stays in its tenant and every child is dated after its parent (zero violations
over non-empty sets), the skews show, and the UUID keys are the same in two fresh databases,
in two processes and on the three databases.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, applied_app, assert_idempotent, copy_example, run_cli_process, scalar

FOLDER = EXAMPLES / "apps" / "saas"
SPEC = FOLDER / "saas.yaml"
TABLES = ("organizations", "users", "members", "projects", "tasks", "comments")

# (what is checked, the rows checked, the rows among them that break the rule)
VIOLATIONS = {
    "a task's assignee is a member of the task's organization": (
        "SELECT COUNT(*) FROM tasks t JOIN members m ON m.id = t.assignee_id",
        "SELECT COUNT(*) FROM tasks t JOIN members m ON m.id = t.assignee_id "
        "WHERE m.organization_id <> t.organization_id",
    ),
    "a task's organization is its project's": (
        "SELECT COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id",
        "SELECT COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id "
        "WHERE p.organization_id <> t.organization_id",
    ),
    "a comment's author is a member of the task's organization": (
        "SELECT COUNT(*) FROM comments c JOIN tasks t ON t.id = c.task_id "
        "JOIN members m ON m.id = c.author_id",
        "SELECT COUNT(*) FROM comments c JOIN tasks t ON t.id = c.task_id "
        "JOIN members m ON m.id = c.author_id WHERE m.organization_id <> t.organization_id",
    ),
    "a comment is written after its task was created": (
        "SELECT COUNT(*) FROM comments c JOIN tasks t ON t.id = c.task_id",
        "SELECT COUNT(*) FROM comments c JOIN tasks t ON t.id = c.task_id WHERE c.created_at <= t.created_at",
    ),
    "a task is created after its project": (
        "SELECT COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id",
        "SELECT COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id "
        "WHERE t.created_at <= p.created_at",
    ),
    "a project is created after its organization": (
        "SELECT COUNT(*) FROM projects p JOIN organizations o ON o.id = p.organization_id",
        "SELECT COUNT(*) FROM projects p JOIN organizations o ON o.id = p.organization_id "
        "WHERE p.created_at <= o.created_at",
    ),
    "a member joins after the organization exists": (
        "SELECT COUNT(*) FROM members m JOIN organizations o ON o.id = m.organization_id",
        "SELECT COUNT(*) FROM members m JOIN organizations o ON o.id = m.organization_id "
        "WHERE m.joined_at < o.created_at",
    ),
}


def _ids(url: str) -> dict[str, list[str]]:
    """Every table's primary keys as UUID text, sorted."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(
                    str(uuid.UUID(str(v))) for v in conn.execute(sa.text(f"SELECT id FROM {t}")).scalars()
                )
                for t in TABLES
            }
    finally:
        engine.dispose()


@pytest.fixture
def applied(db_url: str, tmp_path: Path) -> Iterator[sa.Connection]:
    """Applied twice, planned clean (``helpers.applied_app``)."""
    yield from applied_app(SPEC, db_url, tmp_path, at_least=301)


@pytest.mark.parametrize("rule", list(VIOLATIONS))
def test_no_row_breaks_the_rule(applied: sa.Connection, rule: str) -> None:
    checked, broken = VIOLATIONS[rule]
    assert scalar(applied, checked) > 0, f"nothing checked for: {rule}"
    assert scalar(applied, broken) == 0, rule


def test_the_skews_show(applied: sa.Connection) -> None:
    # most organizations have one project (zipf count); task counts per project spread out
    per_org = [
        r[0] for r in applied.execute(sa.text("SELECT COUNT(*) FROM projects GROUP BY organization_id"))
    ]
    assert max(per_org) <= 6
    assert per_org.count(1) > len(per_org) / 3
    per_project = [r[0] for r in applied.execute(sa.text("SELECT COUNT(*) FROM tasks GROUP BY project_id"))]
    assert min(per_project) >= 2
    assert max(per_project) <= 25
    assert len(set(per_project)) > 4
    # a few members get most tasks: the busiest fifth of the members hold more than half of them
    loads = sorted(
        (
            r[0]
            for r in applied.execute(
                sa.text(
                    "SELECT COUNT(t.id) FROM members m "
                    "LEFT JOIN tasks t ON t.assignee_id = m.id GROUP BY m.id"
                )
            )
        ),
        reverse=True,
    )
    assert sum(loads[: len(loads) // 5]) * 2 > sum(loads)
    assert max(loads) <= 12  # max_picks
    # the v7 ids carry their rows' times: sorted by id is sorted by joined_at
    members = applied.execute(sa.text("SELECT id, joined_at FROM members")).all()
    by_id = [str(t) for _, t in sorted(members, key=lambda r: str(uuid.UUID(str(r[0]))))]
    assert by_id == sorted(by_id)
    assert all(uuid.UUID(str(i)).version == 7 for i, _ in members)


# two "machines": different checkout paths, hash seeds, time zones and locales
MACHINES = (
    {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland", "LC_ALL": "C.UTF-8"},
)


def test_ids_are_the_same_in_two_processes(
    tmp_path: Path, new_db_url: Callable[[str], str], db_kind: str
) -> None:
    found = []
    for number, machine in enumerate(MACHINES):
        folder = copy_example(FOLDER, tmp_path / f"machine{number}" / "saas")
        url = new_db_url(db_kind)
        done = run_cli_process(
            "apply", "saas.yaml", "--create", cwd=folder, env={"DATABASE_URL": url, **machine}
        )
        assert done.returncode == 0, done.stderr
        found.append(_ids(url))
    first, second = found
    assert all(first[t] for t in TABLES)
    assert first == second


@pytest.mark.postgres
@pytest.mark.mariadb
def test_ids_are_the_same_on_the_three_databases(new_db_url: Callable[[str], str]) -> None:
    found = []
    for kind in ("sqlite", "postgresql", "mariadb"):
        url = new_db_url(kind)
        assert_idempotent(SPEC, url)
        found.append(_ids(url))
    assert sum(len(ids) for ids in found[0].values()) > 300
    assert found[0] == found[1] == found[2]
    every = [i for ids in found[0].values() for i in ids]
    assert len(every) == len(set(every))  # no id shared by two rows, in any table
