"""Buttons survive a restart: pagers keep their state in their custom_ids and re-read the rest from the service.

Each restart test runs a command on one bot, then builds a new one (`Harness.restarted`: a new FayeApp on the same
database, an empty view store, a new process token) and presses the old message's buttons by their custom_ids.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from discord_frontend.pagers import (
    CUSTOM_ID_LIMIT,
    SEARCH_LIMIT,
    InventoryScreen,
    ListingsScreen,
    PullRef,
    SummonScreen,
    read_pulls,
    write_pulls,
)
from faye.app import FayeApp
from faye.errors import InvalidArgument, NotRegistered
from faye.inputs import MAX_SAFE_INTEGER, PAGE, PRICE
from faye.models import LedgerEntry, User, UserEsprit
from faye.services.admin import CONSOLE
from tests.conftest import count_rows, register
from tests.discord.conftest import ANA, BEN, OWNER, Harness, start
from tests.discord.harness import DEFERRED_UPDATE, MESSAGE, UPDATE, Exchange, Gateway, components_of


def refused(exchange: Exchange, title: str) -> dict[str, Any]:
    """The press was answered by one ephemeral message titled `title` (never an incident), and nothing else."""
    (only,) = exchange.calls
    assert only.type == MESSAGE
    assert only.ephemeral
    assert only.embed["title"] == title, only.embed
    return only.embed


def tamper(gateway: Gateway, message_id: int, label: str, custom_id: str) -> None:
    """Rewrite one component's custom_id on a message, as a forged or foreign message would carry it."""
    for component in components_of(gateway.fake.messages[message_id]):
        if component.get("label") == label or (component.get("emoji") or {}).get("name") == label:
            component["custom_id"] = custom_id
            return
    raise AssertionError(f"no component {label!r}")


def custom_id(gateway: Gateway, message_id: int, label: str) -> str:
    return str(gateway.buttons(message_id)[label]["custom_id"])


def footer(exchange: Exchange) -> str:
    return str(exchange.last.embed["footer"]["text"])


# --- after a restart --------------------------------------------------------------------------------------


async def test_an_inventory_pages_and_filters_after_a_restart(harness: Harness) -> None:
    await start(harness.gateway, ANA)
    await harness.gateway.run("summon", ANA, amount=10)
    shown = await harness.gateway.run("inventory", ANA, sort="newest")
    assert footer(shown).startswith("Page 1 of 2 · 11 Esprits · sorted by newest")
    async with harness.restarted() as after:
        gateway = after.gateway
        second = await gateway.press(shown.message_id, "▶", ANA)
        assert second.callback.type == UPDATE
        assert footer(second).startswith("Page 2 of 2 · 11 Esprits · sorted by newest")
        assert "2/2" in gateway.buttons(shown.message_id)
        assert gateway.buttons(shown.message_id)["▶"]["disabled"]
        common = await gateway.choose(shown.message_id, "Filter by rarity", ["Common"], ANA)
        assert common.callback.type == UPDATE
        assert "Common" in common.last.embed["title"]
        assert footer(common).startswith("Page 1 of 1")
        (menu,) = [c for c in components_of(common.last.data) if c["type"] == 3]
        assert [o["label"] for o in menu["options"] if o.get("default")] == ["Common"]
        before = dict(gateway.fake.messages[shown.message_id])
        refused(await gateway.press(shown.message_id, "◀", BEN), "Not your buttons")
        refused(await gateway.choose(shown.message_id, "Filter by rarity", ["Epic"], BEN), "Not your buttons")
        assert gateway.fake.messages[shown.message_id] == before


async def test_a_summon_pages_and_summons_again_after_a_restart(harness: Harness) -> None:
    await start(harness.gateway, ANA)
    pulled = await harness.gateway.run("summon", ANA, amount=10)
    names = [line.split("**")[1] for line in pulled.last.embed["description"].splitlines()]
    await harness.app.admin.grant(CONSOLE, str(ANA.id), "gems", 1440)
    async with harness.restarted() as after:
        gateway = after.gateway
        refused(await gateway.press(pulled.message_id, "▶", BEN), "Not your buttons")
        refused(await gateway.press(pulled.message_id, "Summon ×10 again", BEN), "Not your buttons")
        turned = await gateway.press(pulled.message_id, "▶", ANA)
        assert turned.callback.type == DEFERRED_UPDATE
        (card,) = turned.edits
        assert card.embed["title"] == names[0]
        assert "pull 1 of 10" in card.embed["description"]
        assert card.filenames[0].startswith("esprit-")
        assert "2/11" in gateway.buttons(pulled.message_id)
        back = await gateway.press(pulled.message_id, "◀", ANA)
        assert [line.split("**")[1] for line in back.last.embed["description"].splitlines()] == names
        first, second = await gateway.dispatch(
            gateway.component(pulled.message_id, "Summon ×10 again", ANA),
            gateway.component(pulled.message_id, "Summon ×10 again", ANA),
        )
        assert refused(second, "Already done")
        (new_board,) = first.followups
        assert new_board.embed["title"] == "Summon ×10"
        assert gateway.buttons(pulled.message_id)["Summon ×10 again"]["disabled"]
        assert await count_rows(after.app, LedgerEntry, LedgerEntry.reason == "summon") == 2
        # The used "again" stays greyed out as the old board pages on: it is part of the buttons' state.
        await gateway.press(pulled.message_id, "▶", ANA)
        assert gateway.buttons(pulled.message_id)["Summon ×10 again"]["disabled"]


