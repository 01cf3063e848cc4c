"""Cycle analysis: which ref of a cycle is deferred, with what placeholder, or why none can be."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.catalog import Catalog
from seedspec.compiler.steps import compile_spec
from seedspec.database.tables import catalog_from_metadata
from seedspec.ir import Plan
from seedspec.report.render import plan_text
from seedspec.spec.semantics.cycles import break_cycles


def catalog(
    *,
    captain_null: bool = True,
    team_null: bool = False,
    deferrable: bool = False,
    unique_captain: bool = False,
    dialect: str | None = "postgresql",
) -> Catalog:
    md = sa.MetaData()
    options = {"deferrable": True} if deferrable else {}
    sa.Table(
        "teams",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), nullable=False, unique=True),
        sa.Column(
            "captain_id", sa.ForeignKey("players.id", **options), nullable=captain_null, unique=unique_captain
        ),
    )
    sa.Table(
        "players",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("badge", sa.String(10), nullable=False, unique=True),
        sa.Column("team_id", sa.ForeignKey("teams.id", **options), nullable=team_null),
    )
    return catalog_from_metadata(md, dialect)


def doc(team: dict[str, Any] | None = None, player: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "version": 1,
        "factories": {
            "team": {
                "table": "teams",
                "key": ["code"],
                "fields": {"code": {"sequence": "T{n}"}, "captain_id": {"ref": "player", **(team or {})}},
            },
            "player": {
                "table": "players",
                "key": ["badge"],
                "fields": {"badge": {"sequence": "P{n}"}, "team_id": {"ref": "team", **(player or {})}},
            },
        },
        "seed": [{"factory": "team", "count": 2}, {"factory": "player", "count": 5}],
    }


def deferred(document: dict[str, Any], cat: Catalog | None) -> list[tuple[str, str]]:
    breaks = break_cycles(document["factories"], document["seed"], cat)
    assert breaks.problems == ()
    return sorted(breaks.deferred)


def test_the_nullable_ref_of_a_cycle_is_deferred() -> None:
    assert deferred(doc(), catalog()) == [("team", "captain_id")]
    assert deferred(doc(), catalog(captain_null=False, team_null=True)) == [("player", "team_id")]


def test_among_nullable_refs_the_one_to_a_later_step_waits_then_names_decide() -> None:
    both = catalog(team_null=True)
    assert deferred(doc(), both) == [("team", "captain_id")]  # teams are seeded first
    reordered = doc()
    reordered["seed"].reverse()
    assert deferred(reordered, both) == [("player", "team_id")]


def test_deferred_true_forces_the_break() -> None:
    assert deferred(doc(player={"deferred": True}), catalog(team_null=True)) == [("player", "team_id")]


def test_not_null_refs_take_a_placeholder_where_the_check_can_wait() -> None:
    for cat in (catalog(captain_null=False, deferrable=True), catalog(captain_null=False, dialect="sqlite")):
        breaks = break_cycles(doc()["factories"], doc()["seed"], cat)
        assert sorted(breaks.deferred) == [("team", "captain_id")]
        assert breaks.placeholder("team", "captain_id") == 0


def test_nullable_beats_a_placeholder() -> None:
    assert deferred(doc(), catalog(team_null=False, captain_null=True, dialect="sqlite")) == [
        ("team", "captain_id")
    ]


def test_a_not_null_cycle_postgresql_checks_at_once_is_e332_naming_each_key() -> None:
    (problem,) = break_cycles(doc()["factories"], doc()["seed"], catalog(captain_null=False)).problems
    assert problem.code == "E332"
    assert problem.pointer == "/factories/player/fields/team_id"
    assert "player -> team -> player" in problem.message
    assert "players.team_id is NOT NULL and its foreign key is not DEFERRABLE" in problem.message
    assert "teams.captain_id is NOT NULL and its foreign key is not DEFERRABLE" in problem.message
    assert "DEFERRABLE" in problem.hint


def test_a_unique_not_null_column_takes_no_placeholder() -> None:
    cat = catalog(captain_null=False, unique_captain=True, dialect="mysql")
    assert deferred(doc(), cat) == [("player", "team_id")]


def test_a_lookup_key_column_is_never_deferred() -> None:
    document = doc(player={"deferred": True})
    document["factories"]["player"]["key"] = ["team_id", "badge"]
    (problem,) = break_cycles(document["factories"], document["seed"], catalog(team_null=True)).problems
    assert (problem.code, problem.pointer) == ("E333", "/factories/player/fields/team_id/deferred")
    assert "in the lookup key" in problem.message


def test_without_tables_any_ref_may_wait() -> None:
    assert deferred(doc(), None) == [("team", "captain_id")]


def test_a_cycle_of_templates_and_for_each_is_e307() -> None:
    document = doc()
    document["factories"]["team"]["fields"]["code"] = "{{ player.star.badge }}"
    document["seed"] = [
        {"factory": "player", "records": {"star": {"badge": "S"}}},
        {"factory": "team", "count": 1},
        {"factory": "player", "for_each": "team", "count": 2},
    ]
    (problem,) = break_cycles(document["factories"], document["seed"], None).problems
    assert problem.code == "E307"


def compiled(document: dict[str, Any], cat: Catalog) -> Plan:
    return compile_spec(document, cat, "spec.yaml")


def test_compile_marks_the_deferred_field_and_orders_past_it() -> None:
    plan = compiled(doc(), catalog(captain_null=False, deferrable=True))
    team, player = plan.steps
    assert (team.id, team.depends_on, team.deferred_refs) == ("team", (), ("player",))
    assert [(f.column, f.deferred, f.placeholder) for f in team.fields if f.deferred] == [
        ("captain_id", True, 0)
    ]
    assert player.depends_on == ("team",)
    assert {k: [s.id for s in v] for k, v in plan.deferred_updates().items()} == {"player": ["team"]}


def test_the_plan_text_shows_the_break_and_the_update() -> None:
    text = plan_text(compiled(doc(), catalog()))
    assert "deferred (a cycle): captain_id = NULL until set after player" in text
    assert "then: UPDATE teams SET captain_id of the rows of team" in text
