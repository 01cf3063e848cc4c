"""Where the pytest plugin's settings come from: command line, then environment, then ini file."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.testing.pytest_plugin import ENV_DATABASE_URL, PluginMisuse, Settings, marked_spec, settings


def _settings(
    *,
    option_spec: str | None = None,
    ini_spec: str = "",
    option_url: str | None = None,
    ini_url: str = "",
    environ: dict[str, str] | None = None,
) -> Settings:
    return settings(
        option_spec=option_spec,
        ini_spec=ini_spec,
        option_url=option_url,
        ini_url=ini_url,
        create=False,
        reset=False,
        invocation_dir=Path("/here"),
        ini_dir=Path("/project"),
        environ=environ or {},
    )


def test_unconfigured_means_no_spec_and_no_url() -> None:
    found = _settings(ini_spec="  ")
    assert (found.spec, found.database_url) == (None, None)


def test_the_command_line_wins_and_paths_are_relative_to_where_they_are_written() -> None:
    ini = _settings(ini_spec="seeds/test.yaml", ini_url="sqlite:///ini.db")
    assert (ini.spec, ini.database_url) == (Path("/project/seeds/test.yaml"), "sqlite:///ini.db")
    cli = _settings(ini_spec="seeds/test.yaml", option_spec="other.yaml", option_url="sqlite:///cli.db")
    assert (cli.spec, cli.database_url) == (Path("/here/other.yaml"), "sqlite:///cli.db")


def test_the_environment_names_the_database_before_the_ini_file() -> None:
    found = _settings(ini_url="sqlite:///ini.db", environ={ENV_DATABASE_URL: "sqlite:///env.db"})
    assert found.database_url == "sqlite:///env.db"


def test_a_marker_takes_one_path_relative_to_the_rootdir() -> None:
    assert marked_spec(("seeds/a.yaml",), {}, Path("/root")) == Path("/root/seeds/a.yaml")
    with pytest.raises(PluginMisuse, match="expected one spec path"):
        marked_spec(("a.yaml", "b.yaml"), {}, Path("/root"))
