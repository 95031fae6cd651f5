"""/trade through the real tree: one public message both traders work on, its buttons and modals, the confirm
delay on the harness clock, double presses, strangers, stale versions, and a restart in the middle."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from discord_frontend import trade_views
from discord_frontend.trade_views import refresher_for
from faye.app import FayeApp
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from tests.conftest import register
from tests.discord.conftest import ANA, BEN, OWNER, Harness
from tests.discord.harness import MESSAGE, UPDATE, WATCHED, Exchange, Gateway, Player, components_of

MODAL = 9
MODAL_TASKS = "discord-ui-modal-dispatch"


@pytest.fixture(autouse=True)
def redraws_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A redraw after the confirm delay waits until the test lets it (never on the wall clock)."""

    async def hold(seconds: float) -> None:
        await asyncio.Event().wait()

    monkeypatch.setattr(trade_views, "pause", hold)


# --- helpers --------------------------------------------------------------------------------------------


def uid(player: Player) -> str:
    return str(player.id)


async def spare(app: FayeApp, player: Player) -> OwnedEsprit:
    """A tradable Esprit of the player (not active): summoned for them."""
    await app.admin.grant(CONSOLE, uid(player), "gems", app.config.settings.summon.single_cost)
    pulled = (await app.summons.summon(uid(player), 1)).esprits[0]
    (esprit,) = await app.collection.owned(uid(player), [pulled.id])
    return esprit


async def traders(harness: Harness) -> tuple[OwnedEsprit, OwnedEsprit]:
    """Ana and Ben registered, old and advanced enough to trade currency, each with a spare Esprit."""
    app = harness.app
    for player in (ANA, BEN):
        await register(app, uid(player), player.name)
        await app.admin.grant(CONSOLE, uid(player), "faylen", 10_000)
        await app.admin.grant(CONSOLE, uid(player), "gems", 100_000)
        while (await app.economy.profile(uid(player))).level < app.config.settings.trade.min_level:
            await app.summons.summon(uid(player), 10)
    harness.clock.advance(timedelta(hours=app.config.settings.trade.min_account_age_hours))
    return await spare(app, ANA), await spare(app, BEN)


async def settle_all() -> None:
    """Like harness.settle, and also the tasks discord.py starts for a modal's submission."""
    watched = (*WATCHED, MODAL_TASKS)
    async with asyncio.timeout(20):
        while pending := [t for t in asyncio.all_tasks() if not t.done() and t.get_name().startswith(watched)]:
            await asyncio.wait(pending)


async def submit(
    gateway: Gateway, message_id: int, opened: Exchange, player: Player, fields: dict[str, str | list[str]]
) -> Exchange:
    """Submit the modal `opened` showed, filling its components by their labels (a list for a select)."""
    modal = opened.callback.data
    sent = []
    for label in modal["components"]:
        component = label["component"]
        value = fields.get(label["label"], [] if component["type"] == 3 else "")
        filled: dict[str, Any] = {"type": component["type"], "custom_id": component["custom_id"]}
        filled["values" if isinstance(value, list) else "value"] = value
        sent.append({"type": 18, "component": filled})
    payload = gateway._base(5, {"custom_id": modal["custom_id"], "components": sent}, player)
    payload["message"] = gateway.fake.messages[message_id]
    gateway.fake.sources[payload["token"]] = gateway.fake.originals[payload["token"]] = message_id
    gateway.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]  # a plain dict
    await settle_all()
    return Exchange(payload, [c for c in gateway.fake.calls if c.token == payload["token"]])


async def through_modal(
    gateway: Gateway, message_id: int, button: str, player: Player, fields: dict[str, str | list[str]]
) -> Exchange:
    opened = await gateway.press(message_id, button, player)
    assert opened.callback.type == MODAL, opened.calls
    return await submit(gateway, message_id, opened, player, fields)


def refused(exchange: Exchange, title: str) -> dict[str, Any]:
    """Answered by one ephemeral message titled `title`, and nothing else."""
    (only,) = exchange.calls
    assert (only.type, only.ephemeral) == (MESSAGE, True), only
    assert only.embed["title"] == title, only.embed
    return only.embed


def confirm_button(gateway: Gateway, message_id: int) -> dict[str, Any]:
    (button,) = [b for label, b in gateway.buttons(message_id).items() if label.startswith("Confirm")]
    return button


