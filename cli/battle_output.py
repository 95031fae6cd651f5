"""Rich views of battles: a winner banner, both teams, the round-by-round log, rewards and rating; the trial
ladder; a player's battle standing.

The JSON of each command is the service's result itself (`faye.results.BattleReport`, `TrialLadder`,
`BattleStanding`), so a script reads `winner`, `rounds`, `log`, `rewards`, `rating` straight from it. Player ids
and Esprit names reach the console only through `cli.text.safe` (`cli.output.name_text`), never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from rich import box
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cli.output import name_text, rarity_text
from cli.runtime import View
from cli.text import safe
from faye.display import battle_action, money, plural, wallet
from faye.results import BattleFighter, BattleReport, BattleRewards, BattleStanding, RatingChange, TrialLadder

#: A log longer than this many actions shows its first and last rounds, and a count of what lies between.
LOG_ACTIONS: Final = 40
BANNERS: Final = {
    "attacker": ("⚔ Victory!", "bold green"),
    "defender": ("✗ Defeat", "bold red"),
    "draw": ("≈ Draw", "bold yellow"),
}


def fighter_text(view: View, fighter: BattleFighter) -> Text:
    """'Ember Fox Kit (#3) Lv 5 ✦1 · Flame Striker · 120 HP' (no id for a trial's enemy)."""
    mine = f" (#{fighter.id})" if fighter.id is not None else ""
    rank = f" ✦{fighter.ascension}" if fighter.ascension else ""
    return Text.assemble(
        name_text(view, fighter.name, fighter.tier),
        f"{mine} Lv {fighter.level}{rank} · ",
        safe(f"{fighter.element} {fighter.role}"),
        f" · {fighter.hp:,} HP",
    )


def team_table(view: View, report: BattleReport) -> Table:
    """The two teams side by side, slot by slot."""
    table = Table(box=box.SIMPLE_HEAVY)
    table.add_column("You")
    table.add_column(safe(report.opponent) if report.opponent is not None else Text("Enemies"))
    for slot in range(max(len(report.attackers), len(report.defenders))):
        table.add_row(
            *(
                fighter_text(view, team[slot]) if slot < len(team) else Text("")
                for team in (report.attackers, report.defenders)
            )
        )
    return table


def _names(view: View, report: BattleReport) -> dict[tuple[str, int], Text]:
    """Each fighter's name by (side, slot), as the log refers to them."""
    return {
        (side, slot): name_text(view, fighter.name, fighter.tier)
        for side, team in (("attacker", report.attackers), ("defender", report.defenders))
        for slot, fighter in enumerate(team)
    }


def _effect(names: dict[tuple[str, int], Text], hits: Sequence[dict[str, Any]]) -> Text:
    """'Mossback Tortoise −23 (HP 40), Otter dodged', '+15 HP to Otter (HP 90)'."""
    parts = []
    for hit in hits:
        target = names.get((str(hit["side"]), int(hit["slot"])), safe(str(hit["esprit_id"])))
        if hit["dodged"]:
            parts.append(Text.assemble(target, " dodged"))
        elif hit["healed"]:
            parts.append(Text.assemble(f"+{hit['healed']:,} HP to ", target, f" (HP {hit['hp_after']:,})"))
        else:
            parts.append(Text.assemble(target, f" −{hit['damage']:,} (HP {hit['hp_after']:,})"))
    return Text(", ").join(parts) if parts else Text("—", style="dim")


def shown_rounds(log: Sequence[dict[str, Any]], limit: int = LOG_ACTIONS) -> tuple[list[int], list[int]]:
    """The rounds shown in full at the start and at the end of a long log (about `limit` / 2 actions each);
    every round when the whole log fits in `limit` actions."""
    per_round: dict[int, int] = {}
    for action in log:
        per_round[int(action["round"])] = per_round.get(int(action["round"]), 0) + 1
    rounds = sorted(per_round)
    if len(log) <= limit:
        return rounds, []
    head: list[int] = []
    for number in rounds:
        if head and sum(per_round[r] for r in head) + per_round[number] > limit // 2:
            break
        head.append(number)
    tail: list[int] = []
    for number in reversed(rounds[len(head) :]):
        if tail and sum(per_round[r] for r in tail) + per_round[number] > limit // 2:
            break
        tail.insert(0, number)
    return head, tail


def log_table(view: View, report: BattleReport) -> Table:
    """One row per action; beyond LOG_ACTIONS, the first and last rounds with a row counting the rest."""
    names = _names(view, report)
    log: Sequence[dict[str, Any]] = report.log
    head, tail = shown_rounds(log)
    table = Table(title=f"Battle log · {plural(report.rounds, 'round')}", box=box.SIMPLE, title_style="bold")
    table.add_column("Rnd", justify="right", style="dim")
    table.add_column("Who")
    table.add_column("Action")
    table.add_column("Effect")

    def add(action: dict[str, Any]) -> None:
        who = names.get((str(action["side"]), int(action["slot"])), safe(str(action["esprit_id"])))
        mark = Text("You ", style="cyan") if action["side"] == "attacker" else Text("Foe ", style="magenta")
        label = Text(battle_action(str(action["action"])))
        if action["crit"]:
            label.append(" (crit)", style="bold yellow")
        table.add_row(str(action["round"]), Text.assemble(mark, who), label, _effect(names, action["hits"]))

    for action in log:
        if int(action["round"]) in head:
            add(action)
    if tail:
        skipped = [a for a in log if int(a["round"]) not in head and int(a["round"]) not in tail]
        if skipped:
            first, last = int(skipped[0]["round"]), int(skipped[-1]["round"])
            span = f"round {first}" if first == last else f"rounds {first}–{last}"
            table.add_row("…", Text(f"{plural(len(skipped), 'action')} in {span} not shown", style="dim"), "", "")
        for action in log:
            if int(action["round"]) in tail:
                add(action)
    return table


def banner(report: BattleReport) -> Panel:
    words, style = BANNERS.get(report.winner, (report.winner, "bold"))
    if report.kind == "trial":
        subject = Text(f"Trial stage {report.stage}")
    else:
        subject = Text.assemble("Duel against ", safe(report.opponent or "?"))
    detail = Text.assemble(subject, f" · {plural(report.rounds, 'round')} · seed {report.seed}", style="dim")
    return Panel(Text.assemble((words, style), "\n", detail), box=box.HEAVY, expand=False)


def reward_lines(view: View, rewards: BattleRewards) -> None:
    kind = "First clear!" if rewards.first_clear else "Replay reward:"
    view.console.print(
        f"[bold green]✓ {kind}[/] {money({'faylen': rewards.faylen})} · {rewards.xp:,} XP offered to each Esprit"
    )
    for grown in rewards.growth:
        up = f", up {plural(grown.levels_gained, 'level')}" if grown.levels_gained else ""
        capped = " (at its level cap)" if grown.xp_gained < rewards.xp else ""
        view.console.print(
            Text.assemble("  ", safe(grown.name, "bold"), f" (#{grown.id}) +{grown.xp_gained:,} XP{up}{capped}")
            + Text(f" · Lv {grown.level}", style="dim")
        )
    view.console.print(f"  Wallet: {wallet(rewards.balance)}")


def _signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else str(delta)


def rating_line(report: BattleReport, rating: RatingChange) -> Text:
    mine = rating.attacker_after - rating.attacker_before
    theirs = rating.defender_after - rating.defender_before
    return Text.assemble(
        ("Rating ", "bold"),
        f"{rating.attacker_before} → {rating.attacker_after} ({_signed(mine)}) · ",
        safe(report.opponent or "opponent"),
        f" {rating.defender_before} → {rating.defender_after} ({_signed(theirs)})",
    )


def show_battle(report: BattleReport, view: View) -> None:
    view.console.print(banner(report))
    view.console.print(team_table(view, report))
    view.console.print(log_table(view, report))
    if report.rewards is not None:
        reward_lines(view, report.rewards)
    elif report.kind == "trial":
        view.console.print("No reward: only a win pays.", style="dim")
    if report.rating is not None:
        view.console.print(rating_line(report, report.rating))
    left = "Replays" if report.kind == "trial" else "Duels"
    view.console.print(f"{left} left today: {report.attempts_left}", style="dim")


def show_trials(ladder: TrialLadder, view: View) -> None:
    table = Table(title="Trials", box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("Stage", justify="right")
    table.add_column("Name")
    table.add_column("Enemies")
    table.add_column("First clear")
    table.add_column("Replay")
    table.add_column("Status")
    for stage in ladder.stages:
        foes = Text("\n").join(
            Text.assemble(name_text(view, f.name, f.tier), f" Lv {f.level}", f" ✦{f.ascension}" if f.ascension else "")
            for f in stage.enemies
        )
        if stage.cleared:
            status = Text("✓ cleared", style="green")
        elif stage.open:
            status = Text("▶ next", style="bold cyan")
        else:
            status = Text("locked", style="dim")
        table.add_row(
            str(stage.stage),
            safe(stage.name),
            foes,
            f"🪙 {stage.first_clear_faylen:,} · {stage.first_clear_xp:,} XP",
            f"🪙 {stage.replay_faylen:,} · {stage.replay_xp:,} XP",
            status,
        )
    view.console.print(table)
    standing = ladder.standing
    view.console.print(
        f"Cleared {standing.trial_cleared} of {len(ladder.stages)} · replays left today: {standing.replays_left}",
        style="dim",
    )


def defence_table(view: View, defence: Sequence[BattleFighter]) -> Table:
    table = Table(title="Defence team", box=box.SIMPLE, title_style="bold")
    table.add_column("Esprit")
    table.add_column("Rarity")
    for fighter in defence:
        table.add_row(fighter_text(view, fighter), rarity_text(view, fighter.tier))
    return table


def show_standing(standing: BattleStanding, view: View) -> None:
    view.console.print(
        Text.assemble(
            safe(standing.user_id, "bold"),
            f" · rating {standing.rating} · {standing.wins}W {standing.losses}L {standing.draws}D",
        )
    )
    view.console.print(
        f"  Duels left today: {standing.duels_left} · trials cleared: {standing.trial_cleared} · "
        f"replays left today: {standing.replays_left}"
    )
    if standing.defence:
        view.console.print(defence_table(view, standing.defence))
    else:
        view.console.print("  No defence team: save one with `faye battle team set ID,ID,ID`.", style="dim")


def show_team_saved(standing: BattleStanding, view: View) -> None:
    view.console.print(f"[bold green]✓ Defence team saved[/] ({plural(len(standing.defence), 'Esprit')}).")
    view.console.print(defence_table(view, standing.defence))
