"""Where seedspec works on a database: engines, connections, and whose transaction it is.

A ``Bind`` is an ``Engine`` (seedspec opens a connection and owns its transactions) or a caller's
``Connection`` or ``Session`` (seedspec works in a SAVEPOINT of the caller's transaction and never
commits it). Every API command and the factories go through ``linked`` and ``transaction`` here,
so the ownership rules exist once.
"""

from __future__ import annotations

import dataclasses
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from seedspec.database.dialects import dialect_for
from seedspec.errors import DatabaseError, Diagnostic, database_reason, masked, shown_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    Bind: TypeAlias = Engine | Connection | Session
    """Where seedspec reads and writes: an ``Engine``, or a caller's ``Connection`` or ``Session``."""
else:

    def __getattr__(name: str) -> Any:
        """``Bind``, made when first read: it names the ORM's ``Session`` (validate never needs it)."""
        if name != "Bind":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from sqlalchemy.orm import Session

        globals()["Bind"] = bind = Engine | Connection | Session
        return bind


INSTALLED_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
"""The driver seedspec installs for each backend a URL may name without one (or as users type it)."""


def engine_url(url: str) -> URL:
    """``url`` parsed, with the spellings users type mapped to the installed drivers:
    ``postgres://`` and ``postgresql://`` to ``postgresql+psycopg://``, ``mysql://`` to
    ``mysql+pymysql://``, ``mariadb://`` to ``mariadb+pymysql://`` (SQLAlchemy's own defaults,
    psycopg2 and mysqlclient, are not installed). A driver the URL names is kept."""
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgres":
        backend = "postgresql"
    if not driver and backend in INSTALLED_DRIVERS:
        driver = INSTALLED_DRIVERS[backend]
    return parsed.set(drivername=f"{backend}+{driver}" if driver else backend)


def create_engine(url: str) -> Engine:
    """An engine for ``url`` (see ``engine_url``); SQLite connections enforce foreign keys and
    support SAVEPOINT."""
    parsed: URL | None = None
    try:
        parsed = engine_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        pep249 = sqlite and sqlite_autocommit_attribute()
        engine = sa.create_engine(parsed, connect_args={"autocommit": False} if pep249 else {})
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, ValueError) as exc:
        raise DatabaseError(
            Diagnostic(
                code="E400", message=f"invalid database URL: {masked(str(exc))}", hint=url_hint(parsed, exc)
            )
        ) from exc
    if engine.dialect.name == "sqlite":
        sqlite_transactions(engine, pep249=pep249)
    return engine


def url_hint(parsed: URL | None, exc: Exception) -> str:
    """E400's hint: for a driver that is not installed, the user's own URL with the one that is."""
    backend = parsed.get_backend_name() if parsed is not None else ""
    missing = isinstance(exc, ImportError | sa.exc.NoSuchModuleError)
    if parsed is None or not missing or backend not in INSTALLED_DRIVERS:
        return (
            "for example sqlite:///dev.db, postgresql+psycopg://user@host/db or mysql+pymysql://user@host/db"
        )
    working = parsed.set(drivername=f"{backend}+{INSTALLED_DRIVERS[backend]}")
    return (
        f"the driver {parsed.get_driver_name()!r} is not installed; write "
        f"{shown_url(working)} (the driver seedspec installs)"
    )


def sqlite_autocommit_attribute(version: tuple[int, int] = sys.version_info[:2]) -> bool:
    """Whether sqlite3 has ``autocommit`` (Python 3.12+): ``autocommit=False`` gives PEP 249
    transactions, which SAVEPOINT works in. Before it, the driver's own (legacy) handling breaks
    SAVEPOINT and SQLAlchemy's recipe (no driver transactions, our own BEGIN) is needed; that
    recipe fails once ``autocommit=False`` is the default, which Python plans."""
    return version >= (3, 12)