async def opened(harness: Harness) -> tuple[int, OwnedEsprit, OwnedEsprit]:
    fox, owl = await traders(harness)
    shown = await harness.gateway.run("trade open", ANA, user=BEN)
    assert (shown.callback.type, shown.callback.ephemeral) == (MESSAGE, False)
    return shown.message_id, fox, owl


async def press_ready(harness: Harness, message_id: int) -> None:
    """Let the confirm delay pass, and redraw the message."""
    harness.clock.advance(timedelta(seconds=harness.app.config.settings.trade.confirm_delay_seconds))
    redrawn = await harness.gateway.press(message_id, "Refresh", ANA)
    assert redrawn.callback.type == UPDATE
    assert not confirm_button(harness.gateway, message_id).get("disabled")


# --- the whole trade ------------------------------------------------------------------------------------


async def test_both_add_then_both_confirm_and_the_trade_executes(harness: Harness) -> None:
    gateway, app = harness.gateway, harness.app
    message, fox, owl = await opened(harness)
    before = {p.name: (await app.economy.profile(uid(p))).faylen for p in (ANA, BEN)}
    first = gateway.fake.messages[message]
    assert first["embeds"][0]["title"] == "Trade #1 · version 1"
    assert confirm_button(gateway, message)["label"] == "Confirm v1"
    assert confirm_button(gateway, message)["disabled"]  # the delay after opening

    picker = await gateway.press(message, "Add Esprits", ANA)
    assert picker.callback.type == MODAL
    (select,) = [c["component"] for c in picker.callback.data["components"] if c["component"]["type"] == 3]
    assert str(fox.id) in [o["value"] for o in select["options"]]
    assert str(owl.id) not in [o["value"] for o in select["options"]]  # only her own Esprits
    added = await submit(gateway, message, picker, ANA, {"Your tradable Esprits": [str(fox.id)]})
    assert added.callback.type == UPDATE  # the trade message, edited in place
    assert added.callback.message_id == message
    embed = gateway.fake.messages[message]["embeds"][0]
    assert embed["title"] == "Trade #1 · version 2"
    assert f"`#{fox.id}`" in embed["fields"][0]["value"]
    assert confirm_button(gateway, message)["disabled"]

    paid = await through_modal(gateway, message, "Add currency", BEN, {"Faylen": "1,000"})
    assert paid.callback.type == UPDATE
    embed = gateway.fake.messages[message]["embeds"][0]
    assert "🪙 1,000 faylen" in embed["fields"][1]["value"]
    assert confirm_button(gateway, message)["label"] == "Confirm v3"

    await press_ready(harness, message)
    half = await gateway.press(message, "Confirm v3", BEN)
    assert half.callback.type == UPDATE
    fields = gateway.fake.messages[message]["embeds"][0]["fields"]
    assert "✅ confirmed" in fields[1]["name"]
    assert "not confirmed" in fields[0]["name"]
    done = await gateway.press(message, "Confirm v3", ANA)

    assert done.callback.type == UPDATE
    final = gateway.fake.messages[message]
    assert final["embeds"][0]["title"] == "✓ Trade #1 done"
    assert components_of(final) == []  # no buttons on a closed trade
    (announced,) = done.followups  # both traders see how it ended, in the channel
    assert not announced.ephemeral
    assert announced.embed["title"] == "✓ Trade #1 done"
    assert [e.id for e in await app.collection.owned(uid(BEN), [fox.id])] == [fox.id]
    assert (await app.economy.profile(uid(ANA))).faylen == before["Ana"] + 1_000
    assert (await app.economy.profile(uid(BEN))).faylen == before["Ben"] - 1_000


async def test_ids_typed_into_the_modal_are_added_and_taken_back(harness: Harness) -> None:
    gateway = harness.gateway
    message, fox, _ = await opened(harness)
    await through_modal(gateway, message, "Add Esprits", ANA, {"Or their ids": f"#{fox.id}"})
    assert f"`#{fox.id}`" in gateway.fake.messages[message]["embeds"][0]["fields"][0]["value"]

    back = await through_modal(gateway, message, "Remove…", ANA, {"Esprits on your side": [str(fox.id)]})

    assert back.callback.type == UPDATE
    embed = gateway.fake.messages[message]["embeds"][0]
    assert embed["title"] == "Trade #1 · version 3"
    assert "nothing yet" in embed["fields"][0]["value"]


