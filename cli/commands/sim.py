"""Designer tools: the odds disclosure (`faye rates`) and simulations (`faye sim summons`, `faye sim economy`,
`faye sim progression`, and on a banner `faye sim banner` and `faye sim collection`).

They read the game data only (--config-dir / FAYE_CONFIG_DIR), never the database, and import numpy inside
the command bodies so `faye --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import click
import typer

from cli.commands.sim_battles import battles
from cli.options import Bounded, ConfigDirOpt, JsonOpt, SeedOpt, utf8
from cli.runtime import Target
from faye.choices import (
    DEFAULT_SEED,
    ECONOMY_DEFAULT_DAYS,
    ECONOMY_DEFAULT_PLAYERS,
    SIM_DEFAULT_PLAYERS,
    SIM_DEFAULT_PULLS,
    SIM_MODES,
    Strategy,
)
from faye.errors import InvalidArgument, NotFound
from faye.inputs import (
    BANNER_BUDGET,
    BANNER_COPIES,
    BANNER_DEFAULT_PLAYERS,
    BANNER_PLAYERS,
    ECONOMY_DAYS,
    ECONOMY_PLAYERS,
    PLAYER_DAYS,
    POOL_PULLS,
    PROGRESSION_DAYS,
    PROGRESSION_DEFAULT_DAYS,
    PROGRESSION_DEFAULT_PLAYERS,
    PROGRESSION_PLAYERS,
    PULLS_PER_PLAYER,
    SIM_PLAYERS,
    SIM_PULLS,
    WORKERS,
    check_economy_size,
    check_progression_size,
    check_summons_size,
)

if TYPE_CHECKING:
    from faye.config import GameConfig
    from faye.gacha.exact import Disclosure

#: Economy runs at least this long (player-days) show a progress bar; summons show one once they pass a second.
LONG_ECONOMY = 20_000_000

sim_app = typer.Typer(
    help="Simulate summons, the free-player economy, progression and battles from the game data (no database).",
    no_args_is_help=True,
)
sim_app.command("battles")(battles)

PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Also write the figures to this PNG file.")]
StrategyOpt = Annotated[
    str,
    typer.Option(
        "--strategy",
        click_type=click.Choice([s.value for s in Strategy]),
        help="single: a single pull whenever affordable. ten: 10-pulls only, whenever affordable. save: save "
        "until the 10-pulls that reach the top tier's hard pity are affordable, then 10-pull until it comes.",
    ),
]


BannerOpt = Annotated[
    str | None,
    typer.Option("--banner", "-b", show_default="the standard banner", help="The id of a banner of banners.json."),
]


def rates(
    banner: BannerOpt = None,
    esprits: Annotated[
        bool, typer.Option("--esprits", help="Also list every Esprit's long-run rate on the banner.")
    ] = False,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """The odds disclosure, computed exactly (a Markov chain over the pity counters, no sampling).

    Per tier: base rate, long-run rate with pity, pulls for a new account to get one, and 10-pull odds.

    --esprits adds each Esprit's long-run rate on --banner (featured share and guarantee included); they sum to 1.

    "Get one" counts the tier or any higher one, as the pity counters do ("tier_or_higher": true in --json).

    Percentiles: the smallest n with P(got one within n pulls) >= p. In --json rates are fractions (0.006 = 0.6 %).

    --json "banner": the banner's id; "esprits": {esprit_id, name, tier, featured, rate}, empty without --esprits.
    """
    from dataclasses import replace

    from cli.design import offline, present, show_rates
    from faye.disclosure import disclose_rates

    target = Target(config_dir=config_dir, as_json=as_json)

    def disclosed(config: GameConfig) -> Disclosure:
        disclosure = disclose_rates(config, _banner(config, banner))
        return disclosure if esprits else replace(disclosure, esprits=[])

    disclosure, config = offline(target, disclosed)
    present(target, disclosure, config, show_rates)


@sim_app.command("summons")
def summons(
    pulls: Annotated[
        int,
        typer.Option("--pulls", "-n", click_type=Bounded(SIM_PULLS), help=f"Total simulated pulls, {SIM_PULLS.rule}."),
    ] = SIM_DEFAULT_PULLS,
    mode: Annotated[
        str,
        typer.Option(
            "--mode", click_type=click.Choice(SIM_MODES), help="single pulls, or 10-pulls (adds 10-pull odds)."
        ),
    ] = "single",
    players: Annotated[
        int,
        typer.Option(
            "--players",
            click_type=Bounded(SIM_PLAYERS),
            help=f"Simulated players sharing the pulls, {SIM_PLAYERS.rule}; each makes pulls / players, at most "
            f"{PULLS_PER_PLAYER:,}.",
        ),
    ] = SIM_DEFAULT_PLAYERS,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start from new accounts instead of the long-run pity distribution.")
    ] = False,
    seed: SeedOpt = DEFAULT_SEED,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            click_type=Bounded(WORKERS),
            show_default="the CPUs this process may use",
            help=f"Processes to spread a large run over, {WORKERS.rule}; the result is the same for any number. "
            f"Runs under {POOL_PULLS:,} pulls use one.",
        ),
    ] = None,
    plot: PlotOpt = None,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Monte Carlo summons next to the exact rates: each tier's simulated rate, the exact one and a 95 % interval,
    pulls between (or, with --fresh, to the first of) each pity tier, and the currency spent per tier.

    Vectorised over the players with numpy, in bounded memory whatever --pulls is, on every core for large runs;
    deterministic for a seed.
    """
    from cli.design import check_plot_path, offline, present, progress_bar, show_summons, write_plot
    from faye.gacha.simulate import simulate_summons

    target = Target(config_dir=config_dir, as_json=as_json)
    check_summons_size(pulls, players)
    check_plot_path(plot)
    processes = workers if workers is not None else _cpus()
    with progress_bar("Summoning", pulls, shown=not as_json, after=1.0) as progress:
        report, config = offline(
            target,
            lambda config: simulate_summons(
                config,
                pulls=pulls,
                players=players,
                ten=mode == "ten",
                fresh=fresh,
                seed=seed,
                workers=processes,
                progress=progress,
            ),
        )
    if plot is not None:
        from faye.plots import summons_chart

        write_plot(lambda: summons_chart(report), plot)
    present(target, report, config, show_summons, **({"plot": str(plot)} if plot else {}))


