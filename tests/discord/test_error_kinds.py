"""A refusal's embed takes its colour from the error's kind, its words from the error's code."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from discord_frontend.embeds import KIND_COLOURS, REFUSALS
from faye.errors import DatabaseBusy, ErrorKind, FayeError, InvalidArgument, NotOwner, SchemaTooNew
from tests.discord.conftest import ANA, Harness
from tests.discord.harness import Gateway

ONE_OF_EACH_KIND: list[FayeError] = [
    NotOwner("Esprit 7 is another player's"),
    InvalidArgument("unknown rarity 'Shiny'", field="rarity"),
    DatabaseBusy("the database stayed locked; nothing was changed"),
]


async def shown_for(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch, error: FayeError
) -> dict[str, Any]:
    """The embed a player sees when /balance meets `error`."""

    async def fail(user_id: str) -> None:
        raise error

    monkeypatch.setattr(harness.app.economy, "profile", fail)
    shown = await gateway.run("balance", ANA)
    assert shown.last.ephemeral
    return shown.last.embed


def test_the_three_kinds_have_three_colours() -> None:
    assert set(KIND_COLOURS) == set(ErrorKind)
    assert len({colour.value for colour in KIND_COLOURS.values()}) == len(ErrorKind)


@pytest.mark.parametrize("error", ONE_OF_EACH_KIND, ids=lambda error: error.kind.value)
async def test_an_errors_colour_follows_its_kind(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch, error: FayeError
) -> None:
    embed = await shown_for(harness, gateway, monkeypatch, error)
    assert embed["color"] == KIND_COLOURS[error.kind].value
    assert embed["title"] == REFUSALS[error.code][0]


async def test_a_new_code_of_a_kind_needs_no_colour_of_its_own(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = await shown_for(harness, gateway, monkeypatch, SchemaTooNew("revision 9999_future is unknown"))
    assert embed["color"] == KIND_COLOURS[ErrorKind.UNAVAILABLE].value
    assert "9999_future" not in embed["description"]  # Discord's own words: no internals for players


async def test_the_game_being_unavailable_is_logged_for_the_operator(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="discord_frontend"):
        await shown_for(harness, gateway, monkeypatch, DatabaseBusy("the database stayed locked"))
        await shown_for(harness, gateway, monkeypatch, NotOwner("Esprit 7 is another player's"))
    (record,) = [r for r in caplog.records if r.name == "discord_frontend.tree"]
    assert "database_busy" in record.getMessage()
    assert "/balance" in record.getMessage()
