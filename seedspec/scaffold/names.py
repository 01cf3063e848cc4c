"""Names for scaffolding (pure): snake case, singulars, the factory name a table gets, and
the checks on a name ``seedspec new factory`` is given."""

from __future__ import annotations

import re
from collections.abc import Iterable

from seedspec import suggest
from seedspec.errors import Diagnostic

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def snake_case(name: str) -> str:
    """``BillingPostalCode`` -> ``billing_postal_code``; ``Order Details`` -> ``order_details``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def singular(word: str) -> str:
    """A plain-English singular: ``categories`` -> ``category``, ``users`` -> ``user``."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def factory_name(table: str) -> str:
    """The factory name ``seedspec new factory`` uses for a table: singular snake case."""
    words = snake_case(table).split("_")
    name = "_".join([*words[:-1], singular(words[-1])]) if words and words[-1] else "row"
    return name if IDENTIFIER.match(name) else f"t_{name}"


def name_matches(name: str, patterns: Iterable[str]) -> bool:
    """Whether a snake-case column name is, or ends with, one of the patterns."""
    return any(name == p or name.endswith("_" + p) for p in patterns)


def check_name(name: str, taken: Iterable[str]) -> Diagnostic | None:
    """Why ``name`` cannot name a new factory (E803 not an identifier, E804 taken), or None."""
    if not IDENTIFIER.match(name):
        return Diagnostic(
            code="E803",
            message=f"'{name}' cannot name a factory",
            hint="a factory name is a letter or '_', then letters, digits or '_' (for example blog_post)",
        )
    if name in set(taken):
        return Diagnostic(
            code="E804",
            message=f"the spec already has a factory '{name}'",
            pointer=f"/factories/{name}",
            hint="choose another name (seedspec new factory OTHER_NAME --table ...), "
            "or edit the existing factory",
        )
    return None


def unknown_table(table: str, known: Iterable[str], source: str) -> Diagnostic:
    """E805: ``table`` is not among the ``known`` tables of ``source``."""
    names = sorted(known)
    match = suggest.closest(table, names) or next((n for n in names if n.lower() == table.lower()), None)
    shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    guess = f"did you mean '{match}'? " if match else ""
    return Diagnostic(
        code="E805",
        message=f"there is no table '{table}' in {source}",
        hint=f"{guess}known tables: {shown}",
    )
