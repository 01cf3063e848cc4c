"""Positions for TOML documents: tomli parses, this scanner only locates.

tomli returns plain dicts without positions, so a second, forgiving pass over the text
records where every key and array element starts, addressed by JSON pointer. The scanner
trusts that tomli accepted the text; on anything unexpected it stops and keeps what it has.
"""

from __future__ import annotations

import bisect
import contextlib
import string

import tomli

from seedspec.errors import Location
from seedspec.source import pointer

Path = tuple[str | int, ...]

_BARE = frozenset(string.ascii_letters + string.digits + "_-")
# Deeper nesting than this is no real spec; stopping keeps recursion far from Python's limit.
_MAX_DEPTH = 100


class _Confused(Exception):
    """The text is not the TOML we expected: stop scanning."""


def toml_locations(text: str, file: str) -> dict[str, Location]:
    """Locations of the keys and array elements of a TOML document, by JSON pointer.

    ``/a/b`` is where key ``b`` starts (in a ``[a.b]`` header, the ``b`` token), and
    ``/a/b#value`` where its value starts for ``key = value`` lines. ``/seed/0`` (an element
    of an array of tables) is the opening ``[[`` of its header. Never raises.
    """
    scanner = _Scanner(text, file)
    with contextlib.suppress(_Confused):
        scanner.document()
    return scanner.found


class _Scanner:
    """A character-level walk over TOML text; ``pos`` is the index of the next character."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.pos = 0
        self.found: dict[str, Location] = {}
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        # Path of an array of tables -> index of its last element: later headers through
        # that path continue inside the last element, as TOML defines.
        self._last_element: dict[Path, int] = {}

    def peek(self, offset: int = 0) -> str:
        """The character ``offset`` ahead, or "" at the end of the text."""
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def record(self, path: Path, pos: int, *, suffix: str = "", keep: bool = False) -> None:
        """Store the location of ``pos`` under the pointer; ``keep`` keeps an earlier one."""
        ptr = pointer(*path) + suffix
        if keep and ptr in self.found:
            return
        line = bisect.bisect_left(self._newlines, pos)
        start = self._newlines[line - 1] + 1 if line else 0
        self.found[ptr] = Location(file=self.file, line=line + 1, column=pos - start + 1)

    def expect(self, token: str) -> None:
        if not self.text.startswith(token, self.pos):
            raise _Confused
        self.pos += len(token)

    def skip(self, *, newlines: bool) -> None:
        """Skip blanks and comments, and line breaks too if ``newlines``."""
        while True:
            ch = self.peek()
            if ch in (" ", "\t") or (newlines and ch in ("\r", "\n")):
                self.pos += 1
            elif ch == "#":  # wherever blanks may stand, "#" can only open a comment
                while self.peek() not in ("", "\n"):
                    self.pos += 1
            else:
                return

    def document(self) -> None:
        table: Path = ()
        while True:
            self.skip(newlines=True)
            if not self.peek():
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.keyval(table, depth=0)
            self.skip(newlines=False)
            if self.peek() not in ("", "\n", "\r"):
                raise _Confused

    def header(self) -> Path:
        """Read ``[a.b]`` or ``[[a.b]]``; return the resolved path of the table it opens."""
        start = self.pos
        many = self.peek(1) == "["
        self.pos += 2 if many else 1
        keys = self.keys()
        self.expect("]]" if many else "]")
        path: Path = ()
        for i, (name, pos) in enumerate(keys):
            path = (*path, name)
            if i < len(keys) - 1:
                self.record(path, pos, keep=True)
                if path in self._last_element:
                    path = (*path, self._last_element[path])
            elif many:
                self.record(path, pos, keep=True)
                index = self._last_element.get(path, -1) + 1
                self._last_element[path] = index
                path = (*path, index)
                self.record(path, start)
            else:
                self.record(path, pos)
        return path

    def keys(self) -> list[tuple[str, int]]:
        """A dotted key: each part with the position of its first character."""
        parts: list[tuple[str, int]] = []
        while True:
            self.skip(newlines=False)
            start = self.pos
            parts.append((self.key(), start))
            self.skip(newlines=False)
            if self.peek() != ".":
                return parts
            self.pos += 1

    def key(self) -> str:
        start = self.pos
        if self.peek() in ('"', "'"):
            self.string()
            raw = self.text[start : self.pos]
            if raw.startswith("'"):
                return raw[1:-1]
            try:  # let tomli decode the escapes, so both agree on the key exactly
                return next(iter(tomli.loads(f"{raw} = 0")))
            except (tomli.TOMLDecodeError, StopIteration):
                raise _Confused from None
        while self.peek() in _BARE:
            self.pos += 1
        if self.pos == start:
            raise _Confused
        return self.text[start : self.pos]

    def keyval(self, base: Path, depth: int) -> None:
        """Read ``a.b = value`` relative to the table at ``base``."""
        keys = self.keys()
        path = base
        for i, (name, pos) in enumerate(keys):
            path = (*path, name)
            # Dotted prefixes are shared by sibling lines: the first mention locates them.
            self.record(path, pos, keep=i < len(keys) - 1)
        self.expect("=")
        self.skip(newlines=False)
        self.record(path, self.pos, suffix="#value")
        self.value(path, depth)

    def value(self, path: Path, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Confused
        ch = self.peek()
        if ch == "{":
            self.inline_table(path, depth + 1)
        elif ch == "[":
            self.array(path, depth + 1)
        elif ch in ('"', "'"):
            self.string()
        else:  # number, bool or date-time; a date-time may hold a space, so stop on syntax
            start = self.pos
            while self.peek() not in ("", ",", "]", "}", "#", "\n", "\r"):
                self.pos += 1
            if self.pos == start:
                raise _Confused

    def inline_table(self, path: Path, depth: int) -> None:
        self.pos += 1
        while True:
            self.skip(newlines=True)  # TOML 1.1 (tomli >= 2.4) allows newlines here
            if self.peek() == "}":
                self.pos += 1
                return
            self.keyval(path, depth)
            self.skip(newlines=True)
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise _Confused

    def array(self, path: Path, depth: int) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip(newlines=True)
            if self.peek() == "]":
                self.pos += 1
                return
            self.record((*path, index), self.pos)
            self.value((*path, index), depth)
            self.skip(newlines=True)
            if self.peek() == ",":
                self.pos += 1
                index += 1
            elif self.peek() != "]":
                raise _Confused

    def string(self) -> None:
        """Skip a string of any of the four kinds, standing on its opening quote."""
        quote = self.peek()
        escapes = quote == '"'
        if self.text.startswith(quote * 3, self.pos):
            self.pos += 3
            while not self.text.startswith(quote * 3, self.pos):
                if not self.peek():
                    raise _Confused
                self.pos += 2 if escapes and self.peek() == "\\" else 1
            self.pos += 3
            # Up to two more quotes belong to the content: '''it's''''' ends after all five.
            for _ in range(2):
                if self.peek() == quote:
                    self.pos += 1
            return
        self.pos += 1
        while (ch := self.peek()) != quote:
            if ch in ("", "\n"):
                raise _Confused
            self.pos += 2 if escapes and ch == "\\" else 1
        self.pos += 1
