"""What the CLI prints: --verbose step lines, colour only where wanted, passwords never."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from helpers import run_cli

from seedspec.cli import main as cli

PASSWORD = "s3cret-pw"  # noqa: S105 (a made-up one that must never be printed)
MODELS = """
    from sqlalchemy import ForeignKey, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Team(Base):
        __tablename__ = "teams"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(40), unique=True)


    class Member(Base):
        __tablename__ = "members"
        id: Mapped[int] = mapped_column(primary_key=True)
        email: Mapped[str] = mapped_column(String(120), unique=True)
        team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
"""
SPEC = """
    version: 1
    tables: {models: "output_models:Base"}
    factories:
      team: {table: teams, fields: {name: {sequence: "team-{n}"}}}
      member: {table: members, fields: {email: "m{{ n }}@example.com", team_id: {ref: team}}}
    seed:
      - {factory: team, count: 2}
      - {factory: member, count: 5}
"""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    (tmp_path / "output_models.py").write_text(textwrap.dedent(MODELS))
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(SPEC))
    return path


def test_verbose_apply_prints_a_line_per_step(
    spec: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["apply", str(spec), "--create", "--database-url", sqlite_url, "-v"]) == 0
    out = capsys.readouterr().out
    step_lines = [line for line in out.splitlines() if line.startswith("  step ")]
    assert len(step_lines) == 2
    assert all(" created, " in line and line.endswith(" s)") for line in step_lines)
    assert "\x1b[" not in out  # captured output is no terminal


@pytest.mark.parametrize(
    ("flags", "environ", "coloured"),
    [([], {}, True), (["--no-color"], {}, False), ([], {"NO_COLOR": "1"}, False)],
    ids=["terminal", "--no-color", "NO_COLOR"],
)
def test_colour_on_a_terminal_unless_no_color(
    spec: Path,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    environ: dict[str, str],
    coloured: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    out, err = Terminal(), Terminal()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    args = ["apply", str(spec), "--create", "--database-url", sqlite_url, "--jobs", "0", *flags]
    assert cli.main(args) == 0
    assert cli.main([*args, "--only", "nothing_such"]) == 1
    assert ("\x1b[" in out.getvalue()) is coloured  # stdout: the summary table only
    assert ("error E703:" not in err.getvalue()) is coloured  # stderr has the progress bars too


def test_a_password_never_appears_in_any_output(spec: Path, postgres_url: str) -> None:
    # the test server trusts every login, so a URL with a password connects all the same; the CLI
    # runs as a program: in-process it would leave its pooled connections to the garbage collector
    url = postgres_url.replace("postgres@", f"postgres:{PASSWORD}@", 1)
    unreachable = f"postgresql+psycopg://someone:{PASSWORD}@127.0.0.1:9/nowhere"
    runs = [
        (["apply", spec, "--create", "--database-url", url, "-v"], 0),
        (["apply", spec, "--database-url", url, "--format", "json"], 0),
        (["plan", spec, "--database-url", url, "--format", "json"], 0),
        (["apply", spec, "--database-url", unreachable], 1),  # E401
        (["apply", spec, "--database-url", f"postgresql://u:{PASSWORD}@h:port/db"], 1),  # E400
    ]
    seen = []
    for argv, code in runs:
        done = run_cli(*argv, cwd=spec.parent)
        assert done.returncode == code, (argv, done.stderr)
        seen.append(done.stdout + done.stderr)
    text = "\n".join(seen)
    assert all(code in text for code in ("E400", "E401", ":***@", '"database": "postgresql+psycopg'))
    assert PASSWORD not in text


def test_a_protected_database_is_named_without_its_password(
    spec: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEEDSPEC_PROTECT", "*prod*")
    url = f"postgresql+psycopg://app:{PASSWORD}@db.prod.example/app"
    assert cli.main(["apply", str(spec), "--database-url", url]) == 1
    err = capsys.readouterr().err
    assert "E706" in err
    assert PASSWORD not in err


@pytest.mark.parametrize("flags", [[], ["--no-color"]], ids=["terminal", "--no-color"])
def test_build_progress_bars_follow_no_color(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    args = ["build", str(spec), "--format", "csv", "-o", str(tmp_path / "out"), "--jobs", "0", *flags]
    assert cli.main(args) == 0
    assert ("\x1b[3" in err.getvalue()) is not flags  # colours, not just the cursor's moves
    assert cli.main(args) == 1  # the files are there now
    assert "E717" in err.getvalue()
    assert cli.main([*args, "--force"]) == 0
