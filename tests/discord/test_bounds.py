"""Integer options reach the bot up to 2**53: out of range is an ephemeral bad-input reply, never an incident."""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands

from faye.inputs import ESPRIT_ID, PRICE
from faye.models import AuctionListing, LedgerEntry
from tests.conftest import count_rows
from tests.discord.conftest import ADMIN, ANA, BEN, Harness, start
from tests.discord.harness import Exchange, Gateway

BEYOND_SAFE = 2**53
BAD_INPUT = "That doesn't work"


def bad_input(exchange: Exchange, title: str = BAD_INPUT) -> str:
    """The ephemeral refusal's text, lower-cased (embeds start sentences with a capital)."""
    answer = exchange.last
    assert answer.ephemeral, exchange.calls
    assert answer.embed["title"] == title, answer.embed
    return str(answer.embed["description"]).lower()


@pytest.mark.parametrize(
    ("command", "options", "words"),
    [
        ("esprit show", {"esprit": BEYOND_SAFE}, "an Esprit id is between 1 and 9,007,199,254,740,991"),
        ("esprit show", {"esprit": 0}, "an Esprit id is between 1 and"),
        ("active", {"esprit": BEYOND_SAFE}, "an Esprit id is between"),
        ("auction list", {"esprit": BEYOND_SAFE, "price": 100}, "an Esprit id is between"),
        ("auction list", {"esprit": 1, "price": BEYOND_SAFE}, "a price is between 0 and 1,000,000,000 faylen"),
        ("auction list", {"esprit": 1, "price": 100, "hours": 1e10}, "a listing's duration is more than 0"),
        ("auction browse", {"min_price": BEYOND_SAFE}, "a price is between"),
        ("auction browse", {"max_price": -1}, "a price is between"),
        ("auction buy", {"listing": BEYOND_SAFE}, "a listing id is between"),
        ("auction cancel", {"listing": 2**60}, "a listing id is between 1 and"),
        ("leaderboard", {"limit": 10**15}, "a leaderboard length is between 1 and 25"),
        ("leaderboard", {"limit": 26}, "a leaderboard length is between 1 and 25"),
    ],
    ids=lambda value: str(value) if not isinstance(value, dict) else ",".join(map(str, value.values())),
)
async def test_out_of_range_options_get_an_ephemeral_bad_input_reply(
    harness: Harness, gateway: Gateway, command: str, options: dict[str, Any], words: str
) -> None:
    await start(gateway, ANA)
    ledger = await count_rows(harness.app, LedgerEntry)
    answer = await gateway.run(command, ANA, **options)
    assert words.lower() in bad_input(answer)
    assert await count_rows(harness.app, AuctionListing) == 0
    assert await count_rows(harness.app, LedgerEntry) == ledger


async def test_a_grant_beyond_its_bound_is_an_invalid_amount(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, BEN)
    ledger = await count_rows(harness.app, LedgerEntry)
    answer = await gateway.run("admin grant", ADMIN, player=BEN, amount=BEYOND_SAFE)
    assert "a grant is between 1 and 10,000,000" in bad_input(answer, "Invalid amount")
    assert await count_rows(harness.app, LedgerEntry) == ledger


async def test_in_range_options_still_work(gateway: Gateway) -> None:
    await start(gateway, ANA)
    shown = await gateway.run("leaderboard", ANA, limit=25)
    assert not shown.last.ephemeral
    missing = await gateway.run("esprit show", ANA, esprit=ESPRIT_ID.max)
    assert bad_input(missing, "Not found")


def option(harness: Harness, name: str, parameter: str) -> dict[str, Any]:
    *groups, leaf = name.split()
    command = harness.bot.tree.get_command(groups[0] if groups else leaf)
    if groups:
        assert isinstance(command, app_commands.Group)
        command = command.get_command(leaf)
    assert isinstance(command, app_commands.Command)
    options = command.to_dict(harness.bot.tree)["options"]
    return dict(next(o for o in options if o["name"] == parameter))


def test_discord_is_told_the_same_bounds_as_the_cli(harness: Harness) -> None:
    for name, parameter in (("esprit show", "esprit"), ("active", "esprit"), ("auction list", "esprit")):
        assert (option(harness, name, parameter)["min_value"], option(harness, name, parameter)["max_value"]) == (
            ESPRIT_ID.min,
            ESPRIT_ID.max,
        )
        assert option(harness, name, parameter)["autocomplete"] is True
    price = option(harness, "auction list", "price")
    assert (price["min_value"], price["max_value"]) == (PRICE.min, PRICE.max)
    assert option(harness, "leaderboard", "limit")["max_value"] == 25
    assert option(harness, "admin grant", "amount")["max_value"] == 10_000_000
