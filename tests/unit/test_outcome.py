"""What a run did: per-table sums, totals, pending work, dry-run ids."""

from __future__ import annotations

from seedspec.outcome import Pending, Report, StepReport


def test_a_report_sums_per_table_in_first_touched_order() -> None:
    report = Report(
        spec="s.yaml",
        database="sqlite://",
        steps=(
            StepReport(step="a", factory="a", table="users", created=2),
            StepReport(step="b", factory="b", table="posts", existing=3),
            StepReport(step="c", factory="c", table="users", created=1, updated=1),
        ),
    )
    assert [(t.table, t.created, t.existing, t.updated) for t in report.tables] == [
        ("users", 3, 0, 1),
        ("posts", 0, 3, 0),
    ]
    assert (report.created, report.existing, report.updated, report.pending) == (3, 3, 1, True)
    assert not Report(
        spec="s", database="d", steps=(StepReport(step="a", factory="a", table="t", existing=1),)
    ).pending


def test_a_pending_id_says_it_is_new() -> None:
    assert repr(Pending("user/3")) == "<new user/3>"
