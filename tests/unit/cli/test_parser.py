"""The command line's grammar: each command parses to its handler and options; a usage error
exits 1 with the usage (exit 2 is kept for 'work pending')."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.cli import commands
from seedspec.cli.commands import EXIT_INVALID
from seedspec.cli.parser import DEFAULT_SPEC, parser


def parse(command: str) -> dict[str, object]:
    """The options of ``command`` (split on spaces) by name."""
    return vars(parser().parse_args(command.split()))


def test_validate_takes_several_specs_and_its_options() -> None:
    args = parse("validate a.yaml b.toml --strict --format json --set n=1 --set m=2")
    assert args["handler"] is commands.validate
    assert args["specs"] == [Path("a.yaml"), Path("b.toml")]
    assert (args["strict"], args["format"], args["params"]) == (True, "json", ["n=1", "m=2"])
    assert (args["plan"], args["database_url"], args["scale"]) == (None, None, None)


def test_plan_defaults_and_options() -> None:
    plain = parse("plan s.yaml")
    assert plain["handler"] is commands.plan
    assert (plain["format"], plain["verbose"], plain["offline"], plain["detailed_exitcode"]) == (
        "text",
        False,
        False,
        False,
    )
    assert (plain["only"], plain["exclude"], plain["no_deps"]) == ([], [], False)
    full = parse("plan s.yaml -v --offline --out p.json --detailed-exitcode --only a,b --no-deps")
    assert (full["verbose"], full["offline"], full["out"], full["detailed_exitcode"]) == (
        True,
        True,
        Path("p.json"),
        True,
    )
    assert (full["only"], full["no_deps"]) == (["a,b"], True)


def test_apply_options() -> None:
    args = parse("apply s.yaml --create --reset --force -q -j 0 --scale 0.5 --exclude x")
    assert args["handler"] is commands.apply
    assert (args["create"], args["reset"], args["force"], args["quiet"]) == (True, True, True, True)
    assert (args["jobs"], args["scale"], args["exclude"], args["plan"]) == (0, 0.5, ["x"], None)
    assert parse("apply s.yaml --plan p.json")["plan"] == Path("p.json")


def test_apply_prune_is_a_flag_that_excludes_reset_and_a_saved_plan(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parse("apply s.yaml --prune --force")["prune"] is True
    assert parse("apply s.yaml")["prune"] is False
    with pytest.raises(SystemExit) as exited:
        parse("apply s.yaml --prune --reset")
    assert exited.value.code == 1
    assert "not allowed with argument" in capsys.readouterr().err


def test_reset_has_no_no_deps_option_but_the_handler_reads_it_false() -> None:
    args = parse("reset s.yaml --only user")
    assert (args["handler"], args["only"], args["no_deps"]) == (commands.reset, ["user"], False)


def test_build_needs_a_format_and_takes_a_dialect_and_a_folder() -> None:
    args = parse("build s.yaml --format sql --dialect postgresql -o out --force")
    assert args["handler"] is commands.build
    assert (args["format"], args["dialect"], args["out"], args["force"]) == (
        "sql",
        "postgresql",
        Path("out"),
        True,
    )


def test_build_takes_one_shard_or_a_number_of_shards_and_an_engine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = parse("build s.yaml --format parquet -o out --shard 2/8")
    assert (args["format"], args["shard"], args["shards"], args["engine"]) == (
        "parquet",
        "2/8",
        None,
        "local",
    )
    args = parse("build s.yaml --format jsonl -o out --shards 4 --engine ray")
    assert (args["shard"], args["shards"], args["engine"]) == (None, 4, "ray")
    for wrong, message in (
        ("--shard 9/8", "1 <= K <= N"),
        ("--shard 2", "expected K/N"),
        ("--shard 1/2 --shards 2", "not allowed with argument"),
        ("--engine spark", "invalid choice"),
    ):
        with pytest.raises(SystemExit) as exited:
            parse(f"build s.yaml --format jsonl -o out {wrong}")
        assert exited.value.code == 1
        assert message in capsys.readouterr().err


def test_apply_takes_shards_and_an_engine(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("apply s.yaml --shards 2")
    assert (args["shards"], args["engine"], args["handler"]) == (2, "local", commands.apply)
    args = parse("apply s.yaml --engine ray")
    assert (args["shards"], args["engine"]) == (None, "ray")
    with pytest.raises(SystemExit):
        parse("apply s.yaml --engine spark")
    assert "invalid choice" in capsys.readouterr().err


def test_schema_new_and_init_parse_with_their_defaults() -> None:
    schema = parse("schema --for s.yaml")
    assert (schema["handler"], schema["for_spec"]) == (commands.schema, Path("s.yaml"))
    factory = parse("new factory --table books")
    assert factory["handler"] is commands.new_factory
    assert (factory["name"], factory["table"], factory["spec"], factory["dry_run"]) == (
        None,
        "books",
        Path(DEFAULT_SPEC),
        False,
    )
    spec = parse("new spec")
    assert (spec["handler"], spec["file"], spec["force"]) == (commands.new_spec, Path(DEFAULT_SPEC), False)
    init = parse("init --from-database sqlite:// --tables a,b --tables c --count 3")
    assert init["handler"] is commands.init
    assert (init["from_database"], init["tables"], init["count"], init["output"]) == (
        "sqlite://",
        ["a,b", "c"],
        3,
        None,
    )


def test_every_command_takes_traceback_and_no_color() -> None:
    for command in ("validate s.yaml", "plan s.yaml", "new spec", "init --from-database x"):
        args = parse(command + " --traceback --no-color")
        assert (args["traceback"], args["no_color"]) == (True, True)


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["apply", "s.yaml", "--craete"], "unrecognized arguments: --craete"),
        (["plan"], "the following arguments are required: SPEC"),
        (["build", "s.yaml"], "the following arguments are required: --format"),
        (["apply", "s.yaml", "--plan", "p.json", "--reset"], "not allowed with argument --plan"),
        (["init", "--from-database", "x", "--count", "ten"], "expected a whole number of rows, not 'ten'"),
        (["plan", "s.yaml", "--format", "yaml"], "invalid choice: 'yaml'"),
        (["seed"], "invalid choice: 'seed'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_a_usage_error_exits_1_with_the_usage_and_the_complaint(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parser().parse_args(argv)
    assert exited.value.code == EXIT_INVALID == 1
    err = capsys.readouterr().err
    assert err.startswith("usage: seedspec")
    assert complaint in err


def test_version_prints_the_installed_packages_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    with pytest.raises(SystemExit) as exited:
        parser().parse_args(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"seedspec {metadata.version('seedspec')}\n"


@pytest.mark.parametrize("command", ["validate", "plan", "apply", "reset", "build"])
def test_help_says_what_a_spec_is_and_what_format_does(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per option's help
    with pytest.raises(SystemExit):
        parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "SPEC the spec file (YAML or TOML) that says which rows the database must hold" in text
    assert "--format" in text
    assert ("JSON for scripts" in text) is (command != "build")
    assert ("errors stay text on stderr" in text) is (command == "build")


def test_apply_shards_and_defer_indexes() -> None:
    args = parse("apply s.yaml --shards 4 --defer-indexes -j 0")
    assert (args["shards"], args["defer_indexes"], args["jobs"]) == (4, True, 0)
    plain = parse("apply s.yaml")
    assert (plain["shards"], plain["defer_indexes"]) == (None, False)
