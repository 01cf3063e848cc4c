"""Loading: spec text -> one plain document plus a source map (YAML or TOML, include, ${ENV}).

This is the only pure-stage module that reads files; it never touches a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedspec.errors import Location, SpecInvalid
from seedspec.limits import MAX_INT_DIGITS, TooLarge, int_too_long, limit_error, read_bounded
from seedspec.source import SourceMap, join
from seedspec.spec.scalars import typed_scalar
from seedspec.spec.yamlmap import MAX_DEPTH, MAX_NODES, fail, parse_yaml, too_deep

__all__ = ["MAX_DEPTH", "MAX_NODES", "SUPPORTED_VERSION", "LoadedSpec", "load_spec"]

SUPPORTED_VERSION = 1
_ENV = re.compile(r"\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedSpec:
    """A spec as loaded: the merged plain document, where each node came from, and the files."""

    path: Path
    document: dict[str, Any]
    source_map: SourceMap
    files: tuple[Path, ...]


def load_spec(path: Path, env: Mapping[str, str]) -> LoadedSpec:
    """Load a spec file with its includes, interpolating ``${VAR}`` from ``env``.

    Raises:
        SpecInvalid: the file is unreadable, malformed, has duplicate keys, an unsupported
            version, a missing or cyclic include, or an unset variable without default.
    """
    files: list[Path] = []
    document, smap = _load_with_includes(path, env, (), files)
    return LoadedSpec(path=path, document=document, source_map=smap, files=tuple(files))


def _load_with_includes(
    path: Path, env: Mapping[str, str], stack: tuple[Path, ...], files: list[Path]
) -> tuple[dict[str, Any], SourceMap]:
    """``stack`` holds the files being included, as written, outermost first."""
    files.append(path)
    document, entries = _load_file(path, env)
    if "include" in document and not isinstance(document["include"], (str, list)):
        return _merge({}, SourceMap({}), document, SourceMap(entries))  # the schema reports the type
    includes = document.pop("include", [])
    if isinstance(includes, str):
        includes = [includes]
        entries[join("", "include", 0)] = entries.get("/include#value") or Location(
            file=str(path), line=1, column=1
        )
    merged: dict[str, Any] = {}
    merged_map = SourceMap({})
    if isinstance(includes, list):  # always, after the check above
        for i, name in enumerate(includes):
            ptr = join("", "include", i)
            loc = entries.get(ptr)
            if not isinstance(name, str):
                continue  # the schema reports the wrong type
            target = path.parent / name
            if not _is_file(target):
                raise fail(
                    "E102",
                    f"included file not found: {name[:200]}",
                    loc,
                    ptr,
                    f"paths are relative to {path.parent}/",
                )
            if target.resolve() in {p.resolve() for p in (*stack, path)}:
                chain = " -> ".join(str(p) for p in (*stack, path, target))
                raise fail("E103", f"include cycle: {chain}", loc, ptr, "remove one of the includes")
            inc_doc, inc_map = _load_with_includes(target, env, (*stack, path), files)
            merged, merged_map = _merge(merged, merged_map, inc_doc, inc_map)
    return _merge(merged, merged_map, document, SourceMap(entries))


def _is_file(path: Path) -> bool:
    """``is_file`` that answers no, not OSError or ValueError, for a name too long or with a NUL."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _merge(
    base: dict[str, Any], base_map: SourceMap, top: dict[str, Any], top_map: SourceMap
) -> tuple[dict[str, Any], SourceMap]:
    """Deep-merge ``top`` over ``base``: mappings merge, ``seed`` steps concatenate."""
    offset = len(base.get("seed", [])) if isinstance(base.get("seed"), list) else 0
    entries = dict(base_map.entries)
    for ptr, loc in top_map.entries.items():
        entries[_shift_step(ptr, offset)] = loc
    result = _deep_merge(base, top)
    if isinstance(base.get("seed"), list) and isinstance(top.get("seed"), list):
        result["seed"] = [*base["seed"], *top["seed"]]
    return result, SourceMap(entries)


_STEP = re.compile(r"^/seed/(\d+)(?=$|/|#)")


def _shift_step(ptr: str, offset: int) -> str:
    """``/seed/0/count#value`` -> ``/seed/2/count#value`` when two included steps come first."""
    if not offset:
        return ptr
    return _STEP.sub(lambda m: f"/seed/{int(m.group(1)) + offset}", ptr)


def _deep_merge(base: dict[str, Any], top: dict[str, Any], path: tuple[str, ...] = ()) -> dict[str, Any]:
    """Mappings merge key by key, down to a factory's fields and states: a generator written
    in the including file replaces the included one whole."""
    result = dict(base)
    for key, value in top.items():
        inner = (*path, key)
        whole = len(inner) == 3 and inner[0] == "factories" and inner[2] in ("key", "after_create")
        mergeable = len(inner) < 4 and not whole
        if isinstance(value, dict) and isinstance(result.get(key), dict) and mergeable:
            result[key] = _deep_merge(result[key], value, inner)
        else:
            result[key] = value
    return result


