"""The designer tools' plumbing and Rich views: they run on the game data alone, never opening the database.

Commands import this module inside their bodies, so `faye --help` never loads it (nor numpy behind it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from cli.output import name_text, rarity_text
from cli.runtime import (
    Target,
    View,
    check_writable,
    console,
    emit_json,
    load_settings,
    to_jsonable,
    write_file,
)
from cli.text import safe
from faye.config import GameConfig, load_config
from faye.errors import InvalidArgument

if TYPE_CHECKING:
    from faye.gacha.banner_sim import CollectionReport, CopiesReport, Simulated
    from faye.gacha.economy import EconomyReport
    from faye.gacha.exact import Disclosure
    from faye.gacha.progression_sim import ProgressionReport, ProgressMilestone
    from faye.gacha.simulate import Spread, SummonReport
    from faye.plots import Chart

T = TypeVar("T")

NONE = "—"


def offline(target: Target, work: Callable[[GameConfig], T]) -> tuple[T, GameConfig]:
    """Load the game data (--config-dir / FAYE_CONFIG_DIR) and run `work` on it (errors: `cli.runtime.guard`)."""
    settings = load_settings(target)
    config = load_config(settings.config_dir, settings.assets_dir)
    return work(config), config


def check_plot_path(plot: Path | None) -> None:
    """Refuse a --plot path that cannot take a PNG before spending time on a simulation."""
    if plot is None:
        return
    if plot.suffix.lower() != ".png":
        raise InvalidArgument(f"--plot writes a PNG: give a path ending in .png, not {plot.name!r}", field="plot")
    check_writable(plot, "--plot")


def write_plot(draw: Callable[[], Chart], plot: Path) -> None:
    """Draw and save a chart; a path that cannot be written is bad input (exit 2), not a crash."""
    write_file(plot, draw().png(), "--plot")


def present(target: Target, result: T, config: GameConfig, show: Callable[[T, View], None], **extra: str) -> None:
    """One JSON document (the result, plus `extra` keys), or the Rich view."""
    if target.as_json:
        emit_json({**to_jsonable(result), **extra})
    else:
        show(result, View(console(), config))
        for key, value in extra.items():
            console().print(Text.assemble(f"  {key}: ", safe(value)), style="dim")  # a path the user chose


@contextmanager
def progress_bar(label: str, total: int, *, shown: bool, after: float = 0.0) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr for long runs; yields the callback to advance it (None when not shown).

    With `after`, the bar appears only once the run has lasted that many seconds, so a quick run prints nothing."""
    if not shown:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    progress = Progress(*columns, console=console(stderr=True), transient=True)
    task = progress.add_task(label, total=total)
    started = time.monotonic()
    live = False

    def advance(done: int) -> None:
        nonlocal live
        progress.advance(task, done)
        if not live and time.monotonic() - started >= after:
            progress.start()
            live = True

    try:
        yield advance
    finally:
        if live:
            progress.stop()


# --- views ----------------------------------------------------------------------------------------------


def percent(value: float | None, digits: int = 4) -> str:
    """A rate as a percentage with up to `digits` significant digits: 0.016052 -> "1.605%", 0.55 -> "55%"."""
    return NONE if value is None else f"{value * 100:.{digits}g}%"


def measured(value: float, digits: int = 5) -> str:
    """A rate to compare with another: always `digits` significant digits, trailing zeros kept."""
    return f"{value * 100:#.{digits}g}".rstrip(".") + "%"


def number(value: int | None) -> str:
    return NONE if value is None else f"{value:,}"


def spread(value: Spread | None) -> str:
    """ "p50/p90/p99/max" pulls."""
    if value is None:
        return NONE
    return "/".join(number(v) for v in (value.p50, value.p90, value.p99, value.max))


def _table(title: str | None, *headers: str) -> Table:
    """A compact table; the first column (the tier) left-aligned, the numbers right-aligned, nothing wrapped."""
    table = Table(title=title, box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False, collapse_padding=True)
    for i, header in enumerate(headers):
        table.add_column(header, justify="right" if i else "left", no_wrap=True)
    return table


