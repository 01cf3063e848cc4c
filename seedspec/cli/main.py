"""The command line: a thin argparse shell over ``seedspec.api``.

User errors (``SeedspecError``) print located diagnostics and exit 1; anything else is a bug:
exit 3 with a request to report it (the traceback behind ``--traceback``).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from seedspec.cli import common
from seedspec.cli.commands import EXIT_BUG, EXIT_INVALID, EXIT_OK
from seedspec.cli.common import out
from seedspec.cli.parser import parser
from seedspec.errors import SeedspecError
from seedspec.report import render

GC_THRESHOLD = (50_000, 20, 100)  # Python's default: (700, 10, 10)


def _tune_collector() -> None:
    """A run allocates millions of short-lived rows, keys and tuples and makes almost no cycles:
    the collector's default, a youngest-generation pass every 700 allocations, cost about a tenth
    of an apply's CPU (docs/benchmarks.md). The process is the CLI's own, so it sets this here,
    not the API that a host application calls."""
    gc.set_threshold(*GC_THRESHOLD)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = parser().parse_args(argv)
    _tune_collector()
    common.NO_COLOR[0] = bool(getattr(args, "no_color", False))
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SeedspecError as exc:
        if getattr(args, "json_diagnostics", False) and args.format == "json":
            out(render.diagnostics_json(exc.diagnostics))
        out(render.diagnostics_text(exc.diagnostics), styled=True, stream=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was committed\n")
        return 130
    except BrokenPipeError:  # `seedspec plan ... | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error on exit's flush
        return EXIT_OK
    except Exception:
        sys.stderr.write(
            "seedspec: internal error; please report it with the spec that caused it"
            " (https://github.com/seedspec/seedspec/issues)\n"
        )
        if args.traceback:
            traceback.print_exc()
        else:
            sys.stderr.write("run again with --traceback to see where it happened\n")
        return EXIT_BUG
    finally:
        common.dispose_engines()
