"""The docs cannot drift from the code: every diagnostic code and every spec key is documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


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
    schema = json.loads((ROOT / "schemas" / "seedspec.schema.json").read_text("utf-8"))
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return keys


def test_every_spec_key_is_in_the_reference() -> None:
    reference = (DOCS / "reference.md").read_text("utf-8")
    keys = _schema_keys()
    assert {"factories", "seed", "for_each", "distinct_per", "on_existing"} <= keys
    headings = set(re.findall(r"^#+ (\w+)", reference, re.M))
    missing = {key for key in keys if key not in headings and not re.search(rf"`{key}[`:]", reference)}
    assert missing == set()


def test_the_readme_holds_the_two_setup_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    test_command = (
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    )
    assert test_command in readme
    assert test_command in (ROOT / ".ci" / "run").read_text("utf-8")
    assert ".venv/bin/seedspec apply specs_examples/design/dev.yaml --create" in readme


def test_every_schema_property_has_a_description_and_an_example() -> None:
    schema = json.loads((ROOT / "schemas" / "seedspec.schema.json").read_text("utf-8"))
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

    walk(schema, "")
    assert missing == []


def test_every_public_name_is_in_the_python_api_reference() -> None:
    import seedspec

    reference = (DOCS / "python-api.md").read_text("utf-8")
    headings = set(re.findall(r"^#+ ([\w.]+)", reference, re.M))
    missing = {n for n in seedspec.__all__ if n not in headings and f"`{n}`" not in reference}
    assert missing == set()
