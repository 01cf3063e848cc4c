"""What semantic checks may still read of a document the schema refused: the rest of it.

Each schema error drops the part it is about (a field, a factory key, a step), so the checks
that follow report the other problems at once instead of one round of fixes at a time.
"""

from __future__ import annotations

import copy
from typing import Any


def prune(document: dict[str, Any], paths: list[list[str | int]]) -> dict[str, Any] | None:
    """A copy without the schema-invalid parts, so semantic checks can still run on the rest.

    Returns None when the damage is too close to the root to check anything meaningfully.
    """
    if not paths:
        return document
    pruned = copy.deepcopy(document)
    for path in paths:
        if not path or path[0] not in (
            "factories",
            "seed",
            "settings",
            "database",
            "tables",
            "include",
        ):
            return None
        if path[0] != "factories" and path[0] != "seed":
            pruned.pop(str(path[0]), None)
        elif not _prune_path(pruned, path):
            return None
    return pruned


def _prune_path(doc: dict[str, Any], path: list[str | int]) -> bool:
    section = doc.get(str(path[0]))
    if path[0] == "seed":
        if (
            isinstance(section, list)
            and len(path) > 1
            and isinstance(path[1], int)
            and path[1] < len(section)
        ):
            section[path[1]] = None  # skipped by the semantic checks; indices stay put
            return True
        return False
    if not isinstance(section, dict) or len(path) < 2 or not isinstance(section.get(str(path[1])), dict):
        return False
    factory = section[str(path[1])]
    if len(path) >= 4 and path[2] in ("fields", "states") and isinstance(factory.get(str(path[2])), dict):
        factory[str(path[2])].pop(str(path[3]), None)
    elif len(path) >= 3:
        factory.pop(str(path[2]), None)
    factory.setdefault("fields", {})  # what the checks rely on, even when the schema found it missing
    factory.setdefault("table", "")
    return True
