"""Root fixtures: ``--update-goldens`` and real, throw-away databases (never mocks).

Database fixtures hand out SQLAlchemy URLs of fresh, empty databases:

- ``sqlite_url``: a file in the test's ``tmp_path``;
- ``postgres_url``: a schema of its own in database ``test`` at 127.0.0.1:5432, first on the
  search_path, dropped CASCADE afterwards;
- ``mariadb_url``: a database of its own at 127.0.0.1:3306, dropped afterwards;
- ``db_url``: each of the three in turn (ids ``sqlite``, ``postgresql``, ``mariadb``);
- ``new_db_url``: a factory, ``new_db_url(kind)``, for tests that need several databases.

A server is probed once per session. When it is unreachable, its tests are skipped with the
reason, except under ``CI=true``, where they fail: CI must never pass by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIADB_ADMIN_URL = "mysql+pymysql://root@127.0.0.1:3306/"
CONNECT_TIMEOUT = 3  # seconds; a probe of a server that is not there must not stall the session
DROP_LOCK_TIMEOUT = 30  # seconds; a leaked connection fails the teardown instead of hanging it

KINDS = ("sqlite", "postgresql", "mariadb")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing with them",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with ``--update-goldens``."""
    return bool(request.config.getoption("--update-goldens"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that ask for a server's fixture by name get its marker (``-m "not postgres"``)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "postgres_url" in names:
            item.add_marker(pytest.mark.postgres)
        if "mariadb_url" in names:
            item.add_marker(pytest.mark.mariadb)


@dataclass
class Server:
    """A database server shared by the session; ``error`` says why it cannot be used."""

    name: str
    address: str
    engine: sa.Engine | None
    error: str | None

    def require(self) -> sa.Engine:
        """The admin engine, or skip (locally) / fail (under CI) the calling test."""
        if self.engine is not None:
            return self.engine
        reason = f"{self.name} not reachable at {self.address}: {self.error}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: database tests must run, not skip)", pytrace=False)
        pytest.skip(reason)


def _probe(name: str, address: str, url: str) -> Server:
    engine = sa.create_engine(
        url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": CONNECT_TIMEOUT}
    )
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return Server(name, address, None, reason)
    return Server(name, address, engine, None)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    server = _probe("PostgreSQL", "127.0.0.1:5432", POSTGRES_ADMIN_URL)
    yield server
    if server.engine is not None:
        server.engine.dispose()


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[Server]:
    server = _probe("MariaDB", "127.0.0.1:3306", MARIADB_ADMIN_URL)
    yield server
    if server.engine is not None:
        server.engine.dispose()


def _unique_name() -> str:
    return f"seedspec_test_{uuid.uuid4().hex[:12]}"


def _postgres_database(admin: sa.Engine) -> tuple[str, Callable[[], None]]:
    schema = _unique_name()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f"SET lock_timeout = '{DROP_LOCK_TIMEOUT}s'"))
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))

    return f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}", drop


def _mariadb_database(admin: sa.Engine) -> tuple[str, Callable[[], None]]:
    database = _unique_name()
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4"))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f"SET SESSION lock_wait_timeout = {DROP_LOCK_TIMEOUT}"))
            conn.execute(sa.text(f"DROP DATABASE `{database}`"))

    return f"{MARIADB_ADMIN_URL}{database}", drop


@pytest.fixture
def new_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``new_db_url(kind)``: the URL of a fresh, empty database; dropped after the test."""
    drops: list[Callable[[], None]] = []

    def new(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / _unique_name()}.db"
        if kind == "postgresql":
            url, drop = _postgres_database(request.getfixturevalue("postgres_server").require())
        elif kind == "mariadb":
            url, drop = _mariadb_database(request.getfixturevalue("mariadb_server").require())
        else:
            raise ValueError(f"unknown database kind {kind!r}; one of {KINDS}")
        drops.append(drop)
        return url

    yield new
    for drop in reversed(drops):
        drop()


@pytest.fixture
def sqlite_url(new_db_url: Callable[[str], str]) -> str:
    """A fresh SQLite database file in ``tmp_path``."""
    return new_db_url("sqlite")


@pytest.fixture
def postgres_url(new_db_url: Callable[[str], str]) -> str:
    """A fresh PostgreSQL schema, first on the URL's search_path."""
    return new_db_url("postgresql")


@pytest.fixture
def mariadb_url(new_db_url: Callable[[str], str]) -> str:
    """A fresh MariaDB database."""
    return new_db_url("mariadb")


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", id="mariadb", marks=pytest.mark.mariadb),
    ]
)
def db_kind(request: pytest.FixtureRequest) -> str:
    """Each database kind in turn; ``db_url`` is a fresh database of this kind."""
    return str(request.param)


@pytest.fixture
def db_url(db_kind: str, new_db_url: Callable[[str], str]) -> str:
    """A fresh database of each kind in turn: SQLite, PostgreSQL, MariaDB."""
    return new_db_url(db_kind)
