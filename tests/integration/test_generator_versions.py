"""Generator versions: a spec pinned to an older version draws exactly the values it drew then.

``rows-v2.json`` holds, for every golden plan case, the SHA-256 of the rows ``apply`` wrote to an
empty SQLite database under generator version 2 before version 3 existed (the installed Faker's version is
recorded with them: Faker's own tables move between releases). Pinned to 2, the same spec must
write the same bytes. ``pytest --update-goldens -n 0`` rewrites the file (review the diff: a change
there is a change of the values a pinned spec draws, which the version policy forbids).

Faker's tables move between releases, and CI installs the newest Faker, so the file also pins,
per case, each column that does not depend on Faker (``faker_free``: the SHA-256 of its sorted
values). Which columns those are is measured when recording: the spec is applied again with
every Faker generator seeded off by one, and a column whose values do not move is Faker-free.
On another Faker version the whole-row digest cannot hold, but those columns still must.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump, records

from seedspec.api import pipeline, specs

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "plans"
DIGESTS = CASES / "rows-v2.json"
SPECS = {
    p.name: next(f for f in p.iterdir() if f.stem == "spec")
    for p in sorted(CASES.iterdir())
    if p.is_dir() and p.name != "design"
}
SPECS["design"] = ROOT / "specs_examples" / "design" / "dev.yaml"


def rows_digest(
    path: Path,
    generator_version: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    batch_size: int | None = None,
    workers: int = 0,
) -> str:
    """The SHA-256 of the rows ``apply`` writes for ``path`` pinned to ``generator_version``
    (with ``batch_size`` rows a batch when given, and ``workers`` drawing Faker values ahead)."""
    url = applied(path, generator_version, tmp_path, monkeypatch, batch_size=batch_size, workers=workers)
    return hashlib.sha256(repr(dump(url)).encode()).hexdigest()


def applied(
    path: Path,
    generator_version: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    batch_size: int | None = None,
    workers: int = 0,
    tag: str = "",
) -> str:
    """The URL of a new SQLite database ``apply`` wrote ``path`` to, pinned to ``generator_version``."""
    monkeypatch.chdir(path.parent)
    extra = path.parent / "args.txt"
    words = extra.read_text(encoding="utf-8").split() if extra.exists() else []
    sets = dict(w.split("=", 1) for w in words[1::2] if "=" in w)
    scale = float(words[words.index("--scale") + 1]) if "--scale" in words else None
    spec = specs.load(path.name, dict(os.environ), params=sets, scale=scale)
    settings = spec.document.setdefault("settings", {})
    settings["generator_version"] = generator_version
    if batch_size is not None:
        settings["batch_size"] = batch_size
    url = f"sqlite:///{tmp_path / f'v{generator_version}-{batch_size}-{workers}{tag}.db'}"
    engine = sa.create_engine(url)
    try:
        pipeline.apply(spec, engine, create=True, workers=workers)
    finally:
        engine.dispose()
    return url


def column_digests(url: str) -> dict[str, str]:
    """``table.column`` -> the SHA-256 of the column's values, sorted (row order aside)."""
    out = {}
    for table, rows in records(url).items():
        for column in rows[0] if rows else ():
            values = sorted(repr(row[column]) for row in rows)
            out[f"{table}.{column}"] = hashlib.sha256(repr(values).encode()).hexdigest()
    return out


def faker_free_columns(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, str], list[str]]:
    """The version-2 columns whose values stay put when every Faker draw moves (each generator
    seeded with ``seed + 1``), with their digests; and the columns that moved."""
    import faker.generator

    normal = column_digests(applied(path, 2, tmp_path, monkeypatch))
    seed_instance = faker.generator.Generator.seed_instance

    def shifted(self: object, seed: int | None = None) -> object:
        return seed_instance(self, None if seed is None else seed + 1)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(faker.generator.Generator, "seed_instance", shifted)
        moved = column_digests(applied(path, 2, tmp_path, patch, tag="-shifted"))
    free = {column: digest for column, digest in normal.items() if moved.get(column) == digest}
    return free, sorted(set(normal) - set(free))


@pytest.mark.parametrize("case", sorted(SPECS))
def test_a_spec_pinned_to_version_2_draws_the_values_it_drew_before_version_3(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
    url = applied(SPECS[case], 2, tmp_path, monkeypatch)
    digest = hashlib.sha256(repr(dump(url)).encode()).hexdigest()
    if update_goldens:
        recorded.setdefault("digests", {})[case] = digest
        free, moved = faker_free_columns(SPECS[case], tmp_path, monkeypatch)
        recorded.setdefault("faker_free", {})[case] = free
        recorded.setdefault("faker_moved", {})[case] = moved
        recorded["faker"] = version("faker")
        DIGESTS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    pinned = recorded["faker_free"][case]
    columns = column_digests(url)
    assert {c: columns.get(c) for c in pinned} == pinned  # whatever Faker's version
    if recorded.get("faker") == version("faker"):
        assert digest == recorded["digests"][case]


def test_most_cases_pin_columns_that_do_not_depend_on_faker() -> None:
    """On another Faker version than the recording's, the pinned Faker-free columns are what the
    test above still checks: they must exist (sequences, ranges, choices, keys, refs), and the
    measure must see Faker's columns move where the specs draw from Faker."""
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert set(recorded["faker_free"]) == set(recorded["faker_moved"]) == set(SPECS)
    assert sum(len(columns) for columns in recorded["faker_moved"].values()) >= 5
    assert sum(len(columns) for columns in recorded["faker_free"].values()) >= 20
    assert sum(bool(columns) for columns in recorded["faker_free"].values()) >= len(SPECS) - 2


@pytest.mark.parametrize("case", sorted(SPECS))
def test_version_3_writes_the_same_rows_whatever_the_batch_size_and_the_workers(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_pass = rows_digest(SPECS[case], 3, tmp_path, monkeypatch, batch_size=100_000)
    assert rows_digest(SPECS[case], 3, tmp_path, monkeypatch, batch_size=3, workers=2) == one_pass
