"""Simple CHECK constraints read as per-column restrictions: bounds and IN lists (pure).

``seedspec init`` narrows its guesses with them. Understood: comparisons of a column with a
constant (``>``, ``>=``, ``<``, ``<=``, ``=``, ``<>``), ``BETWEEN``, ``IN (...)``, PostgreSQL's
``= ANY (ARRAY[...])`` and ``<> ALL (ARRAY[...])``, a regular expression (``col ~ '^[0-9]{11}$'``),
joined by ``AND``, and ``col IS NULL OR ...``; ``TRUE`` and ``FALSE``; ``UPPER(col)`` and
``LOWER(col)`` as the column (values listed in that case pass as they are); casts (``::numeric``),
quoted identifiers of every dialect and domain checks over ``VALUE``. Anything else is not
understood (``None``): ``check_logic`` reads what is left (``OR`` across columns,
``IS NOT NULL``, ...) from these same conditions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from seedspec.scaffold.check_constants import NOW_WORDS, Now, cast, number, read_clock

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
     |(?P<str>'(?:[^']|'')*')
     |(?P<qid>"(?:[^"]|"")+"|`[^`]+`|\[[A-Za-z_][^\]'"]*\])
     |(?P<op><=|>=|<>|!=|==|::|[=<>(),\-+\[\]~.])
     |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    )""",
    re.VERBOSE,
)
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "==": "="}
_TYPE_WORDS = frozenset({"precision", "varying", "with", "without", "time", "zone"})  # after a type's first
_HARMLESS_CALLS = frozenset({"json_valid"})  # MariaDB's JSON columns: the guess is valid JSON


@dataclass(frozen=True, slots=True)
class Restriction:
    """What a CHECK allows for one column: bounds (open or closed), a list of values, values
    it refuses, a regular expression its values match, NULL."""

    low: int | float | dt.datetime | None = None
    low_open: bool = False
    high: int | float | dt.datetime | None = None
    high_open: bool = False
    allowed: tuple[Any, ...] | None = None
    null_ok: bool = False
    excluded: tuple[Any, ...] = ()
    pattern: str | None = None

    def meet(self, other: Restriction) -> Restriction:
        """Both restrictions at once (``AND``)."""
        low, low_open = _tighter(self.low, self.low_open, other.low, other.low_open, max)
        high, high_open = _tighter(self.high, self.high_open, other.high, other.high_open, min)
        allowed = self.allowed if other.allowed is None else other.allowed
        if self.allowed is not None and other.allowed is not None:
            allowed = tuple(v for v in self.allowed if v in other.allowed)
        if self.pattern is not None and other.pattern is not None and self.pattern != other.pattern:
            raise NotUnderstood("two patterns")
        return Restriction(
            low,
            low_open,
            high,
            high_open,
            allowed,
            self.null_ok and other.null_ok,
            (*self.excluded, *(v for v in other.excluded if v not in self.excluded)),
            self.pattern or other.pattern,
        )

    def admits(self, value: str | int | float) -> bool:
        """Whether a constant (a column's default) passes: AdventureWorks' ``ShipBase DEFAULT
        0.00 CHECK (ShipBase > 0.00)`` does not."""
        if self.allowed is not None:
            return any(value == a or str(value).upper() == str(a).upper() for a in self.allowed)
        if isinstance(value, str) or isinstance(self.low, dt.datetime) or isinstance(self.high, dt.datetime):
            return self.low is None and self.high is None
        below = self.low is not None and (value <= self.low if self.low_open else value < self.low)
        above = self.high is not None and (value >= self.high if self.high_open else value > self.high)
        return not (below or above)


def _tighter(a: Any, a_open: bool, b: Any, b_open: bool, pick: Any) -> tuple[Any, bool]:
    if a is None:
        return b, b_open
    if b is not None and isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        raise NotUnderstood("a moment and a number")
    if b is None or a == b:
        return a, a_open or (b_open and a == b)
    return (a, a_open) if pick(a, b) == a else (b, b_open)


Restrictions = dict[str, Restriction]


class NotUnderstood(Exception):
    """A condition this reading does not know."""


def unquote(token: str) -> str:
    if token[0] in '"`[':
        return token[1:-1].replace('""', '"')
    return token


def tokens(text: str) -> list[tuple[str, str]]:
    found, at = [], 0
    text = text.strip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise NotUnderstood(text[at:])
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


