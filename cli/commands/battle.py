"""`faye battle ...`: trial, trials, duel, team set, standing — each one call to the battle service.

A battle answers with its report (`faye.results.BattleReport`: winner, rounds, seed, both teams, the whole log,
rewards and rating); a team is given as `12,13,14` (`cli.options.IdList`, so a word or an id out of range is bad
input, exit 2, naming the option); the service refuses the rest (exit 1): another player's Esprit, one twice, more
than three, a locked or unknown stage, today's attempts used up, an opponent with no defence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from cli.options import ConfigDirOpt, DbOpt, IdList, JsonOpt, UserOpt, utf8
from cli.runtime import Target, invoke
from faye.inputs import ESPRIT_ID

battle_app = typer.Typer(
    help="Battle: climb the trials (first clears pay once, replays a little each day) and duel other players' "
    "defence teams for rating. Nothing you own is ever staked.",
    no_args_is_help=True,
)
team_app = typer.Typer(help="Your defence team: the Esprits other players duel.", no_args_is_help=True)
battle_app.add_typer(team_app, name="team")


def _team(text: str) -> Any:
    return typer.Option("--team", click_type=IdList(ESPRIT_ID), metavar="ID,ID,ID", help=text, show_default=False)


TeamOpt = Annotated[Sequence[int] | None, _team("1 to 3 of your Esprits, by id. Default: your active Esprit.")]


@battle_app.command("trial")
def trial(
    stage: Annotated[int, typer.Argument(metavar="STAGE", help="The stage to fight (see `faye battle trials`).")],
    user: UserOpt,
    team: TeamOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Fight a trial stage: win the next uncleared one for its first-clear reward, or replay a cleared one."""
    from cli.battle_output import show_battle

    named = None if team is None else list(team)
    invoke(Target(db, config_dir, as_json), lambda app: app.battles.trial(user, stage, named), show_battle)


@battle_app.command("trials")
def trials(user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """The trial ladder: each stage's enemies and rewards, what you have cleared, replays left today."""
    from cli.battle_output import show_trials

    invoke(Target(db, config_dir, as_json), lambda app: app.battles.trials(user), show_trials)


@battle_app.command("duel")
def duel(
    opponent: Annotated[
        str, typer.Argument(callback=utf8, metavar="USER", help="The player whose defence team you fight (their id).")
    ],
    user: UserOpt,
    team: Annotated[
        Sequence[int] | None,
        _team("1 to 3 of your Esprits, by id. Default: your defence team, else your active Esprit."),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Duel another player's defence team: both ratings move (Elo); nothing is staked."""
    from cli.battle_output import show_battle

    named = None if team is None else list(team)
    invoke(Target(db, config_dir, as_json), lambda app: app.battles.duel(user, opponent, named), show_battle)


@team_app.command("set")
def team_set(
    esprits: Annotated[
        Sequence[int],
        typer.Argument(
            click_type=IdList(ESPRIT_ID), metavar="ID,ID,ID", help="1 to 3 of your Esprits, by id.", show_default=False
        ),
    ],
    user: UserOpt,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Save your defence team. Esprits that later leave you (sold, traded, released, listed) drop out of it."""
    from cli.battle_output import show_team_saved

    ids = list(esprits)
    invoke(Target(db, config_dir, as_json), lambda app: app.battles.set_team(user, ids), show_team_saved)


@battle_app.command("standing")
def standing(user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Your rating and record, duels and replays left today, trial progress and defence team."""
    from cli.battle_output import show_standing

    invoke(Target(db, config_dir, as_json), lambda app: app.battles.standing(user), show_standing)


def register(app: typer.Typer) -> None:
    app.add_typer(battle_app, name="battle", rich_help_panel="Play")
