"""Progression on Discord: /esprit show|train|ascend|history, /release, /lock and /unlock, through the real tree.

Ascending and releasing act only on the invoker's Confirm, once, on exactly what was shown; every refusal is an
ephemeral reply, and nothing changes until a confirmation acts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
import pytest
from discord import app_commands
from sqlalchemy import update
from sqlmodel import col

from discord_frontend import embeds, pagers
from faye.config import GameConfig
from faye.display import stat_label, stat_value
from faye.inputs import ESPRIT_ID, KEEP, LEVEL, TRAIN_FAYLEN, TRAIN_LEVELS
from faye.models import UserEsprit
from faye.results import Balance, EspritEventView, EspritHistory, PartnerGrowth, Release, ReleasedEsprit
from faye.services.admin import CONSOLE
from tests.conftest import ledger_rows
from tests.discord.conftest import ANA, BEN, Harness, start
from tests.discord.harness import MESSAGE, UPDATE, Exchange, Gateway
from tests.service.progression_setup import copies, everything, state

if TYPE_CHECKING:
    pass

HOSTILE = "**[Free Nitro](https://evil.example)** @everyone <@1> `x`"


def field(embed: dict[str, Any], name: str) -> str:
    return str(next(f["value"] for f in embed["fields"] if f["name"] == name))


def refused(exchange: Exchange, title: str) -> str:
    """The exchange's last message is an ephemeral refusal titled `title`, without buttons; returns its text."""
    answer = exchange.last
    assert answer.ephemeral, exchange.calls
    assert answer.embed["title"] == title, answer.embed
    assert answer.buttons == []
    return str(answer.embed["description"])


def ids_in(text: str) -> list[int]:
    return [int(found) for found in re.findall(r"`#(\d+)`", text)]


async def player(harness: Harness, who: Any = ANA) -> str:
    """`who` registered through /start, with currency to spare."""
    await start(harness.gateway, who)
    user = str(who.id)
    for currency, amount in (("faylen", 1_000_000), ("virelite", 1_000)):
        await harness.app.admin.grant(CONSOLE, user, currency, amount)
    return user


async def starter_of(harness: Harness, user: str) -> int:
    (starter,) = [e for e in await everything(harness.app, user) if e.active]
    return starter.id


# --- /esprit show ---------------------------------------------------------------------------------------


