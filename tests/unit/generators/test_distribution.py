"""``distribution``: normal, lognormal, zipf; clamped, rounded, parameters checked."""

from __future__ import annotations

import random
from typing import Any

from seedspec.generators import distribution
from seedspec.ir import Distribution


def test_compile_orders_the_parameters(ctx: Any, site: Any) -> None:
    gen = distribution.compile({"distribution": "normal", "stddev": 2, "mean": 10, "min": 0}, site(), ctx)
    assert gen == Distribution(name="normal", params=(("mean", 10.0), ("stddev", 2.0)), low=0)


def test_draws_are_clamped_and_rounded() -> None:
    rng = random.Random(3)
    gen = Distribution(name="normal", params=(("mean", 0.0), ("stddev", 100.0)), low=-1, high=1, decimals=0)
    assert {distribution.draw_distribution(gen, rng) for _ in range(200)} <= {-1, 0, 1}
    zipf = Distribution(name="zipf", params=(("a", 2.0), ("n", 5.0)))
    assert {distribution.draw_distribution(zipf, rng) for _ in range(200)} <= {1, 2, 3, 4, 5}
    logn = Distribution(name="lognormal", params=(("mu", 0.0), ("sigma", 1.0)))
    assert all(distribution.draw_distribution(logn, rng) > 0 for _ in range(50))


def test_draw_is_seeded(maker: Any, cell: Any) -> None:
    gen = Distribution(name="normal", params=(("mean", 0.0), ("stddev", 1.0)))
    assert distribution.draw(gen, maker, cell(gen), 8, 0) == distribution.draw(gen, maker, cell(gen), 8, 0)


def test_check_reports_missing_parameters_and_swapped_bounds(scope: Any) -> None:
    [missing] = distribution.check({"distribution": "zipf", "a": 2}, "/f", scope)
    assert missing.code == "E318"
    assert "needs n" in missing.message
    [swapped] = distribution.check(
        {"distribution": "normal", "mean": 0, "stddev": 1, "min": 5, "max": 1}, "/f", scope
    )
    assert swapped.pointer == "/f/min"


def test_describe() -> None:
    gen = Distribution(name="normal", params=(("mean", 1.0), ("stddev", 2.0)), low=0, high=9)
    assert distribution.describe(gen) == "normal(mean=1, stddev=2) in [0, 9]"
