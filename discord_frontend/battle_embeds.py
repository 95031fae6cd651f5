"""The embeds of battles: a battle's result and its log a round a page, the trial ladder, a battle standing.

Kept apart from `embeds` (which they build on: `safe`, `clip`, rarity labels, wallets) because only the battle
cog and its log pager use them. A battle's first page is its result: who won in how many rounds, both teams,
rewards or rating, and the whole log summarised a line per round (a long battle shows its first and last rounds
and how many lie between); every later page is one round's actions in full. Esprit names are designers' text and
player ids are players': both go through `safe` / `player_ref`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

import discord

from discord_frontend.embeds import (
    BRAND,
    DESCRIPTION_LIMIT,
    FAILED,
    FIELD_LIMIT,
    RANK_MARK,
    REFUSED,
    SUCCESS,
    clip,
    player_ref,
    rarity_label,
    safe,
)
from faye.display import CURRENCY_ICONS, battle_action, plural, wallet

if TYPE_CHECKING:
    from faye.config import GameConfig
    from faye.results import BattleFighter, BattleReport, BattleStanding, RatingChange, TrialLadder

#: How the player (always the attacker) reads the outcome: title and colour.
OUTCOMES: Final[Mapping[str, tuple[str, discord.Colour]]] = {
    "attacker": ("⚔ Victory", SUCCESS),
    "defender": ("✗ Defeat", FAILED),
    "draw": ("≈ Draw", REFUSED),
}
#: The mark of each side in the log: the player's team, and the enemy's.
SIDE_MARKS: Final[Mapping[str, str]] = {"attacker": "🔵", "defender": "🔴"}
KO_MARK: Final = "💀"
CRIT_MARK: Final = "💥"
#: Rounds the result's summary lists one by one; a longer battle shows its first and last few.
SUMMARY_ROUNDS: Final = 8
SUMMARY_HEAD: Final = 4
SUMMARY_TAIL: Final = 3
#: A round's totals in the summary, in this order.
ROUND_TOTALS: Final = ("dealt", "taken", "you healed", "they healed")
#: The filename the battle's image is attached as.
IMAGE: Final = "battle.png"

Action = Mapping[str, object]
Hit = Mapping[str, object]


def hits_of(action: Action) -> list[Hit]:
    """An action's hits (the log is JSON-shaped: a list or tuple of mappings)."""
    hits = action.get("hits")
    return [hit for hit in hits if isinstance(hit, Mapping)] if isinstance(hits, list | tuple) else []


def integer(value: object) -> int:
    return value if isinstance(value, int) else 0


def by_round(log: Sequence[Action]) -> list[list[Action]]:
    """The log's actions grouped by round, in order (round 1 first)."""
    rounds: dict[int, list[Action]] = {}
    for action in log:
        rounds.setdefault(integer(action.get("round")), []).append(action)
    return [rounds[r] for r in sorted(rounds)]


def names(report: BattleReport) -> dict[tuple[str, int], str]:
    """Each fighter's name, escaped, by (side, slot) as the log refers to them."""
    return {
        (side, slot): safe(fighter.name)
        for side, team in (("attacker", report.attackers), ("defender", report.defenders))
        for slot, fighter in enumerate(team)
    }


def _who(known: Mapping[tuple[str, int], str], side: object, slot: object) -> str:
    return known.get((str(side), integer(slot)), "?")


def fighter_line(config: GameConfig, fighter: BattleFighter) -> str:
    """'`#3` 🟩 Uncommon **Gale Sparrow** ✪1 · Lv 5 · Gale Skirmisher · 146 HP' (no id for a trial's enemy)."""
    mine = f"`#{fighter.id}` " if fighter.id is not None else ""
    rank = f" {RANK_MARK}{fighter.ascension}" if fighter.ascension else ""
    return (
        f"{mine}{rarity_label(config, fighter.tier)} **{safe(fighter.name)}**{rank} · Lv {fighter.level} · "
        f"{safe(fighter.element)} {safe(fighter.role)} · {fighter.hp:,} HP"
    )


def team_value(config: GameConfig, team: Sequence[BattleFighter]) -> str:
    return clip([fighter_line(config, f) for f in team], FIELD_LIMIT) if team else "nobody"