def sqlite_transactions(engine: Engine, *, pep249: bool) -> None:
    """Foreign keys on for every connection, and transactions that SAVEPOINT works in: the
    driver's PEP 249 mode (``pep249``), else SQLAlchemy's documented recipe."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:
        if pep249:  # PRAGMA foreign_keys is a no-op inside the transaction the driver keeps open
            dbapi_connection.autocommit = True
        else:
            dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        if pep249:
            dbapi_connection.autocommit = False

    if not pep249:

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")


def connect(engine: Engine) -> Connection:
    """Open a connection, turning a failure into a located, password-free ``DatabaseError``."""
    try:
        return engine.connect()
    except sa.exc.DBAPIError as exc:
        url = shown_url(engine.url)
        reason = database_reason(exc)
        raise DatabaseError(
            Diagnostic(
                code="E401",
                message=f"cannot connect to {url}: {reason}",
                hint="check that the server runs and the URL is right "
                "(--database-url, DATABASE_URL or database.url in the spec)",
            )
        ) from exc


@dataclasses.dataclass(frozen=True, slots=True)
class Link:
    """The connection seedspec works on; ``owned`` when seedspec opened it (from an Engine)."""

    connection: Connection
    owned: bool


_OWNED: weakref.WeakSet[Connection] = weakref.WeakSet()


@contextmanager
def owning(connection: Connection) -> Iterator[Connection]:
    """Treat ``connection`` as one seedspec opened from an Engine (its transactions are
    seedspec's): the sync side of an ``AsyncEngine``'s connection, in ``api.aio``."""
    _OWNED.add(connection)
    try:
        yield connection
    finally:
        _OWNED.discard(connection)


def owns(bind: Bind) -> bool:
    """Whether seedspec works on ``bind`` in transactions of its own (not a caller's)."""
    return isinstance(bind, Engine) or (isinstance(bind, Connection) and bind in _OWNED)


@contextmanager
def linked(bind: Bind) -> Iterator[Link]:
    """The connection of ``bind``: a new one from an Engine (closed afterwards), the caller's
    own, or the one of a Session's transaction (its pending changes flushed first, so seedspec
    sees them)."""
    if isinstance(bind, Engine):
        with connect(bind) as connection:
            yield Link(connection, owned=True)
    elif isinstance(bind, Connection):
        yield Link(bind, owned=owns(bind))
    else:
        bind.flush()
        yield Link(bind.connection(), owned=False)


def bind_url(bind: Bind) -> URL:
    """The URL of the database ``bind`` reaches."""
    if isinstance(bind, Engine):
        return bind.url
    if isinstance(bind, Connection):
        return bind.engine.url
    engine = bind.get_bind()
    return engine.url if isinstance(engine, Engine) else engine.engine.url


@contextmanager
def transaction(link: Link) -> Iterator[None]:
    """seedspec's unit of work on ``link``: on its own connection, a transaction committed on
    success; on a caller's, a SAVEPOINT in the caller's transaction (begun if none is open),
    released on success and rolled back on failure. The caller's transaction is never
    committed nor rolled back: that stays the caller's to do."""
    connection = link.connection
    if link.owned:
        with connection.begin():
            driver_transaction(connection)
            dialect_for(connection).take_write_lock(connection)
            yield
        return
    if not connection.in_transaction():
        connection.begin()  # the caller's transaction from now on, as autobegin would start it
    driver_transaction(connection)
    with connection.begin_nested():
        yield


@contextmanager
def segments(link: Link) -> Iterator[None]:
    """seedspec's work on its own connection as transactions the writer may commit between
    steps (``apply --shards``: a sharded step's processes must see the rows before it): begun
    here without a context manager, committed at the end, the open one rolled back on failure."""
    if not link.owned:
        raise ValueError("apply --shards commits as it goes: it needs an Engine, not a caller's transaction")
    connection = link.connection
    connection.begin()
    try:
        yield
    except BaseException:
        if not connection.closed and not connection.invalidated and connection.in_transaction():
            connection.rollback()
        raise
    connection.commit()


def driver_transaction(connection: Connection) -> None:
    """Make SQLite's driver open the transaction SQLAlchemy has begun.

    pysqlite and aiosqlite open it lazily, at the first write (unless the engine comes from
    ``create_engine`` here): a SAVEPOINT issued before would be the outermost one, and releasing
    it would commit.
    """
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if not getattr(driver, "in_transaction", True):
            connection.exec_driver_sql("BEGIN")


SECRET_QUERY_KEYS = ("password", "passwd", "pwd")  # what drivers accept as a password in the query


def without_secrets(url: URL) -> URL:
    """``url`` with no password in it, in any form a driver accepts (``user:password@`` or a query
    parameter): what seedspec may write into a file."""
    url = url._replace(password=None)  # url.set(password=None) keeps it: None means "not given" there
    return url.difference_update_query([k for k in url.query if k.lower() in SECRET_QUERY_KEYS])


def has_secret(url: URL) -> bool:
    """Whether ``url`` carries a password (see ``without_secrets``)."""
    return bool(url.password) or any(k.lower() in SECRET_QUERY_KEYS for k in url.query)