def show_rates(disclosure: Disclosure, view: View) -> None:
    headers = ("Tier", "Base", "Long run", "Mean", "p50", "p90", "p99", "Max", "10× new", "10× long")
    table = _table("Odds disclosure", *headers)
    for odds in disclosure.tiers:
        table.add_row(
            rarity_text(view, odds.name),
            percent(odds.base_rate),
            percent(odds.consolidated_rate),
            f"{odds.mean_pulls:.2f}",
            number(odds.p50_pulls),
            number(odds.p90_pulls),
            number(odds.p99_pulls),
            number(odds.max_pulls) if odds.max_pulls is not None else "∞",
            percent(odds.ten_pull_at_least_one_fresh, 3),
            percent(odds.ten_pull_at_least_one, 3),
        )
    view.console.print(table)
    for line in (
        "Long run: the share of all pulls, pity included.",
        "Mean, p50 … Max: pulls for a new account to get one of this tier or higher (pity counters reset on the "
        "tier or any higher one); p90 = nine players in ten have one by then; Max = hard pity.",
        "10×: the chance a 10-pull holds one of this tier or higher, for a new account and in the long run.",
        f"Exact: a Markov chain over {disclosure.states:,} pity states, no sampling.",
    ):
        view.console.print(f"  {line}", style="dim")
    if disclosure.esprits:
        banner = view.config.banners_by_id.get(disclosure.banner or "")
        title = Text.assemble("Each Esprit on ", safe(banner.name if banner else str(disclosure.banner)))
        esprits = _table(None, "Esprit", "Tier", "Featured", "Long run")
        esprits.title = title
        for each in disclosure.esprits:
            esprits.add_row(
                name_text(view, each.name, each.tier),
                rarity_text(view, each.tier),
                "★" if each.featured else "",
                measured(each.rate, 4),
            )
        view.console.print(esprits)
        view.console.print(
            "  Long run: the share of all pulls on this banner, pity and the featured guarantee included; "
            f"together {percent(sum(o.rate for o in disclosure.esprits), 6)}.",
            style="dim",
        )


def show_summons(report: SummonReport, view: View) -> None:
    start = "new accounts" if report.fresh else "the long-run pity distribution"
    view.console.print(
        f"[bold]{report.pulls:,} simulated pulls[/] ({report.mode}) by {report.players:,} players from {start}, "
        f"seed {report.seed}: {report.seconds:.2f} s, {report.pulls_per_second / 1e6:.0f} M pulls/s"
    )
    rates = _table(None, "Tier", "Pulls", "Simulated", "Exact", "95 % interval", "", f"{report.currency} each")
    for tier in report.tiers:
        low, high = tier.ci95
        rates.add_row(
            rarity_text(view, tier.name),
            f"{tier.count:,}",
            measured(tier.observed_rate),
            measured(tier.exact_rate),
            f"{measured(low, 4)}–{measured(high, 4)}",
            Text("✓", style="green") if tier.within_ci else Text("✗", style="bold red"),
            NONE if tier.cost_each is None else f"{tier.cost_each:,.0f}",
        )
    view.console.print(rates)
    what = "to the first one" if report.fresh else "between two"
    ten = report.mode == "ten"
    extra = ("10× simulated", "10× exact") if ten else ()
    pulls = _table(f"Pulls {what} (p50/p90/p99/max)", "Tier or higher", "Simulated", "Exact", *extra)
    for tier in report.tiers:
        row: list[str | Text] = [
            rarity_text(view, tier.name),
            spread(tier.first if report.fresh else tier.between),
            spread(tier.exact_first if report.fresh else tier.exact_between),
        ]
        if ten:
            row += [percent(tier.ten_pull_at_least_one, 3), percent(tier.exact_ten_pull_at_least_one, 3)]
        pulls.add_row(*row)
    view.console.print(pulls)
    notes = ["Simulated pull counts come from the pity counters (tiers with pity)."]
    if ten:
        notes.append("10×: the share of 10-pulls holding one of the tier or higher.")
    for note in notes:
        view.console.print(f"  {note}", style="dim")


