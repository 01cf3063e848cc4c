"""Hostile mutations of the shipped examples, and one run of the CLI over a mutated spec.

Shared by the bounded CI test (test_fuzz_examples.py) and the long run (long_run.py): each takes
an example of specs_examples/, replaces one node (or key) with a hostile value (a timestamp, a
huge integer, a NUL byte, a long string, a path too long, a wrong shape, an absurd count or
format), writes it next to the example (so its includes, DDL and code resolve) and runs
``seedspec validate`` and ``seedspec plan --offline`` in-process. The contract: exit 0 or 1, a
located diagnostic on exit 1, never exit 3, within a time limit.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import random
import re
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from seedspec.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs_examples"
HUGE = "__HUGE_INT__"
HUGE_DIGITS = "9" * 5000
SECONDS = 20  # per command; a run past it is a hang

HOSTILE: list[Any] = [
    dt.datetime(2026, 1, 1),
    dt.date(2026, 1, 1),
    HUGE,
    2**64,
    -(2**63) - 1,
    "a\x00b",
    "x" * 300,
    "x" * 300 + ".yaml",
    "../" * 50 + "etc/passwd",
    "/dev/zero",
    "{{ 1/0 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set l = [1] %}{% for x in l %}{{ l.append(x) }}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ fake.format('__setattr__', 'locale', 'x') }}",
    "{{ fake.seed_instance(1) }}",
    "u{n[0]}",
    "u{n.real}",
    "u{n:>1000000000}",
    "u{n:{n}}",
    "-99999999999y",
    "{{",
    "",
    None,
    True,
    1.5e308,
    float("inf"),
    [],
    {},
    [[[]]],
    {"faker": "pystr", "args": {"max_chars": 10**9}},
    {"sequence": "u{n:>1000000000}"},
    {"ref": "nobody"},
    {"ref": dt.datetime(2026, 1, 1)},
    {"range": [dt.date(2020, 1, 1), "-99999999999y"]},
    {"python": "a" * 300 + ":f"},
    {"template": "{{ 1/0 }}"},
    {"choice": []},
    {"value": HUGE},
]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one command gave: its exit code, whether it hung, and its output."""

    command: str
    code: int
    hung: bool
    output: str

    @property
    def ok(self) -> bool:
        if self.hung or self.code not in (0, 1):
            return False
        return self.code == 0 or re.search(r"(error|warning) E\d{3}", self.output) is not None


def examples() -> list[Path]:
    """Every spec file of specs_examples/ (YAML and TOML)."""
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml", ".toml"))


def workspace(tmp: Path) -> Path:
    """A copy of specs_examples/ the fuzzer may write into."""
    target = tmp / "examples"
    if not target.exists():
        shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
    return target


def load(path: Path) -> Any:
    if path.suffix == ".toml":
        import tomli

        return tomli.loads(path.read_text("utf-8"))
    return yaml.safe_load(path.read_text("utf-8"))


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def mutate(document: Any, rng: random.Random, times: int = 1) -> Any:
    """``document`` with ``times`` nodes replaced by hostile values (or a key renamed to one)."""
    for _ in range(times):
        paths = [p for p in _nodes(document) if p]
        if not paths:
            return copy.deepcopy(rng.choice(HOSTILE))
        path = rng.choice(paths)
        parent = document
        for token in path[:-1]:
            parent = parent[token]
        value = copy.deepcopy(rng.choice(HOSTILE))  # never shared: mutations never make cycles
        if isinstance(parent, dict) and rng.random() < 0.1 and isinstance(value, str):
            parent[value] = parent.pop(path[-1])
        else:
            parent[path[-1]] = value
    return document


def dump(document: Any) -> str:
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=10**6)
    return text.replace(HUGE, HUGE_DIGITS).replace(f"'{HUGE_DIGITS}'", HUGE_DIGITS)


class _Hang(BaseException):  # not Exception: the CLI's internal-error shell must not catch it
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Hang


def run(argv: list[str], seconds: int = SECONDS) -> Outcome:
    """The CLI in-process, its output captured, stopped after ``seconds`` (a hang)."""
    out = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(argv)
        return Outcome(" ".join(argv[:1]), code, False, out.getvalue())
    except _Hang:
        return Outcome(" ".join(argv[:1]), -1, True, out.getvalue())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


COMMANDS = (("validate",), ("plan", "--offline"))


def check_mutant(example: Path, text: str, commands: tuple[tuple[str, ...], ...] = COMMANDS) -> list[Outcome]:
    """Write ``text`` beside ``example`` and run each command (validate, plan --offline) over it."""
    spec = example.with_name("_fuzz.yaml")
    spec.write_text(text, encoding="utf-8")
    return [run([command[0], str(spec), *command[1:]]) for command in commands]
