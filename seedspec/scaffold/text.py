"""Drafted factories as spec text: YAML or TOML, added to a spec without rewriting the rest.

Pure: text in, text out. The new text is parsed again, and it must hold the old spec plus the
factory and nothing else, or it is refused (E807).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import tomli
import yaml

from seedspec.errors import Diagnostic, SeedspecError
from seedspec.ir import GENERATOR_VERSION
from seedspec.scaffold.draft_spec import SpecDraft, StepDraft
from seedspec.scaffold.guess import FactoryDraft

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_BARE_TOML = re.compile(r"^[A-Za-z0-9_-]+$")


def yaml_value(value: Any) -> str:
    """``value`` as YAML flow text: plain where that reads back the same, else quoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_value(k)}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, str):
        plain = _PLAIN.match(value) and yaml.safe_load(value) == value
        return value if plain else json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def toml_value(value: Any) -> str:
    """``value`` as a TOML inline value."""
    if isinstance(value, dict):
        items = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if value is None:
        raise ValueError("TOML has no null")
    return json.dumps(value, ensure_ascii=False)


def toml_key(key: str) -> str:
    """A bare TOML key where allowed, else a quoted one."""
    return key if _BARE_TOML.match(key) else json.dumps(key, ensure_ascii=False)


def _field_lines(
    draft: FactoryDraft, key: Callable[[str], str], value: Callable[[Any], str], sep: str
) -> list[str]:
    """One line per field (comments for commented-out ones), then the columns left out."""
    lines = []
    for f in draft.fields:
        text = key(f.name) + sep.rstrip() + (sep[-1] + value(f.generator) if f.generator is not None else "")
        text = f"# {text}" if f.commented_out else text
        lines.append(f"{text}  # {f.comment}" if f.comment else text)
    if draft.left_out:
        lines.append(f"# filled by the database: {', '.join(draft.left_out)}")
    return lines


def render_yaml(draft: FactoryDraft, indent: int = 2) -> str:
    """The factory as a YAML block for under ``factories:``, its name indented ``indent``."""
    pad = " " * indent
    lines = [f"{pad}{yaml_value(draft.name)}:", *(f"{pad * 2}# {note}" for note in draft.notes)]
    lines.append(f"{pad * 2}table: {yaml_value(draft.table)}")
    if draft.key:
        lines.append(f"{pad * 2}key: {yaml_value(list(draft.key))}")
    active = any(not f.commented_out for f in draft.fields)
    lines.append(f"{pad * 2}fields:" + ("" if active else " {}"))
    lines += [pad * 3 + line for line in _field_lines(draft, yaml_value, yaml_value, ": ")]
    return "\n".join(lines) + "\n"


def render_toml(draft: FactoryDraft) -> str:
    """The factory as TOML tables: ``[factories.NAME]`` and ``[factories.NAME.fields]``."""
    head = f"factories.{toml_key(draft.name)}"
    lines = [f"[{head}]", *(f"# {note}" for note in draft.notes), f"table = {toml_value(draft.table)}"]
    if draft.key:
        lines.append(f"key = {toml_value(list(draft.key))}")
    lines += ["", f"[{head}.fields]", *_field_lines(draft, toml_key, toml_value, " = ")]
    return "\n".join(lines) + "\n"


# --- a whole spec (seedspec init) --------------------------------------------------------------


def _yaml_step(step: StepDraft) -> list[str]:
    comment = f"  # {step.comment}" if step.comment else ""
    return [f"  - {yaml_value(step.mapping())}{comment}"]


def _toml_step(step: StepDraft) -> list[str]:
    lines = ["", "[[seed]]" + (f"  # {step.comment}" if step.comment else "")]
    lines += [f"factory = {toml_value(step.factory)}"]
    if step.id is not None:
        lines.append(f"id = {toml_value(step.id)}")
    lines.append(f"count = {step.count}")
    if step.values:
        # TOML has no null: a ref that is always NULL
        values = {
            k: {"ref": step.factory, "null_rate": 1} if v is None else v for k, v in step.values.items()
        }
        lines.append(f"values = {toml_value(values)}")
    return lines


_PINNED = "# how seedspec draws values: pinned, so upgrades keep the keys"