def effect(known: Mapping[tuple[str, int], str], hit: Hit) -> str:
    """'Ember Fox Kit −23 (97 HP)', 'Otter +15 (90 HP)', 'Otter dodged', with 💀 when it falls."""
    target = _who(known, hit.get("side"), hit.get("slot"))
    after = integer(hit.get("hp_after"))
    if hit.get("dodged"):
        return f"{target} dodged"
    if healed := integer(hit.get("healed")):
        return f"{target} +{healed:,} ({after:,} HP)"
    fell = f" {KO_MARK}" if after == 0 else ""
    return f"{target} −{integer(hit.get('damage')):,} ({after:,} HP){fell}"


def action_line(known: Mapping[tuple[str, int], str], action: Action) -> str:
    """'🔵 **Gale Sparrow** · Ambush 💥 → Ember Fox Kit −23 (97 HP)'."""
    side = str(action.get("side"))
    name = str(action.get("action"))
    crit = f" {CRIT_MARK}" if action.get("crit") else ""
    effects = ", ".join(effect(known, hit) for hit in hits_of(action)) or "no effect"
    return (
        f"{SIDE_MARKS.get(side, '·')} **{_who(known, side, action.get('slot'))}** · "
        f"{safe(battle_action(name))}{crit} → {effects}"
    )


def round_line(known: Mapping[tuple[str, int], str], round_number: int, actions: Sequence[Action]) -> str:
    """'`R3` dealt 48 · taken 12 · they healed 15 · 💀 Ember Fox Kit': a round as the player's team saw it."""
    totals: Counter[str] = Counter()
    fallen = []
    for action in actions:
        for hit in hits_of(action):
            side = str(hit.get("side"))
            if healed := integer(hit.get("healed")):
                totals["you healed" if side == "attacker" else "they healed"] += healed
                continue
            totals["dealt" if side == "defender" else "taken"] += integer(hit.get("damage"))
            if integer(hit.get("hp_after")) == 0 and not hit.get("dodged"):
                fallen.append(_who(known, side, hit.get("slot")))
    parts = [f"{word} {totals[word]:,}" for word in ROUND_TOTALS if totals[word]]
    parts += [f"{KO_MARK} {name}" for name in dict.fromkeys(fallen)]
    return f"`R{round_number}` " + (" · ".join(parts) or "no damage")


def summary(report: BattleReport) -> str:
    """The log a line per round; a battle of more than SUMMARY_ROUNDS rounds shows its first and last rounds
    and a count of those between (every round is on its own page anyway)."""
    known = names(report)
    lines = [round_line(known, i, actions) for i, actions in enumerate(by_round(report.log), start=1)]
    if len(lines) > SUMMARY_ROUNDS:
        hidden = len(lines) - SUMMARY_HEAD - SUMMARY_TAIL
        lines = [*lines[:SUMMARY_HEAD], f"⋯ {plural(hidden, 'more round')} ⋯", *lines[-SUMMARY_TAIL:]]
    return clip(lines, FIELD_LIMIT) if lines else "Nobody acted."


def rating_value(change: RatingChange, opponent: str | None) -> str:
    def moved(before: int, after: int) -> str:
        return f"{before:,} → **{after:,}** ({after - before:+,})"

    them = player_ref(opponent) if opponent is not None else "Them"
    return (
        f"You: {moved(change.attacker_before, change.attacker_after)}\n"
        f"{them}: {moved(change.defender_before, change.defender_after)}"
    )


def headline(report: BattleReport, config: GameConfig) -> str:
    """'Trial 2 · Mossy Ford', 'Duel with @Ben'."""
    if report.kind == "duel":
        return f"Duel with {player_ref(report.opponent)}" if report.opponent is not None else "Duel"
    stages = config.battle.trials.stages
    stage = report.stage or 0
    name = f" · {safe(stages[stage - 1].name)}" if 1 <= stage <= len(stages) else ""
    return f"Trial {stage}{name}"


def outcome(report: BattleReport) -> tuple[str, discord.Colour]:
    return OUTCOMES.get(report.winner, (safe(report.winner), BRAND))


