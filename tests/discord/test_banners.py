"""Banners on Discord: /banners with its poster and countdown, /summon banner:, /rates banner:, /history, /luck.

At the harness's START (2026-01-01 12:00 UTC) the standard banner and the limited "Ember Rising I"
(solheart_2026_01, until 2026-01-29) are open; "Crown of Dawn I" (faylight_2026_01) opens on 2026-01-29.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from discord_frontend import banner_pagers
from discord_frontend.embeds import FEATURED_MARK
from faye.models import PityCounter, PullRecord, UserEsprit
from faye.services.admin import CONSOLE
from tests.conftest import count_rows, ledger_rows
from tests.discord.conftest import ANA, BEN, Harness, start
from tests.discord.harness import Exchange, Gateway, components_of
from tests.render.conftest import PNG_SIGNATURE

LIMITED = "solheart_2026_01"
LATER = "faylight_2026_01"


def refused(exchange: Exchange, title: str) -> dict[str, Any]:
    """The exchange ends in an ephemeral refusal titled `title`, without buttons."""
    answer = exchange.last
    assert answer.ephemeral, exchange.calls
    assert answer.embed["title"] == title, answer.embed
    assert answer.buttons == []
    return answer.embed


def field(embed: dict[str, Any], name: str) -> str:
    return str(next(f["value"] for f in embed["fields"] if f["name"] == name))


async def player(harness: Harness, gems: int = 100_000) -> str:
    await start(harness.gateway, ANA)
    user = str(ANA.id)
    await harness.app.admin.grant(CONSOLE, user, "gems", gems)
    return user


async def values(gateway: Gateway, command: str) -> list[str]:
    return [choice["value"] for choice in await gateway.complete(command, ANA, "banner", banner="")]


# --- /banners ---------------------------------------------------------------------------------------------


async def test_banners_shows_the_poster_the_featured_names_and_a_countdown(harness: Harness, gateway: Gateway) -> None:
    await player(harness)
    config = harness.app.config
    banner = config.banners_by_id[LIMITED]
    shown = await gateway.run("banners", ANA)
    (answer,) = shown.edits
    assert answer.filenames == [f"banner-{LIMITED}.png"]
    assert answer.files[0][1].startswith(PNG_SIGNATURE)
    embed = answer.embed
    assert embed["image"]["url"] == f"attachment://banner-{LIMITED}.png"
    assert banner.end is not None
    assert f"<t:{int(banner.end.timestamp())}:R>" in embed["description"]
    for tier in banner.featured.values():
        for esprit_id in tier.esprits:
            assert f"**{config.esprits_by_id[esprit_id].name}**" in embed["description"]
    assert config.standard_banner.name.split(" ")[0] in embed["description"]
    assert config.banners_by_id[LATER].name not in embed["description"]  # not open yet
    assert "Legendary 0/90" in field(embed, "Your pity (limited)")


async def test_banners_are_public_and_one_can_be_shown_in_detail(gateway: Gateway) -> None:
    shown = await gateway.run("banners", BEN, banner="standard")
    (answer,) = shown.edits
    assert answer.filenames == ["banner-standard.png"]
    assert not any(f["name"].startswith("Your pity") for f in answer.embed["fields"])


async def test_banners_refuses_a_closed_or_unknown_banner(gateway: Gateway) -> None:
    refused(await gateway.run("banners", ANA, banner=LATER), "Banner closed")
    refused(await gateway.run("banners", ANA, banner="no_such_banner"), "Not found")


async def test_autocomplete_offers_only_the_open_banners(harness: Harness, gateway: Gateway) -> None:
    for command in ("summon", "rates", "banners"):
        assert await values(gateway, command) == ["standard", LIMITED]
    assert await values(gateway, "history") == [LIMITED, "standard"]  # pulls stay on record: every banner opened
    harness.clock.advance(timedelta(days=30))
    assert await values(gateway, "summon") == ["standard", LATER]
    assert await values(gateway, "luck") == [LATER, LIMITED, "standard"]
    typed = await gateway.complete("summon", ANA, "banner", banner="crown")
    assert [c["value"] for c in typed] == [LATER]


# --- /summon banner: ----------------------------------------------------------------------------------------


async def test_summon_on_an_open_limited_banner_says_featured_where_it_is(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    async with harness.app.context.db.write() as session:  # the next Legendary on the limited group is certain
        session.add(PityCounter(user_id=user, pity_group="limited", tier="Legendary", pulls_since=89, guaranteed=True))
    pulled = await gateway.run("summon", ANA, amount=10, banner=LIMITED)
    (board,) = pulled.edits
    embed = board.embed
    assert embed["title"] == f"Summon ×10 · {harness.app.config.banners_by_id[LIMITED].name}"
    async with harness.app.context.db.read() as session:
        pulls = (await session.execute(select(PullRecord).order_by(col(PullRecord.n)))).scalars().all()
    assert [p.banner_id for p in pulls] == [LIMITED] * 10
    lines = embed["description"].split("\n")
    assert [f"{FEATURED_MARK} featured" in line for line in lines] == [p.featured for p in pulls]
    assert any("Solheart Phoenix" in line and "featured" in line for line in lines)


async def test_summon_again_summons_on_the_same_banner(harness: Harness, gateway: Gateway) -> None:
    await player(harness)
    pulled = await gateway.run("summon", ANA, amount=1, banner=LIMITED)
    await gateway.press(pulled.message_id, "Summon ×1 again", ANA)
    async with harness.app.context.db.read() as session:
        banners = (await session.execute(select(PullRecord.banner_id))).scalars().all()
    assert list(banners) == [LIMITED, LIMITED]


async def test_summon_on_a_closed_banner_is_refused_and_spends_nothing(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    before = (await harness.app.economy.profile(user)).gems
    answer = await gateway.run("summon", ANA, amount=10, banner=LATER)
    assert "nothing was spent" in refused(answer, "Banner closed")["description"]
    assert (await harness.app.economy.profile(user)).gems == before
    assert await ledger_rows(harness.app, user, "summon") == []
    assert await count_rows(harness.app, UserEsprit, UserEsprit.owner_id == user) == 1
    assert await count_rows(harness.app, PullRecord) == 0


# --- /rates banner: -----------------------------------------------------------------------------------------


async def test_rates_of_a_banner_page_through_every_esprit(harness: Harness, gateway: Gateway) -> None:
    config = harness.app.config
    shown = await gateway.run("rates", ANA, banner=LIMITED)
    first = shown.last.embed
    assert first["title"] == f"Summon odds · {config.banners_by_id[LIMITED].name}"
    pages = 1 + math.ceil(len(config.esprits) / banner_pagers.ODDS_PAGE)
    assert f"1/{pages}" in gateway.buttons(shown.message_id)
    refused(await gateway.press(shown.message_id, "▶", BEN), "Not your buttons")
    lines: list[str] = []
    for page in range(2, pages + 1):
        turned = await gateway.press(shown.message_id, "▶", ANA)
        assert turned.last.embed["footer"]["text"].startswith(f"Page {page} of {pages}")
        lines += turned.last.embed["description"].split("\n")
    assert len(lines) == len(config.esprits)
    assert "Solheart Phoenix" in lines[0]
    assert f"{FEATURED_MARK} featured" in lines[0]
    assert gateway.buttons(shown.message_id)["▶"]["disabled"]


def tamper(gateway: Gateway, message_id: int, label: str, custom_id: str) -> None:
    """Rewrite one button's custom_id, as a forged message would carry it."""
    (button,) = [c for c in components_of(gateway.fake.messages[message_id]) if c.get("emoji", {}).get("name") == label]
    button["custom_id"] = custom_id


