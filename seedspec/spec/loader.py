"""Loading: spec text -> one plain document plus a source map (YAML or TOML, include, ${ENV}).

This is the only pure-stage module that reads files; it never touches a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from seedspec.errors import Diagnostic, Location, SpecInvalid
from seedspec.source import SourceMap, join

SUPPORTED_VERSION = 1
MAX_NODES = 200_000  # an alias bomb expands past this long before memory suffers
MAX_DEPTH = 64
MAX_BYTES = 16 * 1024 * 1024  # a spec is source code; anything bigger is a mistake or an attack
_ENV = re.compile(r"\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary", "merge")
}
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedSpec:
    """A spec as loaded: the merged plain document, where each node came from, and the files."""

    path: Path
    document: dict[str, Any]
    source_map: SourceMap
    files: tuple[Path, ...]


def _fail(code: str, message: str, location: Location | None, ptr: str = "", hint: str = "") -> SpecInvalid:
    return SpecInvalid(Diagnostic(code=code, message=message, location=location, pointer=ptr, hint=hint))


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
            if target.resolve() in {p.resolve() for p in (*stack, path)}:
                chain = " -> ".join(str(p) for p in (*stack, path, target))
                raise _fail("E103", f"include cycle: {chain}", loc, ptr, "remove one of the includes")
            if not target.is_file():
                raise _fail(
                    "E102",
                    f"included file not found: {name}",
                    loc,
                    ptr,
                    f"paths are relative to {path.parent}/",
                )
            inc_doc, inc_map = _load_with_includes(target, env, (*stack, path), files)
            merged, merged_map = _merge(merged, merged_map, inc_doc, inc_map)
    return _merge(merged, merged_map, document, SourceMap(entries))


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
        if path.stat().st_size > MAX_BYTES:
            raise _fail(
                "E104",
                f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MiB",
                Location(file=str(path), line=1, column=1),
                hint="keep specs small: generate volume with count, not with data written out",
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(
            "E100",
            f"cannot read {path}: {exc}",
            Location(file=str(path), line=1, column=1),
            hint="check the path and that the file is UTF-8 text",
        ) from exc
    suffix = path.suffix.lower()
    if suffix == ".toml":
        document, entries = _parse_toml(text, str(path))
    elif suffix in (".yaml", ".yml"):
        document, entries = _parse_yaml(text, str(path))
    else:
        raise _fail(
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
        raise _fail(
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
        raise _too_deep(Location(file=file, line=1, column=1)) from exc
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1
        message = getattr(exc, "msg", str(exc))
        if message.startswith(("Cannot overwrite a value", "Cannot declare")):
            raise _toml_duplicate(text, file, line) from exc
        raise _fail(
            "E100",
            f"invalid TOML: {message}",
            Location(file=file, line=line, column=col),
            hint="see https://toml.io for the syntax",
        ) from exc
    entries = toml_locations(text, file)
    entries.setdefault("", Location(file=file, line=1, column=1))
    return document, entries


def _check_yaml_depth(text: str, file: str) -> None:
    """Reject deep nesting from the event stream, before the (recursive) composer sees it."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                mark = event.start_mark
                if depth > MAX_DEPTH and mark is not None:
                    raise _too_deep(Location(file=file, line=mark.line + 1, column=mark.column + 1))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if _libyaml_too_deep(exc):
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise _too_deep(Location(file=file, line=line, column=column)) from exc
        return  # the composer reports syntax errors with their position
    except yaml.YAMLError:
        return


