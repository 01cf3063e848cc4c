"""Table metadata as plain frozen data, so the pure stages never need a live database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnInfo:
    """One column: its Python kind (int, float, decimal, str, bool, date, datetime, time,
    json, bytes, uuid or other), and whether the database fills it when omitted; ``labels`` are
    the only values an enum column holds (a PostgreSQL enum, a MySQL ENUM), empty otherwise."""

    name: str
    kind: str
    nullable: bool = True
    primary_key: bool = False
    has_default: bool = False
    length: int | None = None
    labels: tuple[str, ...] = ()
    scale: int | None = None  # the decimal places of a fixed-point (NUMERIC, DECIMAL) column


@dataclass(frozen=True, slots=True, kw_only=True)
class ForeignKeyInfo:
    """A (possibly composite) foreign key of a table."""

    columns: tuple[str, ...]
    target_table: str
    target_columns: tuple[str, ...]
    deferrable: bool = False  # declared DEFERRABLE: PostgreSQL may check it at commit


@dataclass(frozen=True, slots=True, kw_only=True)
class TableInfo:
    """One table: columns, primary key, unique constraints and foreign keys."""

    name: str
    columns: tuple[ColumnInfo, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKeyInfo, ...] = ()

    def column(self, name: str) -> ColumnInfo | None:
        """The column called ``name``, if any."""
        return next((c for c in self.columns if c.name == name), None)

    def is_unique(self, column: str) -> bool:
        """Whether ``column`` alone must hold a different value in every row: a single-column
        unique constraint or index, or the primary key."""
        return (column,) in self.unique or self.primary_key == (column,)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of every column, in table order."""
        return tuple(c.name for c in self.columns)

    def foreign_key_of(self, column: str) -> ForeignKeyInfo | None:
        """The single-column foreign key on ``column``, if any."""
        return next((fk for fk in self.foreign_keys if fk.columns == (column,)), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """The tables a spec may fill, by name; ``dialect`` is the database's, when known."""

    tables: Mapping[str, TableInfo] = field(default_factory=dict)
    dialect: str | None = None

    def can_defer(self, fk: ForeignKeyInfo) -> bool:
        """Whether the check of ``fk`` can wait until commit: SQLite (``defer_foreign_keys``),
        MySQL and MariaDB (checks off during the apply) and DEFERRABLE keys on PostgreSQL. An
        unknown database (no connection) is given the benefit of the doubt."""
        return fk.deferrable or self.dialect != "postgresql"

    def get(self, name: str) -> TableInfo | None:
        """The table called ``name`` (``schema.table`` outside the default schema), if any; a bare
        name also finds the one table of that name in another schema (a model's ``schema=``)."""
        found = self.tables.get(name)
        if found is None and "." not in name:
            matches = [t for key, t in self.tables.items() if key.rpartition(".")[2] == name]
            found = matches[0] if len(matches) == 1 else None
        return found


def relationship_key(name: str, target_table: str, table: TableInfo) -> ForeignKeyInfo | None:
    """The foreign key of ``table`` to ``target_table`` that a relationship called ``name`` means:
    the only one, else the one whose first column starts with ``name``."""
    candidates = [fk for fk in table.foreign_keys if fk.target_table == target_table]
    if len(candidates) > 1:
        candidates = [fk for fk in candidates if fk.columns[0].startswith(name)]
    return candidates[0] if len(candidates) == 1 else None