async def test_a_pull_that_left_the_collection_is_shown_as_gone(harness: Harness) -> None:
    await start(harness.gateway, ANA)
    pulled = await harness.gateway.run("summon", ANA, amount=10)
    first_pull = int(pulled.last.embed["description"].splitlines()[0].rsplit("#", 1)[1].rstrip("`"))
    await harness.app.auction.create_listing(str(ANA.id), first_pull, 100)  # in escrow: not hers now
    gateway = harness.gateway
    card = await gateway.press(pulled.message_id, "▶", ANA)
    assert card.last.filenames == []
    assert f"`#{first_pull}` is no longer in your collection" in card.last.embed["description"]
    recap = await gateway.press(pulled.message_id, "◀", ANA)
    assert recap.last.embed["description"].splitlines()[0].endswith("is no longer in your collection")


async def test_the_auction_house_pages_with_its_filter_after_a_restart(harness: Harness) -> None:
    app = harness.app
    for seller in (ANA, BEN, OWNER):
        await register(app, str(seller.id), seller.name)
        await app.summons.summon(str(seller.id), 10)
        owned = await app.collection.inventory(str(seller.id), sort="newest")
        for n, item in enumerate(owned.items[:5]):
            await app.auction.create_listing(str(seller.id), item.id, 20 if (seller, n) == (ANA, 0) else 200)
    shown = await harness.gateway.run("auction browse", BEN, min_price=100, sort="price")
    assert "2" in custom_id(harness.gateway, shown.message_id, "1/2")
    async with harness.restarted() as after:
        turned = await after.gateway.press(shown.message_id, "▶", BEN)
        assert turned.callback.type == UPDATE
        assert "2/2" in after.gateway.buttons(shown.message_id)
        description = turned.last.embed["description"]
        assert description.count("\n") == 3  # 14 listings at 200, 10 on page 1; the one at 20 is filtered out
        refused(await after.gateway.press(shown.message_id, "◀", ANA), "Not your buttons")


async def test_a_confirmation_from_before_a_restart_has_expired(harness: Harness) -> None:
    policy = await harness.gateway.run("start", ANA)
    async with harness.restarted() as after:
        expired = await after.gateway.press(policy.message_id, "Accept", ANA)
        embed = refused(expired, "These buttons have expired")
        assert "Run the command again" in embed["description"]
        assert await count_rows(after.app, User) == 0
        # Run again, the command works on the new process, and its buttons are not "expired".
        await start(after.gateway, ANA)
        assert await count_rows(after.app, UserEsprit) == 1


# --- forged or foreign custom_ids -------------------------------------------------------------------------


async def inventory_message(gateway: Gateway) -> int:
    await start(gateway, ANA)
    await gateway.run("summon", ANA, amount=10)
    return (await gateway.run("inventory", ANA)).message_id


@pytest.mark.parametrize(
    ("forge", "title"),
    [
        (lambda cid: re.sub(r"^(faye:inv:\d+):\d+", r"\1:two", cid), "These buttons have expired"),
        (lambda cid: re.sub(r"^(faye:inv:\d+):\d+", r"\1:+2", cid), "These buttons have expired"),
        (lambda cid: re.sub(r"^(faye:inv:\d+):\d+", r"\1:1000000000000", cid), "That doesn't work"),
        (lambda cid: re.sub(r"^(faye:inv:\d+):\d+", r"\1:0", cid), "That doesn't work"),
        (lambda cid: re.sub(r"^faye:inv:\d+", "faye:inv:ana", cid), "These buttons have expired"),
        (lambda cid: re.sub(r"^faye:inv:\d+", f"faye:inv:{BEN.id}", cid), "Not your buttons"),
        (lambda cid: cid.replace(":rarity:", ":cheapest:"), "That doesn't work"),
        (lambda cid: cid.replace(":rarity:", ":rarity:Nonexistent:"), "That doesn't work"),
        (lambda cid: cid.split(":rarity:")[0], "These buttons have expired"),
    ],
    ids=["words", "signed", "page-1e12", "page-0", "owner-words", "owner-other", "sort", "rarity", "truncated"],
)
async def test_a_forged_page_button_is_refused_cleanly(gateway: Gateway, forge: Any, title: str) -> None:
    message = await inventory_message(gateway)
    forged = forge(custom_id(gateway, message, "▶"))
    assert forged != custom_id(gateway, message, "▶")
    tamper(gateway, message, "▶", forged)
    before = gateway.fake.messages[message]["embeds"]
    refused(await gateway.press(message, "▶", ANA), title)
    assert gateway.fake.messages[message]["embeds"] == before


