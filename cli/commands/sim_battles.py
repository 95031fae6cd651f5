"""`faye sim battles`: the battle balance matrix, every Esprit against every other (faye.battle.matrix).

Registered on `sim_app` by cli/commands/sim.py. Like the other designer tools it reads the game data only, and
imports numpy and the engine inside the command body so `faye --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer

from cli.options import Bounded, ConfigDirOpt, JsonOpt, SeedOpt
from cli.runtime import Target
from faye.choices import DEFAULT_SEED
from faye.errors import ConfigError, InvalidAmount, InvalidArgument
from faye.inputs import (
    ASCENSION,
    BATTLES_PER_PAIR,
    LEVEL,
    MATRIX_DEFAULT_BAND,
    MATRIX_DEFAULT_BATTLES,
    MATRIX_DEFAULT_THRESHOLD,
    MOVE_THRESHOLD,
    TEAM_SIZE,
    TIER_BAND,
    WORKERS,
)

if TYPE_CHECKING:
    from faye.battle.matrix import BattleReport
    from faye.battle.settings import BattleSettings
    from faye.config import GameConfig

#: The option that sets each field a refusal of faye.battle.matrix names.
OPTIONS: Final = {
    "level": "--level",
    "ascension": "--ascension",
    "battles": "--battles",
    "team_size": "--team-size",
    "band": "--band",
    "threshold": "--threshold",
    "workers": "--workers",
}


def battles(
    level: Annotated[
        int | None,
        typer.Option(
            "--level",
            "-l",
            click_type=Bounded(LEVEL),
            show_default="the level cap of --ascension",
            help="Every Esprit's level, at most the level cap its --ascension rank allows (progression.json).",
        ),
    ] = None,
    ascension: Annotated[
        int,
        typer.Option(
            "--ascension",
            "-a",
            click_type=Bounded(ASCENSION),
            help="Every Esprit's ascension rank, at most progression.json's ascension.max_rank.",
        ),
    ] = 0,
    battles: Annotated[
        int,
        typer.Option(
            "--battles",
            "-n",
            click_type=Bounded(BATTLES_PER_PAIR),
            help=f"Battles per pair (attacker, defender), {BATTLES_PER_PAIR.rule}; each with its own seed.",
        ),
    ] = MATRIX_DEFAULT_BATTLES,
    team_size: Annotated[
        int,
        typer.Option(
            "--team-size",
            click_type=Bounded(TEAM_SIZE),
            help=f"Esprits per side, {TEAM_SIZE.rule}: a team is that many copies of the same Esprit.",
        ),
    ] = 1,
    band: Annotated[
        float,
        typer.Option(
            "--band",
            click_type=Bounded(TIER_BAND),
            help="An Esprit is an outlier when its win rate is more than this from the mean win rate of the other "
            "Esprits of its tier.",
        ),
    ] = MATRIX_DEFAULT_BAND,
    what_if: Annotated[
        Path | None,
        typer.Option(
            "--what-if",
            help="A changed copy of the game data: run the same matrix (same seeds) on it too and show which "
            "Esprits' win rates moved by more than --threshold.",
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            click_type=Bounded(MOVE_THRESHOLD),
            help="With --what-if: the least change of win rate that counts as moved.",
        ),
    ] = MATRIX_DEFAULT_THRESHOLD,
    seed: SeedOpt = DEFAULT_SEED,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            click_type=Bounded(WORKERS),
            show_default="the CPUs this process may use",
            help=f"Processes to spread the pairs over, {WORKERS.rule}; the result is the same for any number.",
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also write a heatmap of the matrix (with --what-if, DIR's) to this PNG file."),
    ] = None,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Every Esprit against every other (and itself), --battles battles a pair: a win-rate matrix, each Esprit's
    win rate, summaries per tier, element and role, and the outliers. The rules come from battle.json in the
    game data (--config-dir).

    A battle scores 1 for a win and 1/2 for a draw; the matrix holds the row's (attacker's) score against the
    column (defender). An Esprit's win rate is its mean score against every other Esprit, as attacker and as
    defender alike. Outliers: an Esprit more than --band above or below the mean win rate of the other Esprits
    of its tier; an element pair whose mean score (between Esprits of the same tier) is not above 0.5 where the
    advantage table favours the first element, or not below where it favours the second.

    --json: {"level", "ascension", "team_size", "battles_per_pair", "seed", "esprits": [{"esprit_id", "name",
    "tier", "element", "role", "win_rate", "as_attacker", "as_defender", "outlier": null|"above"|"below"}],
    "matrix": [[...]] (rows attacker, columns defender, in the order of "esprits"), "tiers", "elements",
    "roles", "outliers", "band", "draws", "mean_rounds", "battles", "workers", "seconds"}. With --what-if:
    {"what_if": DIR, "threshold", "before": that document for the game data, "after": for DIR's, "moved":
    [{"esprit_id", "name", "tier", "before", "after", "change"}]}, the largest change first.
    """
    from cli.battle_design import battle_chart, show_battles
    from cli.commands.sim import _cpus
    from cli.design import check_plot_path, offline, present, progress_bar, write_plot
    from faye.battle.matrix import battle_matrix, check_growth
    from faye.battle.what_if import WhatIf, compare

    target = Target(config_dir=config_dir, as_json=as_json)
    check_plot_path(plot)
    processes = workers if workers is not None else _cpus()

    def run(config: GameConfig, rules: BattleSettings, label: str) -> BattleReport:
        with _options():
            check_growth(config, level, ascension)
            total = len(config.esprits) ** 2 * battles
            with progress_bar(label, total, shown=not as_json, after=1.0) as progress:
                return battle_matrix(
                    config,
                    rules,
                    level=level,
                    ascension=ascension,
                    battles=battles,
                    team_size=team_size,
                    band=band,
                    seed=seed,
                    workers=processes,
                    progress=progress,
                )

    changed = None if what_if is None else _what_if_data(what_if)  # refused before the first run, not after it
    report, config = offline(target, lambda config: run(config, config.battle, "Battling"))
    result: BattleReport | WhatIf = report
    if what_if is not None and changed is not None:
        changed_config, changed_rules = changed
        after = run(changed_config, changed_rules, "Battling (--what-if)")
        result, config = compare(report, after, threshold, what_if), changed_config
    if plot is not None:
        write_plot(lambda: battle_chart(result.after if isinstance(result, WhatIf) else result), plot)
    present(target, result, config, show_battles, **({"plot": str(plot)} if plot else {}))


def _what_if_data(directory: Path) -> tuple[GameConfig, BattleSettings]:
    """The --what-if game data and battle rules, or a refusal naming the option (a missing dir, a missing or
    broken file)."""
    from faye.config import load_config

    try:
        config = load_config(directory)
        return config, config.battle
    except ConfigError as error:
        raise ConfigError([f"--what-if {directory}: {problem}" for problem in error.problems]) from None


@contextmanager
def _options() -> Iterator[None]:
    """A refusal of faye.battle.matrix, reworded with the option that sets the field it names."""
    try:
        yield
    except (InvalidArgument, InvalidAmount) as error:
        option = OPTIONS.get(str(error.details.get("field")))
        if option is None or error.details.get("option"):
            raise
        raise type(error)(f"{option}: {error.message}", **error.details, option=option) from None
