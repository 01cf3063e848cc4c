"""Generator version 3's column forms: each kind's values for a whole batch of row keys."""

from __future__ import annotations

import datetime as dt
import decimal
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from seedspec.generators import registry
from seedspec.generators.base import ColumnForm
from seedspec.ir import (
    Choice,
    Distribution,
    FakerCall,
    Literal,
    PythonCall,
    Range,
    Ref,
    Template,
)
from seedspec.ir import (
    Sequence as Seq,
)
from seedspec.language import templates
from seedspec.language.counterhash import row_keys

NOW = "2025-01-01T00:00:00"
N = 50_000


class Batch:
    """The rows of a batch as generation gives them: keys, ``n``, sequence numbers, columns."""

    def __init__(self, size: int, columns: dict[str, list[Any]] | None = None) -> None:
        self.keys = row_keys(12345, range(size))
        self.size = size
        self._columns = columns or {}

    def numbers(self) -> list[int]:
        return list(range(self.size))

    def sequence(self) -> list[int]:
        return [10 + i for i in range(self.size)]

    def column(self, name: str) -> list[Any] | None:
        return self._columns.get(name)


def values(form: ColumnForm | None, batch: Batch) -> Sequence[Any]:
    assert form is not None
    drawn = form(batch)
    assert drawn is not None
    return drawn


def test_a_weighted_choice_follows_its_weights_and_never_picks_a_zero_weight() -> None:
    form = registry.column_form(Choice(values=("a", "b", "c"), weights=(1.0, 0.0, 3.0)), NOW)
    counts = Counter(values(form, Batch(N)))
    assert set(counts) == {"a", "c"}
    assert abs(counts["a"] / N - 0.25) < 0.01


def test_an_unweighted_choice_is_uniform() -> None:
    counts = Counter(values(registry.column_form(Choice(values=(1, 2, 3, 4)), NOW), Batch(N)))
    assert all(abs(c / N - 0.25) < 0.01 for c in counts.values())
    assert len(counts) == 4


def test_int_ranges_hold_both_bounds_even_past_two_to_the_53() -> None:
    small = values(registry.column_form(Range(kind="int", low=-3, high=3), NOW), Batch(5000))
    assert set(small) == set(range(-3, 4))
    huge = values(registry.column_form(Range(kind="int", low=0, high=2**70), NOW), Batch(2000))
    assert all(0 <= v <= 2**70 for v in huge)
    assert max(huge) > 2**66


def test_date_datetime_step_and_decimal_ranges() -> None:
    low, high = dt.date(2024, 1, 1), dt.date(2024, 1, 10)
    days = values(registry.column_form(Range(kind="date", low=low, high=high), NOW), Batch(2000))
    assert set(days) == {low + dt.timedelta(days=i) for i in range(10)}
    start = dt.datetime(2024, 1, 1)
    stamps = values(
        registry.column_form(Range(kind="datetime", low=start, high=start + dt.timedelta(hours=1)), NOW),
        Batch(2000),
    )
    assert all(start <= s <= start + dt.timedelta(hours=1) for s in stamps)
    stepped = values(registry.column_form(Range(kind="int", low=0, high=100, step=25), NOW), Batch(2000))
    assert set(stepped) == {0, 25, 50, 75, 100}
    money = values(
        registry.column_form(Range(kind="decimal", low=1.0, high=2.0, decimals=2), NOW), Batch(500)
    )
    assert all(isinstance(m, decimal.Decimal) and 1 <= m <= 2 for m in money)


def test_a_range_with_a_bound_per_row_has_no_column_form() -> None:
    templated = Range(kind="int", low=None, high=5, low_template=Template(source="{{ a }}", names=("a",)))
    assert registry.column_form(templated, NOW) is None


