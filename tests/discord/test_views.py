"""Buttons and selects: only the invoker may press, a button acts once, confirmations go quiet on timeout."""

from __future__ import annotations

from discord_frontend import views
from faye.models import LedgerEntry, User, UserEsprit
from faye.services.admin import CONSOLE
from tests.conftest import assert_conserved, count_rows, user_row
from tests.discord.conftest import ANA, BEN, OWNER, Harness, start
from tests.discord.harness import DEFERRED_UPDATE, MESSAGE, UPDATE, Exchange, Gateway, components_of


def already_done(exchange: Exchange) -> bool:
    return (
        exchange.callback.type == MESSAGE
        and exchange.callback.ephemeral
        and (exchange.callback.embed["title"] == "Already done")
    )


async def ten_pull(gateway: Gateway) -> int:
    await start(gateway, ANA)
    return (await gateway.run("summon", ANA, amount=10)).message_id


# --- ownership ------------------------------------------------------------------------------------------


async def test_only_the_invoker_can_page(gateway: Gateway) -> None:
    message = await ten_pull(gateway)
    before = dict(gateway.fake.messages[message])
    stranger = await gateway.press(message, "▶", BEN)
    assert stranger.callback.type == MESSAGE
    assert stranger.callback.ephemeral
    assert stranger.callback.embed["title"] == "Not your buttons"
    assert len(stranger.calls) == 1
    assert gateway.fake.messages[message] == before
    assert (await gateway.press(message, "▶", ANA)).callback.type == DEFERRED_UPDATE


async def test_only_the_invoker_can_accept_the_policy(harness: Harness, gateway: Gateway) -> None:
    shown = await gateway.run("start", ANA)
    stranger = await gateway.press(shown.message_id, "Accept", BEN)
    assert stranger.callback.ephemeral
    assert stranger.callback.embed["title"] == "Not your buttons"
    assert await count_rows(harness.app, User) == 0
    await gateway.press(shown.message_id, "Accept", ANA)
    assert await user_row(harness.app, str(ANA.id)) is not None


async def test_only_the_invoker_can_filter_an_inventory(gateway: Gateway) -> None:
    await start(gateway, ANA)
    shown = await gateway.run("inventory", ANA)
    stranger = await gateway.choose(shown.message_id, "Filter by rarity", ["Epic"], BEN)
    assert stranger.callback.embed["title"] == "Not your buttons"


# --- paging ---------------------------------------------------------------------------------------------


async def test_paging_through_a_ten_pull(gateway: Gateway) -> None:
    message = await ten_pull(gateway)
    buttons = gateway.buttons(message)
    assert buttons["◀"]["disabled"]
    assert not buttons["▶"]["disabled"]
    titles = []
    for page in range(2, 12):
        turned = await gateway.press(message, "▶", ANA)
        assert turned.callback.type == DEFERRED_UPDATE  # acknowledged before the card is drawn
        (shown,) = turned.edits
        assert shown.filenames[0].startswith("esprit-")
        assert shown.embed["image"]["url"] == f"attachment://{shown.filenames[0]}"
        assert f"pull {page - 1} of 10" in shown.embed["description"]
        assert f"{page}/11" in gateway.buttons(message)
        titles.append(shown.embed["title"])
    assert gateway.buttons(message)["▶"]["disabled"]
    back = await gateway.press(message, "◀", ANA)
    assert back.edits[0].embed["title"] == titles[-2]
    for _ in range(9):
        back = await gateway.press(message, "◀", ANA)
    # The board again: the pulls as they are now (the moment's cost, pity and wallet were on the first board).
    (recap,) = back.edits
    assert recap.filenames == []
    assert recap.embed["title"] == "Summon ×10"
    assert [line.split("**")[1] for line in recap.embed["description"].splitlines()] == titles
    assert "first board" in recap.embed["footer"]["text"]
    assert gateway.buttons(message)["◀"]["disabled"]
    assert "1/11" in gateway.buttons(message)


async def test_two_quick_presses_of_one_button_show_its_page(gateway: Gateway) -> None:
    """A button names the page it leads to, so a double click on ▶ shows the next page, answered twice."""
    message = await ten_pull(gateway)
    first, second = await gateway.dispatch(gateway.component(message, "▶", ANA), gateway.component(message, "▶", ANA))
    assert first.callback.type == second.callback.type == DEFERRED_UPDATE
    assert "2/11" in gateway.buttons(message)


async def test_presses_on_one_message_are_shown_in_the_order_they_came(gateway: Gateway) -> None:
    message = await ten_pull(gateway)
    await gateway.press(message, "▶", ANA)
    # ▶ draws a card (slow), ◀ the board's recap (quick): taken in turn, the later press decides what is shown.
    forward, back = await gateway.dispatch(gateway.component(message, "▶", ANA), gateway.component(message, "◀", ANA))
    assert forward.edits
    assert back.edits
    assert "1/11" in gateway.buttons(message)
    assert gateway.fake.messages[message]["embeds"] == back.edits[0].embeds


# --- one action per button ------------------------------------------------------------------------------


