"""Drafting one table's factory for ``seedspec init`` (pure): ``guess_factory``'s guesses, then
every adjustment the schema's facts call for, then a key that finds the rows again (``table_key``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from seedspec.database.reflect import Partition
from seedspec.database.tables import unique_sets
from seedspec.scaffold import check_draft, check_logic, checks, cross_checks, distinct
from seedspec.scaffold.checks import Restriction
from seedspec.scaffold.column_guess import guess_generator
from seedspec.scaffold.guess import (
    DraftField,
    FactoryDraft,
    constant_default,
    filled_by_database,
    guess_factory,
)
from seedspec.scaffold.narrowing import QUOTED, base_type, narrow, partition_generator
from seedspec.scaffold.table_key import always_null, choose_key, counted


def _fallback(column: sa.Column[Any], words: frozenset[str]) -> Any | None:
    """A guess for a type ``guess_generator`` does not know: a domain's base type, a tsvector."""
    base = base_type(column.type)
    if base is not column.type:
        return guess_generator(sa.Column(column.name, base), words)
    if column.type.__visit_name__.upper() == "TSVECTOR":
        return {"faker": "word"}
    return None


@dataclass(slots=True)
class _Table:
    """Drafts one table's factory: the guesses, then every adjustment, then the key."""

    table: sa.Table
    name: str
    dialect: str
    fields: dict[str, DraftField]
    left_out: list[str]
    notes: list[str] = field(default_factory=list)
    tree: str | None = None  # the column of a nullable self-reference
    own_row: list[str] = field(default_factory=list)  # NOT NULL self-references
    pinned: dict[str, bool] = field(default_factory=dict)  # drafted NULL (True) or not by a CHECK
    blocked: str = ""  # why no rows can be drafted (a CHECK no drafted values meet)

    def column(self, name: str) -> sa.Column[Any] | None:
        return self.table.c.get(name)

    def active(self, name: str) -> bool:
        f = self.fields.get(name)
        return f is not None and not f.commented_out

    def put(self, name: str, gen: Any, comment: str = "") -> None:
        self.fields[name] = DraftField(name=name, generator=gen, comment=comment)
        if name in self.left_out:
            self.left_out.remove(name)

    def commented(self, name: str) -> bool:
        f = self.fields.get(name)
        return f is not None and f.commented_out

    def null(self, name: str, comment: str) -> None:
        """The column NULL: left out (commented), or, when a default would fill it, its
        generator with ``null_rate: 1`` (TOML has no null)."""
        column, f = self.column(name), self.fields.get(name)
        if column is not None and column.server_default is not None:
            gen = f.generator if f is not None else None
            self.put(name, {**(gen if isinstance(gen, dict) else {"value": gen}), "null_rate": 1}, comment)
        elif f is not None:  # left out without a default: NULL already
            self.comment_out(name, comment)

    def generator(self, name: str) -> tuple[bool, Any]:
        """Whether the column is drafted NULL, and its generator, or the guess for a column the
        database fills (``{sequence: 1}`` for a key it counts)."""
        f = self.fields.get(name)
        column = self.column(name)
        if f is not None:  # commented out: NULL, unless a default fills it
            default = column is not None and column.server_default is not None
            return always_null(f.generator) or (f.commented_out and not default), f.generator
        if column is None or name not in self.left_out:
            return True, None
        if column.primary_key and counted(column):
            return False, {"sequence": 1}
        return False, guess_generator(column, frozenset(self.name.split("_")))

    def comment_out(self, name: str, comment: str) -> None:
        f = self.fields[name]
        self.fields[name] = DraftField(name=name, generator=f.generator, comment=comment, commented_out=True)

    def fill_unknown_types(self) -> None:
        words = frozenset(self.name.split("_"))
        for name, f in list(self.fields.items()):
            column = self.column(name)
            if column is not None and f.commented_out and f.generator is None:
                gen = _fallback(column, words)
                if gen is not None:
                    self.put(name, gen)
                elif not column.nullable:
                    self.notes.append(f"{name} is NOT NULL and of type {column.type}: write its generator")

    def self_reference(self) -> None:
        for name, f in self.fields.items():
            column = self.column(name)
            if not (
                f.commented_out and isinstance(f.generator, dict) and f.generator.get("ref") == self.name
            ):
                continue
            if column is not None and column.nullable:
                self.put(name, f.generator, "a tree: the first step's rows are its roots (NULL)")
                self.tree = name
            else:
                self.own_row.append(name)

    def refer_to_own_row(self) -> None:
        """A NOT NULL self-reference: each row refers to itself (a template of the key it
        points at), when the spec writes that key; else a note, and E314 from validate."""
        for name in self.own_row:
            keys = self.table.foreign_key_constraints
            fk = next(fk for fk in keys if [c.name for c in fk.columns] == [name])
            target = fk.elements[0].target_fullname.rpartition(".")[2]
            if self.active(target) and target != name:
                comment = "refers to its own row (each a root): write a tree by hand for deeper rows"
                self.put(name, f"{{{{ {target} }}}}", comment)
            else:
                self.notes.append(
                    f"{name} refers to this table and is NOT NULL: write its first rows by hand"
                )

    def triggers(self, columns: frozenset[str]) -> None:
        for name in sorted(columns):
            column = self.column(name)
            if column is None or not self.active(name):
                continue
            if column.nullable:
                del self.fields[name]
                self.left_out.append(name)
            else:
                self.put(
                    name, self.fields[name].generator, "set by an insert trigger; given to pass NOT NULL"
                )

    def checks(self) -> None:
        columns = [c.name for c in self.table.columns]
        texts: list[tuple[str, str | None]] = [
            (str(k.sqltext), None)
            for k in sorted(  # a set: its order changes from run to run, the draft must not
                (k for k in self.table.constraints if isinstance(k, sa.CheckConstraint)),
                key=lambda k: (str(k.name), str(k.sqltext)),
            )
        ]
        texts += [
            (str(getattr(c.type, "check", "")), c.name)
            for c in self.table.columns
            if getattr(c.type, "check", None) is not None and base_type(c.type) is not c.type
        ]
        for text, value_column in texts:
            if value_column is None and self._ordered(text, columns):
                continue
            found = checks.restrictions(text, columns, value_column)
            if found is None:
                self._logic(text, columns, value_column)
                continue
            for name, restriction in found.items():
                column = self.column(name)
                if column is not None and name in self.left_out:
                    self._default_passes(column, restriction, text)
                if column is None or not self.active(name):
                    continue
                gen = narrow(self.fields[name].generator, restriction, column)
                if gen is None:
                    self._not_understood(text, (name,))
                else:
                    self.put(name, gen, self.fields[name].comment)

    def _default_passes(self, column: sa.Column[Any], restriction: Restriction, text: str) -> None:
        """A column the database fills with a constant its own CHECK refuses (``ShipBase DEFAULT
        0.00 CHECK (ShipBase > 0.00)``) is given a generator instead."""
        default = constant_default(column.server_default)
        if default is None or restriction.admits(default[0]):
            return
        gen = guess_generator(column, frozenset(self.name.split("_")))
        gen = None if gen is None else narrow(gen, restriction, column)
        if gen is None:
            return
        self.left_out.remove(column.name)
        short = " ".join(text.split())
        self.put(column.name, gen, f"its default {default[0]!r} fails CHECK ({short})")

    def _take_over(self, name: str) -> None:
        """A column the database fills with a plain default (not a counter, not computed) is
        given its guessed generator instead, when a CHECK ties it to a drafted column."""
        column = self.column(name)
        if column is None or name not in self.left_out or column.computed is not None:
            return
        if counted(column):
            return
        gen = guess_generator(column, frozenset(self.name.split("_")))
        if gen is not None:
            self.left_out.remove(name)
            self.put(name, gen)

    def _ordered(self, text: str, columns: Sequence[str]) -> bool:
        """A CHECK comparing two columns: their generators put in order, or a comment."""
        order = cross_checks.comparison(text, columns)
        if order is None:
            return False
        names = (order.greater, order.lesser)
        if any(self.active(n) for n in names):
            for name in names:
                self._take_over(name)  # DueDate >= OrderDate DEFAULT now(): both drafted, in order
        if not all(self.active(n) for n in names):
            return False  # a NULL passes it: the per-column reading decides
        both = cross_checks.ordered(*(self.fields[n].generator for n in names))
        if both is None:
            return False  # check_logic reads it: NULL one of them, or no rows
        short = " ".join(text.split())
        for name, gen in zip(names, both, strict=True):
            self.put(name, gen, f"CHECK ({short}): apart")
        return True

    def _logic(self, text: str, columns: Sequence[str], value_column: str | None) -> None:
        """A CHECK read as logic (``check_logic``): its cheapest term drafted; a CHECK whose
        text cannot be read at all: every column it names left for review (or NULL)."""
        terms = check_logic.terms(text, columns, value_column)
        if terms is None:
            self._not_understood(text, checks.mentioned(text, columns) or (value_column or "",))
            return
        reason = check_draft.draft_check(self, text, terms)
        if reason is not None and not self.blocked:
            self.blocked = reason
            self.notes.append(f"no rows: {reason}")

    def _not_understood(self, text: str, names: Iterable[str]) -> None:
        short = " ".join(text.split())
        short = short if len(short) <= 40 else short[:37] + "..."
        for name in names:
            column = self.column(name)
            if column is None or not self.active(name):
                continue
            if column.nullable:
                self.comment_out(name, f"left NULL: CHECK ({short}) not understood")
            else:
                self.put(name, self.fields[name].generator, f"CHECK ({short}) not understood: review")

    def partitions(self, parts: Sequence[Partition]) -> None:
        if not parts:
            return
        match = re.search(r"\(\s*" + QUOTED + r"\s*\)", parts[0].key)
        name = match.group(1) if match else ""
        column = self.column(name)
        if column is None or not self.active(name):
            return
        gen = partition_generator(parts, column)
        if gen is None:
            self.notes.append(f"rows must fall into a partition ({', '.join(p.name for p in parts)})")
            return
        self.put(name, gen, "within the partitions' bounds")

    def one_to_one(self) -> None:
        """A foreign key that is also unique (or the primary key) takes each parent once:
        ``round_robin`` picks pool[i], distinct while the count stays within the parent's."""
        pk = tuple(c.name for c in self.table.primary_key.columns)
        sets = {frozenset(cols) for cols in (*unique_sets(self.table), pk) if cols}
        for fk in self.table.foreign_key_constraints:
            columns = [c.name for c in fk.columns]
            if frozenset(columns) not in sets:
                continue
            name = columns[0] if len(columns) == 1 else self._relationship(columns)
            gen = self.fields[name].generator if name and self.active(name) else None
            if isinstance(gen, dict) and "ref" in gen and "distinct_per" not in gen:
                gen = {**gen, "pick": "round_robin"}
                self.put(str(name), gen, "one-to-one: distinct while the count stays within the target's")

    def _relationship(self, columns: Sequence[str]) -> str | None:
        """The field filling a composite foreign key's ``columns`` (a relationship: not a column)."""
        found = [n for n, f in self.fields.items() if n not in self.table.c and isinstance(f.generator, dict)]
        fks = [fk for fk in self.table.foreign_key_constraints if len(fk.columns) > 1]
        return found[0] if len(found) == 1 and len(fks) == 1 and len(columns) > 1 else None


