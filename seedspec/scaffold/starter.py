"""The starter project that ``seedspec new spec`` writes: a commented spec and the DDL it uses.

``specs_examples/starter/`` holds exactly these files; a test keeps the two equal.
"""

from __future__ import annotations

from pathlib import Path

from seedspec.errors import Diagnostic, SeedspecError

SCHEMA_FILE = "schema.sql"

SPEC = """\
# A seedspec spec: the rows a database must contain. Written by 'seedspec new spec'.
#   seedspec validate dev.yaml          check it (file:line:col errors, with hints)
#   seedspec plan dev.yaml              preview the steps, and what apply would create
#   seedspec apply dev.yaml --create    create the tables (schema.sql) if missing, then the rows
# Applying twice creates nothing the second time: every row is first-or-create by its key.
# Reference: https://github.com/seedspec/seedspec/blob/main/docs/reference.md
version: 1

database:
  # A SQLAlchemy URL. --database-url and $DATABASE_URL win over it; a relative SQLite path is
  # relative to this file.
  url: ${DATABASE_URL:-sqlite:///dev.db}

tables:
  # Where the table definitions come from: a DDL file, run by 'apply --create' when a table is
  # missing; or 'models: package.module:Base' (SQLAlchemy models). Remove 'tables:' to read
  # them from the live database instead.
  ddl: schema.sql
  dialect: sqlite            # what schema.sql is written for; translated for PostgreSQL, MySQL, MariaDB

settings:
  seed: 1                    # same spec + same seed -> the same rows, on every machine
  now: 2025-01-01T00:00:00   # what relative dates ('-1y', 'today') count from; never the clock
  generator_version: 3       # how seedspec draws values: pinned, so upgrades keep the keys

factories:
  # A factory says how to make one row of a table. Add one per table with
  # 'seedspec new factory NAME --table TABLE --spec dev.yaml'.
  user:
    table: users             # the table it fills
    key: [email]             # how a row is found again (first-or-create)
    fields:                  # column -> generator; columns left out get the database default
      email: {sequence: "user{n:04d}@example.com"}    # a counter: user0000@example.com, ...
      name: {faker: name}                             # any Faker method, with args: {...}
      created_at: {faker: date_time_between, args: {start_date: -1y}}
    states:                  # named overrides that seed steps (or records) can apply
      admin: {role: admin}
  post:
    table: posts
    key: [slug]
    fields:
      user_id: {ref: user}                            # a user row (a ref never creates parents)
      title: {faker: sentence, args: {nb_words: 5}}
      slug: "{{ title | slugify }}-{{ n }}"           # a Jinja2 template over the row's fields
      body: {faker: paragraph, null_rate: 0.2}        # NULL in about 20% of the rows
      published: {faker: boolean, args: {chance_of_getting_true: 75}}

seed:
  # The steps: which rows to create. A step waits for the factories it refers to.
  - factory: user
    records:                 # fixed, named rows, referable as {ref: user.admin}
      admin: {email: admin@example.com, name: Admin, states: [admin]}
  - factory: user
    count: 10                # 10 generated rows
  - factory: post
    for_each: user           # has-many: 2 posts for every user row above
    count: 2
"""

SCHEMA = """\
-- The tables of dev.yaml, written for SQLite ('dialect: sqlite' in dev.yaml). 'seedspec apply
-- dev.yaml --create' runs this file when a table is missing; on PostgreSQL, MySQL or MariaDB it
-- translates it first ('id INTEGER PRIMARY KEY', which SQLite numbers itself, becomes an identity
-- or AUTO_INCREMENT column there).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    name VARCHAR(100) NOT NULL,
    role VARCHAR(20) NOT NULL DEFAULT 'member',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (email)
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR(200) NOT NULL,
    slug VARCHAR(200) NOT NULL,
    body TEXT,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (slug)
);
"""


def files(spec_name: str) -> dict[str, str]:
    """File name -> text of the starter project; the spec is called ``spec_name``."""
    spec = SPEC.replace("dev.yaml", spec_name)
    schema = SCHEMA.replace("dev.yaml", spec_name)
    return {spec_name: spec, SCHEMA_FILE: schema}


def write(path: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Write the starter spec ``path`` and ``schema.sql`` next to it; returns the files.

    Raises:
        SeedspecError: E801, ``path`` is not a ``.yaml``/``.yml`` file; E800, a file to write
            exists already (unless ``force``). Nothing is written then.
    """
    if path.suffix not in (".yaml", ".yml"):
        raise SeedspecError(
            Diagnostic(
                code="E801",
                message=f"'seedspec new spec' writes YAML, not {path.name}",
                hint="name the file .yaml or .yml (for example seeds/dev.yaml)",
            )
        )
    texts = {path.parent / name: text for name, text in files(path.name).items()}
    taken = [str(p) for p in texts if p.exists()]
    if taken and not force:
        raise SeedspecError(
            Diagnostic(
                code="E800",
                message=f"{' and '.join(taken)} already exist{'s' * (len(taken) == 1)}; nothing was written",
                hint="choose another file or folder, or pass --force to overwrite",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    for file, text in texts.items():
        file.write_text(text, encoding="utf-8")
    return tuple(texts)
