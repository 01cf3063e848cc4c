"""Rendering diagnostics, plans and reports as text and JSON (pure string functions)."""

from __future__ import annotations

import datetime as dt
import decimal
import json

import pytest

from seedspec.errors import Diagnostic, Location, Severity
from seedspec.ir import (
    Choice,
    Distribution,
    FakerCall,
    Field,
    Generator,
    Literal,
    Plan,
    PythonCall,
    Range,
    Record,
    Ref,
    Sequence,
    Step,
    Template,
)
from seedspec.outcome import Report, RowDiff, StepReport
from seedspec.report import render


def diag(code: str = "E300", line: int = 3, severity: Severity = Severity.ERROR, **kw: str) -> Diagnostic:
    return Diagnostic(
        code=code,
        message=kw.get("message", "step uses unknown factory 'usr'"),
        location=Location(file="seeds/dev.yaml", line=line, column=5),
        pointer=kw.get("pointer", "/seed/0/factory"),
        hint=kw.get("hint", "did you mean 'user'?"),
        severity=severity,
    )


# ---------------------------------------------------------------- diagnostics


def test_diagnostic_text_has_location_code_pointer_and_hint() -> None:
    assert render.diagnostic_text(diag()) == (
        "seeds/dev.yaml:3:5: error E300: step uses unknown factory 'usr'\n"
        "  at /seed/0/factory\n"
        "  hint: did you mean 'user'?"
    )


def test_diagnostic_text_leaves_out_what_is_missing() -> None:
    bare = Diagnostic(code="E401", message="cannot connect", severity=Severity.ERROR)
    assert render.diagnostic_text(bare) == "error E401: cannot connect"
    warning = diag("W401", severity=Severity.WARNING, pointer="", hint="")
    assert (
        render.diagnostic_text(warning) == "seeds/dev.yaml:3:5: warning W401: step uses unknown factory 'usr'"
    )


@pytest.mark.parametrize(
    ("diagnostics", "summary"),
    [
        ([], "0 errors, 0 warnings"),
        ([diag()], "1 error, 0 warnings"),
        ([diag(), diag(), diag("W401", severity=Severity.WARNING)], "2 errors, 1 warning"),
        ([diag("W401", severity=Severity.WARNING)] * 2, "0 errors, 2 warnings"),
    ],
)
def test_diagnostics_text_ends_with_a_summary(diagnostics: list[Diagnostic], summary: str) -> None:
    assert render.diagnostics_text(diagnostics).split("\n")[-1] == summary


def test_diagnostics_text_shows_the_first_ones_and_counts_the_rest() -> None:
    many = [diag(line=i) for i in range(1, 8)]
    lines = render.diagnostics_text(many, limit=3).split("\n")
    assert [line for line in lines if line.startswith("seeds/")] == [
        "seeds/dev.yaml:1:5: error E300: step uses unknown factory 'usr'",
        "seeds/dev.yaml:2:5: error E300: step uses unknown factory 'usr'",
        "seeds/dev.yaml:3:5: error E300: step uses unknown factory 'usr'",
    ]
    assert lines[-2:] == ["... and 4 more", "7 errors, 0 warnings"]
    assert "more" not in render.diagnostics_text(many[:3], limit=3)


def test_diagnostics_json_has_the_same_fields() -> None:
    data = json.loads(render.diagnostics_json([diag(), Diagnostic(code="E401", message="down")]))
    assert data == [
        {
            "severity": "error",
            "code": "E300",
            "message": "step uses unknown factory 'usr'",
            "file": "seeds/dev.yaml",
            "line": 3,
            "column": 5,
            "pointer": "/seed/0/factory",
            "hint": "did you mean 'user'?",
        },
        {
            "severity": "error",
            "code": "E401",
            "message": "down",
            "file": None,
            "line": None,
            "column": None,
            "pointer": "",
            "hint": "",
        },
    ]
    assert render.diagnostics_json([]) == "[]"


# ---------------------------------------------------------------- generators