def render_spec(draft: SpecDraft, *, header: list[str], database_url: str | None, toml: bool) -> str:
    """The whole spec as YAML or TOML text: the ``header`` comment lines, ``version``,
    ``database.url`` (when given), the factories, then the seed steps."""
    lines = [f"# {line}" if line else "#" for line in header]
    if toml:
        lines += ["", "version = 1"]
        if database_url is not None:
            lines += ["", "[database]", f"url = {toml_value(database_url)}"]
        lines += ["", "[settings]", f"generator_version = {GENERATOR_VERSION}  {_PINNED}"]
        for factory in draft.factories:
            lines += ["", render_toml(factory).rstrip("\n")]
        for step in draft.steps:
            lines += _toml_step(step)
        return "\n".join(lines) + "\n"
    lines += ["version: 1"]
    if database_url is not None:
        lines += ["database:", f"  url: {yaml_value(database_url)}"]
    lines += ["", "settings:", f"  generator_version: {GENERATOR_VERSION}  {_PINNED}"]
    lines += ["", "factories:"]
    for factory in draft.factories:
        lines.append(render_yaml(factory).rstrip("\n"))
    lines += ["", "seed:"]
    for step in draft.steps:
        lines += _yaml_step(step)
    return "\n".join(lines) + "\n"


# --- appending to a spec's text ----------------------------------------------------------------

_FACTORIES = re.compile(r"^factories[ \t]*:(?P<rest>[^#\n]*)(?P<comment>#.*)?$")


def _cannot_append(file: str, reason: str, hint: str) -> SeedspecError:
    return SeedspecError(
        Diagnostic(code="E807", message=f"cannot add a factory to {file}: {reason}", hint=hint)
    )


def append_factory(text: str, draft: FactoryDraft, *, toml: bool, file: str) -> tuple[str, str]:
    """``text`` with the draft added, and the block that was added. The user's text is kept as
    is: a YAML block goes at the end of ``factories:`` (a header is added when there is none),
    TOML tables go at the end. Both texts are parsed to check that nothing else changed.

    Raises:
        SeedspecError: E807, the text cannot take the factory without being rewritten.
    """
    updated, block = _append_toml(text, draft) if toml else _append_yaml(text, draft, file)
    _verify(text, updated, draft, toml=toml, file=file)
    return updated, block


def _ending_with_blank_line(text: str) -> str:
    if not text:
        return text
    text = text if text.endswith("\n") else text + "\n"
    return text if text.endswith("\n\n") else text + "\n"


def _append_toml(text: str, draft: FactoryDraft) -> tuple[str, str]:
    block = render_toml(draft)
    return _ending_with_blank_line(text) + block, block


def _append_yaml(text: str, draft: FactoryDraft, file: str) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    found = ((i, _FACTORIES.match(line.rstrip("\r\n"))) for i, line in enumerate(lines))
    header, match = next(((i, m) for i, m in found if m), (None, None))
    if header is None or match is None:
        block = "factories:\n" + render_yaml(draft)
        return _ending_with_blank_line(text) + block, block
    rest, comment = match["rest"].strip(), match["comment"]
    if rest == "{}":
        lines[header] = "factories:" + (f"  {comment}" if comment else "") + "\n"
    elif rest:
        raise _cannot_append(
            file,
            f"'factories:' is written inline (line {header + 1})",
            "write factories as a block mapping, one factory name per line, then run this again",
        )
    last, indent = _block_end(lines, header)
    block = render_yaml(draft, indent)
    lines[last] = lines[last] if lines[last].endswith("\n") else lines[last] + "\n"
    lines.insert(last + 1, block)
    return "".join(lines), block


def _block_end(lines: list[str], header: int) -> tuple[int, int]:
    """The last line of the ``factories:`` block and the indentation of its factory names.

    Comments at column 0 before the next top-level key belong to that key, so they stay below.
    """
    last, indent = header, 0
    for i in range(header + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            break
        last = i
        if not indent and not line.lstrip().startswith("#"):
            indent = len(line) - len(line.lstrip(" "))
    return last, indent or 2


def _verify(old: str, new: str, draft: FactoryDraft, *, toml: bool, file: str) -> None:
    """The new text must parse to the old document plus the factory, and nothing else."""
    try:
        before = (tomli.loads(old) if toml else yaml.safe_load(old)) or {}
        after = (tomli.loads(new) if toml else yaml.safe_load(new)) or {}
    except (yaml.YAMLError, tomli.TOMLDecodeError) as exc:
        reason = f"the result would not parse ({str(exc).splitlines()[0]})"
        hint = "in TOML, factories written as an inline table cannot take more; use [factories.NAME] tables"
        raise _cannot_append(file, reason, hint) from exc
    factories = before.get("factories") if isinstance(before, dict) else None
    if not isinstance(factories or {}, dict):
        raise _cannot_append(file, "'factories' is not a mapping", "factories map a name to a factory")
    expected = {**before, "factories": {**(factories or {}), draft.name: draft.mapping()}}
    if after != expected:
        raise _cannot_append(
            file,
            "the text around 'factories:' is laid out in a way seedspec cannot extend safely",
            "add the factory by hand: 'seedspec new factory --dry-run' prints it",
        )