def _cpus() -> int:
    """The CPUs this process may run on (its affinity, where the platform tells it), within WORKERS."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(max(available, WORKERS.min), WORKERS.max)


@sim_app.command("economy")
def economy(
    players: Annotated[
        int,
        typer.Option(
            "--players",
            click_type=Bounded(ECONOMY_PLAYERS),
            help=f"Simulated free players, {ECONOMY_PLAYERS.rule}; players x days at most {PLAYER_DAYS:,}.",
        ),
    ] = ECONOMY_DEFAULT_PLAYERS,
    days: Annotated[
        int,
        typer.Option(
            "--days", click_type=Bounded(ECONOMY_DAYS), help=f"Days to project from registration, {ECONOMY_DAYS.rule}."
        ),
    ] = ECONOMY_DEFAULT_DAYS,
    strategy: StrategyOpt = Strategy.SINGLE.value,
    seed: SeedOpt = DEFAULT_SEED,
    plot: PlotOpt = None,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Free players living on daily rewards (claimed every day, so the streak reaches its cap; level scaling,
    XP and level-up rewards from game_settings.json) and spending them on summons, then on their starter:
    ascending it whenever the duplicates and virelite allow, training it with all their faylen up to its cap.

    Reports the first day with each tier or higher (median, 90 %), balances, pulls per day, currency flows.

    Flows: the sources, and the sinks (summons, then training and ascension of the starter).
    """
    from cli.design import check_plot_path, offline, present, progress_bar, show_economy, write_plot
    from faye.gacha.economy import project_economy

    target = Target(config_dir=config_dir, as_json=as_json)
    check_economy_size(players, days)
    check_plot_path(plot)
    long_run = not as_json and players * days >= LONG_ECONOMY
    with progress_bar("Projecting days", max(days, 0), shown=long_run) as progress:
        report, config = offline(
            target,
            lambda config: project_economy(
                config, players=players, days=days, strategy=Strategy(strategy), seed=seed, progress=progress
            ),
        )
    if plot is not None:
        from faye.plots import economy_chart

        write_plot(lambda: economy_chart(report), plot)
    present(target, report, config, show_economy, **({"plot": str(plot)} if plot else {}))