def draft_factory(
    table: sa.Table,
    name: str,
    factories: Mapping[str, str],
    *,
    dialect: str,
    trigger_columns: frozenset[str] = frozenset(),
    partitions: Sequence[Partition] = (),
    partition_uniques: Sequence[tuple[str, ...]] = (),
) -> tuple[FactoryDraft, str | None]:
    """A factory for ``table`` that applies as written, and the column of its nullable
    self-reference (a tree), if any. ``factories`` maps table name -> factory name."""
    guessed = guess_factory(table, name, factories)
    left_out = list(guessed.left_out)
    for column in trigger_columns:  # a NOT NULL column without default must be given anyway
        if column in left_out and not filled_by_database(table.c[column]):
            left_out.remove(column)
    draft = _Table(table, name, dialect, {f.name: f for f in guessed.fields}, left_out)
    draft.fill_unknown_types()
    draft.self_reference()
    draft.triggers(trigger_columns)
    distinct.vary_unique(draft)
    draft.checks()
    draft.partitions(partitions)
    draft.one_to_one()
    distinct.distinct_keys(draft, partition_uniques)
    key = choose_key(draft, trigger_columns)
    draft.refer_to_own_row()  # after the key: an id the database counts is now a sequence
    factory = FactoryDraft(
        name=name,
        table=table.key,
        key=key,
        fields=tuple(draft.fields.values()),
        left_out=tuple(draft.left_out),
        missing=guessed.missing,
        notes=tuple(draft.notes),
        blocked=draft.blocked,
    )
    return factory, draft.tree
