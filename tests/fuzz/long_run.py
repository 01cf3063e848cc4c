"""The long fuzz run: ``python tests/fuzz/long_run.py COUNT [SEED]`` mutates COUNT specs of
specs_examples/ and runs validate and plan --offline over each, in one process under a memory
limit; it prints the totals (specs, exit-3 results, hangs) and every failure's spec to stderr.

The bounded CI run is test_fuzz_examples.py; this is for a machine with time to spare.
"""

from __future__ import annotations

import copy
import functools
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.mutations import check_mutant, dump, examples, load, mutate, workspace

MEMORY = 2 * 1024**3  # bytes of address space: a spec that needs more fails (exit 3), not the machine


def _faster() -> None:
    """Two harness-only caches, so 100,000 specs fit in half an hour of one core: the argument
    parser, and the tables of an unchanged example DDL file (a mutated ``ddl:`` names another
    path, which is still read and run). Each spec still loads, validates and compiles in full."""
    from seedspec.api import specs
    from seedspec.cli import main as cli_main

    cli_main.parser = functools.cache(cli_main.parser)  # type: ignore[method-assign]
    original = specs._ddl_in_memory
    cached: dict[tuple[str, int, int], object] = {}

    def ddl_in_memory(spec: Any) -> Any:
        ddl = spec.document["tables"]["ddl"]
        path = spec.path.parent / ddl
        if not (isinstance(ddl, str) and ddl.endswith("schema.sql") and path.name == "schema.sql"):
            return original(spec)
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in cached:
            cached[key] = original(spec)
        return cached[key]

    specs._ddl_in_memory = ddl_in_memory  # type: ignore[assignment]


def main(count: int, seed: int) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    _faster()
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="seedspec-fuzz-"))
    root = workspace(tmp)
    originals = {p: load(p) for p in examples()}
    specs, exit3, hangs, bad = 0, 0, 0, 0
    start = time.monotonic()
    for i in range(count):
        source = rng.choice(sorted(originals))
        target = _in(root, source)
        text = dump(mutate(copy.deepcopy(originals[source]), rng, rng.randint(1, 3)))
        outcomes = check_mutant(target, text, commands=(("plan", "--offline"),))
        specs += 1
        exit3 += any(o.code == 3 for o in outcomes)
        hangs += any(o.hung for o in outcomes)
        if not all(o.ok for o in outcomes):
            bad += 1
            print(f"--- spec {i} ({source.name}):\n{text[:2000]}", file=sys.stderr)
            for o in outcomes:
                print(f"{o.command}: exit {o.code} hung={o.hung}\n{o.output[-1500:]}", file=sys.stderr)
            again = check_mutant(target, text, commands=(("plan", "--offline", "--traceback"),))
            print(again[0].output[-1500:], file=sys.stderr)
        if (i + 1) % 1000 == 0:
            took = time.monotonic() - start
            print(f"{i + 1} specs, {exit3} exit 3, {hangs} hangs, {bad} failing, {took:.0f}s", flush=True)
    print(
        f"total: {specs} specs, {exit3} exit 3, {hangs} hangs, {bad} failing the contract, "
        f"{time.monotonic() - start:.0f}s (seed {seed})"
    )
    return 1 if bad else 0


def _in(root: Path, source: Path) -> Path:
    """Where ``source`` (under specs_examples/) is in the copy under ``root``."""
    from tests.fuzz.mutations import EXAMPLES

    return root / source.relative_to(EXAMPLES)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0))
