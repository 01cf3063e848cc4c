"""The project schema completes the spec's own names and still accepts the spec."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sqlalchemy as sa

from seedspec.cli.main import main
from seedspec.database.tables import catalog_from_metadata
from seedspec.spec.project_schema import schema_for

METADATA = sa.MetaData()
sa.Table("users", METADATA, sa.Column("id", sa.Integer, primary_key=True), sa.Column("email", sa.String(80)))
sa.Table(
    "posts",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
)
CATALOG = catalog_from_metadata(METADATA)

DOC: dict[str, Any] = {
    "version": 1,
    "factories": {
        "user": {
            "table": "users",
            "fields": {"email": {"faker": "email"}},
            "states": {"vip": {"email": "v@x"}},
        },
        "post": {"table": "posts", "fields": {"user": {"ref": "user"}}},
    },
    "seed": [{"factory": "user", "count": 2, "states": ["vip"]}, {"factory": "post", "for_each": "user"}],
}


def _errors(schema: dict[str, Any], doc: dict[str, Any]) -> list[str]:
    jsonschema.Draft202012Validator.check_schema(schema)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]


def test_the_spec_itself_is_valid_under_its_project_schema() -> None:
    assert _errors(schema_for(DOC, CATALOG), DOC) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("seed", 0, "factory"), "usr", "'usr' is not one of ['post', 'user']"),
        (("seed", 0, "states", 0), "vpi", "'vpi' is not one of ['vip']"),
        (("factories", "user", "table"), "user", "'user' is not one of ['posts', 'users']"),
        (
            ("factories", "user", "fields", "emial"),
            {"faker": "email"},
            "'emial' is not one of ['id', 'email']",
        ),
    ],
)
def test_unknown_names_are_flagged_with_the_known_ones(
    path: tuple[Any, ...], value: Any, expected: str
) -> None:
    doc = copy.deepcopy(DOC)
    node: Any = doc
    for token in path[:-1]:
        node = node[token]
    node[path[-1]] = value
    assert expected in _errors(schema_for(doc, CATALOG), doc)


def test_without_tables_only_spec_names_are_completed() -> None:
    schema = schema_for(DOC, None)
    assert schema["$defs"]["step"]["properties"]["factory"]["enum"] == ["post", "user"]
    assert "enum" not in schema["$defs"]["factory"]["properties"]["table"]


def test_the_cli_prints_the_project_schema(capsys: pytest.CaptureFixture[str]) -> None:
    spec = Path(__file__).resolve().parents[3] / "specs_examples" / "design" / "dev.yaml"
    assert main(["schema", "--for", str(spec)]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$defs"]["step"]["properties"]["factory"]["enum"] == ["post", "post_tag", "tag", "user"]
    assert (
        "username"
        in schema["properties"]["factories"]["properties"]["user"]["allOf"][1]["properties"]["fields"][
            "propertyNames"
        ]["enum"]
    )