async def test_bad_modal_input_is_refused_ephemerally(harness: Harness) -> None:
    gateway = harness.gateway
    message, _, owl = await opened(harness)
    before = gateway.fake.messages[message]["embeds"]

    refused(await through_modal(gateway, message, "Add Esprits", ANA, {"Or their ids": "fox"}), "That doesn't work")
    refused(await through_modal(gateway, message, "Add Esprits", ANA, {"Or their ids": str(owl.id)}), "Not yours")
    refused(await through_modal(gateway, message, "Add currency", ANA, {"Faylen": "-5"}), "Invalid amount")
    refused(await through_modal(gateway, message, "Add currency", ANA, {"Faylen": "10" * 15}), "Invalid amount")
    refused(await through_modal(gateway, message, "Add currency", ANA, {"Faylen": "99,999"}), "Not enough funds")

    refused(await gateway.press(message, "Remove…", ANA), "That doesn't work")  # nothing on her side yet
    assert gateway.fake.messages[message]["embeds"] == before


# --- the confirm delay ----------------------------------------------------------------------------------


async def test_confirm_is_disabled_until_the_delay_has_passed(harness: Harness) -> None:
    gateway = harness.gateway
    message, fox, _ = await opened(harness)
    await through_modal(gateway, message, "Add Esprits", ANA, {"Your tradable Esprits": [str(fox.id)]})
    assert confirm_button(gateway, message)["disabled"]
    # A press Discord would not send (the button is greyed out) is still the service's refusal.
    refused(await gateway.press(message, "Confirm v2", BEN), "Not yet")

    harness.clock.advance(timedelta(seconds=4))
    await gateway.press(message, "Refresh", BEN)
    assert confirm_button(gateway, message)["disabled"]
    harness.clock.advance(timedelta(seconds=1))
    await gateway.press(message, "Refresh", BEN)
    assert not confirm_button(gateway, message)["disabled"]


async def test_confirm_opens_by_itself_when_the_delay_has_passed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def time_passes(seconds: float) -> None:
        harness.clock.advance(timedelta(seconds=seconds))

    gateway = harness.gateway
    message, fox, _ = await opened(harness)
    refresher_for(harness.bot).cancel_all()  # the redraw scheduled by opening is held: drop it
    monkeypatch.setattr(trade_views, "pause", time_passes)

    await through_modal(gateway, message, "Add Esprits", ANA, {"Your tradable Esprits": [str(fox.id)]})
    await refresher_for(harness.bot).idle()

    assert not confirm_button(gateway, message)["disabled"]
    assert confirm_button(gateway, message)["label"] == "Confirm v2"


# --- who presses, and how often --------------------------------------------------------------------------


async def test_only_the_two_traders_can_press(harness: Harness) -> None:
    gateway = harness.gateway
    message, _, _ = await opened(harness)
    await register(harness.app, uid(OWNER), OWNER.name)
    before = gateway.fake.messages[message]["embeds"]

    for label in ("Add Esprits", "Add currency", "Remove…", "Confirm v1", "Cancel trade", "Refresh"):
        refused(await gateway.press(message, label, OWNER), "Not yours")

    assert gateway.fake.messages[message]["embeds"] == before
    assert (await harness.app.trades.show(uid(ANA), 1)).status == "open"


async def test_a_double_press_acts_once(harness: Harness) -> None:
    gateway, app = harness.gateway, harness.app
    message, fox, _ = await opened(harness)
    await through_modal(gateway, message, "Add Esprits", ANA, {"Your tradable Esprits": [str(fox.id)]})
    await press_ready(harness, message)
    await gateway.press(message, "Confirm v2", BEN)

    twice = await gateway.dispatch(
        gateway.component(message, "Confirm v2", ANA), gateway.component(message, "Confirm v2", ANA)
    )

    assert sorted(e.calls[0].type for e in twice) == [MESSAGE, UPDATE]
    (second,) = [e for e in twice if e.calls[0].type == MESSAGE]
    refused(second, "Trade unavailable")
    assert gateway.fake.messages[message]["embeds"][0]["title"] == "✓ Trade #1 done"
    history = await app.progression.history(None, fox.id)
    assert [event.kind for event in history.events].count("traded") == 1


