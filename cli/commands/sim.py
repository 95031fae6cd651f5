"""Designer tools: the odds disclosure (`faye rates`) and simulations (`faye sim summons`, `faye sim economy`,
`faye sim progression`).

They read the game data only (--config-dir / FAYE_CONFIG_DIR), never the database, and import numpy inside
the command bodies so `faye --help` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer

from cli.commands.sim_battles import battles
from cli.options import Bounded, ConfigDirOpt, JsonOpt, SeedOpt
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
from faye.errors import InvalidArgument
from faye.inputs import (
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


def rates(as_json: JsonOpt = False, config_dir: ConfigDirOpt = None) -> None:
    """The odds disclosure, computed exactly (a Markov chain over the pity counters, no sampling).

    Per tier: base rate, long-run rate with pity, pulls for a new account to get one, and 10-pull odds.

    "Get one" counts the tier or any higher one, as the pity counters do ("tier_or_higher": true in --json).

    Percentiles: the smallest n with P(got one within n pulls) >= p. In --json rates are fractions (0.006 = 0.6 %).
    """
    from cli.design import offline, present, show_rates
    from faye.disclosure import disclose_rates

    target = Target(config_dir=config_dir, as_json=as_json)
    disclosure, config = offline(target, disclose_rates)
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
                rarity=_rarity(config, rarity),
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


def _rarity(config: GameConfig, rarity: str | None) -> str | None:
    """--rarity as the tier's name, or a bad-input refusal naming the option (the tiers are the game data's)."""
    if rarity is None:
        return None
    tier = config.resolve_tier(rarity)
    if tier is None:
        raise InvalidArgument(
            f"--rarity: unknown rarity {rarity!r}; expected one of {', '.join(config.tier_names)}",
            field="rarity",
            value=rarity,
            option="--rarity",
        )
    return tier
