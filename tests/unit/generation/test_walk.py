"""The step walk: a repeated key is a duplicate (E520, or written once and counted apart with
``duplicates: skip``), never created twice nor counted as existing, whatever is kept to recognise
it; what is kept per parent (seen keys, distinct picks) is dropped once the walk leaves the parent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.api import specs as api
from seedspec.database.writer import apply_plan
from seedspec.generation.generrors import GenerationError
from seedspec.generation.slots import RunState

WriteSpec = Callable[[str, str], Path]

# no unique constraint on the keys of notes and team_notes: a repeat the walk missed would be a
# second row, not a refused insert
SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(50) NOT NULL UNIQUE, team VARCHAR(5) NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), label VARCHAR(5) NOT NULL
);
CREATE TABLE team_notes (id INTEGER PRIMARY KEY, team VARCHAR(5) NOT NULL, label VARCHAR(5) NOT NULL);
CREATE TABLE user_tags (
  user_id INTEGER NOT NULL REFERENCES users (id),
  tag_id INTEGER NOT NULL REFERENCES tags (id),
  PRIMARY KEY (user_id, tag_id)
);
"""

SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    key: [email]
    fields:
      email: {sequence: "u{n}@example.com", unique: true}
      team: {choice: [red, blue]}
  tag:
    table: tags
    key: [name]
    fields: {name: {sequence: "tag-{n}"}}
  note:
    table: notes
    key: [user_id, label]
    duplicates: skip
    fields:
      user_id: {ref: user}
      label: {choice: [x, y]}
  team_note:
    table: team_notes
    key: [team, label]
    duplicates: skip
    fields:
      team: {ref: user, column: team}
      label: {choice: [x, y]}
  user_tag:
    table: user_tags
    key: [user_id, tag_id]
    fields:
      user_id: {ref: user}
      tag_id: {ref: tag, distinct_per: user_id}
seed:
  - {factory: user, count: 6}
  - {factory: tag, count: 5}
  - factory: note
    records: [{user_id: 1, label: x}]   # a key the first user's notes repeat (a step of its own)
  - {factory: note, for_each: user, count: 5}
  - {factory: team_note, for_each: user, count: 3}
  - {factory: user_tag, for_each: user, count: 4}
"""


def applied(write: WriteSpec, url: str, text: str = SPEC) -> tuple[seedspec.Report, RunState, sa.Engine]:
    write("schema.sql", SCHEMA)
    spec = seedspec.load(write("spec.yaml", text))
    engine = seedspec.create_engine(url)
    state = RunState()
    with engine.begin() as connection:
        metadata = api.table_definitions(spec, connection, create=True)
        plan = api.compile(spec, metadata, connection.dialect.name)
        report = apply_plan(plan, connection, metadata, workers=0, state=state)
    return report, state, engine


def test_repeated_keys_are_found_within_a_parent_and_across_parents(
    write: WriteSpec, sqlite_url: str
) -> None:
    report, _, engine = applied(write, sqlite_url)
    counts = {s.step: (s.created, s.existing, s.duplicate) for s in report.steps}
    with engine.connect() as connection:
        notes = connection.execute(sa.text("SELECT user_id, label FROM notes")).all()
        team_notes = connection.execute(sa.text("SELECT team, label FROM team_notes")).all()
    engine.dispose()
    assert len(notes) == len(set(notes))  # at most 2 labels a user: every repeat was found
    assert len(set(notes)) <= 6 * 2
    note_step = next(s for s in counts if s.startswith("note<"))
    # the record's row, stored by an earlier step, is found; the repeats are duplicates
    assert counts[note_step] == (len(notes) - 1, 1, 6 * 5 - len(notes))
    # the parents' teams repeat (6 users, 2 teams): keys repeat across parents too
    assert len(team_notes) == len(set(team_notes)) <= 2 * 2
    team_step = next(s for s in counts if s.startswith("team_note<"))
    assert counts[team_step] == (len(team_notes), 0, 6 * 3 - len(team_notes))


def test_a_repeated_key_is_refused_by_default(write: WriteSpec, sqlite_url: str) -> None:
    with pytest.raises(GenerationError) as caught:
        applied(write, sqlite_url, SPEC.replace("    duplicates: skip\n", ""))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E520"
    assert diagnostic.pointer == "/factories/note/fields/user_id"
    assert "step 'note<user'" in diagnostic.message
    assert "of its 30 rows drew a key (user_id, label)" in diagnostic.message


def test_per_parent_memory_is_dropped_and_picks_stay_distinct(write: WriteSpec, sqlite_url: str) -> None:
    report, state, engine = applied(write, sqlite_url)
    with engine.connect() as connection:
        pairs = connection.execute(sa.text("SELECT user_id, tag_id FROM user_tags")).all()
    engine.dispose()
    assert len(pairs) == 6 * 4  # 4 distinct tags for each user
    (picks,) = (used for (step, _), used in state.distinct_used.items() if step.startswith("user_tag<"))
    assert len(picks) == 1  # only the last parent's picks are still held
    assert list(state.pools["user"].column("id")) == [1, 2, 3, 4, 5, 6]
    assert "user_tag" not in state.pools  # no ref or for_each reads them
    assert [s.created for s in report.steps if s.step.startswith("user_tag<")] == [24]