def _libyaml_too_deep(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml (PyYAML >= 6.0.3) has a nesting limit of its own (1,000 levels), which its scanner
    may hit before our event count does: that is the same mistake as ours, not a syntax error."""
    return "maximum nesting depth" in f"{exc.problem} {exc.context}"


def _too_deep(location: Location, ptr: str = "") -> SpecInvalid:
    return _fail(
        "E104", "the document is nested too deeply", location, ptr, f"keep nesting under {MAX_DEPTH} levels"
    )


def _toml_duplicate(text: str, file: str, line: int) -> SpecInvalid:
    """tomli reports a repeated key past its value and without its name: find the key."""
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    stripped = source.lstrip().lstrip("[").lstrip()
    key = re.split(r"\s*[=\]]", stripped, maxsplit=1)[0].strip() or "?"
    column = source.find(key) + 1 if key in source else 1
    return _fail(
        "E101",
        f"duplicate key '{key}'",
        Location(file=file, line=line, column=column),
        hint=f"'{key}' is already defined earlier in this table; keep one",
    )


def _parse_yaml(text: str, file: str) -> tuple[dict[str, Any], dict[str, Location]]:
    _check_yaml_depth(text, file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file=file, line=mark.line + 1, column=mark.column + 1) if mark else None
        if _libyaml_too_deep(exc):
            raise _too_deep(loc or Location(file=file, line=1, column=1)) from exc
        raise _fail(
            "E100",
            f"invalid YAML: {exc.problem or exc.context}",
            loc,
            hint="check indentation and quoting around this position",
        ) from exc
    except yaml.YAMLError as exc:
        raise _fail("E100", f"invalid YAML: {exc}", Location(file=file, line=1, column=1)) from exc
    except RecursionError as exc:
        raise _too_deep(Location(file=file, line=1, column=1)) from exc
    finally:
        loader.dispose()
    if node is None:
        return {}, {"": Location(file=file, line=1, column=1)}
    sizes: dict[int, int] = {}
    if _expanded_size(node, sizes) > MAX_NODES:
        culprit, ptr = _largest_expansion(node, sizes)
        raise _fail(
            "E104",
            f"the document expands to more than {MAX_NODES} nodes",
            Location(file=file, line=culprit.start_mark.line + 1, column=culprit.start_mark.column + 1),
            ptr,
            "an alias (*name) used many times expands every time; write the data out",
        )
    builder = _YamlBuilder(file, loader)
    document = builder.build(node, "", 0)
    if not isinstance(document, dict):
        raise _fail(
            "E201",
            "a spec must be a mapping at the top level",
            builder.entries.get(""),
            hint="start the file with 'version: 1'",
        )
    return document, builder.entries


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` becomes once every alias is expanded, each shared node sized once.

    Aliases make the composed tree a DAG; memoizing by identity keeps this linear in the text,
    so an alias bomb is refused before a single one of its expansions is built.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.MappingNode):
        for _key, value_node in node.value:
            size += _expanded_size(value_node, sizes)  # keys are scalars (E201 otherwise)
            if size > MAX_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, sizes)
            if size > MAX_NODES:
                break
    sizes[id(node)] = size
    return size


def _largest_expansion(node: yaml.Node, sizes: dict[int, int]) -> tuple[yaml.Node, str]:
    """The smallest subtree that alone expands past the limit, and its pointer: the culprit."""
    ptr = ""
    while True:
        children: list[tuple[str, yaml.Node]] = []
        if isinstance(node, yaml.MappingNode):
            children = [(str(k.value), v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(str(i), v) for i, v in enumerate(node.value)]
        big = next(((k, v) for k, v in children if sizes.get(id(v), 0) > MAX_NODES), None)
        if big is None:
            return node, ptr
        ptr, node = join(ptr, big[0]), big[1]


class _YamlBuilder:
    """Builds plain Python data from a composed YAML node tree, recording every location."""

    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.entries: dict[str, Location] = {}
        self.count = 0

    def _loc(self, node: yaml.Node) -> Location:
        return Location(file=self.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1)

    def build(self, node: yaml.Node, ptr: str, depth: int) -> Any:
        self.count += 1
        loc = self._loc(node)
        if self.count > MAX_NODES:
            raise _fail(
                "E104",
                f"the document expands to more than {MAX_NODES} nodes",
                loc,
                ptr,
                "an alias (*name) used many times expands every time; write the data out",
            )
        if depth > MAX_DEPTH:
            raise _too_deep(loc, ptr)
        self.entries.setdefault(ptr, loc)
        self.entries[ptr + "#value"] = loc
        if node.tag not in _STANDARD_TAGS:
            raise _fail(
                "E104",
                f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                loc,
                ptr,
                "specs use plain YAML: strings, numbers, booleans, null, dates, lists, mappings",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, ptr, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, join(ptr, i), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, ptr: str, depth: int) -> dict[Any, Any]:
        written = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.loader.flatten_mapping(node)
        merged = len(node.value) - written  # '<<' pairs come first; written keys may override them
        result: dict[Any, Any] = {}
        own: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail("E201", "mapping keys must be plain scalars", self._loc(key_node), ptr)
            key = _key_text(self.loader.construct_object(key_node))
            child = join(ptr, key)
            if index >= merged and key in own:
                raise _fail(
                    "E101",
                    f"duplicate key '{key}'",
                    self._loc(key_node),
                    child,
                    f"'{key}' is already defined at line {self.entries[child].line}; keep one",
                )
            if index >= merged:
                own.add(key)
            self.entries[child] = self._loc(key_node)
            result[key] = self.build(value_node, child, depth + 1)
            self.entries[child] = self._loc(key_node)
        return result


def _key_text(key: object) -> str:
    """Mapping keys as JSON has them: ``true`` -> "true", ``null`` -> "null", ``3`` -> "3"."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    return str(key).lower() if isinstance(key, bool) else str(key)


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
        raise _fail(
            "E105",
            f"environment variable {name} is not set",
            entries.get(ptr + "#value"),
            ptr,
            f"set {name}, or give a default: ${{{name}:-value}}",
        )

    whole = _ENV.fullmatch(value)
    result = _ENV.sub(substitute, value)
    if whole and not whole.group(1):
        return _typed_scalar(result)
    return result


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None, "~": None}


def _typed_scalar(text: str) -> Any:
    """A value that was only ``${VAR}`` takes the plain type of its text: ``42`` -> 42,
    ``0.5`` -> 0.5, ``true``/``false``/``null``; anything else (``01234``, ``1:30``) stays text."""
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return _WORDS.get(text.lower(), text) if text.lower() in _WORDS else text
