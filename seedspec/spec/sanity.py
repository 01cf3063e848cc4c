"""The one pass over a loaded document that refuses what no later stage can take (E209).

It runs before the schema and every check, so none of them meets a NUL byte or an over-long
string; types are the schema's (where a date is not welcome it is a type error, E201).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.limits import MAX_STRING, limit_error
from seedspec.source import pointer


def check_document(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[list[str | int], Diagnostic]]:
    """Every NUL byte and over-long string in the document, keys included, with its path: no path,
    name, SQL statement or column value can hold one, and each layer below would fail differently."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                yield [*path, key], limit_error(pointer(*path, key), f"the key {key!r} contains a NUL byte")
            yield from check_document(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from check_document(item, (*path, index))
    elif isinstance(value, str):
        if "\x00" in value:
            yield (
                [*path],
                limit_error(pointer(*path), f"{value[:60]!r} contains a NUL byte", "remove the \\0"),
            )
        elif len(value) > MAX_STRING:
            message = f"a string of {len(value):,} characters; at most {MAX_STRING:,}"
            yield [*path], limit_error(pointer(*path), message)