async def test_forged_pulls_show_nothing_of_another_player(harness: Harness) -> None:
    gateway = harness.gateway
    await start(gateway, BEN)
    bens = [item.id for item in (await harness.app.collection.inventory(str(BEN.id))).items]
    await start(gateway, ANA)
    pulled = await gateway.run("summon", ANA, amount=1)
    forged = re.sub(
        r":[^:]*$", ":" + write_pulls([PullRef(bens[0], False)]), custom_id(gateway, pulled.message_id, "1/1")
    )
    tamper(gateway, pulled.message_id, "1/1", forged)
    shown = await gateway.press(pulled.message_id, "1/1", ANA)
    assert "is no longer in your collection" in shown.last.embed["description"]
    assert str(bens[0]) in shown.last.embed["description"]  # its id, which the forger wrote; nothing else
    tamper(gateway, pulled.message_id, "1/1", forged[:-1] + "$")
    refused(await gateway.press(pulled.message_id, "1/1", ANA), "These buttons have expired")


async def test_a_forged_rarity_choice_is_refused_cleanly(gateway: Gateway) -> None:
    message = await inventory_message(gateway)
    refused(await gateway.choose(message, "Filter by rarity", ["Nonexistent"], ANA), "That doesn't work")
    refused(await gateway.choose(message, "Filter by rarity", ["Common", "Epic"], ANA), "These buttons have expired")


# --- what the custom_ids hold -----------------------------------------------------------------------------


def test_pulls_round_trip_whatever_their_ids() -> None:
    for ids in ([5], list(range(41, 51)), [9, 3, 100_000, 7, 8, 2, 1, 60, 61, 4], [MAX_SAFE_INTEGER] * 10):
        pulls = [PullRef(i, pity=n % 3 == 0) for n, i in enumerate(ids)]
        assert read_pulls(write_pulls(pulls)) == tuple(pulls)


def test_a_ten_pull_fits_in_a_custom_id_with_the_largest_owner_and_ids() -> None:
    owner = 2**64 - 1  # the largest snowflake
    first = MAX_SAFE_INTEGER - 10
    screen = SummonScreen(owner, 11, tuple(PullRef(first + n, pity=True) for n in range(10)))
    longest = screen.custom_id("again")
    assert len(longest) <= CUSTOM_ID_LIMIT
    assert SummonScreen.parse(owner, 11, longest.split(":", 4)[4]) == screen


def test_the_longest_filters_a_command_takes_fit_in_a_custom_id() -> None:
    owner, page, rarity, search = 2**64 - 1, PAGE.max, "x" * 12, "x" * SEARCH_LIMIT
    listings = ListingsScreen(owner, page, "newest", PRICE.max, PRICE.max, rarity, search)
    assert len(listings.custom_id("ah")) <= CUSTOM_ID_LIMIT
    assert len(InventoryScreen(owner, page, "rarity", rarity, search).custom_id("invr")) <= CUSTOM_ID_LIMIT
    # Beyond them (a search Discord would not send), the command is refused before anything is sent.
    with pytest.raises(InvalidArgument, match="too long to page through"):
        replace(listings, search="x" * 40).custom_id("ah")


async def test_a_search_too_long_to_page_is_refused(gateway: Gateway) -> None:
    await start(gateway, ANA)
    shown = await gateway.run("inventory", ANA, search="x" * 100)
    assert "too long to page through" in refused(shown, "That doesn't work")["description"]


# --- the service read behind a summon's pages (both databases) --------------------------------------------


async def test_owned_reads_the_players_esprits_by_id_in_order(app: FayeApp) -> None:
    await register(app, "ana")
    await register(app, "ben")
    anas = [e.id for e in (await app.summons.summon("ana", 10)).esprits]
    (bens_starter,) = [e.id for e in (await app.collection.inventory("ben")).items]
    await app.auction.create_listing("ana", anas[3], 100)
    asked = [anas[5], anas[3], bens_starter, anas[0], 10**12]
    assert [e.id for e in await app.collection.owned("ana", asked)] == [anas[5], anas[0]]
    with pytest.raises(NotRegistered):
        await app.collection.owned("nobody", anas)
    with pytest.raises(InvalidArgument):
        await app.collection.owned("ana", [*anas, bens_starter])
    with pytest.raises(InvalidArgument):
        await app.collection.owned("ana", [2**63])
