"""Every refusal reaches the player as a friendly ephemeral embed, whatever state the interaction was in."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from discord_frontend.embeds import REFUSALS
from faye.errors import ConfigError, FayeError, SchemaOutdated
from faye.models import User, UserEsprit
from tests.conftest import count_rows
from tests.discord.conftest import ADMIN, ADMINISTRATOR, ANA, BEN, Harness, start
from tests.discord.harness import DEFERRED, MESSAGE, UPDATE, Exchange, Gateway, Player


def subclasses(cls: type[FayeError]) -> Iterator[type[FayeError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


ALL_ERRORS: list[type[FayeError]] = sorted({SchemaOutdated, *subclasses(FayeError)}, key=lambda c: c.code)


def refused(exchange: Exchange, title: str) -> str:
    """The exchange's last message is an ephemeral refusal titled `title`; returns its text."""
    answer = exchange.last
    assert answer.ephemeral, exchange.calls
    assert answer.embed["title"] == title, answer.embed
    assert answer.buttons == []
    return str(answer.embed["description"])


async def own_esprits(gateway: Gateway, who: Player) -> list[int]:
    return [c["value"] for c in await gateway.complete("esprit show", who, "esprit", esprit="")]


def test_every_error_code_has_a_title() -> None:
    assert {error.code for error in ALL_ERRORS} <= set(REFUSALS)


async def test_not_registered_answers_at_once(gateway: Gateway) -> None:
    shown = await gateway.run("balance", ANA)
    assert shown.callback.type == MESSAGE
    assert "/start" in refused(shown, "You haven't started yet")


async def test_refusal_after_a_public_deferral_replaces_the_thinking_message(gateway: Gateway) -> None:
    # /profile defers publicly before asking the game; the refusal must not stay public.
    shown = await gateway.run("profile", ANA)
    assert shown.callback.type == DEFERRED
    (deleted,) = shown.deletes
    assert deleted.path.endswith("@original")
    (followup,) = shown.followups
    assert followup is shown.last
    refused(shown, "You haven't started yet")


async def test_already_registered(gateway: Gateway) -> None:
    first = await gateway.run("start", ANA)  # the policy, not yet accepted
    await start(gateway, ANA)  # meanwhile a second /start is accepted
    again = await gateway.run("start", ANA)
    refused(again, "You're already playing")  # no policy shown to someone who has joined
    late = await gateway.press(first.message_id, "Accept", ANA)
    assert late.callback.type == UPDATE
    refused(late, "You're already playing")


