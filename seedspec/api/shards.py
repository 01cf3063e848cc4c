"""``build`` of several shards: one after another here, or as the tasks of a Ray cluster (which
``apply --engine ray`` joins the same way: ``ray_cluster``).

A shard is a whole build that writes only its range of every step's rows (see
``seedspec.generation.shards``), so a shard is the unit of work: each task compiles nothing (the
plan travels compiled), draws its parents' pools itself, and writes its own files. Ray is used
as a library (``ray.init`` and remote tasks): it places the tasks; nothing here schedules.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from seedspec.api.building import BuildJob, keep_files
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.generation.shards import Shard
from seedspec.outcome import BuildReport, StepReport

COUNTED = ("created", "existing", "updated", "differing", "duplicate")
Failed = tuple[type[SeedspecError], tuple[Diagnostic, ...]]  # a shard's user error, as Ray returns it


def build_shards(
    job: BuildJob,
    directory: Path,
    *,
    shards: int | None,
    engine: str,
    force: bool,
    workers: int | None,
) -> BuildReport:
    """Every shard of ``job`` into ``directory``; one report, its counts summed over the shards."""
    if engine == "ray":
        return _on_ray(job, directory, shards, force)
    count = shards or 1
    parts = [Shard(k, count) for k in range(1, count + 1)]
    if not force:
        keep_files(directory, [name for part in parts for name in job.file_names(part)])
    reports = [job.run(part, directory=directory, workers=workers) for part in parts]
    return merged(reports, engine="local")


def _on_ray(job: BuildJob, directory: Path, shards: int | None, force: bool) -> BuildReport:
    with ray_cluster() as ray:
        return _submitted(ray, job, directory, shards, force)


@contextmanager
def ray_cluster() -> Iterator[Any]:
    """The ``ray`` module, joined to ``RAY_ADDRESS``'s cluster or a local one of this machine's
    CPUs (started here and shut down after), or to the one this process already joined."""
    import ray

    started = not ray.is_initialized()
    if started:
        ray.init(
            address=os.environ.get("RAY_ADDRESS"),
            log_to_driver=False,
            include_dashboard=False,
            logging_level=logging.ERROR,
        )
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def _submitted(ray: Any, job: BuildJob, directory: Path, shards: int | None, force: bool) -> BuildReport:
    count = shards or max(1, int(ray.cluster_resources().get("CPU", 1)))
    parts = [Shard(k, count) for k in range(1, count + 1)]
    if not force:
        keep_files(directory, [name for part in parts for name in job.file_names(part)])
    job.planned  # noqa: B018 (compiled here once: the tasks receive the plan)
    task = ray.remote(num_cpus=1, max_retries=0)(_run_shard)
    shared = ray.put(job)
    results: list[BuildReport | Failed] = ray.get(
        [task.remote(shared, part, str(directory)) for part in parts]
    )
    for result in results:
        if not isinstance(result, BuildReport):
            kind, diagnostics = result
            raise kind(diagnostics)  # the first failed shard's error, located as a local run's
    return merged(cast(list[BuildReport], results), engine="ray")


def _run_shard(job: BuildJob, part: Shard, directory: str) -> BuildReport | Failed:
    """One Ray task: shard ``part`` of ``job`` (one CPU: no Faker worker processes of its own).
    A user error comes back as a value: its diagnostics travel, the exception does not pickle."""
    try:
        return job.run(part, directory=Path(directory), workers=0)
    except SeedspecError as exc:
        return type(exc), exc.diagnostics


def merged(reports: list[BuildReport], *, engine: str) -> BuildReport:
    """The reports of the shards of one build as one: counts summed per step, files in order."""
    first = reports[0]
    steps = tuple(
        StepReport(
            step=step.step,
            factory=step.factory,
            table=step.table,
            **_summed(COUNTED, [r.steps[i] for r in reports]),
        )
        for i, step in enumerate(first.steps)
    )
    return BuildReport(
        spec=first.spec,
        format=first.format,
        dialect=first.dialect,
        destination=first.destination,
        steps=steps,
        files=tuple(f for r in reports for f in r.files),
        hooks_not_run=first.hooks_not_run,
        shards=tuple(s for r in reports for s in r.shards),
        engine=engine,
    )


def _summed(names: tuple[str, ...], steps: list[StepReport]) -> dict[str, Any]:
    return {name: sum(getattr(s, name) for s in steps) for name in names}
