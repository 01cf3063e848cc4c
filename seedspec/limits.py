"""The bounds a spec cannot exceed, in one place (``spec.sanity`` checks a document against them).

Each limit is far above what a real spec needs and far below what exhausts a machine, so no one
reaches it by accident; passing one is a located E209, never a hang or a crash. docs/guarantees.md
("Limits") lists them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from seedspec.errors import Diagnostic

MAX_SPEC_BYTES = 16 * 1024 * 1024  # a spec file, or a DDL file it names
MAX_INT_DIGITS = 4300  # Python's own limit for converting text to int
MAX_COUNT = 1_000_000_000  # rows of one step (per parent row with for_each)
MAX_FORMAT_WIDTH = 1000  # a width or precision in a sequence format
MAX_SIZE_ARG = 1_000_000  # a Faker argument that sizes its output (max_chars, nb_words, length)
MAX_STRING = 1_000_000  # characters of one string written in a spec
MAX_TEMPLATE_OUTPUT = 1_000_000  # characters one template renders, or a string or list it builds
MAX_TEMPLATE_STEPS = 100_000  # loop iterations of one template render, nested loops counted in
MAX_TEMPLATE_POWER_BITS = 100_000  # bits of a number a template raises to a power

# Faker arguments that say how long the value is; the others (max_value, ...) only pick it.
SIZE_ARGS = frozenset(
    {
        "length",
        "max_chars",
        "min_chars",
        "max_nb_chars",
        "nb",
        "nb_words",
        "nb_sentences",
        "nb_paragraphs",
        "nb_elements",
        "ext_word_list_size",
        "digits",
        "left_digits",
        "right_digits",
        "size",
        "text_length",
    }
)

_HINT = "see 'Limits' in docs/guarantees.md"


def limit_error(ptr: str, message: str, hint: str = _HINT) -> Diagnostic:
    """E209: a value past one of the limits above (or one no spec can mean, such as a NUL byte)."""
    return Diagnostic(code="E209", message=message, pointer=ptr, hint=hint)


def int_too_long(text: str) -> bool:
    """Whether ``text`` has more digits than Python converts to an int (ValueError otherwise)."""
    return sum(ch.isdigit() for ch in text) > MAX_INT_DIGITS


def read_bounded(path: Path, max_bytes: int = MAX_SPEC_BYTES) -> str:
    """A regular UTF-8 file of at most ``max_bytes``: not /dev/zero, a FIFO or a directory.

    Raises:
        OSError: unreadable, not a regular file, or too large (the message says which).
        ValueError: a NUL byte in the path, or not UTF-8 (``UnicodeDecodeError``).
    """
    # one open, non-blocking (a FIFO would wait for a writer): what is checked is what is read
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"{path} is larger than {max_bytes // (1024 * 1024)} MiB")
    return data.decode("utf-8")


class TooLarge(OSError):
    """A file past ``MAX_SPEC_BYTES``: a mistake or an attack, not a spec."""
