"""Reading a DDL file in its own dialect: statements with their lines, enum types, domains."""

from __future__ import annotations

import pytest

from seedspec.database import ddl
from seedspec.errors import SpecInvalid

SCRIPT = """\
-- a comment above
CREATE TYPE mood AS ENUM ('happy', 'sad');

/* a block
   comment */
CREATE DOMAIN "Name" AS varchar(50) NOT NULL CHECK (VALUE <> '');
CREATE TABLE t (
    id SERIAL PRIMARY KEY
);
"""


def test_each_statement_starts_at_the_line_of_its_first_token() -> None:
    assert [line for line, _ in ddl.split(SCRIPT)] == [2, 6, 7]
    assert [text.split()[1] for _, text in ddl.split(SCRIPT)] == ["TYPE", "DOMAIN", "TABLE"]


def test_enum_types_and_domains_are_known_by_their_bare_name() -> None:
    parsed = ddl.parse(SCRIPT, "schema.sql", "postgresql")
    assert parsed.enums == {"mood": ("happy", "sad")}
    assert list(parsed.domains) == ["name"]
    assert "VARCHAR(50)" in parsed.domains["name"].column.sql()
    assert [s.line for s in parsed.statements] == [2, 6, 7]


def test_a_statement_that_does_not_parse_is_e329_at_its_line() -> None:
    with pytest.raises(SpecInvalid) as caught:
        ddl.parse(
            "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int CHECK (id >));\n", "s.sql", "postgresql"
        )
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E329"
    assert str(diagnostic.location) == "s.sql:3:1"
    assert "tables.dialect" in (diagnostic.hint or "")


def test_mariadb_ddl_is_read_as_mysql() -> None:
    assert ddl.DdlFile(file="f", dialect="mariadb", statements=()).read == "mysql"
