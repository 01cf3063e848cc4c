"""W401 for a lookup key inferred from the live database's unique constraint, on the real servers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import run_cli

SPEC = """
    version: 1
    factories:
      user:
        table: users
        fields:
          email: {faker: email, unique: true}
    seed:
      - {factory: user, count: 3}
"""


@pytest.mark.parametrize("kind", ["postgres_url", "mariadb_url"])
def test_a_faker_key_inferred_from_a_live_unique_constraint_is_w401(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(kind)
    metadata = sa.MetaData()
    sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),  # an id the database numbers, on each dialect
        sa.Column("email", sa.String(80), nullable=False, unique=True),
    )
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    (tmp_path / "spec.yaml").write_text(textwrap.dedent(SPEC))
    done = run_cli("validate", "spec.yaml", "--database-url", url, "--strict", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the warning fails --strict
    assert done.stdout.startswith(
        "spec.yaml:7:7: warning W401: the lookup key of factory 'user' (inferred from the unique "
        "constraint on (email)) is built only from Faker output\n"
    )
    assert done.stdout.endswith("0 errors, 1 warning\n")