@pytest.mark.parametrize(
    ("gen", "text"),
    [
        (Literal(value="active"), "'active'"),
        (Literal(value=None), "None"),
        (Template(source="{{ a }}-{{ n }}", names=("a", "n")), "template '{{ a }}-{{ n }}'"),
        (FakerCall(method="name"), "faker name()"),
        (
            FakerCall(method="sentence", args=(4,), kwargs=(("variable_nb_words", False),), locale="fr_FR"),
            "faker sentence(4, variable_nb_words=False) [fr_FR]",
        ),
        (Sequence(format="user{n:04d}"), "sequence 'user{n:04d}'"),
        (Sequence(start=100, step=5), "sequence 100+5n"),
        (Choice(values=("a", "b")), "choice 'a', 'b'"),
        (Choice(values=("member", "admin"), weights=(9.0, 1.0)), "choice 'member':9, 'admin':1"),
        (Range(kind="int", low=1, high=9), "range 1..9"),
        (
            Range(kind="decimal", low=0.0, high=1.0, step=0.25, decimals=2),
            "range 0.0..1.0 step 0.25 (2 decimals)",
        ),
        (
            Range(kind="date", low=dt.date(2024, 1, 1), high=dt.date(2024, 12, 31)),
            "range 2024-01-01..2024-12-31",
        ),
        (Distribution(name="normal", params=(("mean", 40.0), ("stddev", 5.0))), "normal(mean=40, stddev=5)"),
        (
            Distribution(name="zipf", params=(("a", 1.2), ("n", 100.0)), low=2, high=None),
            "zipf(a=1.2, n=100) in [2, None]",
        ),
        (PythonCall(target="gens:score", base_dir="."), "python gens:score"),
        (Ref(factory="user", column="id"), "ref user.id (random)"),
        (Ref(factory="user", column="id", parent=True), "ref user.id (parent)"),
        (Ref(factory="user", column="id", record="admin"), "ref user.admin.id (random)"),
        (
            Ref(factory="tag", column="id", pick="round_robin", distinct_per="post_id"),
            "ref tag.id (round_robin, distinct per post_id)",
        ),
    ],
)
def test_describe_generator(gen: Generator, text: str) -> None:
    assert render.describe_generator(gen) == text


# ---------------------------------------------------------------- plans


def field(column: str, gen: Generator, **kw: object) -> Field:
    return Field(column=column, generator=gen, pointer=f"/factories/x/fields/{column}", **kw)  # type: ignore[arg-type]


PLAN = Plan(
    spec="seeds/dev.yaml",
    digest="0123456789abcdef",
    seed=42,
    locale="en_US",
    now="2025-01-01T00:00:00",
    batch_size=1000,
    steps=(
        Step(
            id="user:records",
            factory="user",
            table="users",
            key=("email",),
            seed=0xC6A4FD5B0D759153,
            pointer="/seed/0",
            records=(
                Record(
                    name="admin",
                    index=0,
                    fields=(field("email", Literal(value="a@x.org")),),
                    pointer="/seed/0",
                ),
                Record(
                    name="root",
                    index=1,
                    fields=(field("email", Literal(value="r@x.org")),),
                    pointer="/seed/0",
                ),
            ),
        ),
        Step(
            id="user",
            factory="user",
            table="users",
            key=("email",),
            seed=1,
            pointer="/seed/1",
            count=100,
            fields=(
                field("email", Sequence(format="u{n}@x.org"), unique=True),
                field("bio", FakerCall(method="text"), null_rate=0.3),
            ),
        ),
        Step(
            id="post<user",
            factory="post",
            table="posts",
            key=("slug",),
            seed=2,
            pointer="/seed/2",
            count=1,
            count_max=3,
            for_each="user",
            depends_on=("user",),
            fields=(field("user_id", Ref(factory="user", column="id", parent=True)),),
        ),
        Step(
            id="tag:records",
            factory="tag",
            table="tags",
            key=("name",),
            seed=3,
            pointer="/seed/3",
            count=2,
            records=(
                Record(name=None, index=0, fields=(field("name", Literal(value="x")),), pointer="/seed/3"),
            ),
            fields=(field("name", FakerCall(method="word"), unique=True, null_rate=0.5),),
        ),
    ),
    pool_columns=(("user", ("id",)),),
    versions=(("faker", "1.2.3"),),
    generator_version=2,  # version 3 adds the per-value Faker fields: test_render_per_value.py
)


