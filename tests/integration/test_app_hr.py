"""The HR schema of ``specs_examples/apps/hr/`` on SQLite, PostgreSQL and MariaDB: applied twice
(the second apply creates nothing, ``plan --detailed-exitcode`` is 0), then each rule the spec
states is counted in SQL: zero violations, over sets that are not empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, applied_app
from helpers import scalar as count

SPEC = EXAMPLES / "apps" / "hr" / "hr.yaml"


@pytest.fixture
def hr(db_url: str, tmp_path: Path) -> Iterator[sa.Connection]:
    yield from applied_app(SPEC, db_url, tmp_path, at_least=101)


def test_employees_are_hired_after_their_department_exists(hr: sa.Connection) -> None:
    wrong = count(
        hr,
        "SELECT COUNT(*) FROM employees e JOIN departments d ON d.id = e.department_id "
        "WHERE e.hired_on < d.founded_on",
    )
    assert wrong == 0
    assert count(hr, "SELECT COUNT(*) FROM employees") > 20


def test_salaries_start_on_or_after_the_hire_date(hr: sa.Connection) -> None:
    wrong = count(
        hr,
        "SELECT COUNT(*) FROM salaries s JOIN employees e ON e.id = s.employee_id "
        "WHERE s.starts_on < e.hired_on",
    )
    assert wrong == 0
    assert count(hr, "SELECT COUNT(*) FROM salaries") > 20


def test_managers_belong_to_the_department_they_manage(hr: sa.Connection) -> None:
    wrong = count(
        hr,
        "SELECT COUNT(*) FROM department_managers m JOIN employees e ON e.id = m.employee_id "
        "WHERE e.department_id <> m.department_id OR m.since < e.hired_on",
    )
    assert wrong == 0
    assert count(hr, "SELECT COUNT(*) FROM department_managers") == count(
        hr, "SELECT COUNT(*) FROM departments"
    )


def test_terminated_on_is_null_unless_the_status_says_terminated(hr: sa.Connection) -> None:
    wrong = count(
        hr,
        "SELECT COUNT(*) FROM employees WHERE (status = 'terminated') <> (terminated_on IS NOT NULL) "
        "OR terminated_on < hired_on",
    )
    assert wrong == 0
    assert count(hr, "SELECT COUNT(*) FROM employees WHERE status = 'terminated'") > 0
    assert count(hr, "SELECT COUNT(*) FROM employees WHERE status <> 'terminated'") > 0