def _load_file(path: Path, env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Location]]:
    try:
        text = read_bounded(path)
    except TooLarge as exc:
        raise fail(
            "E104",
            str(exc),
            Location(file=str(path), line=1, column=1),
            hint="keep specs small: generate volume with count, not with data written out",
        ) from exc
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or a NUL byte in the path
        raise fail(
            "E100",
            f"cannot read {path}: {exc}",
            Location(file=str(path), line=1, column=1),
            hint="check the path and that the file is UTF-8 text",
        ) from exc
    suffix = path.suffix.lower()
    if suffix == ".toml":
        document, entries = _parse_toml(text, str(path))
    elif suffix in (".yaml", ".yml"):
        document, entries = parse_yaml(text, str(path))
    else:
        raise fail(
            "E100",
            f"unknown spec format '{suffix or path.name}'",
            Location(file=str(path), line=1, column=1),
            hint="name spec files *.yaml, *.yml or *.toml",
        )
    _check_version(document, entries, str(path))
    return _interpolate(document, entries, env, ""), entries


def _check_version(document: dict[str, Any], entries: dict[str, Location], file: str) -> None:
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SUPPORTED_VERSION:
        raise fail(
            "E110",
            f"spec version {version} is newer than this seedspec supports (version {SUPPORTED_VERSION})",
            entries.get("/version#value") or Location(file=file, line=1, column=1),
            "/version",
            "upgrade seedspec, or write the spec for version 1",
        )


def _parse_toml(text: str, file: str) -> tuple[dict[str, Any], dict[str, Location]]:
    import tomli  # here: a YAML spec never needs it

    from seedspec.spec.tomlmap import toml_locations

    try:
        document = tomli.loads(text)
    except RecursionError as exc:
        raise too_deep(Location(file=file, line=1, column=1)) from exc
    except ValueError as exc:  # before TOMLDecodeError, its subclass: only an int past Python's limit
        if isinstance(exc, tomli.TOMLDecodeError):
            raise _toml_error(exc, text, file) from exc
        raise _toml_long_int(text, file) from exc
    entries = toml_locations(text, file)
    entries.setdefault("", Location(file=file, line=1, column=1))
    return document, entries


def _toml_long_int(text: str, file: str) -> SpecInvalid:
    """tomli fails on an integer past Python's limit without saying where: find it."""
    found = re.search(rf"[0-9_]{{{MAX_INT_DIGITS},}}", text)
    before = text[: found.start()] if found else ""
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    return fail(
        "E209",
        f"an integer of more than {MAX_INT_DIGITS:,} digits",
        Location(file=file, line=line, column=column),
        hint="see 'Limits' in docs/guarantees.md",
    )


def _toml_error(exc: Any, text: str, file: str) -> SpecInvalid:
    line, col = getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1
    message = getattr(exc, "msg", str(exc))
    if message.startswith(("Cannot overwrite a value", "Cannot declare")):
        return _toml_duplicate(text, file, line)
    return fail(
        "E100",
        f"invalid TOML: {message}",
        Location(file=file, line=line, column=col),
        hint="see https://toml.io for the syntax",
    )


def _toml_duplicate(text: str, file: str, line: int) -> SpecInvalid:
    """tomli reports a repeated key past its value and without its name: find the key."""
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    stripped = source.lstrip().lstrip("[").lstrip()
    key = re.split(r"\s*[=\]]", stripped, maxsplit=1)[0].strip() or "?"
    column = source.find(key) + 1 if key in source else 1
    return fail(
        "E101",
        f"duplicate key '{key}'",
        Location(file=file, line=line, column=column),
        hint=f"'{key}' is already defined earlier in this table; keep one",
    )


def _interpolate(value: Any, entries: dict[str, Location], env: Mapping[str, str], ptr: str) -> Any:
    """Replace ``${VAR}`` and ``${VAR:-default}`` in every string; ``$${`` escapes."""
    if isinstance(value, dict):
        return {k: _interpolate(v, entries, env, join(ptr, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, entries, env, join(ptr, i)) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(0)[1:]
        name, default = match.group(2), match.group(3)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise fail(
            "E105",
            f"environment variable {name} is not set",
            entries.get(ptr + "#value"),
            ptr,
            f"set {name}, or give a default: ${{{name}:-value}}",
        )

    whole = _ENV.fullmatch(value)
    result = _ENV.sub(substitute, value)
    if whole and not whole.group(1):
        if int_too_long(result):
            problem = limit_error(ptr, f"{whole.group(2)} holds an integer of {len(result):,} digits")
            raise fail("E209", problem.message, entries.get(ptr + "#value"), ptr, problem.hint)
        return typed_scalar(result)
    return result
