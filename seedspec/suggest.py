"""Did-you-mean: the one spelling-suggestion rule every message uses. Standard library only."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

CUTOFF = 0.6  # difflib's own default: 'emial' finds 'email', 'count' does not find 'seed'


def closest(word: str, options: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The option spelled most like ``word`` (at least ``cutoff`` alike), or None."""
    close = get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, options: Iterable[str], *, cutoff: float = CUTOFF) -> str:
    """``did you mean 'x'?`` for the closest option, or "" when none is close enough."""
    match = closest(word, options, cutoff=cutoff)
    return f"did you mean '{match}'?" if match is not None else ""
