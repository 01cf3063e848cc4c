"""CHECKs read as logic over a row's columns (pure): what ``checks`` reads per column, joined by
``AND``, ``OR`` and ``NOT``, plus ``IS [NOT] NULL``, ``IS TRUE``/``IS FALSE``, comparisons between
two columns, ``num_nonnulls(...)``/``num_nulls(...)`` compared with a number, and null tests
compared with each other (``(a IS NULL) <> (b IS NULL)``: exactly one of them is NULL).

A CHECK is read as a disjunction of conjunctions of literals (``terms``): a row passes it when
one term has no literal that is FALSE. In SQL a comparison with NULL is neither TRUE nor FALSE,
so NULL passes it, but NULL fails ``IS NOT NULL``, ``IS TRUE`` and ``IS FALSE``. A condition
this reading does not know is an ``opaque`` literal over the columns it names: taken to pass
when one of them is NULL (as a comparison or a strict function does), unknown otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from typing import Literal as Kind

from seedspec.scaffold.checks import Harmless, NotUnderstood, Parser, Restriction, tokens, unquote

MAX_TERMS = 256  # a CHECK whose reading has more terms is not understood
_PAIR_OPS = {"=": "=", "==": "=", "<>": "<>", "!=": "<>", ">": ">", ">=": ">=", "<": ">", "<=": ">="}
_NEGATED_PAIR = {"=": "<>", "<>": "=", ">": ">=", ">=": ">"}  # with the columns swapped for > and >=
_COUNTS = ("num_nonnulls", "num_nulls")
_COMPARE = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


@dataclass(frozen=True, slots=True)
class Literal:
    """One condition: ``null``/``not_null`` (the column), ``value`` (a ``Restriction``, NULL
    passes), ``pair`` (``columns[0] op columns[1]``, ``op`` one of ``=``, ``<>``, ``>``, ``>=``)
    or ``opaque`` (not understood, over the columns it names)."""

    kind: Kind["null", "not_null", "value", "pair", "opaque"]
    columns: tuple[str, ...]
    restriction: Restriction | None = None
    op: str = ""

    def negated(self) -> Literal:
        if self.kind in ("null", "not_null"):
            return Literal("not_null" if self.kind == "null" else "null", self.columns)
        if self.kind == "pair":
            a, b = self.columns
            swapped = self.op in (">", ">=")
            return Literal("pair", (b, a) if swapped else (a, b), op=_NEGATED_PAIR[self.op])
        return Literal("opaque", self.columns)


Term = tuple[Literal, ...]
_Node = Literal | tuple[str, tuple[Any, ...]]  # a literal, or ("and" | "or", children)
TRUE: _Node = ("and", ())


def _negate(node: _Node) -> _Node:
    if isinstance(node, Literal):
        return node.negated()
    kind, children = node
    return ("or" if kind == "and" else "and", tuple(_negate(c) for c in children))


@dataclass(slots=True)
class _Reader:
    parser: Parser

    def boundary(self) -> bool:
        kind, value = self.parser.peek()
        return kind == "end" or (kind == "word" and value.lower() in ("and", "or")) or value == ")"

    def either(self) -> _Node:
        branches = [self.both()]
        while self.parser.word("or"):
            branches.append(self.both())
        return branches[0] if len(branches) == 1 else ("or", tuple(branches))

    def both(self) -> _Node:
        parts = [self.negation()]
        while self.parser.word("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else ("and", tuple(parts))

    def negation(self) -> _Node:
        if self.parser.word("not"):
            return _negate(self.negation())
        return self.primary()

    def primary(self) -> _Node:
        p, start = self.parser, self.parser.at
        if p.peek() == ("op", "("):
            try:
                p.at += 1
                inner = self.either()
                p.expect(")")
                op = p.peek()
                if op in (("op", "="), ("op", "<>"), ("op", "!=")) and p.peek(1) == ("op", "("):
                    p.at += 1  # (a IS NULL) <> (b IS NULL): two truths compared
                    other = self.primary()
                    same = ("or", (("and", (inner, other)), ("and", (_negate(inner), _negate(other)))))
                    return same if op[1] == "=" else _negate(same)
                if self.boundary():
                    return inner
            except (NotUnderstood, Harmless, IndexError, ValueError):
                pass
            p.at = start
        if p.peek()[0] == "word" and p.peek()[1].lower() in _COUNTS and p.peek(1) == ("op", "("):
            try:
                return self.count()
            except (NotUnderstood, Harmless, IndexError, ValueError):
                p.at = start
        return self.atom()

    def count(self) -> _Node:
        """``num_nonnulls(a, b) = 1``: every way of NULLs the count allows."""
        p = self.parser
        nulls = p.peek()[1].lower() == "num_nulls"
        p.at += 1
        p.expect("(")
        names = [self.column()]
        while p.peek() == ("op", ","):
            p.at += 1
            names.append(self.column())
        p.expect(")")
        op = p.peek()[1]
        p.at += 1
        limit = p.operand()
        if op not in _COMPARE or limit[0] != "const" or len(names) > 8:
            raise NotUnderstood("count")
        ways = []
        for given in itertools.product((True, False), repeat=len(names)):
            counted = sum(given) if not nulls else len(given) - sum(given)
            if _COMPARE[op](counted, limit[1]):
                ways.append(
                    (
                        "and",
                        tuple(
                            Literal("not_null" if g else "null", (n,))
                            for n, g in zip(names, given, strict=True)
                        ),
                    )
                )
        return ("or", tuple(ways))

    def column(self) -> str:
        kind, name = self.parser.operand()
        if kind != "col":
            raise NotUnderstood(str(name))
        return str(name)

    def atom(self) -> _Node:
        p, start = self.parser, self.parser.at
        try:
            left = p.operand()
            if p.word("is"):
                return self.test(left)
            pair = self.pair(left)
            if pair is not None:
                return pair
            p.at = start
            found = p.comparison()
            if self.boundary():
                return ("and", tuple(Literal("value", (c,), r) for c, r in found.items()))
        except (NotUnderstood, Harmless, IndexError, ValueError):
            pass
        p.at = start
        return self.opaque()

    def pair(self, left: tuple[str, Any]) -> _Node | None:
        """``a op b`` between two columns, or None (the parser back where it was)."""
        p, start = self.parser, self.parser.at
        op = p.peek()
        if left[0] != "col" or op[0] != "op" or op[1] not in _PAIR_OPS:
            return None
        p.at += 1
        try:
            right = p.operand()
        except (NotUnderstood, Harmless, IndexError, ValueError):
            right = ("", None)
        if right[0] != "col" or not self.boundary():
            p.at = start
            return None
        a, b = (str(left[1]), str(right[1]))
        if op[1] in ("<", "<="):
            a, b = b, a
        return Literal("pair", (a, b), op=_PAIR_OPS[op[1]]) if a != b else _same(op[1])

    def test(self, left: tuple[str, Any]) -> _Node:
        """After ``IS``: ``[NOT] NULL``, ``TRUE``, ``FALSE``."""
        p = self.parser
        negated = p.word("not")
        if left[0] != "col":
            raise NotUnderstood("IS")
        column = (str(left[1]),)
        if p.word("null"):
            return Literal("not_null" if negated else "null", column)
        for word, value in (("true", True), ("false", False)):
            if p.word(word):
                holds: _Node = (
                    "and",
                    (Literal("not_null", column), Literal("value", column, Restriction(allowed=(value,)))),
                )
                return _negate(holds) if negated else holds
        raise NotUnderstood("IS")

    def opaque(self) -> _Node:
        """Everything up to the next ``AND``/``OR``/``)`` at this depth, over the columns it names."""
        p, start, depth = self.parser, self.parser.at, 0
        while p.peek()[0] != "end" and (depth > 0 or not self.boundary()):
            token = p.peek()
            depth += {("op", "("): 1, ("op", ")"): -1}.get(token, 0)
            p.at += 1
        if p.at == start:
            raise NotUnderstood(p.peek()[1])
        words = {unquote(v).lower() for kind, v in p.tokens[start : p.at] if kind in ("qid", "word")}
        named = tuple(dict.fromkeys(c for low, c in p.columns.items() if low in words))
        return Literal("opaque", named) if named else TRUE


def _same(op: str) -> _Node:
    """``a op a``: ``=``, ``>=`` hold (or NULL), ``<>``, ``>`` never do."""
    return TRUE if op in ("=", "==", ">=", "<=") else ("or", ())


def _dnf(node: _Node) -> list[Term]:
    if isinstance(node, Literal):
        return [(node,)]
    kind, children = node
    parts = [_dnf(c) for c in children]
    if kind == "or":
        return [t for part in parts for t in part]
    result: list[Term] = [()]
    for part in parts:
        result = [a + b for a in result for b in part]
        if len(result) > MAX_TERMS:
            raise NotUnderstood("too many terms")
    return result


def _contradicts(term: Term) -> bool:
    """A term asking a column to be NULL and not NULL: no row meets it."""
    null = {c for lit in term if lit.kind == "null" for c in lit.columns}
    return any(lit.kind == "not_null" and lit.columns[0] in null for lit in term)


def terms(text: str, columns: Iterable[str], value_column: str | None = None) -> tuple[Term, ...] | None:
    """The CHECK as terms, one of which a row must meet; None when its text cannot be read
    (an empty tuple: no row passes it)."""
    names = {c.lower(): c for c in columns}
    if value_column is not None:
        names["value"] = value_column
    try:
        reader = _Reader(Parser(tokens(text), names))
        reader.parser.word("check")
        node = reader.either()
        if reader.parser.peek()[0] != "end":
            return None
        return tuple(t for t in _dnf(node) if not _contradicts(t))
    except (NotUnderstood, Harmless, IndexError, ValueError, RecursionError):
        return None
