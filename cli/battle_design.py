"""The Rich view of `faye sim battles`: the battle matrix's summaries and outliers, or what a --what-if moved.

The whole matrix is too wide for a terminal; --json holds it and --plot draws it. Names of Esprits, tiers,
elements and roles are the designers' text: shown through `cli.text.safe`, never as markup. The JSON document
is the report itself (faye.battle.matrix.BattleReport, faye.battle.what_if.WhatIf), as the other tools'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from cli.design import NONE, _table, percent
from cli.output import name_text, rarity_text
from cli.runtime import View
from cli.text import safe
from faye.battle.matrix import BattleReport, ElementOutlier, ElementVersus, EspritOutlier, GroupResult
from faye.battle.what_if import WhatIf
from faye.text import printable

if TYPE_CHECKING:
    from faye.plots import Chart

MARKS = {"above": Text("▲ above", style="bold red"), "below": Text("▼ below", style="bold yellow")}


def show_battles(result: BattleReport | WhatIf, view: View) -> None:
    if isinstance(result, WhatIf):
        _show_what_if(result, view)
    else:
        _show_report(result, view)


def battle_chart(report: BattleReport) -> Chart:
    """The matrix as a heatmap, Esprits in the game data's order with a line between tiers (matplotlib is
    imported only when a plot is asked for)."""
    from faye.plots import win_rate_heatmap

    title = (
        f"{report.battles_per_pair:,} battles a pair, level {report.level}, rank {report.ascension}, team of "
        f"{report.team_size}, seed {report.seed}"
    )
    esprits = report.esprits
    return win_rate_heatmap(report.matrix, [e.name for e in esprits], [e.tier for e in esprits], title)


def _rate(value: float | None) -> str:
    return percent(value, 3)


def _headline(report: BattleReport) -> str:
    esprits = len(report.esprits)
    team = "one Esprit a side" if report.team_size == 1 else f"teams of {report.team_size} copies of one Esprit"
    return (
        f"[bold]{esprits} Esprits, each against every one[/]: {report.battles_per_pair:,} battles a pair "
        f"({report.battles:,} battles), level {report.level}, ascension rank {report.ascension}, {team}, seed "
        f"{report.seed}: {report.seconds:.1f} s on {report.workers} process{'es' if report.workers > 1 else ''}; "
        f"{_rate(report.draws)} draws, {report.mean_rounds:.1f} rounds a battle"
    )


def _show_report(report: BattleReport, view: View) -> None:
    view.console.print(_headline(report))
    esprits = _table(
        "Esprits by win rate", "Esprit", "Tier", "Element", "Role", "Win rate", "Attacking", "Defending", ""
    )
    for esprit in sorted(report.esprits, key=lambda e: -e.win_rate):
        esprits.add_row(
            name_text(view, esprit.name, esprit.tier),
            rarity_text(view, esprit.tier),
            safe(esprit.element),
            safe(esprit.role),
            _rate(esprit.win_rate),
            _rate(esprit.as_attacker),
            _rate(esprit.as_defender),
            MARKS[esprit.outlier] if esprit.outlier else "",
        )
    view.console.print(esprits)
    tiers = _table("Tiers", "Tier", "Esprits", "Mean", "Lowest", "Highest")
    for tier in report.tiers:
        tiers.add_row(
            rarity_text(view, tier.tier), str(tier.esprits), _rate(tier.win_rate), _rate(tier.low), _rate(tier.high)
        )
    view.console.print(tiers)
    view.console.print(
        _versus("Elements (same-tier pairs; ▲ favoured, ▼ unfavoured by the advantage table)", report.elements)
    )
    view.console.print(_versus("Roles (same-tier pairs)", report.roles))
    _show_outliers(report, view)
    for line in (
        "Win rate: the mean score against every other Esprit, attacking and defending alike (a draw scores half).",
        f"Outlier: more than {_rate(report.band)} from the mean win rate of the other Esprits of its tier; an "
        "element pair misses the table when favoured (▲) but not above 50 %, or unfavoured (▼) but not below.",
        "Row against column; --json holds the whole matrix, --plot draws it.",
    ):
        view.console.print(f"  {line}", style="dim")


def _versus(title: str, groups: list[GroupResult]) -> Table:
    """A group-against-group table: the row's mean score against the column (headers are markup: escaped)."""
    table = _table(title, "", "Esprits", "Win rate", *(escape(printable(group.name)) for group in groups))
    for group in groups:
        against = {pair.against: pair for pair in group.versus}
        cells: list[str | Text] = []
        for other in groups:
            pair = against.get(other.name)
            if pair is None or pair.win_rate is None:
                cells.append(Text(NONE, style="dim"))
                continue
            text = f"{pair.win_rate * 100:.0f}"
            if isinstance(pair, ElementVersus):
                mark = {"favoured": "▲", "unfavoured": "▼", "even": ""}[pair.intent]
                style = "bold red" if pair.as_intended is False else "green" if mark else ""
                cells.append(Text(f"{mark}{text}", style=style))
            else:
                cells.append(text)
        table.add_row(safe(group.name), str(group.esprits), _rate(group.win_rate), *cells)
    return table


def _show_outliers(report: BattleReport, view: View) -> None:
    if not report.outliers:
        view.console.print("  No outliers: every Esprit within its tier's band, every element pair as intended.")
        return
    view.console.print("[bold]Outliers[/]")
    for outlier in report.outliers:
        if isinstance(outlier, EspritOutlier):
            line = Text.assemble(
                "  ",
                MARKS[outlier.direction],
                " ",
                name_text(view, outlier.name, outlier.tier),
                f" wins {_rate(outlier.win_rate)}; the other ",
                rarity_text(view, outlier.tier),
                f" Esprits {_rate(outlier.tier_others)} on average",
            )
        else:
            line = _element_line(outlier)
        view.console.print(line)


def _element_line(outlier: ElementOutlier) -> Text:
    return Text.assemble(
        "  ",
        MARKS[outlier.direction],
        " ",
        safe(outlier.attacker, "bold"),
        " against ",
        safe(outlier.defender, "bold"),
        f": {_rate(outlier.win_rate)}, though the advantage table has it {outlier.intent}",
    )


def _show_what_if(result: WhatIf, view: View) -> None:
    view.console.print(
        Text.assemble(
            ("What moved", "bold"),
            " with the game data in ",
            safe(result.what_if),
            f" (same seeds): win rates that changed by more than {_rate(result.threshold)}",
        )
    )
    view.console.print(f"  {_headline(result.after)}", style="dim")
    if not result.moved:
        view.console.print("  Nothing moved that far.")
    else:
        moved = _table(None, "Esprit", "Tier", "Before", "After", "Change")
        for esprit in result.moved:
            change = NONE if esprit.change is None else f"{esprit.change * 100:+.1f} pts"
            moved.add_row(
                name_text(view, esprit.name, esprit.tier),
                rarity_text(view, esprit.tier),
                _rate(esprit.before),
                _rate(esprit.after),
                change,
            )
        view.console.print(moved)
    _show_outliers(result.after, view)