async def test_show_is_the_card_with_level_cap_rank_lock_and_stats(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    shown = await gateway.run("esprit show", ANA, esprit=starter)
    (card,) = shown.edits
    embed = card.embed
    assert card.filenames == [f"esprit-{starter}.png"]
    cap = harness.app.config.progression.ascension.base_cap
    assert field(embed, "Level").startswith(f"Lv 1/{cap} · ")
    assert field(embed, "Ascension") == "○○○○○ rank 0/5"
    assert "locked" not in embed["description"]
    detail = await harness.app.collection.esprit(user, starter)
    shown_stats = {f["name"]: f["value"] for f in embed["fields"]}
    for stat, value in detail.stats.items():
        label = embeds.safe(f"{harness.app.config.stat_icons.get(stat, '')} {stat_label(stat)}".strip())
        assert shown_stats[label] == stat_value(stat, value)

    await gateway.run("lock", ANA, esprit=starter)
    again = await gateway.run("esprit show", ANA, esprit=starter)
    assert f"{embeds.LOCK_MARK} locked" in again.edits[0].embed["description"]


# --- /esprit train --------------------------------------------------------------------------------------


async def test_train_by_levels_pays_faylen_and_shows_the_new_level(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    trained = await gateway.run("esprit train", ANA, esprit=starter, levels=3)
    assert trained.callback.type == MESSAGE
    assert not trained.callback.ephemeral
    embed = trained.callback.embed
    assert embed["title"] == "✓ Trained"
    assert "3 levels up" in embed["description"]
    assert field(embed, "Level").startswith("Lv 4/")
    (paid,) = await ledger_rows(harness.app, user, "train")
    assert f"{-paid.delta:,} faylen" in embed["description"]


async def test_train_by_faylen(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    trained = await gateway.run("esprit train", ANA, esprit=await starter_of(harness, user), faylen=10)
    assert "gained 20 XP" in trained.callback.embed["description"]


@pytest.mark.parametrize(
    ("options", "title", "words"),
    [
        ({}, "That doesn't work", "one of the two"),
        ({"levels": 1, "faylen": 10}, "That doesn't work", "one of the two"),
        ({"levels": 0}, "Invalid amount", "a number of levels to train is between 1 and 1,000"),
        ({"levels": -1}, "Invalid amount", "a number of levels to train is between 1 and 1,000"),
        ({"levels": 2**53 - 1}, "Invalid amount", "a number of levels to train is between 1 and 1,000"),
        ({"faylen": 10**15}, "Invalid amount", "an amount of faylen to train with is between 1 and"),
    ],
)
async def test_train_refuses_bad_amounts_ephemerally(
    harness: Harness, gateway: Gateway, options: dict[str, Any], title: str, words: str
) -> None:
    user = await player(harness)
    before = await state(harness.app)
    answer = await gateway.run("esprit train", ANA, esprit=await starter_of(harness, user), **options)
    assert words in refused(answer, title).lower()
    assert await state(harness.app) == before


async def test_train_at_the_cap_is_refused(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    capped = await gateway.run("esprit train", ANA, esprit=starter, levels=1_000)
    cap = harness.app.config.progression.ascension.base_cap
    assert field(capped.callback.embed, "Level") == f"Lv {cap}/{cap} · at the cap"
    before = await state(harness.app)
    assert "ascend it" in refused(await gateway.run("esprit train", ANA, esprit=starter, levels=1), "At the cap")
    assert await state(harness.app) == before


# --- /esprit ascend -------------------------------------------------------------------------------------


async def test_ascend_shows_the_fodder_and_cost_then_consumes_exactly_them(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    target, *_ = await copies(harness.app, user, 2)
    before = await state(harness.app)
    shown = await gateway.run("esprit ascend", ANA, esprit=target.id)
    embed = shown.callback.embed
    assert embed["title"] == f"Ascend {embeds.safe(target.name)}?"
    fodder = ids_in(field(embed, "Consumed"))
    assert len(fodder) == 1
    assert target.id not in fodder
    virelite = harness.app.config.progression.rarities[target.rarity].ascension_virelite[0]
    have = (await harness.app.economy.profile(user)).virelite
    assert field(embed, "Cost") == f"💎 {virelite:,} virelite (you have {have:,})"
    assert {b["label"] for b in shown.callback.buttons} == {"Ascend", "Cancel"}
    assert await state(harness.app) == before  # showing changes nothing

    assert refused(await gateway.press(shown.message_id, "Ascend", BEN), "Not your buttons")
    first, second = await gateway.dispatch(
        gateway.component(shown.message_id, "Ascend", ANA), gateway.component(shown.message_id, "Ascend", ANA)
    )
    assert first.callback.type == UPDATE
    assert first.last.embed["title"] == "✓ Ascended"
    assert "rank 1/5" in first.last.embed["description"]
    refused(second, "Already done")
    left = {e.id for e in await everything(harness.app, user)}
    assert target.id in left
    assert not set(fodder) & left
    assert len(await ledger_rows(harness.app, user, "ascend")) == 1
    detail = await harness.app.collection.esprit(user, target.id)
    assert detail.ascension == 1


async def test_ascend_cancel_changes_nothing(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    target, *_ = await copies(harness.app, user, 2)
    shown = await gateway.run("esprit ascend", ANA, esprit=target.id)
    before = await state(harness.app)
    cancelled = await gateway.press(shown.message_id, "Cancel", ANA)
    assert cancelled.last.embed["title"] == "Cancelled"
    assert await state(harness.app) == before


async def test_ascend_without_duplicates_is_refused(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    answer = await gateway.run("esprit ascend", ANA, esprit=await starter_of(harness, user))
    assert "consumes 1 duplicate" in refused(answer, "Not enough copies")


async def test_ascend_refuses_when_the_fodder_was_locked_since_the_preview(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    target, *_ = await copies(harness.app, user, 2)
    shown = await gateway.run("esprit ascend", ANA, esprit=target.id)
    (fodder,) = ids_in(field(shown.callback.embed, "Consumed"))
    await harness.app.progression.lock(user, fodder)
    before = await state(harness.app)
    pressed = await gateway.press(shown.message_id, "Ascend", ANA)
    assert "unlock it" in refused(pressed, "Locked")
    assert await state(harness.app) == before


# --- /release -------------------------------------------------------------------------------------------


async def release_one(harness: Harness, gateway: Gateway, user: str) -> tuple[int, Exchange]:
    esprit = next(e for e in await copies(harness.app, user, 1) if not e.active)
    return esprit.id, await gateway.run("release", ANA, ids=f"#{esprit.id}")


async def test_release_previews_then_releases_exactly_once_for_the_invoker(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    esprit, shown = await release_one(harness, gateway, user)
    before = await state(harness.app)
    embed = shown.callback.embed
    assert embed["title"] == "Release 1 Esprit?"
    assert ids_in(embed["description"]) == [esprit]
    assert "faylen" in field(embed, "You get")
    assert {b["label"] for b in shown.callback.buttons} == {"Release", "Cancel"}

    assert refused(await gateway.press(shown.message_id, "Release", BEN), "Not your buttons")
    assert await state(harness.app) == before
    first, second = await gateway.dispatch(
        gateway.component(shown.message_id, "Release", ANA), gateway.component(shown.message_id, "Release", ANA)
    )
    assert first.last.embed["title"] == "✓ Released 1 Esprit"
    assert first.last.data["components"] == []
    refused(second, "Already done")
    assert esprit not in {e.id for e in await everything(harness.app, user)}
    assert len(await ledger_rows(harness.app, user, "release")) == 1


async def test_release_cancel_changes_nothing(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    esprit, shown = await release_one(harness, gateway, user)
    before = await state(harness.app)
    cancelled = await gateway.press(shown.message_id, "Cancel", ANA)
    assert cancelled.last.embed["title"] == "Cancelled"
    assert await state(harness.app) == before
    assert esprit in {e.id for e in await everything(harness.app, user)}


async def test_release_by_filter_confirms_exactly_the_previewed_ids(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    await copies(harness.app, user, 1)
    shown = await gateway.run("release", ANA, below_level=1_000)
    previewed = ids_in(shown.callback.embed["description"])
    assert previewed
    assert "1 active" in field(shown.callback.embed, "Kept (they may not go)")
    await harness.app.admin.grant(CONSOLE, user, "gems", harness.app.config.settings.summon.ten_cost)
    newcomers = [e.id for e in (await harness.app.summons.summon(user, 10)).esprits]  # match the filter too
    confirmed = await gateway.press(shown.message_id, "Release", ANA)
    assert confirmed.last.embed["title"].startswith("✓ Released")
    left = {e.id for e in await everything(harness.app, user)}
    assert not set(previewed) & left
    assert set(newcomers) <= left


@pytest.mark.parametrize(
    ("options", "title", "words"),
    [
        ({"below_level": 1}, "Nothing matched", "no esprit of yours matches"),
        ({}, "That doesn't work", "say what to release"),
        ({"ids": "12, twelve"}, "That doesn't work", "'twelve' is not an esprit id"),
        ({"ids": "0"}, "That doesn't work", "an esprit id is between 1 and"),
        ({"ids": "1", "rarity": "Common"}, "That doesn't work", "not both"),
        ({"rarity": "Nope"}, "That doesn't work", "unknown rarity"),
        ({"duplicates": True, "keep": 0}, "That doesn't work", "the copies of each species to keep is between 1"),
    ],
)
async def test_release_refuses_bad_selections_ephemerally(
    harness: Harness, gateway: Gateway, options: dict[str, Any], title: str, words: str
) -> None:
    await player(harness)
    before = await state(harness.app)
    assert words in refused(await gateway.run("release", ANA, **options), title).lower()
    assert await state(harness.app) == before


async def test_release_refuses_the_active_and_a_locked_esprit(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    before = await state(harness.app)
    active = await gateway.run("release", ANA, ids=str(starter))
    assert "choose another active one" in refused(active, "That's your active Esprit")
    (other,) = [e.id for e in await copies(harness.app, user, 1) if not e.active]
    locked = await gateway.run("lock", ANA, esprit=other)
    assert locked.callback.embed["title"] == f"{embeds.LOCK_MARK} Locked"
    before = await state(harness.app)
    assert "unlock it" in refused(await gateway.run("release", ANA, ids=str(other)), "Locked")
    assert await state(harness.app) == before
    unlocked = await gateway.run("unlock", ANA, esprit=other)
    assert unlocked.callback.embed["title"] == "Unlocked"
    shown = await gateway.run("release", ANA, ids=str(other))
    assert shown.callback.embed["title"] == "Release 1 Esprit?"


# --- /lock, /unlock -------------------------------------------------------------------------------------


async def test_lock_and_unlock_someone_elses_esprit_is_refused(harness: Harness, gateway: Gateway) -> None:
    await player(harness)
    bens = await starter_of(harness, await player(harness, BEN))
    refused(await gateway.run("lock", ANA, esprit=bens), "Not yours")
    refused(await gateway.run("unlock", ANA, esprit=bens), "Not yours")


# --- /esprit history ------------------------------------------------------------------------------------


async def test_history_is_paged_when_long(harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    short = await gateway.run("esprit history", ANA, esprit=starter)
    assert short.callback.embed["title"].startswith("History of ")
    assert "**created**" in short.callback.embed["description"]
    assert "from a starter" in short.callback.embed["description"]
    assert short.callback.buttons == []  # one page: nothing to page through

    target, *_ = await copies(harness.app, user, 2)
    await harness.app.progression.ascend(user, target.id)
    monkeypatch.setattr(pagers, "HISTORY_PAGE", 1)
    shown = await gateway.run("esprit history", ANA, esprit=target.id)
    assert "**created**" in shown.callback.embed["description"]
    assert shown.callback.embed["footer"]["text"].startswith("Page 1 of 2")
    turned = await gateway.press(shown.message_id, "▶", ANA)
    assert "**ascended**" in turned.last.embed["description"]
    assert "rank 1" in turned.last.embed["description"]
    assert refused(await gateway.press(shown.message_id, "◀", BEN), "Not your buttons")
    async with harness.restarted() as after:  # the pager's state is in its buttons: it pages after a restart
        back = await after.gateway.press(shown.message_id, "◀", ANA)
    assert "**created**" in back.last.embed["description"]
    assert back.last.embed["footer"]["text"].startswith("Page 1 of 2")


async def test_history_of_an_esprit_never_yours_is_refused(harness: Harness, gateway: Gateway) -> None:
    await player(harness)
    bens = await starter_of(harness, await player(harness, BEN))
    assert "never been yours" in refused(await gateway.run("esprit history", ANA, esprit=bens), "Not allowed")


# --- the active Esprit's share, and player text ---------------------------------------------------------


async def test_summon_and_daily_mention_the_partners_xp(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    await harness.app.admin.grant(CONSOLE, user, "gems", harness.app.config.settings.summon.single_cost)
    summoned = await gateway.run("summon", ANA)
    name = embeds.safe((await harness.app.collection.esprit(user, starter)).name)
    assert re.fullmatch(
        rf"{embeds.ACTIVE_MARK} \*\*{re.escape(name)}\*\* \+[0-9,]+ XP.*", field(summoned.last.embed, "Partner")
    )
    claimed = await gateway.run("daily", ANA)
    assert re.fullmatch(
        rf"{embeds.ACTIVE_MARK} \*\*{re.escape(name)}\*\* \+[0-9,]+ XP.*", field(claimed.callback.embed, "Partner")
    )


def test_hostile_names_are_escaped_everywhere_progression_shows_them(config: GameConfig) -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    balance = Balance(user_id="ana", username=HOSTILE, faylen=0, virelite=0, gems=0, level=1, xp=0)
    gone = ReleasedEsprit(id=7, esprit_id="x", name=HOSTILE, rarity="Common", level=1, faylen=50, virelite=0)
    release = Release(released=[gone], reward={"faylen": 50, "virelite": 0}, dry_run=True, skipped={}, balance=balance)
    history = EspritHistory(
        esprit_id=7,
        name=HOSTILE,
        events=[EspritEventView(at=at, kind="created", owner=HOSTILE, detail={"source": HOSTILE})],
    )
    partner = PartnerGrowth(id=7, name=HOSTILE, xp_gained=5, levels_gained=0, level=1)
    probe = discord.Embed()
    embeds.add_partner(probe, partner)
    texts = [
        embeds.release(release, config).description or "",
        embeds.esprit_history(history, history.events, 1, 1).description or "",
        embeds.esprit_history(history, history.events, 1, 1).title or "",
        probe.fields[0].value or "",
    ]
    for text in texts:
        assert "[Free Nitro](" not in text
        assert "**[" not in text
        assert "@everyone" not in text
        assert "<@1>" not in text
        assert embeds.safe("[Free Nitro]") in text


async def test_ascend_at_the_highest_rank_is_refused_before_any_preview(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    starter = await starter_of(harness, user)
    top = harness.app.config.progression.ascension.max_rank
    async with harness.app.context.db.write() as session:
        await session.execute(update(UserEsprit).where(col(UserEsprit.id) == starter).values(ascension=top))
    answer = await gateway.run("esprit ascend", ANA, esprit=starter)
    assert "highest ascension rank" in refused(answer, "At the cap")


async def test_balance_shows_the_best_ascended_esprit(harness: Harness, gateway: Gateway) -> None:
    user = await player(harness)
    assert "Best ascended" not in {f["name"] for f in (await gateway.run("balance", ANA)).callback.embed["fields"]}
    target, *_ = await copies(harness.app, user, 2)
    await harness.app.progression.ascend(user, target.id)
    shown = await gateway.run("balance", ANA)
    assert f"`#{target.id}` · ✪○○○○ rank 1/5" in field(shown.callback.embed, "Best ascended")


def test_discord_is_told_the_progression_bounds(harness: Harness) -> None:
    def option(name: str, parameter: str) -> dict[str, Any]:
        *groups, leaf = name.split()
        command = harness.bot.tree.get_command(groups[0] if groups else leaf)
        if groups:
            assert isinstance(command, app_commands.Group)
            command = command.get_command(leaf)
        assert isinstance(command, app_commands.Command)
        return dict(next(o for o in command.to_dict(harness.bot.tree)["options"] if o["name"] == parameter))

    for name, parameter, bound in (
        ("esprit train", "levels", TRAIN_LEVELS),
        ("esprit train", "faylen", TRAIN_FAYLEN),
        ("release", "keep", KEEP),
        ("release", "below_level", LEVEL),
        ("esprit ascend", "esprit", ESPRIT_ID),
        ("esprit history", "esprit", ESPRIT_ID),
        ("lock", "esprit", ESPRIT_ID),
        ("unlock", "esprit", ESPRIT_ID),
    ):
        shown = option(name, parameter)
        assert (shown["min_value"], shown["max_value"]) == (bound.min, bound.max), (name, parameter)
    assert option("release", "ids")["max_length"] == 6000
