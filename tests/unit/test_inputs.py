"""faye.inputs: each kind of number has one definition, and anything outside it is a clear bad-input refusal."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faye import inputs
from faye.config import GameConfig
from faye.errors import ErrorKind, FayeError, InvalidAmount, InvalidArgument
from faye.gacha.economy import project_economy
from faye.gacha.simulate import simulate_summons
from faye.settings import load_settings

INT_BOUNDS = [
    inputs.ESPRIT_ID,
    inputs.LISTING_ID,
    inputs.PAGE,
    inputs.PRICE,
    inputs.GRANT,
    inputs.LEADERBOARD_LIMIT,
    inputs.LEVEL,
    inputs.SEED,
    inputs.SIM_PULLS,
    inputs.SIM_PLAYERS,
    inputs.ECONOMY_PLAYERS,
    inputs.ECONOMY_DAYS,
]
FLOAT_BOUNDS = [inputs.LISTING_HOURS, inputs.WAIT_HOURS]


def refusal(bound: inputs.Bound[Any], value: object, field: str | None = None) -> FayeError:
    with pytest.raises((InvalidArgument, InvalidAmount)) as caught:
        bound.check(value, field)
    error = caught.value
    assert isinstance(error, FayeError)
    assert error.kind is ErrorKind.BAD_INPUT
    json.dumps(error.to_dict(), allow_nan=False)  # --json output stays valid JSON, whatever was refused
    return error


@pytest.mark.parametrize("bound", INT_BOUNDS, ids=lambda b: b.name)
def test_int_bounds_take_their_ends_and_refuse_beyond(bound: inputs.Bound[int]) -> None:
    assert bound.check(bound.min) == bound.min
    assert bound.check(bound.max) == bound.max
    for beyond in (bound.min - 1, bound.max + 1, 2**63, -(2**63) - 1, 10**400):
        error = refusal(bound, beyond)
        assert error.details["field"] == bound.name
        assert len(error.message) < 200
    for wrong in (True, 1.5, float("nan"), "7", None):
        refusal(bound, wrong)


@pytest.mark.parametrize("bound", FLOAT_BOUNDS, ids=lambda b: b.what)
def test_float_bounds_refuse_what_is_not_finite(bound: inputs.Bound[float]) -> None:
    assert bound.check(bound.max) == bound.max
    assert bound.check(1) == 1.0
    for value in (float("inf"), float("-inf"), float("nan"), 1e10, -5.0, 10**400, bound.max + 0.001):
        error = refusal(bound, value)
        assert error.details["field"] == "hours"


def test_listing_hours_exclude_zero_and_waits_allow_it() -> None:
    refusal(inputs.LISTING_HOURS, 0.0)
    assert inputs.WAIT_HOURS.check(0.0) == 0.0
    assert "more than 0 and at most 8,784 hours" in inputs.LISTING_HOURS.rule


def test_refusal_names_the_callers_field_and_uses_the_kind_of_error() -> None:
    assert refusal(inputs.PRICE, -1, "min_price").details == {
        "field": "min_price",
        "value": -1,
        "min": 0,
        "max": inputs.MAX_COST,
    }
    grant = refusal(inputs.GRANT, 0)
    assert isinstance(grant, InvalidAmount)
    assert grant.details["amount"] == 0
    assert isinstance(refusal(inputs.PAGE, 0), InvalidArgument)


def test_message_of_an_enormous_number_is_short() -> None:
    error = refusal(inputs.ESPRIT_ID, 10**5000)
    assert "an Esprit id is between 1 and 9,007,199,254,740,991" in error.message
    assert len(error.message) < 120


def test_ids_stay_below_what_discord_can_send() -> None:
    assert inputs.ESPRIT_ID.max == inputs.LISTING_ID.max == 2**53 - 1
    refusal(inputs.ESPRIT_ID, 2**53)


def test_narrowed_keeps_the_kind_with_a_smaller_maximum() -> None:
    places = inputs.LEADERBOARD_LIMIT.narrowed(max=25)
    assert (places.min, places.max, places.name) == (1, 25, "limit")
    refusal(places, 26)


@given(st.integers())
def test_an_int_is_either_taken_as_it_is_or_refused(value: int) -> None:
    page = inputs.PAGE
    if page.min <= value <= page.max:
        assert page.check(value) == value
    else:
        with pytest.raises(InvalidArgument):
            page.check(value)


# --- the clock ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instant",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2200, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    ],
)
def test_clock_instants_outside_the_game_are_refused(instant: datetime) -> None:
    with pytest.raises(InvalidArgument, match="between 2000-01-01 and 2199-12-31 UTC"):
        inputs.NOW.check(instant)


def test_clock_instant_needs_an_offset_and_comes_back_in_utc() -> None:
    with pytest.raises(InvalidArgument, match="UTC offset"):
        inputs.NOW.check(datetime(2026, 1, 1))
    tokyo = datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=9)))
    assert inputs.NOW.check(tokyo) == datetime(2026, 1, 1, tzinfo=UTC)
    # The latest instant plus the longest duration the game adds still exists.
    assert inputs.NOW.max + timedelta(hours=inputs.MAX_HOURS) < datetime.max.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("FAYE_NOW", "0001-01-01T00:00:00+00:00", "between 2000-01-01 and 2199-12-31 UTC"),
        ("FAYE_NOW", "9999-12-31T23:59:59+00:00", "between 2000-01-01 and 2199-12-31 UTC"),
        ("FAYE_NOW", "2026-03-01T09:00:00", "UTC offset"),
        ("FAYE_NOW", "yesterday-ish", "datetime"),
        ("FAYE_SEED", "-1", "a seed is between 0 and"),
        ("FAYE_SEED", str(2**63), "a seed is between 0 and"),
    ],
)
def test_settings_refuse_out_of_range_values_by_name(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidArgument) as caught:
        load_settings()
    assert f"{variable}: " in caught.value.message
    assert words in caught.value.message


def test_settings_take_the_bounds_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAYE_NOW", "2199-12-31T23:59:59+00:00")
    monkeypatch.setenv("FAYE_SEED", str(2**63 - 1))
    settings = load_settings()
    assert (settings.now, settings.seed) == (datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC), 2**63 - 1)


# --- simulation sizes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pulls", "players", "field"),
    [
        (2**63, 1 << 16, "pulls"),
        (10**10 + 1, 10**6, "pulls"),
        (1_000_000, 10**9, "players"),
        (1_000_000, 1, "pulls"),  # one player pulling a million times in turn: minutes
        (0, 10, "pulls"),
    ],
)
def test_summon_simulations_that_would_not_end_are_refused_at_once(
    config: GameConfig, pulls: int, players: int, field: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidAmount) as caught:
        simulate_summons(config, pulls=pulls, players=players)
    assert caught.value.details["field"] == field
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("players", "days", "field"),
    [(10**9, 90, "players"), (1_000, 10**6, "days"), (100_000, 3_650, "players"), (0, 1, "players")],
)
def test_economy_projections_that_would_not_end_are_refused_at_once(
    config: GameConfig, players: int, days: int, field: str
) -> None:
    with pytest.raises(InvalidAmount) as caught:
        project_economy(config, players=players, days=days)
    assert caught.value.details["field"] == field


def test_the_largest_sizes_are_accepted() -> None:
    inputs.check_summons_size(inputs.SIM_PULLS.max, inputs.SIM_PLAYERS.max)
    inputs.check_summons_size(inputs.PULLS_PER_PLAYER, 1)
    inputs.check_economy_size(inputs.ECONOMY_PLAYERS.max, inputs.PLAYER_DAYS // inputs.ECONOMY_PLAYERS.max)
