"""The source map: JSON pointer -> file location, kept beside the plain document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from seedspec.errors import Location


def escape(token: str | int) -> str:
    """Escape one reference token of a JSON pointer (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Join tokens into a JSON pointer: ``pointer("factories", "user")`` -> ``/factories/user``."""
    return "".join("/" + escape(t) for t in tokens)


def join(base: str, *tokens: str | int) -> str:
    """Extend an existing pointer with more tokens."""
    return base + pointer(*tokens)


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Locations of every node of a loaded document, by JSON pointer.

    Keys map to the location of the key itself; ``pointer + "#value"`` entries hold the
    location of the value where it differs (useful to point at a wrong value, not its key).
    """

    entries: Mapping[str, Location] = field(default_factory=dict)

    def locate(self, ptr: str, *, value: bool = False) -> Location | None:
        """The location of ``ptr``, or of its nearest located ancestor."""
        if value and (ptr + "#value") in self.entries:
            return self.entries[ptr + "#value"]
        while True:
            if ptr in self.entries:
                return self.entries[ptr]
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]

    def merged(self, others: Iterable[SourceMap]) -> SourceMap:
        """A map holding these entries over the others' (self wins on the same pointer)."""
        combined: dict[str, Location] = {}
        for other in others:
            combined.update(other.entries)
        combined.update(self.entries)
        return SourceMap(combined)
