"""Reading a scalar from text that has no YAML type of its own: a ``${VAR}`` value, a ``--set``.

One reader for both, stricter than YAML 1.1 (where ``010`` is octal 8 and ``1:30`` is 90) and than
Python's ``int()`` (which takes ``1_000``, `` 7 `` and Arabic-Indic digits such as ``٣``): text
that is not plainly a number, a boolean or null stays text, so it can never surprise.
"""

from __future__ import annotations

import math
import re
from typing import Any

from seedspec.limits import int_too_long

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None, "~": None}


def typed_scalar(text: str) -> Any:
    """``42`` -> 42, ``0.5`` -> 0.5, ``true``/``false``/``null``/``~`` (any case) -> their value;
    anything else (``01234``, ``1:30``, ``1_000``, `` 7 ``, ``1e999``, ``nan``, an integer past
    ``MAX_INT_DIGITS``) stays ``text``."""
    if _INT.fullmatch(text) and not int_too_long(text):  # [0-9], not \d: every script's digits
        return int(text)
    if _FLOAT.fullmatch(text) and math.isfinite(number := float(text)):
        return number
    return _WORDS.get(text.lower(), text)
