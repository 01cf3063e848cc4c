"""The pinnable clock: stand-ins that answer the reference time inside ``pinned`` and the wall clock
outside, and otherwise behave as ``datetime.datetime``, ``datetime.date`` and the module."""

from __future__ import annotations

import datetime as dt
import types

import time_machine

from seedspec.language import clock

REF = dt.datetime(2000, 6, 15, 12, 30)


def test_inside_a_pinned_block_now_and_today_are_the_reference() -> None:
    with clock.pinned(REF):
        assert clock.DATETIME.now() == REF
        assert clock.DATETIME.today() == REF
        assert clock.DATE.today() == REF.date()
        assert clock.DATETIME.utcnow() == REF
        assert clock.DATETIME.now(dt.UTC) == REF.replace(tzinfo=dt.UTC)  # naive means UTC, as Faker reads it
        assert clock.DATETIME.now(dt.timezone(dt.timedelta(hours=2))).hour == 14
        assert clock.reference() == REF
    assert clock.reference() is None


def test_an_aware_reference_keeps_its_wall_time_and_its_instant() -> None:
    aware = dt.datetime(2000, 6, 15, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with clock.pinned(aware):
        assert clock.DATE.today() == dt.date(2000, 6, 15)
        assert clock.DATETIME.now(dt.UTC) == aware
        assert clock.DATETIME.utcnow() == dt.datetime(2000, 6, 16, 4, 30)


def test_outside_a_pinned_block_the_stand_ins_read_the_wall_clock() -> None:
    with time_machine.travel(dt.datetime(2031, 3, 4, 5, 6, 7), tick=False):
        assert clock.DATE.today() == dt.date(2031, 3, 4)
        assert clock.DATETIME.now() == dt.datetime.now()


def test_stand_ins_construct_and_recognise_plain_values() -> None:
    made = clock.DATETIME(2001, 2, 3)
    assert type(made) is dt.datetime
    assert type(clock.DATE(2001, 2, 3)) is dt.date
    assert isinstance(dt.datetime(2001, 1, 1), clock.DATETIME)
    assert isinstance(dt.datetime(2001, 1, 1), (clock.DATETIME, clock.DATE))
    assert not isinstance(dt.date(2001, 1, 1), clock.DATETIME)
    assert issubclass(dt.datetime, clock.DATE)
    assert clock.DATETIME.fromisoformat("2001-02-03") == made
    assert clock.DATETIME.max == dt.datetime.max
    assert clock.MODULE.timedelta is dt.timedelta
    assert clock.MODULE.datetime is clock.DATETIME


def test_pin_modules_swaps_only_the_clock_names() -> None:
    module = types.ModuleType("faker_like")
    module.datetime, module.date, module.dt, module.timedelta = dt.datetime, dt.date, dt, dt.timedelta
    clock.pin_modules([module, module])  # twice: idempotent
    assert (module.datetime, module.date, module.dt) == (clock.DATETIME, clock.DATE, clock.MODULE)
    assert module.timedelta is dt.timedelta
    with clock.pinned(REF):
        assert module.dt.date.today() == REF.date()
