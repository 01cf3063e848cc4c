"""The docs cannot drift from the code.

Every diagnostic code is documented; the spec reference and the JSON Schema name the same keys; every
whole spec shown in the docs validates.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import seedspec
from seedspec.errors import SeedspecError, Severity

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCHEMA = json.loads((ROOT / "schemas" / "seedspec.schema.json").read_text("utf-8"))


def _codes_in_source() -> set[str]:
    sources = (ROOT / "seedspec").rglob("*.py")
    return {code for path in sources for code in re.findall(r'"([EW]\d{3})"', path.read_text("utf-8"))}


def test_every_diagnostic_code_has_a_section() -> None:
    documented = set(re.findall(r"^### ([EW]\d{3})$", (DOCS / "diagnostics.md").read_text("utf-8"), re.M))
    codes = _codes_in_source()
    assert len(codes) > 40
    assert codes - documented == set()
    assert documented - codes == set()


def _schema_keys() -> set[str]:
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    return keys


@dataclass(frozen=True)
class KeyTable:
    """The spec keys one table of the reference documents, and the heading it stands under."""

    heading: str
    keys: frozenset[str]


# Table columns that name spec keys: each `code span` in them documents its leading name (`null_rate:
# 0.3` documents null_rate). In the generators' "written as" column, `{name: ...}` documents name.
KEY_COLUMNS = {"key", "option", "hook", "form", "parameters"}


def _span_key(column: str, span: str) -> str | None:
    found = re.match(r"\w+", span) if column in KEY_COLUMNS else None
    found = re.match(r"\{(\w+):", span) if column == "written as" else found
    return found[found.lastindex or 0] if found else None


def _key_tables(markdown: str) -> Iterator[KeyTable]:
    heading = ""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if found := re.match(r"#+ (.+)", line):
            heading = found[1]
        is_header = index + 1 < len(lines) and re.fullmatch(r"\|( *-+ *\|)+", lines[index + 1])
        if not (line.startswith("|") and is_header):
            continue
        columns = [cell.strip() for cell in line.strip("|").split("|")]
        keys: set[str] = set()
        for row in lines[index + 2 :]:
            if not row.startswith("|"):
                break
            for column, cell in zip(columns, row.strip("|").split("|"), strict=False):
                keys.update(
                    key for span in re.findall(r"`([^`]+)`", cell) if (key := _span_key(column, span))
                )
        yield KeyTable(heading, frozenset(keys))


def _reference() -> str:
    return (DOCS / "reference.md").read_text("utf-8")


def test_every_spec_key_is_in_the_reference() -> None:
    """Every property of the schema is a heading of the reference or a row of one of its key tables."""
    keys = _schema_keys()
    assert {"factories", "seed", "for_each", "distinct_per", "on_existing"} <= keys
    headings = set(re.findall(r"^#+ (\w+)", _reference(), re.M))
    tabled = set().union(*(table.keys for table in _key_tables(_reference())))
    assert keys - headings - tabled == set()


def test_every_key_the_reference_documents_is_in_the_schema() -> None:
    tabled = set().union(*(table.keys for table in _key_tables(_reference())))
    assert len(tabled) > 40
    assert tabled - _schema_keys() == set()


# Reference sections whose key tables document one object of the schema completely (null_rate and unique,
# which every generator takes, have their own section).
SECTIONS = {
    "Top-level keys": "",
    "settings": "/properties/settings",
    "database": "/properties/database",
    "tables": "/properties/tables",
    "factories": "/$defs/factory",
    "seed steps": "/$defs/step",
    "after_create": "/$defs/hook",
    "faker": "/$defs/faker_generator",
    "sequence": "/$defs/sequence_generator",
    "range": "/$defs/range_generator",
    "distribution": "/$defs/distribution_generator",
    "ref": "/$defs/ref_generator",
    "uuid": "/$defs/uuid_generator",
}


def _node(pointer: str) -> Any:
    node: Any = SCHEMA
    for part in pointer.split("/")[1:]:
        node = node[part]
    return node


@pytest.mark.parametrize("heading", sorted(SECTIONS))
def test_a_reference_section_documents_exactly_its_schema_object(heading: str) -> None:
    properties = set(_node(SECTIONS[heading])["properties"]) - {"null_rate", "unique"}
    tables = [table for table in _key_tables(_reference()) if table.heading == heading]
    assert tables, f"no key table under the heading {heading!r} of reference.md"
    documented = set().union(*(table.keys for table in tables)) - {"null_rate", "unique"}
    documented |= {heading} & properties
    assert documented == properties


def test_the_readme_holds_the_two_setup_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    test_command = (
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    )
    assert test_command in readme
    assert test_command in (ROOT / ".ci" / "run").read_text("utf-8")
    assert ".venv/bin/seedspec apply specs_examples/design/dev.yaml --create" in readme


def test_every_schema_property_has_a_description_and_an_example() -> None:
    missing: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                if isinstance(prop, dict) and "$ref" not in prop:
                    missing.extend(
                        f"{path}/{key}: {need}" for need in ("description", "examples") if need not in prop
                    )
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(SCHEMA, "")
    assert missing == []


# Pages whose specs are wrong on purpose (each one shows an error); elsewhere, put
# <!-- invalid spec --> on the line before such a block, or <!-- abridged spec --> before one that
# leaves parts out ("# ... steps ...").
INVALID_ON_PURPOSE = {"docs/diagnostics.md"}
NOT_WHOLE = {"invalid spec", "abridged spec"}
_SPEC_BLOCK = re.compile(
    r"^(?:<!-- (?P<mark>[^>]*) -->\n)?```(?P<lang>yaml|toml)\n(?P<text>.*?)^```$", re.M | re.S
)
_FILE_NAME = re.compile(r"# ([\w./-]+\.(?:ya?ml|toml))\n")


@dataclass(frozen=True)
class SpecBlock:
    """A YAML or TOML block of a docs page, and the file name its first comment line gives it."""

    page: str
    line: int
    name: str
    text: str
    whole: bool

    def included(self) -> set[str]:
        """The files this block includes; none if it does not parse."""
        try:
            document = tomllib.loads(self.text) if self.name.endswith(".toml") else yaml.safe_load(self.text)
        except (tomllib.TOMLDecodeError, yaml.YAMLError):
            return set()
        names = document.get("include", []) if isinstance(document, dict) else []
        return {names} if isinstance(names, str) else set(names)


def _spec_blocks(path: Path) -> list[SpecBlock]:
    page, text = path.relative_to(ROOT).as_posix(), path.read_text("utf-8")
    blocks = []
    for found in _SPEC_BLOCK.finditer(text):
        line = text.count("\n", 0, found.start("text"))
        named = _FILE_NAME.match(found["text"])
        name = named[1] if named else f"block{line}.{found['lang']}"
        whole = (
            re.search(r"^version\s*[:=]", found["text"], re.M) is not None and found["mark"] not in NOT_WHOLE
        )
        blocks.append(SpecBlock(page, line, name, found["text"], whole))
    return blocks


def _shown_specs() -> Iterator[tuple[SpecBlock, list[SpecBlock]]]:
    """Every whole spec in the docs that no other block of its page includes, with its page's blocks."""
    for path in sorted([ROOT / "README.md", *DOCS.rglob("*.md")]):
        blocks = _spec_blocks(path)
        if blocks and blocks[0].page not in INVALID_ON_PURPOSE:
            fragments = set().union(*(block.included() for block in blocks))
            yield from ((block, blocks) for block in blocks if block.whole and block.name not in fragments)


