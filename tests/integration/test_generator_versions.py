"""Generator versions: a spec pinned to an older version draws exactly the values it drew then.

``rows-v2.json`` holds, for every golden plan case, the SHA-256 of the rows ``apply`` wrote to an
empty SQLite database under generator version 2 before version 3 existed (the installed Faker's version is
recorded with them: Faker's own tables move between releases). Pinned to 2, the same spec must
write the same bytes. ``pytest --update-goldens`` rewrites the file (review the diff: a change
there is a change of the values a pinned spec draws, which the version policy forbids).
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump

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
    url = f"sqlite:///{tmp_path / f'v{generator_version}-{batch_size}-{workers}.db'}"
    engine = sa.create_engine(url)
    try:
        pipeline.apply(spec, engine, create=True, workers=workers)
    finally:
        engine.dispose()
    return hashlib.sha256(repr(dump(url)).encode()).hexdigest()


@pytest.mark.parametrize("case", sorted(SPECS))
def test_a_spec_pinned_to_version_2_draws_the_values_it_drew_before_version_3(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
    digest = rows_digest(SPECS[case], 2, tmp_path, monkeypatch)
    if update_goldens:
        recorded.setdefault("digests", {})[case] = digest
        recorded["faker"] = version("faker")
        DIGESTS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if recorded.get("faker") != version("faker"):
        pytest.skip(f"rows-v2.json was recorded under Faker {recorded.get('faker')}: re-record it")
    assert digest == recorded["digests"][case]


@pytest.mark.parametrize("case", sorted(SPECS))
def test_version_3_writes_the_same_rows_whatever_the_batch_size_and_the_workers(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_pass = rows_digest(SPECS[case], 3, tmp_path, monkeypatch, batch_size=100_000)
    assert rows_digest(SPECS[case], 3, tmp_path, monkeypatch, batch_size=3, workers=2) == one_pass
