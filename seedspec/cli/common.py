"""What the command handlers share: the spec as the options change it, the selection, the
protect patterns, and printing (coloured on a terminal)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from seedspec.api import protection, specs
from seedspec.api.protection import Pattern
from seedspec.api.specs import LoadedSpec, Selection
from seedspec.cli import colour
from seedspec.errors import Diagnostic, SeedspecError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from seedspec.api.pipeline import Progress

R = TypeVar("R")

_ENGINES: list[Engine] = []  # the engines of the running command: ``main`` disposes of them


def engine(url: str) -> Engine:
    """An engine for ``url``, disposed of when the command ends (its pooled connections would
    otherwise stay open until garbage collection, holding locks in a process that goes on)."""
    created = specs.create_engine(url)
    _ENGINES.append(created)
    return created


def dispose_engines() -> None:
    """Close every engine the command opened."""
    while _ENGINES:
        _ENGINES.pop().dispose()


def loaded(path: Path, args: argparse.Namespace) -> LoadedSpec:
    """The spec with ``--set`` and ``--scale`` applied."""
    params: dict[str, str] = {}
    for item in getattr(args, "params", []):
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise SeedspecError(
                Diagnostic(
                    code="E700",
                    message=f"--set {item}: expected NAME=VALUE",
                    hint="for example --set users=10",
                )
            )
        params[name.strip()] = value
    return specs.load(path, os.environ, params=params, scale=getattr(args, "scale", None))


def selection(args: argparse.Namespace) -> Selection | None:
    """--only, --exclude and --no-deps as a ``Selection``; None for the whole spec."""

    def names(values: list[str]) -> tuple[str, ...]:
        return tuple(n.strip() for v in values for n in v.split(",") if n.strip())

    only, exclude = names(args.only), names(args.exclude)
    for flag, given, found in (("--only", args.only, only), ("--exclude", args.exclude, exclude)):
        if given and not found:  # an unset $SEEDER must never mean "everything"
            raise SeedspecError(
                Diagnostic(
                    code="E703",
                    message=f"{flag} {' '.join(map(repr, given))} names no step",
                    hint=f"give {flag} factory names, step ids or step names: {flag} user,post",
                )
            )
    if not only and not exclude and not args.no_deps:
        return None
    return Selection(only=only, exclude=exclude, with_deps=not args.no_deps)


def protect() -> tuple[Pattern, ...]:
    """The protect patterns of ``SEEDSPEC_PROTECT``."""
    return protection.environment_patterns(os.environ)


NO_COLOR = [False]  # --no-color of the running command (main sets it)


def out(text: str, *, styled: bool = False, stream: TextIO | None = None) -> None:
    """Print ``text``; ``styled`` text (diagnostics, reports; never JSON) is coloured on a terminal."""
    stream = stream or sys.stdout
    wanted = styled and colour.wanted(stream, no_color=NO_COLOR[0], environ=os.environ)
    colour.write(stream, text, colour=wanted)


def spec_url(spec: LoadedSpec, args: argparse.Namespace) -> str:
    """--database-url, else DATABASE_URL, else the spec's own (see ``database_url``)."""
    return specs.database_url(spec, args.database_url or os.environ.get("DATABASE_URL"))


def save(path: Path | None, text: str) -> None:
    """Write ``text`` to ``path`` (--out), if given, ending in a newline."""
    if path is not None:
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def with_progress(args: argparse.Namespace, quiet: bool, run: Callable[[Progress | None], R]) -> R:
    """``run`` with progress bars on stderr when it is a terminal (and not ``quiet``), coloured
    unless --no-color or NO_COLOR says otherwise."""
    if quiet or not sys.stderr.isatty():
        return run(None)
    from seedspec.cli.progress import progress_bars

    with progress_bars(no_color=args.no_color) as progress:
        return run(progress)
