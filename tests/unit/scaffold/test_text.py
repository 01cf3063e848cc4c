"""Drafted factories as spec text: YAML and TOML that read back as the draft, added to a spec
without touching the rest of it, and refused when that is not possible."""

from __future__ import annotations

import textwrap

import pytest
import sqlalchemy as sa
import tomli
import yaml

from seedspec.errors import SeedspecError
from seedspec.scaffold.guess import FactoryDraft, guess_factory
from seedspec.scaffold.text import append_factory, render_toml, render_yaml, yaml_value


def _books() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "authors",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(120), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
    )
    sa.Table(
        "books",
        metadata,
        sa.Column("isbn", sa.String(13), primary_key=True),
        sa.Column("author_id", sa.ForeignKey("authors.id"), nullable=False),
        sa.Column("editor_id", sa.ForeignKey("editors.id")),
        sa.Column("title", sa.String(200), nullable=False),
    )
    sa.Table("editors", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def test_yaml_values_are_quoted_only_when_needed() -> None:
    assert yaml_value({"range": ["-1y", "now"]}) == '{range: ["-1y", now]}'
    assert (
        yaml_value(["true", "Order Details", "a:b", 1.0, True])
        == '["true", "Order Details", "a:b", 1.0, true]'
    )
    assert yaml_value("{{ n }}") == '"{{ n }}"'


def test_a_draft_renders_to_yaml_and_toml_that_read_back_the_same() -> None:
    draft = guess_factory(_books().tables["books"], "book", {"authors": "author"})
    as_yaml = yaml.safe_load("factories:\n" + render_yaml(draft))
    as_toml = tomli.loads(render_toml(draft))
    assert as_yaml["factories"]["book"] == draft.mapping() == as_toml["factories"]["book"]
    assert "# editor_id: {ref: editor}  # no factory fills table editors yet" in render_yaml(draft)


DRAFT = FactoryDraft(
    name="tag", table="tags", key=("name",), fields=(), left_out=("id",)
)  # fields: {} when there is nothing to fill


def _draft() -> FactoryDraft:
    return guess_factory(_books().tables["authors"], "author", {})


SPEC = textwrap.dedent(
    """\
    # my seeds
    version: 1
    factories:
        user:              # four-space indentation
            table: users
            fields:
                email: {sequence: "u{n}@example.com"}
            # a trailing comment of the user factory

    # the steps
    seed:
      - factory: user
    """
)


def test_a_yaml_factory_goes_at_the_end_of_factories_and_keeps_every_comment() -> None:
    text, block = append_factory(SPEC, _draft(), toml=False, file="spec.yaml")
    assert text.replace(block, "") == SPEC
    assert (
        text.index("# a trailing comment of the user factory") < text.index(block) < text.index("# the steps")
    )
    assert block.startswith("    author:\n        table: authors\n")
    assert yaml.safe_load(text)["factories"]["author"] == _draft().mapping()


def test_a_spec_without_factories_gets_the_header_at_the_end() -> None:
    text, block = append_factory("version: 1  # hi", _draft(), toml=False, file="spec.yaml")
    assert text == "version: 1  # hi\n\n" + block
    assert block.startswith("factories:\n  author:\n")


def test_empty_inline_factories_become_a_block() -> None:
    text, _ = append_factory("version: 1\nfactories: {}  # none yet\n", _draft(), toml=False, file="s.yaml")
    assert text.startswith("version: 1\nfactories:  # none yet\n  author:\n")


def test_inline_factories_are_refused() -> None:
    spec = "version: 1\nfactories: {user: {table: users, fields: {}}}\n"
    with pytest.raises(SeedspecError) as caught:
        append_factory(spec, _draft(), toml=False, file="spec.yaml")
    assert caught.value.diagnostics[0].code == "E807"
    assert "inline" in caught.value.diagnostics[0].message


def test_an_empty_factory_still_has_fields() -> None:
    text, _ = append_factory("version: 1\n", DRAFT, toml=False, file="spec.yaml")
    assert yaml.safe_load(text)["factories"]["tag"] == {"table": "tags", "key": ["name"], "fields": {}}


def test_a_toml_factory_goes_at_the_end_as_tables() -> None:
    spec = '# seeds\nversion = 1\n\n[[seed]]\nfactory = "user"\n'
    text, block = append_factory(spec, _draft(), toml=True, file="spec.toml")
    assert text == spec + "\n" + block
    assert block.startswith('[factories.author]\ntable = "authors"\nkey = ["email"]\n')
    assert tomli.loads(text)["factories"]["author"] == _draft().mapping()


def test_toml_factories_written_inline_are_refused() -> None:
    spec = 'version = 1\nfactories = { user = { table = "users", fields = {} } }\n'
    with pytest.raises(SeedspecError) as caught:
        append_factory(spec, _draft(), toml=True, file="spec.toml")
    assert caught.value.diagnostics[0].code == "E807"
