"""Injected time and randomness, so every test and every scripted CLI session can be replayed exactly."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: `FAYE_NOW` in the CLI, `advance()` in tests."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        self._at = as_utc(at)


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken to be UTC (that is what SQLite hands back); aware ones are converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def make_rng(seed: int | None) -> random.Random:
    """A seeded RNG when a seed is given (replayable), else one seeded from the OS."""
    return random.Random(seed)


def describe_wait(delta: timedelta) -> str:
    """'3h 12m', '45s': how long until something opens, for messages in every front-end."""
    seconds = max(0, math.ceil(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if minutes and not days:
        parts.append(f"{minutes}m")
    if not parts:
        parts.append(f"{secs}s")
    return " ".join(parts)


class ShiftedClock:
    """Another clock moved forward by hand: `wait 24` in `faye play` skips a day for balancing."""

    def __init__(self, base: Clock) -> None:
        self._base = base
        self.offset = timedelta()

    def now(self) -> datetime:
        return self._base.now() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