async def test_a_forged_odds_button_is_refused_cleanly(gateway: Gateway) -> None:
    shown = await gateway.run("rates", ANA, banner=LIMITED)
    forward = str(gateway.buttons(shown.message_id)["▶"]["custom_id"])
    tamper(gateway, shown.message_id, "▶", forward.replace(LIMITED, "no_such_banner"))
    refused(await gateway.press(shown.message_id, "▶", ANA), "Not found")
    tamper(gateway, shown.message_id, "▶", forward.replace(LIMITED, "Bad:Id"))
    refused(await gateway.press(shown.message_id, "▶", ANA), "These buttons have expired")


# --- /history and /luck -------------------------------------------------------------------------------------


async def test_history_pages_for_the_invoker_only(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    for _ in range(5):
        await harness.app.summons.summon(user, 10, banner_id=LIMITED)
    expected = await harness.app.banners.history(user)
    assert expected.pages > 1
    shown = await gateway.run("history", ANA)
    embed = shown.last.embed
    assert embed["footer"]["text"] == f"Page 1 of {expected.pages} · 50 pulls, newest first"
    assert f"`{50:>5}.`" in embed["description"].split("\n")[0]
    refused(await gateway.press(shown.message_id, "▶", BEN), "Not your buttons")
    turned = await gateway.press(shown.message_id, "▶", ANA)
    assert turned.last.embed["footer"]["text"].startswith(f"Page 2 of {expected.pages}")
    second = await harness.app.banners.history(user, page=2)
    assert f"`{second.pulls[0].n:>5}.`" in turned.last.embed["description"].split("\n")[0]


async def test_history_pages_after_a_restart(harness: Harness) -> None:
    user = await player(harness)
    for _ in range(2):
        await harness.app.summons.summon(user, 10)
    shown = await harness.gateway.run("history", ANA)
    async with harness.restarted() as again:
        turned = await again.gateway.press(shown.message_id, "▶", ANA)
    assert turned.last.embed["footer"]["text"] == "Page 2 of 2 · 20 pulls, newest first"


async def test_history_of_a_tier(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    await harness.app.summons.summon(user, 10)
    shown = await gateway.run("history", ANA, rarity="Common")
    embed = shown.last.embed
    assert "Common" in embed["title"]
    for line in embed["description"].split("\n"):
        assert "Common" in line


async def test_luck_renders_each_pity_tier(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    for _ in range(3):
        await harness.app.summons.summon(user, 10, banner_id=LIMITED)
    shown = await gateway.run("luck", ANA, banner=LIMITED)
    (answer,) = shown.edits
    embed = answer.embed
    assert embed["title"] == f"Your luck · {harness.app.config.banners_by_id[LIMITED].name}"
    assert embed["description"].startswith("30 pulls on record")
    names = [f["name"] for f in embed["fields"]]
    assert any("Legendary" in name for name in names)
    assert any("Epic" in name for name in names)


async def test_strangers_are_told_to_start(gateway: Gateway) -> None:
    refused(await gateway.run("history", BEN), "You haven't started yet")
    refused(await gateway.run("luck", BEN), "You haven't started yet")
    refused(await gateway.run("summon", BEN, banner=LIMITED), "You haven't started yet")
