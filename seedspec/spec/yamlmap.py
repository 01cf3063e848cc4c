"""YAML text -> plain data plus the location of every node, within the spec's limits.

Composing goes through PyYAML's nodes (not ``safe_load``) so every value keeps its line and
column, duplicate keys are refused, and nesting depth, alias expansion and tags are bounded
before any of them can cost memory or the stack.
"""

from __future__ import annotations

from typing import Any

import yaml

from seedspec.errors import Diagnostic, Location, SpecInvalid
from seedspec.limits import MAX_INT_DIGITS, int_too_long
from seedspec.source import join

MAX_NODES = 200_000  # an alias bomb expands past this long before memory suffers
MAX_DEPTH = 64

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary", "merge")
}
_LIMITS_HINT = f"at most {MAX_INT_DIGITS:,} digits; see 'Limits' in docs/guarantees.md"
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fail(code: str, message: str, location: Location | None, ptr: str = "", hint: str = "") -> SpecInvalid:
    """A load error: one located diagnostic."""
    return SpecInvalid(Diagnostic(code=code, message=message, location=location, pointer=ptr, hint=hint))


def too_deep(location: Location, ptr: str = "") -> SpecInvalid:
    """E104 for nesting past ``MAX_DEPTH`` (ours) or libyaml's own limit: one mistake, one message."""
    return fail(
        "E104", "the document is nested too deeply", location, ptr, f"keep nesting under {MAX_DEPTH} levels"
    )


def _check_depth(text: str, file: str) -> None:
    """Reject deep nesting from the event stream, before the (recursive) composer sees it."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                mark = event.start_mark
                if depth > MAX_DEPTH and mark is not None:
                    raise too_deep(Location(file=file, line=mark.line + 1, column=mark.column + 1))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if _libyaml_too_deep(exc):
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise too_deep(Location(file=file, line=line, column=column)) from exc
        return  # the composer reports syntax errors with their position
    except yaml.YAMLError:
        return


_UNFINISHED = {  # the parser notices on a later line (the next token's); the mistake starts here
    "while scanning a simple key": "a key starts here without its ':' (or the next line is indented too far)",
    "while scanning a quoted scalar": "a quoted string starts here and is never closed",
    "while parsing a flow mapping": "a '{' opens here and is not closed where it should be",
    "while parsing a flow sequence": "a '[' opens here and is not closed where it should be",
}


def _libyaml_too_deep(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml (PyYAML >= 6.0.3) has a nesting limit of its own (1,000 levels), which its scanner
    may hit before our event count does: that is the same mistake as ours, not a syntax error."""
    return "maximum nesting depth" in f"{exc.problem} {exc.context}"


def parse_yaml(text: str, file: str) -> tuple[dict[str, Any], dict[str, Location]]:
    """The document in ``text`` and a location for every pointer (``/a/0``) and value (``#value``).

    Raises:
        SpecInvalid: E100 malformed, E101 duplicate key, E104 past a limit or a non-standard tag,
            E201 not a mapping at the top level.
    """
    _check_depth(text, file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file=file, line=mark.line + 1, column=mark.column + 1) if mark else None
        if _libyaml_too_deep(exc):
            raise too_deep(loc or Location(file=file, line=1, column=1)) from exc
        hint = "check indentation and quoting around this position"
        unfinished = _UNFINISHED.get(exc.context or "")
        if unfinished and exc.context_mark is not None and mark is not None:
            start = exc.context_mark
            loc = Location(file=file, line=start.line + 1, column=start.column + 1)
            hint = f"{unfinished}; the parser noticed at line {mark.line + 1}, column {mark.column + 1}"
        raise fail("E100", f"invalid YAML: {exc.problem or exc.context}", loc, hint=hint) from exc
    except yaml.YAMLError as exc:
        raise fail("E100", f"invalid YAML: {exc}", Location(file=file, line=1, column=1)) from exc
    except RecursionError as exc:
        raise too_deep(Location(file=file, line=1, column=1)) from exc
    finally:
        loader.dispose()
    if node is None:
        return {}, {"": Location(file=file, line=1, column=1)}
    sizes: dict[int, int] = {}
    try:
        size = _expanded_size(node, sizes)
    except _Recursive as exc:
        mark = exc.node.start_mark
        raise fail(
            "E104",
            "an alias refers to the node that contains it (a recursive structure)",
            Location(file=file, line=mark.line + 1, column=mark.column + 1),
            hint="a spec is a tree: write the data out instead of the alias",
        ) from None
    if size > MAX_NODES:
        culprit, ptr = _largest_expansion(node, sizes)
        raise fail(
            "E104",
            f"the document expands to more than {MAX_NODES} nodes",
            Location(file=file, line=culprit.start_mark.line + 1, column=culprit.start_mark.column + 1),
            ptr,
            "an alias (*name) used many times expands every time; write the data out",
        )
    builder = _YamlBuilder(file, loader)
    document = builder.build(node, "", 0)
    if not isinstance(document, dict):
        raise fail(
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
        if known < 0:
            raise _Recursive(node)
        return known
    sizes[id(node)] = -1  # being sized: meeting it again inside itself is a cycle
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


class _Recursive(Exception):
    """``&a [*a]``: an alias inside the node it names."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


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
            raise fail(
                "E104",
                f"the document expands to more than {MAX_NODES} nodes",
                loc,
                ptr,
                "an alias (*name) used many times expands every time; write the data out",
            )
        if depth > MAX_DEPTH:
            raise too_deep(loc, ptr)
        self.entries.setdefault(ptr, loc)
        self.entries[ptr + "#value"] = loc
        if node.tag not in _STANDARD_TAGS:
            raise fail(
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
        if node.tag == "tag:yaml.org,2002:int" and int_too_long(str(node.value)):
            raise fail("E209", f"an integer of {len(node.value):,} digits", loc, ptr, _LIMITS_HINT)
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, ptr: str, depth: int) -> dict[Any, Any]:
        written = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.loader.flatten_mapping(node)
        merged = len(node.value) - written  # '<<' pairs come first; written keys may override them
        result: dict[Any, Any] = {}
        own: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                raise fail("E201", "mapping keys must be plain scalars", self._loc(key_node), ptr)
            key = _key_text(self.loader.construct_object(key_node))
            child = join(ptr, key)
            if index >= merged and key in own:
                raise fail(
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