@dataclass(slots=True)
class Parser:
    """Reads conditions on single columns; ``check_logic`` goes on from where it stops."""

    tokens: list[tuple[str, str]]
    columns: dict[str, str]  # lower-case name -> column name
    at: int = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        i = self.at + offset
        return self.tokens[i] if i < len(self.tokens) else ("end", "")

    def word(self, *words: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.lower() in words:
            self.at += 1
            return True
        return False

    def expect(self, op: str) -> None:
        if self.peek() != ("op", op):
            raise NotUnderstood(op)
        self.at += 1

    def either(self) -> Restrictions:
        """``a OR b``: understood only as ``col IS NULL OR <one condition>``."""
        branches = [self.both()]
        while self.word("or"):
            branches.append(self.both())
        if len(branches) == 1:
            return branches[0]
        nulls = [b for b in branches if _is_null_test(b)]
        others = [b for b in branches if not _is_null_test(b)]
        if len(others) > 1:
            raise NotUnderstood("OR")
        result = dict(others[0]) if others else {}
        for branch in nulls:
            for column in branch:
                result[column] = replace(result.get(column, Restriction()), null_ok=True)
        return result

    def both(self) -> Restrictions:
        result = self.condition()
        while self.word("and"):
            for column, restriction in self.condition().items():
                result[column] = result[column].meet(restriction) if column in result else restriction
        return result

    def condition(self) -> Restrictions:
        if self.peek() == ("op", "("):
            start = self.at
            try:
                self.at += 1
                inner = self.either()
                self.expect(")")
                if self.peek()[0] in ("end", "word") or self.peek() == ("op", ")"):
                    return inner
            except NotUnderstood:
                pass
            self.at = start
        return self.comparison()

    def operand(self) -> tuple[str, Any]:
        """``("col", name)`` or ``("const", value)``; casts and parentheses are skipped."""
        kind, value = self.peek()
        self.at += 1
        if (kind, value) == ("op", "("):
            found = self.operand()
            self.expect(")")
        elif (kind, value) == ("op", "-") and self.peek()[0] == "num":
            found = ("const", -number(self.peek()[1]))
            self.at += 1
        elif kind == "word" and value.lower() in NOW_WORDS:
            return read_clock(self)
        elif kind == "word" and value.lower() in ("true", "false"):
            found = ("const", value.lower() == "true")
        elif kind == "num":
            found = ("const", number(value))
        elif kind == "str":
            found = ("const", value[1:-1].replace("''", "'"))
        elif kind in ("qid", "word") and unquote(value).lower() in self.columns:
            found = ("col", self.columns[unquote(value).lower()])
        elif kind == "word" and value.lower() in ("upper", "lower") and self.peek() == ("op", "("):
            self.at += 1  # UPPER(code) IN ('SC', 'VC'): the listed values pass as they are
            found = self.operand()
            self.expect(")")
            if found[0] != "col":
                raise NotUnderstood(value)
        elif kind == "word" and value.lower() in _HARMLESS_CALLS and self.peek() == ("op", "("):
            self.at -= 1
            raise Harmless
        else:
            raise NotUnderstood(value)
        types = self.skip_casts()
        if found[0] == "const" and isinstance(found[1], str):  # '-40'::integer, '1930-01-01'::date
            found = ("const", cast(found[1], types))
        return found

    def skip_casts(self) -> list[str]:
        """``::numeric``, ``::character varying``, ``::text[]``; the type names, lower-case."""
        names: list[str] = []
        while self.peek() == ("op", "::"):
            self.at += 1
            first = len(names)
            while self._type_word(len(names) == first) or (self.peek(), self.peek(1)) == (
                ("op", "["),
                ("op", "]"),
            ):
                if self.peek()[0] == "word":
                    names.append(self.peek()[1].lower())
                self.at += 1 if self.peek()[0] == "word" else 2
        return names

    def _type_word(self, first: bool) -> bool:
        kind, value = self.peek()
        return kind == "word" and (first or value.lower() in _TYPE_WORDS)

    def comparison(self) -> Restrictions:
        try:
            left = self.operand()
        except Harmless:
            self._skip_call()
            return {}
        if self.word("is"):
            negated = self.word("not")
            if not self.word("null") or left[0] != "col":
                raise NotUnderstood("IS")
            if negated:  # NULL fails it: check_logic reads it
                raise NotUnderstood("IS NOT NULL")
            return {left[1]: Restriction(null_ok=True, allowed=(None,))}
        if self.word("between"):
            low = self.operand()
            if not self.word("and"):
                raise NotUnderstood("BETWEEN")
            return _merge(_bounds(left, ">=", low), _bounds(left, "<=", self.operand()))
        if self.word("in"):
            return {_column(left): Restriction(allowed=self._values())}
        kind, op = self.peek()
        if kind == "op" and op == "~":
            self.at += 1
            pattern = self.operand()
            if pattern[0] != "const" or not isinstance(pattern[1], str):
                raise NotUnderstood("~")
            return {_column(left): Restriction(pattern=pattern[1])}
        if kind == "op" and op in ("<>", "!="):
            self.at += 1
            if self.word("all"):
                return {_column(left): Restriction(excluded=self._array())}
            right = self.operand()
            if right[0] != "const" or isinstance(right[1], Now | dt.datetime):
                raise NotUnderstood(op)
            return {_column(left): Restriction(excluded=(right[1],))}
        if kind != "op" or op not in _FLIP:
            raise NotUnderstood(op)
        self.at += 1
        if op in ("=", "==") and self.word("any"):
            return {_column(left): Restriction(allowed=self._array())}
        return _bounds(left, op, self.operand())

    def _array(self) -> tuple[Any, ...]:
        """``(ARRAY[...])`` after ``ANY`` or ``ALL``, with PostgreSQL's casts."""
        self.expect("(")
        wrapped = self.peek() == ("op", "(")
        self.at += wrapped
        if not self.word("array"):
            raise NotUnderstood("ARRAY")
        values = self._values("[", "]")
        if wrapped:
            self.expect(")")
        self.skip_casts()
        self.expect(")")
        return values

    def _values(self, opening: str = "(", closing: str = ")") -> tuple[Any, ...]:
        self.expect(opening)
        values = [self.operand()]
        while self.peek() == ("op", ","):
            self.at += 1
            values.append(self.operand())
        self.expect(closing)
        if any(kind != "const" for kind, _ in values):
            raise NotUnderstood("IN")
        return tuple(v for _, v in values)

    def _skip_call(self) -> None:
        self.at += 1
        depth = 0
        while self.peek()[0] != "end":
            token = self.peek()
            self.at += 1
            depth += {("op", "("): 1, ("op", ")"): -1}.get(token, 0)
            if depth == 0:
                return


class Harmless(Exception):
    """A call that every drafted value passes (``json_valid``)."""


def _is_null_test(branch: Restrictions) -> bool:
    return bool(branch) and all(r.allowed == (None,) for r in branch.values())


def _column(side: tuple[str, Any]) -> str:
    if side[0] != "col":
        raise NotUnderstood(str(side[1]))
    return str(side[1])


def _merge(a: Restrictions, b: Restrictions) -> Restrictions:
    return {c: a[c].meet(b[c]) if c in a and c in b else a.get(c) or b[c] for c in {*a, *b}}


def _bounds(left: tuple[str, Any], op: str, right: tuple[str, Any]) -> Restrictions:
    """``col op const`` (or ``const op col``) as a restriction on the column."""
    if left[0] == "const" and right[0] == "col":
        left, right, op = right, left, _FLIP[op]
    if left[0] != "col" or right[0] != "const":
        raise NotUnderstood(op)
    value = right[1]
    if isinstance(value, Now):  # the database's clock moves on: a bound from above only
        if op not in ("<", "<="):
            raise NotUnderstood("now()")
        value = value.at_reference()
    if op in ("=", "==") and not isinstance(value, dt.datetime):
        return {left[1]: Restriction(allowed=(value,))}
    if isinstance(value, str) or op in ("=", "=="):
        raise NotUnderstood(str(value))
    if op in (">", ">="):
        return {left[1]: Restriction(low=value, low_open=op == ">")}
    return {left[1]: Restriction(high=value, high_open=op == "<")}


def restrictions(text: str, columns: Iterable[str], value_column: str | None = None) -> Restrictions | None:
    """The restrictions a CHECK's text puts on ``columns``, or None when it is not understood.

    ``value_column`` names the column a domain check's ``VALUE`` stands for.
    """
    names = {c.lower(): c for c in columns}
    if value_column is not None:
        names["value"] = value_column
    try:
        parser = Parser(tokens(text), names)
        parser.word("check")
        found = parser.either()
        if parser.peek()[0] != "end":
            return None
    except (NotUnderstood, Harmless, IndexError, ValueError):
        return None
    return {c: replace(r, allowed=None) if r.allowed == (None,) else r for c, r in found.items()}


def mentioned(text: str, columns: Iterable[str]) -> tuple[str, ...]:
    """The columns a CHECK's text names (for one it does not understand)."""
    try:
        found = tokens(text)
    except NotUnderstood:
        return ()
    names = {c.lower(): c for c in columns}
    words = {unquote(v).lower() for kind, v in found if kind in ("qid", "word")}
    return tuple(c for low, c in names.items() if low in words)
