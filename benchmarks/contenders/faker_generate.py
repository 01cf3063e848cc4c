"""Contender: Faker generation of the workload's values alone, no database.

Streams the values (holds none but the unique-value sets Faker keeps); prints the generation
time without interpreter start-up and imports as ``timed_s``.
"""

from __future__ import annotations

import time
from collections import deque

from _common import Workload, emit, parse_args


def main() -> None:
    args = parse_args(__doc__ or "", database=False)
    started = time.perf_counter()
    workload = Workload()
    drain = deque(maxlen=0).extend
    drain(workload.users(args.n))
    drain(workload.tags())
    drain(workload.posts(args.n))
    drain(workload.post_tags(args.n))
    emit(timed_s=time.perf_counter() - started)


if __name__ == "__main__":
    main()