def test_plan_text() -> None:
    assert render.plan_text(PLAN) == (
        "plan for seeds/dev.yaml: 4 steps, seed 42, locale en_US, now 2025-01-01T00:00:00, "
        "digest 0123456789abcdef\n"
        "  1. user:records -> users: 2 records (admin, root); key (email); seed c6a4fd5b0d759153\n"
        "  2. user -> users: 100 rows; key (email); seed 0000000000000001\n"
        "  3. post<user -> posts: 1..3 per user; key (slug); seed 0000000000000002\n"
        "     after: user\n"
        "  4. tag:records -> tags: 1 record + 2 rows; key (name); seed 0000000000000003"
    )


def test_verbose_plan_text_shows_every_generated_field() -> None:
    lines = render.plan_text(PLAN, verbose=True).split("\n")
    assert lines[2:5] == [
        "  2. user -> users: 100 rows; key (email); seed 0000000000000001",
        "      email: sequence 'u{n}@x.org'  [unique]",
        "      bio: faker text()  [null 0.3]",
    ]
    assert lines[-1] == "      name: faker word()  [unique, null 0.5]"


def test_plan_json_is_complete_and_stable() -> None:
    text = render.plan_json(PLAN)
    assert text == render.plan_json(PLAN)
    assert text.endswith("}\n")
    data = json.loads(text)
    assert (data["spec"], data["digest"], data["seed"], data["format"]) == (
        "seeds/dev.yaml",
        "0123456789abcdef",
        42,
        1,
    )
    assert data["pool_columns"] == {"user": ["id"]}
    assert data["versions"] == {"faker": "1.2.3"}
    assert [s["id"] for s in data["steps"]] == ["user:records", "user", "post<user", "tag:records"]
    email = data["steps"][1]["fields"][0]
    assert email["generator"] == {"generator": "sequence", "format": "u{n}@x.org", "start": 0, "step": 1}
    assert data["steps"][2]["fields"][0]["generator"]["generator"] == "ref"


def one_field_plan(*fields: Field) -> Plan:
    step = Step(id="x", factory="x", table="x", key=("d",), seed=0, pointer="/seed/0", count=1, fields=fields)
    return Plan(
        spec="s",
        digest="d",
        seed="abc",
        locale="en_US",
        now="2025-01-01T00:00:00",
        batch_size=1,
        steps=(step,),
    )


def test_plan_json_writes_dates_and_decimals_as_text() -> None:
    plan = one_field_plan(
        field("d", Literal(value=dt.date(2024, 1, 1))),
        field("t", Literal(value=dt.datetime(2024, 2, 1, 3))),
        field("m", Literal(value=decimal.Decimal("1.50"))),
    )
    fields = json.loads(render.plan_json(plan))["steps"][0]["fields"]
    assert [f["generator"] for f in fields] == [
        {"generator": "literal", "value": "2024-01-01"},
        {"generator": "literal", "value": "2024-02-01T03:00:00"},
        {"generator": "literal", "value": "1.50"},
    ]


def test_plan_json_tags_every_generator_with_its_kind() -> None:
    plan = one_field_plan(field("d", Range(kind="int", low=1, high=9)))
    generator = json.loads(render.plan_json(plan))["steps"][0]["fields"][0]["generator"]
    assert generator["generator"] == "range"


# ---------------------------------------------------------------- reports

