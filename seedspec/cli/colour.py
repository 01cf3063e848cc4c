"""Colour for the terminal: diagnostics and reports highlighted with rich, only where wanted.

Colour is on only when the stream is a terminal, ``NO_COLOR`` is unset or empty
(https://no-color.org) and ``--no-color`` was not given; the text is the same either way. rich
is imported only when there is something to colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

_STYLES = (
    (r"(?m)^\S+:\d+:\d+:", "cyan"),  # file:line:col
    (r"\berror E\d{3}\b", "bold red"),
    (r"\bwarning W\d{3}\b", "bold yellow"),
    (r"(?m)^  hint:", "green"),
    (r"(?m)^\d+ errors?, \d+ warnings?$", "bold"),
    (r"(?m)^(applied|plan against|reset) .*$", "bold"),
    (r"(?m)^  total\b.*$", "bold"),
    (r"(?m)^  ~ .*$", "yellow"),
)


def wanted(stream: TextIO, *, no_color: bool, environ: Mapping[str, str]) -> bool:
    """Whether to colour what goes to ``stream``."""
    if no_color or environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def write(stream: TextIO, text: str, *, colour: bool) -> None:
    """Write ``text`` and a newline to ``stream``, highlighted when ``colour``."""
    if not colour:
        stream.write(text if text.endswith("\n") else text + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    styled = Text(text.rstrip("\n"))
    for pattern, style in _STYLES:
        styled.highlight_regex(pattern, style)
    Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True).print(styled)