def test_normal_lognormal_and_zipf_have_their_shapes() -> None:
    normal = values(
        registry.column_form(Distribution(name="normal", params=(("mean", 10.0), ("stddev", 2.0))), NOW),
        Batch(N),
    )
    assert abs(statistics.fmean(normal) - 10) < 0.05
    assert abs(statistics.pstdev(normal) - 2) < 0.05
    lognormal = values(
        registry.column_form(Distribution(name="lognormal", params=(("mu", 0.0), ("sigma", 0.5))), NOW),
        Batch(N),
    )
    assert min(lognormal) > 0
    assert abs(statistics.median(lognormal) - 1) < 0.02
    zipf = Counter(
        values(
            registry.column_form(Distribution(name="zipf", params=(("a", 2.0), ("n", 5.0))), NOW), Batch(N)
        )
    )
    assert set(zipf) == {1, 2, 3, 4, 5}
    assert zipf[1] > zipf[2] > zipf[3]
    weights = [1 / k**2 for k in range(1, 6)]
    assert abs(zipf[1] / N - weights[0] / sum(weights)) < 0.01


def test_a_distribution_is_clamped_then_rounded() -> None:
    gen = Distribution(name="normal", params=(("mean", 0.0), ("stddev", 5.0)), low=-1, high=1, decimals=1)
    drawn = values(registry.column_form(gen, NOW), Batch(2000))
    assert min(drawn) == -1
    assert max(drawn) == 1
    assert all(isinstance(v, (int, decimal.Decimal)) for v in drawn)


def test_value_and_sequence_forms() -> None:
    assert values(registry.column_form(Literal(value={"a": 1}), NOW), Batch(3)) == [{"a": 1}] * 3
    assert values(registry.column_form(Seq(format="u{n:03d}"), NOW), Batch(2)) == ["u010", "u011"]
    assert values(registry.column_form(Seq(start=100, step=5), NOW), Batch(2)) == [150, 155]


@pytest.mark.parametrize(
    "source",
    ["{{ first }}.{{ last }}@example.com", "{{ n }}-{{ when }}", "{{ first }}", "x {{ amount }}\n"],
)
def test_a_joining_template_gives_what_jinja_renders(source: str) -> None:
    columns: dict[str, list[Any]] = {
        "first": ["Ann", "Bob"],
        "last": ["Lee", None],
        "when": [dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3, 4)],
        "amount": [decimal.Decimal("1.50"), 2.5],
    }
    names = tuple(sorted(templates.referenced_names(source)))
    form = registry.column_form(Template(source=source, names=names), NOW)
    rendered = [templates.render(source, **{k: v[i] for k, v in columns.items()}, n=i) for i in range(2)]
    assert values(form, Batch(2, columns)) == rendered


@pytest.mark.parametrize(
    "source",
    [
        "{{ first | upper }}",
        "{{ first if n else last }}",
        "{% if n %}x{% endif %}",
        "{{ fake.word() }}",
        "{{ user.email }}",
        "{{ null }}",
        "{{ 'a' }}{{ n }}",
    ],
)
def test_a_template_with_logic_has_no_column_form(source: str) -> None:
    names = tuple(sorted(templates.referenced_names(source)))
    assert registry.column_form(Template(source=source, names=names), NOW) is None


def test_a_joining_template_over_a_column_the_batch_lacks_draws_row_by_row() -> None:
    form = registry.column_form(Template(source="{{ first }}!", names=("first",)), NOW)
    assert form is not None
    assert form(Batch(2)) is None


def test_faker_forms_come_from_vectorfaker_never_with_custom_providers() -> None:
    uuid = values(registry.column_form(FakerCall(method="uuid4"), NOW), Batch(100))
    assert len(set(uuid)) == 100
    assert all(u[14] == "4" for u in uuid)
    with_providers = FakerCall(method="uuid4", providers=(("m:C", "m"),))
    assert registry.column_form(with_providers, NOW) is None
    assert registry.column_form(FakerCall(method="user_agent"), NOW) is None


def test_refs_and_custom_generators_have_no_column_form() -> None:
    assert registry.column_form(Ref(factory="user", column="id"), NOW) is None
    assert registry.column_form(PythonCall(target="m:f", base_dir="."), NOW) is None


def test_a_form_depends_on_the_keys_alone() -> None:
    form = registry.column_form(Choice(values=tuple(range(1000))), NOW)
    whole = values(form, Batch(100))
    assert form is not None
    part = Batch(100)
    part.keys = np.ascontiguousarray(part.keys[40:60])
    part.size = 20
    assert values(form, part) == whole[40:60]