def show_economy(report: EconomyReport, view: View) -> None:
    view.console.print(
        f"[bold]{report.players:,} free players over {report.days} days[/], strategy {report.strategy!r} "
        f"(1 pull {report.single_cost:,}, 10 pulls {report.ten_cost:,} {report.currency}), seed {report.seed}: "
        f"{report.pulls_per_player:,.1f} pulls each, {report.pulls_per_player / report.days:.2f} a day, "
        f"level {report.level[-1]:.1f} at the end"
    )
    firsts = _table("First pull of the tier or higher", "Tier", "Players who got one", "Median day", "90 % by day")
    for milestone in report.tiers:
        firsts.add_row(
            rarity_text(view, milestone.name),
            percent(milestone.reached, 3),
            number(milestone.p50_days),
            number(milestone.p90_days),
        )
    view.console.print(firsts)
    sources = list(dict.fromkeys(r for flow in report.currencies for r in flow.sources))
    sinks = list(dict.fromkeys(r for flow in report.currencies for r in flow.sinks))
    headers = [reason.replace("_", " ") for reason in (*sources, *sinks)]
    flows = _table("Currency per player over the projection", "Currency", *headers, "end balance")
    for flow in report.currencies:
        moved = [f"+{flow.sources[r]:,.0f}" if r in flow.sources else NONE for r in sources]
        moved += [f"−{flow.sinks[r]:,.0f}" if r in flow.sinks else NONE for r in sinks]
        flows.add_row(flow.currency, *moved, f"{flow.end_balance:,.0f}")
    view.console.print(flows)
    view.console.print(
        f"  Each player's starter, trained and ascended: level {report.partner_level[-1]:.1f}, rank "
        f"{report.partner_rank[-1]:.2f} on average at the end.",
        style="dim",
    )


def _progress_row(milestone: ProgressMilestone) -> tuple[str, ...]:
    return (
        percent(milestone.reached, 3),
        number(milestone.day.p10),
        number(milestone.day.p50),
        number(milestone.day.p90),
        number(milestone.faylen.p50),
        number(milestone.virelite.p50),
    )


def show_progression(report: ProgressionReport, view: View) -> None:
    view.console.print(
        Text.assemble(
            (f"One {report.rarity} Esprit", "bold"),
            f" for {report.players:,} free players over {report.days:,} days, strategy {report.strategy!r}, seed "
            f"{report.seed}: {report.pulls_per_player:,.1f} pulls and {report.copies_per_player:.2f} duplicates "
            f"each; a pull is a duplicate with chance {percent(report.copy_rate, 3)} ({report.species} Esprits "
            f"share the tier's {percent(report.tier_rate, 4)}); {report.seconds:.2f} s",
        )
    )
    columns = ("Players", "p10 day", "Median day", "p90 day", "faylen", "virelite")
    caps = {m.level_cap for m in report.ranks} | {report.levels[0].level_cap}
    levels = _table("Levels", "Level", *columns)
    for milestone in report.levels:
        if milestone.value == 1 or milestone.value % 5 == 0 or milestone.value in caps:
            name = "1 (pulled)" if milestone.value == 1 else str(milestone.value)
            levels.add_row(name, *_progress_row(milestone))
    view.console.print(levels)
    ranks = _table("Ascension", "Rank", "Level cap", *columns)
    for milestone in report.ranks:
        ranks.add_row(str(milestone.value), str(milestone.level_cap), *_progress_row(milestone))
    view.console.print(ranks)
    for line in (
        "Players: the share who got there within the run. Days: by then 10 %, half and 90 % of them had (— if "
        "fewer did).",
        "faylen and virelite: the median spent on the Esprit by then, among the players who got there; --json "
        "has every level and p10/p50/p90.",
    ):
        view.console.print(f"  {line}", style="dim")