async def test_insufficient_funds(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await gateway.run("summon", ANA, amount=10)
    again = await gateway.run("summon", ANA, amount=10)
    assert refused(again, "Not enough funds").startswith("This needs 1,440 gems and you have ")
    assert await count_rows(harness.app, UserEsprit) == 11


async def test_cooldown_active(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await gateway.run("daily", ANA)
    again = await gateway.run("daily", ANA)
    assert "in 1d" in refused(again, "Not yet")
    assert again.last.embed["fields"][0]["name"] == "Opens"


async def test_invalid_amount(gateway: Gateway) -> None:
    await start(gateway, ANA)
    # Discord offers only the choices 1 and 10; a stale client could still send another number.
    refused(await gateway.run("summon", ANA, amount=5), "Invalid amount")


async def test_invalid_argument(gateway: Gateway) -> None:
    assert "Shiny" in refused(await gateway.run("auction browse", ANA, rarity="Shiny"), "That doesn't work")


async def test_not_found(gateway: Gateway) -> None:
    await start(gateway, ANA)
    refused(await gateway.run("esprit show", ANA, esprit=987_654), "Not found")


async def test_not_owner(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    (bens,) = await own_esprits(gateway, BEN)
    refused(await gateway.run("esprit show", ANA, esprit=bens), "Not yours")
    refused(await gateway.run("active", ANA, esprit=bens), "Not yours")


async def test_forbidden_for_a_server_admin_not_on_the_allow_list(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    cases: tuple[tuple[str, dict[str, Any]], ...] = (
        ("admin reset-db", {}),
        ("admin grant", {"player": ANA, "amount": 10}),
    )
    for name, options in cases:
        shown = await gateway.run(name, BEN, permissions=ADMINISTRATOR, **options)
        assert shown.callback.type == MESSAGE
        assert "administrators" in refused(shown, "Not allowed")
    assert await count_rows(harness.app, User) == 1


async def test_listing_unavailable(gateway: Gateway) -> None:
    await start(gateway, BEN)
    refused(await gateway.run("auction buy", BEN, listing=42), "Listing unavailable")
    refused(await gateway.run("auction cancel", BEN, listing=42), "Listing unavailable")


async def test_listing_sold_while_the_buyer_was_deciding(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    await start(gateway, ADMIN)
    (starter,) = await own_esprits(gateway, ANA)
    await gateway.run("auction list", ANA, esprit=starter, price=100)
    hesitant = await gateway.run("auction buy", BEN, listing=1)
    quick = await gateway.run("auction buy", ADMIN, listing=1)
    await gateway.press(quick.message_id, "Buy", ADMIN)
    refused(await gateway.press(hesitant.message_id, "Buy", BEN), "Listing unavailable")


async def test_own_listing_in_escrow_and_not_owner_of_a_listing(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    (starter,) = await own_esprits(gateway, ANA)
    await gateway.run("auction list", ANA, esprit=starter, price=100)
    confirm = await gateway.run("auction buy", ANA, listing=1)
    refused(await gateway.press(confirm.message_id, "Buy", ANA), "That's your own listing")
    assert "cancel the listing" in refused(
        await gateway.run("esprit show", ANA, esprit=starter), "In the auction house"
    )
    refused(await gateway.run("auction cancel", BEN, listing=1), "Not yours")


async def test_price_out_of_range(gateway: Gateway) -> None:
    await start(gateway, ANA)
    (starter,) = await own_esprits(gateway, ANA)
    refused(await gateway.run("auction list", ANA, esprit=starter, price=1), "Price out of range")


async def test_too_many_listings(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await gateway.run("summon", ANA, amount=10)
    esprits = await own_esprits(gateway, ANA)
    for esprit in esprits[:5]:
        await gateway.run("auction list", ANA, esprit=esprit, price=10)
    refused(await gateway.run("auction list", ANA, esprit=esprits[5], price=10), "Too many listings")


async def test_admin_grant_invalid_amount(gateway: Gateway) -> None:
    await start(gateway, BEN)
    refused(await gateway.run("admin grant", ADMIN, player=BEN, amount=0), "Invalid amount")


def error_of(kind: type[FayeError]) -> FayeError:
    if kind is ConfigError:
        return ConfigError(["esprits.json: esprits[0].name: missing"])
    return kind("postgresql://faye@db.internal:5432/faye refused the connection", user_id="x")


@pytest.mark.parametrize("kind", ALL_ERRORS, ids=lambda kind: kind.code)
async def test_every_error_code_becomes_its_refusal(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch, kind: type[FayeError]
) -> None:
    # Codes no command can reach (policy_not_accepted: Accept always accepts; the config, database and
    # schema errors stop the bot at start-up) still get their own words, and no internals.
    async def fail(user_id: str) -> None:
        raise error_of(kind)

    monkeypatch.setattr(harness.app.economy, "profile", fail)
    text = refused(await gateway.run("balance", ANA), REFUSALS[kind.code][0])
    if REFUSALS[kind.code][1] is not None:
        assert "db.internal" not in text


async def test_an_unexpected_error_is_logged_with_an_incident_id(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def crash(user_id: str) -> None:
        raise RuntimeError("the database caught fire")

    monkeypatch.setattr(harness.app.economy, "profile", crash)
    with caplog.at_level(logging.ERROR, logger="discord_frontend"):
        shown = await gateway.run("profile", ANA)
    text = refused(shown, "Something went wrong")
    assert "caught fire" not in text
    match = re.search(r"incident `([0-9a-f]{8})`", text)
    assert match is not None
    (record,) = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert "/profile" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