REPORT = Report(
    spec="seeds/dev.yaml",
    database="sqlite:///dev.db",
    steps=(
        StepReport(step="user:records", factory="user", table="users", created=1),
        StepReport(step="user", factory="user", table="users", created=90, existing=10),
        StepReport(step="post<user", factory="post", table="posts", created=300),
    ),
)


def test_report_text_sums_per_table() -> None:
    assert render.report_text(REPORT) == (
        "applied seeds/dev.yaml to sqlite:///dev.db\n"
        "  table     created    existing\n"
        "  users          91          10\n"
        "  posts         300           0\n"
        "  total         391          10"
    )


def test_dry_run_report_with_updates_and_diffs() -> None:
    diff = RowDiff(n=4, key=("a@x.org",), changes=(("name", "Old", "New"),))
    report = Report(
        spec="seeds/dev.yaml",
        database="postgresql://app@db/app",
        dry_run=True,
        steps=(
            StepReport(
                step="user", factory="user", table="users", existing=5, updated=2, differing=3, diffs=(diff,)
            ),
        ),
    )
    assert render.report_text(report) == (
        "plan against seeds/dev.yaml on postgresql://app@db/app\n"
        "  table   to create       found   to update   differing\n"
        "  users           0           5           2           3\n"
        "  total           0           5           2           3\n"
        "  ~ users key ('a@x.org',) (row 4):\n"
        "      name: 'Old' -> 'New'\n"
        "  ~ users: 2 more differing rows"
    )
    assert report.pending


def test_report_json() -> None:
    data = json.loads(render.report_json(REPORT))
    assert (data["spec"], data["database"], data["dry_run"], data["created"], data["pending"]) == (
        "seeds/dev.yaml",
        "sqlite:///dev.db",
        False,
        391,
        True,
    )
    assert data["steps"][1] == {
        "step": "user",
        "factory": "user",
        "table": "users",
        "created": 90,
        "existing": 10,
        "updated": 0,
        "differing": 0,
        "duplicate": 0,
        "diffs": [],
    }
    assert [(t["table"], t["created"], t["existing"]) for t in data["tables"]] == [
        ("users", 91, 10),
        ("posts", 300, 0),
    ]


def test_plan_with_report_json_nests_the_report() -> None:
    data = json.loads(render.plan_with_report_json(PLAN, REPORT))
    assert data["digest"] == "0123456789abcdef"
    assert data["against"] == json.loads(render.report_json(REPORT))


def test_duplicates_have_their_own_column_and_never_count_as_existing() -> None:
    report = Report(
        spec="s.yaml",
        database="sqlite://",
        steps=(StepReport(step="pay", factory="pay", table="payments", created=77, duplicate=42),),
    )
    assert render.report_text(report) == (
        "applied s.yaml to sqlite://\n"
        "  table        created    existing   duplicate\n"
        "  payments          77           0          42\n"
        "  total             77           0          42"
    )
    data = json.loads(render.report_json(report))
    assert (data["duplicate"], data["steps"][0]["existing"], data["tables"][0]["duplicate"]) == (42, 0, 42)
    assert "42 duplicate" in render.steps_text(report)


def test_a_skewed_count_names_its_distribution() -> None:
    import dataclasses

    from seedspec.ir import Distribution

    skew = Distribution(name="zipf", params=(("a", 1.3),), low=1, high=3, decimals=0)
    post = dataclasses.replace(PLAN.steps[2], count_skew=skew)
    text = render.plan_text(dataclasses.replace(PLAN, steps=(post,)))
    assert "posts: 1..3 (zipf, a=1.3) per user;" in text


def test_notes_close_the_text_report_and_are_listed_in_json_only_when_there_are_some() -> None:
    noted = Report(
        spec="s.yaml", database="postgresql://db", steps=REPORT.steps, notes=("step 'user' ran serially",)
    )
    assert render.report_text(noted).endswith("\n  note: step 'user' ran serially")
    assert json.loads(render.report_json(noted))["notes"] == ["step 'user' ran serially"]
    assert "notes" not in json.loads(render.report_json(REPORT))