async def test_double_click_on_accept_registers_once(harness: Harness, gateway: Gateway) -> None:
    shown = await gateway.run("start", ANA)
    first, second = await gateway.dispatch(
        gateway.component(shown.message_id, "Accept", ANA), gateway.component(shown.message_id, "Accept", ANA)
    )
    assert first.callback.type == UPDATE
    assert first.last.embed["title"] == "✨ A new summoner"
    assert already_done(second)
    assert await count_rows(harness.app, User) == 1
    assert await count_rows(harness.app, UserEsprit) == 1


async def test_double_click_on_buy_buys_once(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    (starter,) = [c["value"] for c in await gateway.complete("esprit show", ANA, "esprit", esprit="")]
    await gateway.run("auction list", ANA, esprit=starter, price=100)
    confirm = await gateway.run("auction buy", BEN, listing=1)
    first, second = await gateway.dispatch(
        gateway.component(confirm.message_id, "Buy", BEN), gateway.component(confirm.message_id, "Buy", BEN)
    )
    assert first.last.embed["title"] == "✓ Bought"
    assert already_done(second)
    assert await count_rows(harness.app, LedgerEntry, LedgerEntry.reason == "auction_buy") == 1
    await assert_conserved(harness.app)


async def test_double_click_on_summon_again_summons_once(harness: Harness, gateway: Gateway) -> None:
    message = await ten_pull(gateway)
    await harness.app.admin.grant(CONSOLE, str(ANA.id), "gems", 1440)
    first, second = await gateway.dispatch(
        gateway.component(message, "Summon ×10 again", ANA), gateway.component(message, "Summon ×10 again", ANA)
    )
    assert already_done(second)
    assert first.callback.type == UPDATE  # the old board greys out its "again" at once
    assert gateway.buttons(message)["Summon ×10 again"]["disabled"]
    assert not gateway.buttons(message)["▶"]["disabled"]  # paging the old board still works
    (new_board,) = first.followups  # the new summon is a new message with its own pager
    assert new_board.message_id is not None
    assert new_board.embed["title"] == "Summon ×10"
    assert new_board.filenames == ["summon.png"]
    assert not gateway.buttons(new_board.message_id)["Summon ×10 again"]["disabled"]
    assert await count_rows(harness.app, UserEsprit) == 21
    turned = await gateway.press(new_board.message_id, "▶", ANA)
    assert turned.edits[0].message_id == new_board.message_id


async def test_double_click_on_reset_resets_once(gateway: Gateway) -> None:
    await start(gateway, ANA)
    asked = await gateway.run("admin reset-db", OWNER)
    first, second = await gateway.dispatch(
        gateway.component(asked.message_id, "Delete everything", OWNER),
        gateway.component(asked.message_id, "Delete everything", OWNER),
    )
    assert "1 player" in first.last.embed["description"]
    assert already_done(second)


# --- timeouts -------------------------------------------------------------------------------------------
# Views time out through discord.py's own path (`Gateway.time_out`), triggered at once: no test waits on the wall clock.


async def test_pagers_never_time_out(gateway: Gateway) -> None:
    await start(gateway, ANA)
    pulled = await gateway.run("summon", ANA, amount=10)
    inventory = await gateway.run("inventory", ANA)
    assert gateway.live_views() == []  # nothing in memory: the buttons' state is in their custom_ids
    calls = len(gateway.fake.calls)
    await gateway.time_out()
    assert len(gateway.fake.calls) == calls
    for message in (pulled.message_id, inventory.message_id):
        assert not gateway.buttons(message)["▶"]["disabled"]
    assert (await gateway.press(pulled.message_id, "▶", ANA)).callback.type == DEFERRED_UPDATE
    assert (await gateway.press(inventory.message_id, "▶", ANA)).callback.type == UPDATE


async def test_a_confirmation_greys_out_on_timeout(gateway: Gateway) -> None:
    policy = await gateway.run("start", ANA)
    (view,) = gateway.live_views()
    assert view.timeout == views.TIMEOUT
    await gateway.time_out()
    timeout_edit = [c for c in gateway.fake.calls if c.token == policy.payload["token"]][-1]
    assert timeout_edit.method == "PATCH"
    assert timeout_edit.message_id == policy.message_id
    assert all(c["disabled"] for c in components_of(gateway.fake.messages[policy.message_id]))
    # The view left the view store: a press now reaches nobody (the buttons are greyed out, so none comes).
    assert gateway.live_views() == []
    late = await gateway.press(policy.message_id, "Accept", ANA)
    assert late.calls == []


async def test_a_finished_confirmation_has_no_timeout_left(gateway: Gateway) -> None:
    shown = await gateway.run("start", ANA)
    accepted = await gateway.press(shown.message_id, "Accept", ANA)
    assert gateway.live_views() == []  # the view stopped when it acted
    calls = len(gateway.fake.calls)
    await gateway.time_out()
    assert len(gateway.fake.calls) == calls  # nothing edits the welcome
    assert gateway.fake.messages[accepted.message_id]["components"] == []