def _simulated_row(simulated: Simulated) -> tuple[str, ...]:
    """Mean (with its 95 % interval) and p50/p90/p99/max of simulated players."""
    if simulated.spread is None:
        return (NONE, NONE)
    low, high = simulated.mean_ci95
    return (f"{simulated.spread.mean:,.1f} ± {(high - low) / 2:,.1f}", spread(simulated.spread))


def _agrees(agrees: bool | None) -> Text:
    if agrees is None:
        return Text("")
    return Text("✓", style="green") if agrees else Text("✗", style="bold red")


def show_banner_copies(report: CopiesReport, view: View) -> None:
    featured = "featured" if report.featured else "not featured"
    view.console.print(
        Text.assemble(
            (f"{report.copies} × ", "bold"),
            name_text(view, report.esprit_name, report.tier),
            f" ({report.tier}, {featured}) on ",
            safe(report.banner_name),
            f", from a new account; {report.simulated.players:,} simulated players, seed {report.simulated.seed}",
        )
    )
    headers = [
        "",
        "Mean pulls",
        "p50/p90/p99/max",
        "Within budget" if report.budget is None else f"Within {report.budget:,}",
    ]
    table = _table(None, *headers, "")
    exact_budget = NONE if report.exact_within_budget is None else percent(report.exact_within_budget, 4)
    table.add_row("Exact", f"{report.exact.mean:,.3f}", spread(report.exact), exact_budget, "")
    simulated_budget = NONE
    if report.simulated_within_budget is not None and report.simulated_within_budget_ci95 is not None:
        low, high = report.simulated_within_budget_ci95
        simulated_budget = f"{percent(report.simulated_within_budget, 4)} ({percent(low, 3)}–{percent(high, 3)})"
    table.add_row("Simulated", *_simulated_row(report.simulated), simulated_budget, _agrees(report.mean_agrees))
    view.console.print(table)
    for line in (
        "Exact: a walk over the pity states, the tier's guarantee and the copies so far "
        f"({report.states:,} states), {report.exact_seconds:.2f} s; Max only where pity and the guarantee bound it.",
        "Simulated: mean ± its 95 % interval; ✓ when the exact mean (and the exact budget chance) lie inside.",
        "p50 … p99: the smallest number of pulls by which that share of players has every copy.",
    ):
        view.console.print(f"  {line}", style="dim")
    if report.budget_agrees is False:
        view.console.print("  The exact budget chance lies outside the simulated 95 % interval.", style="bold red")


def show_collection(report: CollectionReport, view: View) -> None:
    what = f"every {report.tier} Esprit" if report.tier else "the whole roster"
    view.console.print(
        Text.assemble(
            (f"Owning {what}", "bold"),
            f" ({len(report.esprits)} Esprits) on ",
            safe(report.banner_name),
            f", from a new account; {report.simulated.players:,} simulated players, seed {report.simulated.seed}",
        )
    )
    table = _table(None, "", "Mean pulls", "p50/p90/p99/max", "Days")
    table.add_row("Exact (independent)", f"{report.exact_mean:,.2f}", NONE, f"{report.exact_days:,.1f}")
    days = NONE if report.simulated_days is None else f"{report.simulated_days:,.1f}"
    table.add_row("Simulated (pity)", *_simulated_row(report.simulated), days)
    view.console.print(table)
    rarest = min(report.esprits, key=lambda odds: odds.rate)
    for line in (
        f"Exact for independent draws at each Esprit's long-run rate (the rarest, {rarest.name}: "
        f"{measured(rarest.rate, 4)} a pull); pity makes real draws slightly dependent, the simulation keeps it.",
        f"Days: for a free player at {report.pulls_per_day:.2f} pulls a day, its average over the economy "
        f"projection's first {report.economy_days} days.",
    ):
        view.console.print(Text.assemble("  ", safe(line)), style="dim")
    if report.simulated.unfinished:
        view.console.print(
            f"  {report.simulated.unfinished:,} simulated players were still collecting when the run stopped.",
            style="bold red",
        )