async def test_a_double_cancel_cancels_once(harness: Harness) -> None:
    gateway = harness.gateway
    message, _, _ = await opened(harness)

    twice = await gateway.dispatch(
        gateway.component(message, "Cancel trade", BEN), gateway.component(message, "Cancel trade", ANA)
    )

    assert sorted(e.calls[0].type for e in twice) == [MESSAGE, UPDATE]
    assert gateway.fake.messages[message]["embeds"][0]["title"] == "Trade #1 cancelled"
    assert (await harness.app.trades.show(uid(ANA), 1)).status == "cancelled"


async def test_a_stale_confirm_is_refused(harness: Harness) -> None:
    gateway = harness.gateway
    message, _, _ = await opened(harness)
    again = await gateway.run("trade show", BEN, trade=1)  # the same trade in a second message
    await through_modal(gateway, again.message_id, "Add currency", BEN, {"Faylen": "500"})
    harness.clock.advance(timedelta(minutes=1))

    stale = await gateway.press(message, "Confirm v1", ANA)  # the first message still shows version 1

    refused(stale, "The trade changed")
    assert not (await harness.app.trades.show(uid(ANA), 1)).sides[uid(ANA)].confirmed


# --- a restart ------------------------------------------------------------------------------------------


async def test_the_buttons_work_after_a_restart(harness: Harness) -> None:
    message, fox, owl = await opened(harness)
    await through_modal(harness.gateway, message, "Add Esprits", ANA, {"Your tradable Esprits": [str(fox.id)]})
    async with harness.restarted() as after:
        gateway = after.gateway
        after.clock.advance(timedelta(seconds=5))
        redrawn = await gateway.press(message, "Refresh", BEN)
        assert redrawn.callback.type == UPDATE
        added = await through_modal(gateway, message, "Add Esprits", BEN, {"Your tradable Esprits": [str(owl.id)]})
        assert added.callback.type == UPDATE
        after.clock.advance(timedelta(seconds=5))
        await gateway.press(message, "Refresh", BEN)
        await gateway.press(message, "Confirm v3", BEN)
        done = await gateway.press(message, "Confirm v3", ANA)
        assert done.callback.type == UPDATE
        assert gateway.fake.messages[message]["embeds"][0]["title"] == "✓ Trade #1 done"
        assert [e.id for e in await after.app.collection.owned(uid(ANA), [owl.id])] == [owl.id]


async def test_a_forged_trade_button_is_answered_as_expired(harness: Harness) -> None:
    gateway = harness.gateway
    message, _, _ = await opened(harness)
    for component in components_of(gateway.fake.messages[message]):
        if component.get("label") == "Refresh":
            component["custom_id"] = "faye:trade:1:explode"

    refused(await gateway.press(message, "Refresh", ANA), "These buttons have expired")


# --- the command and the timer --------------------------------------------------------------------------


async def test_trading_with_yourself_is_refused_ephemerally(harness: Harness) -> None:
    await traders(harness)
    refused(await harness.gateway.run("trade open", ANA, user=ANA), "That's you")


async def test_show_offers_your_open_trades(harness: Harness) -> None:
    await opened(harness)
    choices = await harness.gateway.complete("trade show", BEN, "trade", trade="")
    assert [c["value"] for c in choices] == [1]
    assert "with Ana" in choices[0]["name"]


async def test_the_timer_closes_expired_trades(harness: Harness) -> None:
    message, _, _ = await opened(harness)
    cog = harness.bot.get_cog("Trade")
    assert cog is not None
    harness.clock.advance(timedelta(minutes=harness.app.config.settings.trade.expiry_minutes))

    await cog.expiry_sweep()  # type: ignore[attr-defined]  # one tick of the loop

    assert (await harness.app.trades.mine(uid(ANA), include_closed=True)).trades[0].status == "expired"
    await harness.gateway.press(message, "Refresh", ANA)
    assert harness.gateway.fake.messages[message]["embeds"][0]["title"] == "Trade #1 expired"


async def test_player_names_in_a_trade_are_shown_literally(harness: Harness) -> None:
    await register(harness.app, uid(ANA), "**Ana**")
    await register(harness.app, uid(BEN), "[free](https://x.y) @everyone")
    shown = await harness.gateway.run("trade open", ANA, user=BEN)
    names = [field["name"] for field in shown.callback.embed["fields"]]
    assert names[0].startswith(r"\*\*Ana\*\* gives")
    assert r"\[free\]\(https\:" in names[1]
    assert "@everyone" not in names[1]
