"""Battles on Discord through the real tree: /battle trial|trials|duel|standing, /battle team set, and
/leaderboard by: rating.

A battle answers publicly with its result and the image of both teams; Prev and Next page its log by round, for
the invoker only, and grey out on timeout. Every refusal (a locked stage, a bad team, a self duel, an opponent
with no defence, today's attempts used up) is an ephemeral reply, and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from discord_frontend import battle_embeds, embeds
from discord_frontend.battle_views import BattleLog
from faye.display import battle_action
from faye.results import BattleFighter, BattleReport
from faye.services.admin import CONSOLE
from tests.discord.conftest import ANA, BEN, Harness, start
from tests.discord.harness import DEFERRED, UPDATE, Exchange, Gateway, Player
from tests.service.battle_setup import snapshot


def uid(player: Player) -> str:
    return str(player.id)


def field(embed: dict[str, Any], name: str) -> str:
    return str(next(f["value"] for f in embed["fields"] if f["name"] == name))


def refused(exchange: Exchange, title: str) -> str:
    """The exchange ends in an ephemeral refusal titled `title`, without buttons; returns its text."""
    answer = exchange.last
    assert answer.ephemeral, exchange.calls
    assert answer.embed["title"] == title, answer.embed
    assert answer.buttons == []
    return str(answer.embed["description"])


def shown_log(gateway: Gateway) -> BattleLog:
    """The one battle pager the bot holds (it holds the report the answer was drawn from)."""
    (view,) = [v for v in gateway.live_views() if isinstance(v, BattleLog)]
    return view


async def starter_of(harness: Harness, player: Player) -> int:
    profile = await harness.app.economy.profile(uid(player))
    assert profile.active_esprit is not None
    return profile.active_esprit.id


async def strong(harness: Harness, player: Player) -> int:
    """`player` registered through /start, their starter trained to its cap (it wins stage 1): its id."""
    await start(harness.gateway, player)
    starter = await starter_of(harness, player)
    await harness.app.admin.grant(CONSOLE, uid(player), "faylen", 1_000_000)
    await harness.app.progression.train(uid(player), starter, faylen=1_000_000)
    return starter


async def team_set(gateway: Gateway, player: Player, team: str) -> Exchange:
    """/battle team set (a subcommand of a subcommand group)."""
    return await gateway.run("battle team set", player, team=team)


def outcome_title(report: BattleReport) -> str:
    return battle_embeds.OUTCOMES[report.winner][0]


# --- /battle trial and its log --------------------------------------------------------------------------


async def test_a_trial_shows_the_winner_rounds_and_image_and_pages_its_log_by_round(
    harness: Harness, gateway: Gateway
) -> None:
    await start(gateway, ANA)
    starter = await starter_of(harness, ANA)
    fought = await gateway.run("battle trial", ANA, stage=1)
    assert fought.callback.type == DEFERRED
    assert not fought.callback.ephemeral
    answer = fought.last
    report = shown_log(gateway).report
    embed = answer.embed
    assert embed["title"] == outcome_title(report)
    rounds = f"{report.rounds} round" + ("" if report.rounds == 1 else "s")
    assert rounds in embed["description"]
    config = harness.app.config
    stage = config.battle.trials.stages[0]
    assert f"Trial 1 · {embeds.safe(stage.name)}" in embed["description"]
    assert f"`#{starter}`" in field(embed, "Your team")
    for enemy in stage.enemies:
        assert f"**{embeds.safe(config.esprits_by_id[enemy.esprit_id].name)}** · Lv {enemy.level}" in field(
            embed, "Enemies"
        )
    assert field(embed, "Log").startswith("`R1` ")
    assert answer.filenames == [battle_embeds.IMAGE]
    assert embed["image"]["url"] == f"attachment://{battle_embeds.IMAGE}"
    (png,) = [data for _, data in answer.files]
    assert Image.open(BytesIO(png)).size[0] > Image.open(BytesIO(png)).size[1]
    buttons = {b["label"]: b for b in answer.buttons}
    assert buttons["Prev"].get("disabled") is True
    assert not buttons["Next"].get("disabled")

    message = fought.message_id
    actions = battle_embeds.by_round(report.log)
    assert len(actions) == report.rounds
    for round_number in range(1, report.rounds + 1):
        turned = await gateway.press(message, "Next", ANA)
        assert turned.callback.type == UPDATE
        page = turned.last.embed
        assert page["title"] == f"Round {round_number} of {report.rounds}"
        lines = page["description"].splitlines()
        assert len(lines) == len(actions[round_number - 1])
        for line, action in zip(lines, actions[round_number - 1], strict=True):
            mark = battle_embeds.SIDE_MARKS[str(action["side"])]
            assert line.startswith(f"{mark} **")
            assert battle_action(str(action["action"])) in line
        assert turned.last.filenames == [battle_embeds.IMAGE]
        assert f"Round {round_number}/{report.rounds}" in gateway.buttons(message)
    assert gateway.buttons(message)["Next"].get("disabled") is True
    back = (await gateway.press(message, "Prev", ANA)).last.embed
    assert back["title"] == (f"Round {report.rounds - 1} of {report.rounds}" if report.rounds > 1 else embed["title"])


async def test_only_the_invoker_may_page_the_log(harness: Harness, gateway: Gateway) -> None:
    await strong(harness, ANA)
    fought = await gateway.run("battle trial", ANA, stage=1)
    before = harness.fake.messages[fought.message_id]["embeds"]
    assert refused(await gateway.press(fought.message_id, "Next", BEN), "Not your buttons")
    assert harness.fake.messages[fought.message_id]["embeds"] == before
    turned = await gateway.press(fought.message_id, "Next", ANA)
    assert turned.last.embed["title"].startswith("Round 1 of ")


async def test_the_log_buttons_grey_out_on_timeout_and_expire_after_a_restart(
    harness: Harness, gateway: Gateway
) -> None:
    await strong(harness, ANA)
    fought = await gateway.run("battle trial", ANA, stage=1)
    await gateway.time_out()
    assert all(b.get("disabled") for b in gateway.buttons(fought.message_id).values())

    again = await gateway.run("battle trial", ANA, stage=1)
    async with harness.restarted() as after:
        pressed = await after.gateway.press(again.message_id, "Next", ANA)
    refused(pressed, "These buttons have expired")


async def test_a_won_first_clear_shows_its_rewards_and_the_next_win_is_a_replay(
    harness: Harness, gateway: Gateway
) -> None:
    await strong(harness, ANA)
    first = (await gateway.run("battle trial", ANA, stage=1)).last.embed
    assert first["title"] == "⚔ Victory"
    rewards = field(first, "Rewards")
    stage = harness.app.config.battle.trials.stages[0]
    assert f"{stage.first_clear.faylen:,} faylen · first clear!" in rewards
    assert "Wallet" in {f["name"] for f in first["fields"]}
    replay = (await gateway.run("battle trial", ANA, stage=1)).last.embed
    assert f"{stage.replay.faylen:,} faylen" in field(replay, "Rewards")
    assert "first clear" not in field(replay, "Rewards")
    replays = harness.app.config.battle.trials.replays_per_day
    assert replay["footer"]["text"].startswith(f"{replays - 1} trial replays left today")


async def test_a_locked_stage_is_refused_ephemerally_and_changes_nothing(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    before = await snapshot(harness.app)
    text = refused(await gateway.run("battle trial", ANA, stage=3), "Stage locked")
    assert "clear stage 1 first" in text
    assert await snapshot(harness.app) == before


async def test_a_stage_past_the_ladder_is_not_found(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    stages = len(harness.app.config.battle.trials.stages)
    assert f"the stages are 1 to {stages}" in refused(await gateway.run("battle trial", ANA, stage=999), "Not found")


@pytest.mark.parametrize(
    ("team", "title", "words"),
    [
        ("1, 1", "That team can't fight", "named twice"),
        ("1 2 3 4", "That team can't fight", "at most 3"),
        ("99999", "That team can't fight", "does not exist"),
        ("fox", "That doesn't work", "is not an esprit id"),
    ],
)
async def test_a_bad_team_is_refused_ephemerally(
    harness: Harness, gateway: Gateway, team: str, title: str, words: str
) -> None:
    await start(gateway, ANA)
    before = await snapshot(harness.app)
    assert words in refused(await gateway.run("battle trial", ANA, stage=1, team=team), title).lower()
    assert await snapshot(harness.app) == before


async def test_another_players_esprit_cannot_fight_for_you(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    bens = await starter_of(harness, BEN)
    text = refused(await gateway.run("battle trial", ANA, stage=1, team=str(bens)), "That team can't fight")
    assert "belongs to another player" in text


async def test_trial_replays_run_out_and_say_when_they_come_back(harness: Harness, gateway: Gateway) -> None:
    await strong(harness, ANA)
    await gateway.run("battle trial", ANA, stage=1)
    for _ in range(harness.app.config.battle.trials.replays_per_day):
        assert not (await gateway.run("battle trial", ANA, stage=1)).last.ephemeral
    text = refused(await gateway.run("battle trial", ANA, stage=1), "No attempts left today")
    assert "replayed trials" in text


async def test_the_attempts_refusal_shows_when_to_retry_as_a_timestamp(harness: Harness, gateway: Gateway) -> None:
    await strong(harness, ANA)
    await gateway.run("battle trial", ANA, stage=1)
    for _ in range(harness.app.config.battle.trials.replays_per_day):
        await gateway.run("battle trial", ANA, stage=1)
    answer = (await gateway.run("battle trial", ANA, stage=1)).last.embed
    now = harness.clock.now().astimezone(UTC)
    midnight = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
    assert f"<t:{int(midnight.timestamp())}:R>" in " ".join(f["value"] for f in answer.get("fields", []))


async def test_trials_lists_the_ladder_with_progress(harness: Harness, gateway: Gateway) -> None:
    await strong(harness, ANA)
    await gateway.run("battle trial", ANA, stage=1)
    embed = (await gateway.run("battle trials", ANA)).callback.embed
    lines = embed["description"].splitlines()
    names = [embeds.safe(stage.name) for stage in harness.app.config.battle.trials.stages]
    assert len(lines) == len(names)
    assert lines[0].startswith(f"✓ ` 1` **{names[0]}** — ")
    assert lines[1].startswith(f"▶ ` 2` **{names[1]}** — ")
    assert all(line.startswith("🔒 ") for line in lines[2:])
    assert "Trials cleared: 1" in field(embed, "You")


async def test_the_stage_autocomplete_offers_the_open_stages(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    choices = await gateway.complete("battle trial", ANA, "stage", stage="")
    assert [c["value"] for c in choices] == [1]
    stranger = await gateway.complete("battle trial", BEN, "stage", stage="")
    assert len(stranger) == len(harness.app.config.battle.trials.stages)


def test_a_long_log_is_summarised_by_its_first_and_last_rounds() -> None:
    fighter = BattleFighter(
        id=1, esprit_id="x", name="X", tier="Common", element="Flame", role="Striker", level=1, ascension=0, hp=100
    )
    hit = {"side": "defender", "slot": 0, "esprit_id": "x", "healed": 0, "dodged": False}
    log: list[dict[str, object]] = [
        {"round": r, "side": "attacker", "slot": 0, "esprit_id": "x", "action": "ambush", "crit": r == 2,
         "hits": [{**hit, "damage": r, "hp_after": 60 - 3 * r if r < 20 else 0}]}
        for r in range(1, 21)
    ]  # fmt: skip
    report = BattleReport(
        kind="trial", winner="attacker", rounds=20, seed=1, attackers=[fighter], defenders=[fighter], log=log, stage=1
    )
    lines = battle_embeds.summary(report).splitlines()
    head, tail = battle_embeds.SUMMARY_HEAD, battle_embeds.SUMMARY_TAIL
    assert len(lines) == head + 1 + tail
    assert lines[:2] == ["`R1` dealt 1", "`R2` dealt 2"]
    assert lines[head] == f"⋯ {20 - head - tail} more rounds ⋯"
    assert lines[-1] == f"`R20` dealt 20 · {battle_embeds.KO_MARK} X"
    assert len(battle_embeds.by_round(log)) == 20


# --- /battle team set, /battle duel, /battle standing ---------------------------------------------------


async def test_team_set_then_a_duel_shows_both_ratings(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await strong(harness, BEN)
    anas = await starter_of(harness, ANA)
    saved = (await team_set(gateway, ANA, f"#{anas}")).callback
    assert not saved.ephemeral
    assert saved.embed["title"] == "✓ Defence team saved"
    assert f"`#{anas}`" in field(saved.embed, "Defence team")

    initial = harness.app.config.battle.duels.rating.initial
    dueled = await gateway.run("battle duel", BEN, user=ANA)
    answer = dueled.last
    assert not answer.ephemeral
    assert answer.filenames == [battle_embeds.IMAGE]
    report = shown_log(gateway).report
    assert answer.embed["title"] == outcome_title(report)
    assert f"Duel with <@{ANA.id}>" in answer.embed["description"]
    assert f"`#{anas}`" in field(answer.embed, "Their defence")
    rating = field(answer.embed, "Rating")
    bens_now = (await harness.app.battles.standing(uid(BEN))).rating
    anas_now = (await harness.app.battles.standing(uid(ANA))).rating
    assert f"You: {initial:,} → **{bens_now:,}** ({bens_now - initial:+,})" in rating
    assert f"<@{ANA.id}>: {initial:,} → **{anas_now:,}** ({anas_now - initial:+,})" in rating
    assert bens_now + anas_now == 2 * initial

    standing = (await gateway.run("battle standing", BEN)).callback.embed
    assert f"Rating **{bens_now:,}**" in standing["description"]
    theirs = (await gateway.run("battle standing", BEN, user=ANA)).callback.embed
    assert f"Rating **{anas_now:,}**" in theirs["description"]
    assert f"`#{anas}`" in field(theirs, "Defence team")


async def test_a_self_duel_is_refused(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    anas = await starter_of(harness, ANA)
    await team_set(gateway, ANA, str(anas))
    before = await snapshot(harness.app)
    assert "/battle duel" in refused(await gateway.run("battle duel", ANA, user=ANA), "That's you")
    assert await snapshot(harness.app) == before


async def test_a_duel_needs_the_opponents_defence_and_registration(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await start(gateway, BEN)
    assert "/battle team set" in refused(await gateway.run("battle duel", BEN, user=ANA), "No defence team")
    stranger = Player(100_000_000_000_000_009, "Sid")
    refused(await gateway.run("battle duel", BEN, user=stranger), embeds.REFUSALS["not_registered"][0])


async def test_leaderboard_by_rating_ranks_the_duellists(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    await strong(harness, BEN)
    await team_set(gateway, ANA, str(await starter_of(harness, ANA)))
    await gateway.run("battle duel", BEN, user=ANA)
    ratings = {p.name: (await harness.app.battles.standing(uid(p))).rating for p in (ANA, BEN)}
    board = (await gateway.run("leaderboard", ANA, by="rating")).callback.embed
    assert board["title"] == "Leaderboard · by rating"
    lines = board["description"].splitlines()
    ranked = sorted(ratings, key=lambda name: -ratings[name])
    assert len(lines) == 2
    for line, name in zip(lines, ranked, strict=True):
        assert f"**{name}** — {ratings[name]:,}" in line


async def test_a_hostile_team_option_is_shown_literally(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    hostile = "**[x](https://evil.example)**@everyone"
    text = refused(await gateway.run("battle trial", ANA, stage=1, team=hostile), "That doesn't work")
    assert "\\*\\*\\[x\\]\\(https\\:" in text
    assert "@everyone" not in text
