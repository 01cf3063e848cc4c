"""Column types of a PostgreSQL DDL that the stand-in of offline validation (SQLite) cannot hold as
themselves. SQLite reads a type it does not know by its name's affinity (``point`` holds INT, so
an integer column; ``inet`` a NUMERIC): such a column is written untyped on SQLite and given back,
after reflection, the type SQLAlchemy reflects from PostgreSQL itself (``INET``, ``TSVECTOR``,
``INTERVAL``), or for a type SQLAlchemy does not know (``point``, ``xml``, ``cube``) a NullType
named in ``info['type_name']``, as ``init`` reflects it from the database (``reflect``).
"""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlglot import exp

_T = exp.DataType.Type
_NOT_SQLITE = {
    _T.USERDEFINED,  # one not an enum or a domain (those are written into their columns before)
    _T.POINT,
    _T.POLYGON,
    _T.XML,
    _T.GEOMETRY,
    _T.GEOGRAPHY,
    _T.INET,
    _T.MONEY,
    _T.HSTORE,
    _T.INTERVAL,
    _T.INT4RANGE,
    _T.INT8RANGE,
    _T.NUMRANGE,
    _T.DATERANGE,
    _T.TSRANGE,
    _T.TSTZRANGE,
}


def untyped(column: exp.ColumnDef) -> str | None:
    """The PostgreSQL name of ``column``'s type when SQLite cannot hold it (the column is then
    left untyped on SQLite), else None."""
    kind = column.args.get("kind")
    if not isinstance(kind, exp.DataType) or kind.this not in _NOT_SQLITE:
        return None
    name = kind.sql("postgres").split("(")[0].split(".")[-1].strip('"').lower()
    column.set("kind", None)
    return name


def reflected(name: str) -> tuple[sa.types.TypeEngine[object], str | None]:
    """The type SQLAlchemy reflects a PostgreSQL column of type ``name`` as, and the name to keep
    in ``info['type_name']`` when it does not know it."""
    known = ischema_names.get(name)
    if known is None:
        return cast("sa.types.TypeEngine[object]", sa.types.NullType()), name
    return cast("sa.types.TypeEngine[object]", known()), None