@sim_app.command("progression")
def progression(
    rarity: Annotated[
        str | None,
        typer.Option(
            "--rarity",
            "-r",
            show_default="the highest tier",
            help="The rarity of the Esprit followed (a tier of rarity_tiers.json, any case).",
        ),
    ] = None,
    days: Annotated[
        int,
        typer.Option(
            "--days",
            click_type=Bounded(PROGRESSION_DAYS),
            help=f"Days to follow from registration, {PROGRESSION_DAYS.rule}.",
        ),
    ] = PROGRESSION_DEFAULT_DAYS,
    players: Annotated[
        int,
        typer.Option(
            "--players",
            click_type=Bounded(PROGRESSION_PLAYERS),
            help=f"Simulated free players, {PROGRESSION_PLAYERS.rule}.",
        ),
    ] = PROGRESSION_DEFAULT_PLAYERS,
    strategy: StrategyOpt = Strategy.SINGLE.value,
    seed: SeedOpt = DEFAULT_SEED,
    plot: PlotOpt = None,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """How long one Esprit of a rarity takes to grow for a free player living on the economy projection: the
    day (p10, median, p90) it reaches each level and ascension rank, the share of players who got there within
    --days, and the faylen and virelite spent on it by then.

    The Esprit is the player's first pull of the rarity, made active at once; its duplicates come at the game's rates.

    Each day, after the summons, the player ascends it whenever its duplicates and virelite allow, then trains it.
    """
    from cli.design import check_plot_path, offline, present, progress_bar, show_progression, write_plot
    from faye.gacha.progression_sim import simulate_progression

    target = Target(config_dir=config_dir, as_json=as_json)
    check_progression_size(players, days)
    check_plot_path(plot)
    with progress_bar("Following the Esprit", days, shown=not as_json, after=1.0) as progress:
        report, config = offline(
            target,
            lambda config: simulate_progression(
                config,
                rarity=_tier(config, rarity, "--rarity"),
                players=players,
                days=days,
                strategy=Strategy(strategy),
                seed=seed,
                progress=progress,
            ),
        )
    if plot is not None:
        from faye.plots import progression_chart

        write_plot(lambda: progression_chart(report), plot)
    present(target, report, config, show_progression, **({"plot": str(plot)} if plot else {}))


def _tier(config: GameConfig, name: str | None, option: str) -> str | None:
    """A tier option as the tier's name, or a bad-input refusal naming the option (the tiers are the game data's)."""
    if name is None:
        return None
    tier = config.resolve_tier(name)
    if tier is None:
        raise InvalidArgument(
            f"{option}: unknown rarity {name!r}; expected one of {', '.join(config.tier_names)}",
            field=option.lstrip("-"),
            value=name,
            option=option,
        )
    return tier


BannerPlayersOpt = Annotated[
    int,
    typer.Option(
        "--players",
        click_type=Bounded(BANNER_PLAYERS),
        help=f"Simulated players, {BANNER_PLAYERS.rule}; each pulls from a new account until done.",
    ),
]


@sim_app.command("banner")
def banner_copies(
    banner: Annotated[str, typer.Argument(callback=utf8, help="The banner's id (banners.json).", show_default=False)],
    esprit: Annotated[
        str | None,
        typer.Option(
            "--esprit",
            "-e",
            callback=utf8,
            show_default="the banner's featured Esprit of its highest featured tier",
            help="The id of the Esprit to chase; one the banner does not feature comes among its tier's others.",
        ),
    ] = None,
    copies: Annotated[
        int,
        typer.Option("--copies", "-c", click_type=Bounded(BANNER_COPIES), help=f"Copies wanted, {BANNER_COPIES.rule}."),
    ] = 1,
    budget: Annotated[
        int | None,
        typer.Option(
            "--budget",
            click_type=Bounded(BANNER_BUDGET),
            help=f"Also give the chance to have them within this many pulls, {BANNER_BUDGET.rule}.",
        ),
    ] = None,
    players: BannerPlayersOpt = BANNER_DEFAULT_PLAYERS,
    seed: SeedOpt = DEFAULT_SEED,
    plot: PlotOpt = None,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Pulls for --copies copies of one Esprit on a banner, from a new account: the exact distribution (a walk
    over the pity states, the tier's guarantee and the copies so far, no sampling) with seeded simulated players
    beside it; --plot draws both CDFs.

    Percentiles: the smallest n with P(all copies within n pulls) >= p. Max: only where pity bounds the chase.

    --json "exact": {mean, p50, p90, p99, max}, "exact_within_budget", "exact_cdf" (item n: P(done by pull n)).

    --json "simulated": {players, seed, spread {mean, p50, p90, p99, max}, mean_ci95, unfinished, seconds}.

    --json also "simulated_within_budget" and its Wilson "simulated_within_budget_ci95", "simulated_cdf".

    --json "mean_agrees", "budget_agrees": the exact number lies in the simulated 95 % interval.
    """
    from cli.design import check_plot_path, offline, present, progress_bar, show_banner_copies, write_plot
    from faye.gacha.banner_odds import PROGRESS
    from faye.gacha.banner_sim import CopiesReport, pulls_for_copies

    target = Target(config_dir=config_dir, as_json=as_json)
    check_plot_path(plot)

    def chase(config: GameConfig) -> CopiesReport:
        banner_id = _banner(config, banner, "BANNER")
        _chased(config, banner_id, esprit)
        with progress_bar("Exact walk, then players", PROGRESS + players, shown=not as_json, after=1.0) as progress:
            return pulls_for_copies(
                config,
                banner_id,
                esprit_id=esprit,
                copies=copies,
                budget=budget,
                players=players,
                seed=seed,
                progress=progress,
            )

    report, config = offline(target, chase)
    if plot is not None:
        from faye.plots import copies_chart

        title = f"{report.copies} × {report.esprit_name} on {report.banner_name}"
        write_plot(lambda: copies_chart(report.exact_cdf, report.simulated_cdf, title, report.budget), plot)
    present(target, report, config, show_banner_copies, **({"plot": str(plot)} if plot else {}))


@sim_app.command("collection")
def collection(
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            "-t",
            callback=utf8,
            show_default="the whole roster",
            help="Own every Esprit of this tier (a tier of rarity_tiers.json, any case).",
        ),
    ] = None,
    banner: BannerOpt = None,
    players: BannerPlayersOpt = BANNER_DEFAULT_PLAYERS // 2,
    seed: SeedOpt = DEFAULT_SEED,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Pulls to own every Esprit of a tier (or the whole roster) on a banner, from a new account, and the days
    a free player takes at its average daily pulls over the economy projection's first 90 days.

    Exact for independent draws at the long-run rates (a Poisson-embedding integral over every Esprit's rate).

    Seeded simulated players beside it keep the pity and the guarantee.

    --json: "esprits" (to own, with their rates), "exact_mean", "pulls_per_day", "exact_days", "simulated_days".

    --json "simulated": {players, seed, spread {mean, p50, p90, p99, max}, mean_ci95, unfinished, seconds}.
    """
    from cli.design import offline, present, progress_bar, show_collection
    from faye.gacha.banner_sim import CollectionReport, complete_collection

    target = Target(config_dir=config_dir, as_json=as_json)

    def collect(config: GameConfig) -> CollectionReport:
        banner_id = _banner(config, banner)
        chosen = _tier(config, tier, "--tier")
        with progress_bar("Simulated players", players, shown=not as_json, after=1.0) as progress:
            return complete_collection(config, banner_id, tier=chosen, players=players, seed=seed, progress=progress)

    report, config = offline(target, collect)
    present(target, report, config, show_collection)


def _banner(config: GameConfig, banner_id: str | None, option: str = "--banner") -> str | None:
    """A banner id of the game data, or a bad-input refusal naming the option and the banners there are."""
    from faye.gacha.banner_odds import find_banner

    return _as_option(option, lambda: find_banner(config, banner_id)).banner_id if banner_id is not None else None


def _chased(config: GameConfig, banner_id: str | None, esprit_id: str | None) -> None:
    """Refuse an unknown --esprit, or none on a banner featuring nobody, as bad input naming the option."""
    from faye.gacha.banner_odds import Chase, find_banner
    from faye.gacha.banners import BannerRule

    rule = BannerRule.of(config, find_banner(config, banner_id))
    _as_option("--esprit", lambda: Chase.of(config, rule, esprit_id))


T = TypeVar("T")


def _as_option(option: str, resolve: Callable[[], T]) -> T:
    """`resolve()`, its refusal of a name (NotFound, InvalidArgument) turned into bad input naming `option`."""
    try:
        return resolve()
    except (NotFound, InvalidArgument) as error:
        details = {k: v for k, v in error.details.items() if k != "option"}
        raise InvalidArgument(f"{option}: {error.message}", **details, option=option) from None


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Design")(rates)
    app.add_typer(sim_app, name="sim", rich_help_panel="Design")
