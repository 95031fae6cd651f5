"""Injected time: FixedClock, UTC normalisation and the wait descriptions every front-end shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from faye.clock import FixedClock, SystemClock, as_utc, describe_wait, make_rng

NOON = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


def test_fixed_clock_stands_still_until_advanced() -> None:
    clock = FixedClock(NOON)
    assert clock.now() == NOON
    assert clock.now() == NOON
    clock.advance(timedelta(hours=25, seconds=3))
    assert clock.now() == datetime(2026, 1, 2, 13, 0, 3, tzinfo=UTC)
    clock.advance(timedelta(minutes=-30))
    assert clock.now() == datetime(2026, 1, 2, 12, 30, 3, tzinfo=UTC)


def test_fixed_clock_set_and_naive_start_are_utc() -> None:
    clock = FixedClock(datetime(2026, 1, 1, 12, 0))
    assert clock.now() == NOON
    assert clock.now().tzinfo is UTC
    clock.set(datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)


def test_as_utc_naive_is_taken_as_utc() -> None:
    value = as_utc(datetime(2026, 5, 6, 7, 8, 9, 123))
    assert value.tzinfo is UTC
    assert (value.year, value.hour, value.microsecond) == (2026, 7, 123)


def test_as_utc_converts_aware() -> None:
    tokyo = datetime(2026, 1, 1, 21, 0, tzinfo=timezone(timedelta(hours=9)))
    value = as_utc(tokyo)
    assert value == NOON
    assert value.hour == 12
    assert value.utcoffset() == timedelta(0)
    assert as_utc(NOON) == NOON


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_make_rng_is_replayable() -> None:
    assert [make_rng(7).random() for _ in range(3)] == [make_rng(7).random() for _ in range(3)]
    a, b = make_rng(7), make_rng(8)
    assert a.random() != b.random()


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=3, minutes=12), "3h 12m"),
        (timedelta(seconds=45), "45s"),
        (timedelta(seconds=0), "0s"),
        (timedelta(seconds=-30), "0s"),
        (timedelta(seconds=0.2), "1s"),  # rounds up: never "0s" while still closed
        (timedelta(seconds=59.5), "1m"),
        (timedelta(minutes=1, seconds=30), "1m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=23, minutes=59, seconds=59), "23h 59m"),
        (timedelta(days=1), "1d"),
        (timedelta(days=1, hours=2, minutes=5), "1d 2h"),
        (timedelta(days=2, minutes=5), "2d"),
        (timedelta(minutes=5), "5m"),
    ],
)
def test_describe_wait(delta: timedelta, text: str) -> None:
    assert describe_wait(delta) == text
