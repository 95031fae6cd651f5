"""Every slash command's answer, exactly as discord.py sends it to Discord."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from discord_frontend.embeds import percent, rarity_label
from faye.gacha.exact import PityChain, disclose
from faye.gacha.pity import RarityTable
from faye.models import AuctionListing, LedgerEntry, User, UserEsprit
from faye.policy import POLICY_TITLE
from tests.conftest import count_rows, ledger_rows, user_row
from tests.discord.conftest import ADMIN, ADMINISTRATOR, ANA, BEN, OWNER, Harness, start
from tests.discord.harness import DEFERRED, MESSAGE, UPDATE, Gateway, components_of

PNG = b"\x89PNG\r\n\x1a\n"


def field(embed: dict[str, Any], name: str) -> str:
    return str(next(f["value"] for f in embed["fields"] if f["name"] == name))


async def test_start_shows_the_policy_with_accept_and_decline(gateway: Gateway) -> None:
    shown = await gateway.run("start", ANA)
    assert shown.callback.type == MESSAGE
    assert not shown.callback.ephemeral
    assert shown.callback.embed["title"] == POLICY_TITLE
    assert {b["label"]: b["disabled"] for b in shown.callback.buttons} == {"Accept": False, "Decline": False}


async def test_accept_registers_and_shows_the_starter_card(harness: Harness, gateway: Gateway) -> None:
    shown = await gateway.run("start", ANA)
    accepted = await gateway.press(shown.message_id, "Accept", ANA)
    # Acknowledged at once by greying the buttons out, then the welcome replaces the policy.
    assert accepted.callback.type == UPDATE
    assert all(b["disabled"] for b in accepted.callback.buttons)
    (welcome,) = accepted.edits
    assert welcome.embed["title"] == "✨ A new summoner"
    assert welcome.embed["image"]["url"] == "attachment://starter.png"
    assert welcome.filenames == ["starter.png"]
    assert welcome.files[0][1].startswith(PNG)
    assert welcome.data["components"] == []
    assert "/daily" in field(welcome.embed, "Tips")
    user = await user_row(harness.app, str(ANA.id))
    assert user is not None
    assert user.username == "Ana"
    assert user.policy_accepted_at is not None


async def test_decline_registers_nobody(harness: Harness, gateway: Gateway) -> None:
    shown = await gateway.run("start", ANA)
    declined = await gateway.press(shown.message_id, "Decline", ANA)
    assert declined.callback.type == UPDATE
    assert declined.last.embed["title"] == "Maybe later"
    assert declined.last.data["components"] == []
    assert await user_row(harness.app, str(ANA.id)) is None


async def test_balance(gateway: Gateway) -> None:
    await start(gateway, ANA)
    shown = await gateway.run("balance", ANA)
    assert shown.callback.type == MESSAGE
    embed = shown.callback.embed
    assert embed["title"] == "Ana"
    assert "1,000 faylen" in field(embed, "Wallet")
    assert field(embed, "Next daily") == "ready to claim"
    assert "image" not in embed
    assert shown.callback.files == []


async def test_commands_work_in_direct_messages(gateway: Gateway) -> None:
    await start(gateway, ANA)
    shown = await gateway.run("balance", ANA, dm=True)
    assert shown.callback.embed["title"] == "Ana"
    card = await gateway.run("esprit show", ANA, dm=True, esprit=1)
    assert card.last.filenames == ["esprit-1.png"]


async def test_profile_is_deferred_then_shows_the_profile_card(gateway: Gateway) -> None:
    await start(gateway, ANA)
    shown = await gateway.run("profile", ANA)
    assert shown.callback.type == DEFERRED
    assert not shown.callback.ephemeral
    (card,) = shown.edits
    assert card.filenames == ["profile.png"]
    assert card.files[0][1].startswith(PNG)
    assert card.embed["image"]["url"] == "attachment://profile.png"
    assert card.embed["title"] == "Ana"


async def test_daily_shows_streak_and_next_claim(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    claimed = await gateway.run("daily", ANA)
    assert claimed.callback.type == MESSAGE
    embed = claimed.callback.embed
    assert embed["title"] == "✓ Daily reward"
    assert field(embed, "Streak") == "1 day"
    opens = int(harness.clock.now().timestamp()) + 24 * 3600
    assert field(embed, "Next claim") == f"<t:{opens}:R> (in 1d)"
    assert len(await ledger_rows(harness.app, str(ANA.id), reason="daily")) == 3


async def test_single_summon_shows_its_card_with_a_pager_of_one(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    pulled = await gateway.run("summon", ANA, amount=1)
    assert pulled.callback.type == DEFERRED
    (shown,) = pulled.edits
    assert shown.filenames == ["summon.png"]
    assert shown.embed["title"] == "Summon ×1"
    buttons = gateway.buttons(pulled.message_id)
    assert buttons["1/1"]["disabled"]
    assert buttons["◀"]["disabled"]
    assert buttons["▶"]["disabled"]
    assert not buttons["Summon ×1 again"]["disabled"]
    assert await count_rows(harness.app, UserEsprit, UserEsprit.owner_id == str(ANA.id)) == 2


async def test_ten_summon_shows_the_board_then_pages(gateway: Gateway) -> None:
    await start(gateway, ANA)
    pulled = await gateway.run("summon", ANA, amount=10)
    (board,) = pulled.edits
    assert board.embed["title"] == "Summon ×10"
    assert board.embed["description"].count("\n") == 9
    assert "Pity" in " ".join(f["name"] for f in board.embed["fields"])
    assert gateway.buttons(pulled.message_id)["1/11"]["disabled"]


async def test_inventory_pages_and_filters_by_rarity(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await gateway.run("summon", ANA, amount=10)
    shown = await gateway.run("inventory", ANA, sort="rarity")
    assert shown.callback.type == MESSAGE
    embed = shown.callback.embed
    assert embed["title"] == "Your Esprits"
    assert embed["footer"]["text"].startswith("Page 1 of 2 · 11 Esprits · sorted by rarity")
    (select_menu,) = [c for c in components_of(shown.callback.data) if c["type"] == 3]
    assert [o["label"] for o in select_menu["options"]][:2] == ["All rarities", "Legendary"]
    second = await gateway.press(shown.message_id, "▶", ANA)
    assert second.callback.type == UPDATE
    assert second.callback.embed["footer"]["text"].startswith("Page 2 of 2")
    common = await gateway.choose(shown.message_id, "Filter by rarity", ["Common"], ANA)
    assert common.callback.type == UPDATE
    filtered = common.callback.embed
    assert "Common" in filtered["title"]
    assert filtered["footer"]["text"].startswith("Page 1 of 1")
    assert all("Common" in line for line in filtered["description"].splitlines())
    (menu,) = [c for c in components_of(common.callback.data) if c["type"] == 3]
    assert [o["label"] for o in menu["options"] if o.get("default")] == ["Common"]


async def test_esprit_autocompletes_own_esprits_and_shows_the_card(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    choices = await gateway.complete("esprit show", ANA, "esprit", esprit="")
    (starter,) = choices
    name = starter["name"].split(" · ")[0]
    assert await gateway.complete("esprit show", ANA, "esprit", esprit=name[:3].lower()) == choices
    assert await gateway.complete("esprit show", ANA, "esprit", esprit="zzz") == []
    assert await gateway.complete("esprit show", BEN, "esprit", esprit="") == []  # not registered: no choices
    shown = await gateway.run("esprit show", ANA, esprit=starter["value"])
    assert shown.callback.type == DEFERRED
    (card,) = shown.edits
    assert card.embed["title"] == name
    assert card.filenames == [f"esprit-{starter['value']}.png"]
    assert card.files[0][1].startswith(PNG)
    stats = {f["name"]: f["value"] for f in card.embed["fields"]}
    assert set(stats) >= {"❤️ hp", "⚔️ attack", "🎯 crit rate"}
    assert stats["🎯 crit rate"].endswith("%")


async def test_active_sets_the_partner(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    pulled = await gateway.run("summon", ANA, amount=1)
    new_id = int(pulled.edits[0].embed["description"].rsplit("#", 1)[1].rstrip("`"))
    shown = await gateway.run("active", ANA, esprit=new_id)
    assert shown.callback.type == MESSAGE
    assert f"#{new_id}" in shown.callback.embed["description"]
    user = await user_row(harness.app, str(ANA.id))
    assert user is not None
    assert user.active_esprit_id == new_id


async def test_leaderboard_by_collection(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    await gateway.run("summon", BEN, amount=1)
    shown = await gateway.run("leaderboard", ANA, by="collection", limit=5)
    embed = shown.callback.embed
    assert embed["title"] == "Leaderboard · by collection"
    assert embed["description"].splitlines() == ["🥇 **Ben** — 2 Esprits · Lv 1", "🥈 **Ana** — 1 Esprit · Lv 1"]
    by_level = (await gateway.run("leaderboard", ANA)).callback.embed
    assert by_level["description"].splitlines()[0] == "🥇 **Ben** — level 1"


async def test_leaderboard_when_nobody_plays(gateway: Gateway) -> None:
    shown = await gateway.run("leaderboard", ANA)
    assert "Nobody has registered yet" in shown.callback.embed["description"]


async def test_rates_shows_the_exact_disclosure(harness: Harness, gateway: Gateway) -> None:
    shown = await gateway.run("rates", ANA)
    assert shown.callback.type == DEFERRED
    (table,) = shown.edits
    embed = table.embed
    assert embed["title"] == "Summon odds"
    legendary = field(embed, "🌟 Legendary")
    assert "long run **1.6052 %**" in legendary  # the README's figure for Genshin-style pity
    assert "max 90" in legendary
    disclosure = disclose(PityChain.of(RarityTable.from_config(harness.app.config)))
    assert [f["name"] for f in embed["fields"]] == [rarity_label(harness.app.config, t.name) for t in disclosure.tiers][
        ::-1
    ]
    for odds in disclosure.tiers:
        assert f"long run **{percent(odds.consolidated_rate)}**" in field(
            embed, rarity_label(harness.app.config, odds.name)
        )


async def test_auction_list_browse_buy_cancel_history(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    await gateway.run("summon", ANA, amount=1)
    (mine, other) = [c["value"] for c in await gateway.complete("auction list", ANA, "esprit", esprit="")]

    listed = await gateway.run("auction list", ANA, esprit=mine, price=200)
    assert listed.callback.type == MESSAGE
    assert listed.callback.embed["title"] == "✓ Listed as #1"
    assert field(listed.callback.embed, "Listing fee") == "4 faylen (not refunded)"
    await gateway.run("auction list", ANA, esprit=other, price=300)

    browsed = await gateway.run("auction browse", BEN, sort="price")
    lines = browsed.callback.embed["description"].splitlines()
    assert [line.split()[0] for line in lines] == ["`#1`", "`#2`"]
    assert f"<@{ANA.id}>" in lines[0]
    assert [c["value"] for c in await gateway.complete("auction buy", BEN, "listing", listing="")] == [1, 2]

    confirm = await gateway.run("auction buy", BEN, listing=1)
    assert confirm.callback.embed["title"] == "Buy listing #1?"
    assert "for 🪙 200 faylen" in confirm.callback.embed["description"]
    bought = await gateway.press(confirm.message_id, "Buy", BEN)
    assert bought.callback.type == UPDATE
    assert bought.last.embed["title"] == "✓ Bought"
    assert bought.last.data["components"] == []
    async with harness.app.context.db.read() as session:
        owner = (await session.execute(select(col(UserEsprit.owner_id)).where(UserEsprit.id == mine))).scalar_one()
    assert owner == str(BEN.id)

    assert [c["value"] for c in await gateway.complete("auction cancel", ANA, "listing", listing="")] == [2]
    cancelled = await gateway.run("auction cancel", ANA, listing=2)
    assert cancelled.callback.embed["title"] == "✓ Listing #2 cancelled"

    history = await gateway.run("auction history", ANA)
    assert [f["name"] for f in history.callback.embed["fields"]] == ["Sold"]
    assert await count_rows(harness.app, AuctionListing, AuctionListing.status == "open") == 0


async def test_auction_browse_pages(gateway: Gateway) -> None:
    await start(gateway, ANA)
    await gateway.run("summon", ANA, amount=10)
    esprits = [c["value"] for c in await gateway.complete("auction list", ANA, "esprit", esprit="")]
    for esprit in esprits[:5]:
        await gateway.run("auction list", ANA, esprit=esprit, price=100)
    browsed = await gateway.run("auction browse", ANA)
    assert browsed.callback.embed["footer"]["text"].startswith("Page 1 of 1 · 5 listings")
    empty = await gateway.run("auction browse", ANA, search="no such name")
    assert "No open listings match" in empty.callback.embed["description"]


async def test_admin_reset_db_by_the_bot_owner_after_confirming(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    asked = await gateway.run("admin reset-db", OWNER, permissions=ADMINISTRATOR)
    assert asked.callback.type == MESSAGE
    assert asked.callback.ephemeral
    assert {b["label"]: b["style"] for b in asked.callback.buttons} == {"Delete everything": 4, "Cancel": 2}
    done = await gateway.press(asked.message_id, "Delete everything", OWNER)
    assert done.last.embed["title"] == "Database reset"
    assert "1 player" in done.last.embed["description"]
    assert await count_rows(harness.app, User) == 0


async def test_admin_reset_db_cancelled_changes_nothing(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    asked = await gateway.run("admin reset-db", ADMIN, permissions=ADMINISTRATOR)
    cancelled = await gateway.press(asked.message_id, "Cancel", ADMIN)
    assert cancelled.last.embed["title"] == "Cancelled"
    assert await count_rows(harness.app, User) == 1


async def test_admin_grant_by_an_allowed_admin(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, BEN)
    granted = await gateway.run(
        "admin grant", ADMIN, permissions=ADMINISTRATOR, player=BEN, amount=500, currency="gems"
    )
    assert granted.callback.type == MESSAGE
    assert granted.callback.ephemeral
    assert granted.callback.embed["title"] == "✓ Granted"
    assert f"<@{BEN.id}>" in granted.callback.embed["description"]
    (row,) = await ledger_rows(harness.app, str(BEN.id), reason="admin_grant")
    assert (row.currency, row.delta, row.reference) == ("gems", 500, f"by '{ADMIN.id}'")


async def test_admin_grant_by_the_owner_acts_as_the_console(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, BEN)
    await gateway.run("admin grant", OWNER, permissions=ADMINISTRATOR, player=BEN, amount=7)
    (row,) = await ledger_rows(harness.app, str(BEN.id), reason="admin_grant")
    assert (row.currency, row.reference) == ("faylen", "by console")
    assert await count_rows(harness.app, LedgerEntry, LedgerEntry.reason == "admin_grant") == 1


def test_admin_group_needs_the_administrator_permission(harness: Harness) -> None:
    group = harness.bot.tree.get_command("admin")
    assert group is not None
    assert group.to_dict(harness.bot.tree)["default_member_permissions"] == ADMINISTRATOR