@pytest.mark.parametrize(
    ("block", "page"),
    [pytest.param(block, page, id=f"{block.page}:{block.line}") for block, page in _shown_specs()],
)
def test_every_spec_shown_in_the_docs_is_valid(
    block: SpecBlock, page: list[SpecBlock], tmp_path: Path
) -> None:
    """Loaded and validated (without table definitions) next to the page's other named blocks."""
    for other in page:
        (tmp_path / other.name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / other.name).write_text(other.text, "utf-8")
    try:
        diagnostics = seedspec.validate(seedspec.load(tmp_path / block.name, {"DATABASE_URL": "sqlite://"}))
    except SeedspecError as exc:
        diagnostics = exc.diagnostics
    errors = [f"{d.code} {d.message}" for d in diagnostics if d.severity is Severity.ERROR]
    assert errors == [], f"{block.page}:{block.line}"


def test_the_specs_shown_in_the_docs_are_found() -> None:
    shown = {(block.page, block.name) for block, _ in _shown_specs()}
    assert len(shown) > 8
    assert ("docs/recipes/selecting-steps.md", "seeds.yaml") in shown
    assert ("docs/recipes/selecting-steps.md", "content.yaml") not in shown


_EXAMPLE_BLOCK = re.compile(r"^<!-- example: (?P<path>\S+) -->\n```\w*\n(?P<text>.*?)^```$", re.M | re.S)


def test_the_examples_shown_in_the_docs_are_the_committed_files() -> None:
    """A block marked <!-- example: PATH --> shows the file PATH (from the repository root) whole."""
    shown = [
        (path, found)
        for path in DOCS.rglob("*.md")
        for found in _EXAMPLE_BLOCK.finditer(path.read_text("utf-8"))
    ]
    assert len(shown) >= 2
    for page, found in shown:
        committed = (ROOT / found["path"]).read_text("utf-8")
        assert found["text"] == committed, f"{page.relative_to(ROOT)}: {found['path']} differs from the file"


def test_every_public_name_is_in_the_python_api_reference() -> None:
    reference = (DOCS / "python-api.md").read_text("utf-8")
    headings = set(re.findall(r"^#+ ([\w.]+)", reference, re.M))
    missing = {n for n in seedspec.__all__ if n not in headings and f"`{n}`" not in reference}
    assert missing == set()


def _usage_blocks() -> list[tuple[list[str], str]]:
    """docs/cli.md's usage blocks: the command's words (``new factory``) and the block's text."""
    text = (DOCS / "cli.md").read_text("utf-8")
    found = re.findall(r"```\n(usage: seedspec ((?:new )?[a-z]+) .*?)\n```", text, re.S)
    return [(words.split(), block) for block, words in found]


def test_the_usage_blocks_are_those_of_help(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from seedspec.cli.parser import parser as _parser

    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps usage at the terminal's width
    blocks = _usage_blocks()
    assert len(blocks) == 9
    for words, block in blocks:
        parser = _parser()
        for word in words:
            parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[
                word
            ]
        assert block == parser.format_usage().rstrip("\n"), f"docs/cli.md: seedspec {' '.join(words)}"
