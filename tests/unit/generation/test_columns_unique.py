"""Version 3: a unique user name or e-mail that collides is made unique by construction."""

from __future__ import annotations

from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RunState, row_slots

from .test_columns import plan_of, rows_in_batches

COUNT = 3000  # enough rows that Faker's e-mails repeat (about 2 % of them at 10,000)


def test_a_colliding_email_embeds_its_row_number_and_the_others_keep_their_first_draw() -> None:
    plain = [r["email"] for r in rows_in_batches(plan_of({"email": {"faker": "email"}}, count=COUNT), 500)]
    unique = [
        r["email"]
        for r in rows_in_batches(plan_of({"email": {"faker": "email", "unique": True}}, count=COUNT), 500)
    ]
    assert len(set(unique)) == COUNT
    assert len(set(plain)) < COUNT  # the plain draws do collide: the construction is exercised
    moved = [(n, p, u) for n, (p, u) in enumerate(zip(plain, unique, strict=True)) if p != u]
    assert moved
    for n, p, u in moved:
        user, _, domain = p.partition("@")
        assert u == f"{user}.{n}@{domain}"


def test_the_constructed_values_are_the_same_whatever_the_batch_size() -> None:
    plan = plan_of({"email": {"faker": "free_email", "unique": True}}, count=COUNT)
    assert rows_in_batches(plan, 7) == rows_in_batches(plan, COUNT)


def test_a_user_name_taken_by_a_stored_row_moves_to_its_constructed_value() -> None:
    plan = plan_of({"name": {"faker": "user_name", "unique": True}}, count=1)
    step = plan.steps[0]
    maker = RowMaker(plan, step, RunState())
    (slot,) = row_slots(step, RunState())
    row = maker.make(slot)
    again = maker.retry_unique("name", slot, dict(row), {row["name"]}.__contains__)
    assert again == f"{row['name']}.0"
