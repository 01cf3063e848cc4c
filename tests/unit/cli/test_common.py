"""What the handlers share: --set and --scale on the loaded spec, the selection, the protect
patterns, the database URL, printing and saving."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from seedspec.cli import common
from seedspec.cli.main import main
from seedspec.errors import SeedspecError

WriteSpec = Callable[[str, str], Path]

SPEC = """\
    version: 1
    tables: {ddl: schema.sql}
    params: {users: 3}
    factories:
      user:
        table: users
        fields: {name: {faker: name}}
      post:
        table: posts
        fields: {title: {faker: sentence}, user_id: {ref: user}}
    seed:
      - {factory: user, count: "{{ params.users }}"}
      - {factory: post, count: 4}
"""


def options(**given: object) -> argparse.Namespace:
    """The options the shared helpers read, as the parser leaves them when not given."""
    defaults: dict[str, object] = {"only": [], "exclude": [], "no_deps": False, "params": [], "scale": None}
    return argparse.Namespace(**{**defaults, "database_url": None, "no_color": False, **given})


@pytest.fixture
def spec(write: WriteSpec) -> Path:
    write(
        "schema.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, user_id INTEGER REFERENCES users (id));\n",
    )
    return write("spec.yaml", SPEC)


def test_loaded_applies_set_and_scale(spec: Path) -> None:
    loaded = common.loaded(spec, options(params=[" users =7"], scale=2.0))
    assert loaded.document["params"] == {"users": 7}
    assert loaded.document["settings"]["scale"] == 2.0
    assert common.loaded(spec, options()).document["params"] == {"users": 3}


@pytest.mark.parametrize("item", ["users", "=3", " =3"])
def test_a_set_without_a_name_and_value_is_e700(spec: Path, item: str) -> None:
    with pytest.raises(SeedspecError) as caught:
        common.loaded(spec, options(params=[item]))
    (d,) = caught.value.diagnostics
    assert (d.code, d.message) == ("E700", f"--set {item}: expected NAME=VALUE")


def test_set_through_the_command_line_changes_the_counts(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", str(spec), "--offline", "--set", "users=5"]) == 0
    assert "user -> users: 5 rows" in capsys.readouterr().out


def test_no_selection_options_select_the_whole_spec() -> None:
    assert common.selection(options()) is None


def test_selection_names_are_split_on_commas_and_trimmed() -> None:
    chosen = common.selection(options(only=["user, post", "tag,"], exclude=["x"], no_deps=True))
    assert chosen is not None
    assert (chosen.only, chosen.exclude, chosen.with_deps) == (("user", "post", "tag"), ("x",), False)
    alone = common.selection(options(no_deps=True))
    assert alone is not None
    assert (alone.only, alone.exclude, alone.with_deps) == ((), (), False)


@pytest.mark.parametrize("flag", ["only", "exclude"])
def test_a_selection_option_that_names_nothing_is_e703_not_everything(flag: str) -> None:
    with pytest.raises(SeedspecError) as caught:
        common.selection(options(**{flag: [" , "]}))
    (d,) = caught.value.diagnostics
    assert (d.code, d.message) == ("E703", f"--{flag} ' , ' names no step")


def test_protect_reads_seedspec_protect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEEDSPEC_PROTECT", "*prod*, *live*")
    assert [p.text for p in common.protect()] == ["*prod*", "*live*"]
    monkeypatch.delenv("SEEDSPEC_PROTECT")
    assert common.protect() == ()


def test_spec_url_is_the_option_then_database_url_then_a_file_next_to_the_spec(
    spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = common.loaded(spec, options())
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    assert common.spec_url(loaded, options(database_url="sqlite:///given.db")) == "sqlite:///given.db"
    assert common.spec_url(loaded, options()) == "sqlite:///from-env.db"
    monkeypatch.delenv("DATABASE_URL")
    assert common.spec_url(loaded, options()) == f"sqlite:///{spec.with_suffix('.db')}"


def test_save_writes_text_ending_in_one_newline_and_nothing_without_a_path(tmp_path: Path) -> None:
    common.save(tmp_path / "a.json", "{}")
    common.save(tmp_path / "b.json", "{}\n")
    common.save(None, "ignored")
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_out_colours_styled_text_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = "applied spec.yaml to sqlite://"
    plain, terminal, unstyled = io.StringIO(), Terminal(), Terminal()
    common.out(text, styled=True, stream=plain)
    common.out(text, styled=True, stream=terminal)
    common.out(text, stream=unstyled)
    assert plain.getvalue() == unstyled.getvalue() == text + "\n"
    assert "\x1b[" in terminal.getvalue()
    monkeypatch.setattr(common, "NO_COLOR", [True])
    refused = Terminal()
    common.out(text, styled=True, stream=refused)
    assert refused.getvalue() == text + "\n"


def test_out_writes_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    common.out("hello")
    assert capsys.readouterr().out == "hello\n"


def test_with_progress_gives_no_bars_when_quiet_or_not_on_a_terminal() -> None:
    seen: list[object] = []
    assert common.with_progress(options(), True, lambda p: seen.append(p) or "quiet") == "quiet"
    assert common.with_progress(options(), False, lambda p: seen.append(p) or "piped") == "piped"
    assert seen == [None, None]  # pytest's stderr is not a terminal


def test_the_engines_a_command_opens_are_disposed_when_it_ends(tmp_path: Path) -> None:
    opened = common.engine(f"sqlite:///{tmp_path / 'x.db'}")
    with opened.connect():
        pass
    assert opened.pool.checkedin() == 1  # pooled: open until disposed
    common.dispose_engines()
    assert opened.pool.checkedin() == 0