def battle(report: BattleReport, config: GameConfig, pages: int) -> discord.Embed:
    """A battle's first page: the outcome, both teams, what it paid or moved, and the log in brief."""
    title, colour = outcome(report)
    rounds = plural(report.rounds, "round")
    verdict = {"attacker": f"You won in {rounds}.", "defender": f"You lost in {rounds}."}
    embed = discord.Embed(
        title=title,
        colour=colour,
        description=f"{headline(report, config)}\n{verdict.get(report.winner, f'A draw after {rounds}.')}",
    )
    embed.add_field(name="Your team", value=team_value(config, report.attackers), inline=False)
    them = "Their defence" if report.kind == "duel" else "Enemies"
    embed.add_field(name=them, value=team_value(config, report.defenders), inline=False)
    rewards = report.rewards
    if rewards is not None:
        first = " · first clear!" if rewards.first_clear else ""
        grown = [
            f"**{safe(g.name)}** +{g.xp_gained:,} XP" + (f" · ⬆ level {g.level}" if g.levels_gained else "")
            for g in rewards.growth
        ]
        paid = f"{CURRENCY_ICONS['faylen']} {rewards.faylen:,} faylen{first}"
        embed.add_field(name="Rewards", value=clip([paid, *grown], FIELD_LIMIT), inline=False)
        embed.add_field(name="Wallet", value=wallet(rewards.balance), inline=False)
    elif report.kind == "trial":
        embed.add_field(name="Rewards", value="None: only a win pays.", inline=False)
    if report.rating is not None:
        embed.add_field(name="Rating", value=rating_value(report.rating, report.opponent), inline=False)
    embed.add_field(name="Log", value=summary(report), inline=False)
    left = "duels" if report.kind == "duel" else "trial replays"
    embed.set_footer(text=f"{report.attempts_left} {left} left today · page 1 of {pages}: the log by round ▶")
    return embed


def round_page(report: BattleReport, round_number: int, actions: Sequence[Action], pages: int) -> discord.Embed:
    """One round of the log, every action and what it did."""
    _, colour = outcome(report)
    known = names(report)
    embed = discord.Embed(
        title=f"Round {round_number} of {report.rounds}",
        colour=colour,
        description=clip([action_line(known, action) for action in actions], DESCRIPTION_LIMIT) or "Nobody acted.",
    )
    embed.set_footer(text=f"🔵 your team · 🔴 theirs · page {round_number + 1} of {pages}")
    return embed


# --- the ladder and standings ---------------------------------------------------------------------------

STAGE_MARKS: Final = {"cleared": "✓", "open": "▶", "locked": "🔒"}


def standing_lines(standing: BattleStanding) -> list[str]:
    record = f"{standing.wins:,} W · {standing.losses:,} L · {standing.draws:,} D"
    return [
        f"Rating **{standing.rating:,}** · {record}",
        f"Duels left today: {standing.duels_left} · trial replays left: {standing.replays_left}",
        f"Trials cleared: {standing.trial_cleared}",
    ]


def trials(ladder: TrialLadder, config: GameConfig) -> discord.Embed:
    lines = []
    for stage in ladder.stages:
        mark = STAGE_MARKS["cleared" if stage.cleared else "open" if stage.open else "locked"]
        foes = ", ".join(f"{safe(e.name)} Lv {e.level}" for e in stage.enemies)
        faylen = CURRENCY_ICONS["faylen"]
        pays = (
            f"replay {faylen} {stage.replay_faylen:,} +{stage.replay_xp:,} XP"
            if stage.cleared
            else f"first clear {faylen} {stage.first_clear_faylen:,} +{stage.first_clear_xp:,} XP"
        )
        lines.append(f"{mark} `{stage.stage:>2}` **{safe(stage.name)}** — {foes} · {pays}")
    embed = discord.Embed(title="Trials", colour=BRAND, description=clip(lines, DESCRIPTION_LIMIT))
    embed.add_field(name="You", value="\n".join(standing_lines(ladder.standing)), inline=False)
    embed.set_footer(text="/battle trial stage: fights one · ✓ cleared · ▶ next · 🔒 locked")
    return embed


def standing(standing: BattleStanding, config: GameConfig, *, title: str | None = None) -> discord.Embed:
    embed = discord.Embed(
        title=title or "Battle standing",
        colour=BRAND,
        description=f"{player_ref(standing.user_id)}\n" + "\n".join(standing_lines(standing)),
    )
    defence = team_value(config, standing.defence) if standing.defence else "None saved: /battle team set"
    embed.add_field(name="Defence team", value=defence, inline=False)
    return embed


def team_saved(saved: BattleStanding, config: GameConfig) -> discord.Embed:
    embed = standing(saved, config, title="✓ Defence team saved")
    embed.colour = SUCCESS
    return embed
