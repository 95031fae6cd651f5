"""The player's commands: start, balance/profile, daily, summon, inventory, esprit, active, leaderboard."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import click
import typer

from cli.commands import progression
from cli.options import Bounded, ConfigDirOpt, DbOpt, EspritIdArg, ImageOpt, JsonOpt, PageOpt, SearchOpt, UserOpt, utf8
from cli.runtime import ImageOut, Target, View, invoke
from faye.choices import INVENTORY_SORTS, LEADERBOARD_RANKINGS
from faye.inputs import LEADERBOARD_LIMIT

if TYPE_CHECKING:
    from faye.app import FayeApp
    from faye.results import EspritDetail, Profile, Registration


def ask_policy() -> bool:
    """Show the policy and ask, when someone is at the terminal; otherwise the answer is no."""
    if not sys.stdin.isatty():
        return False
    from rich.prompt import Confirm

    from cli.runtime import console
    from faye.policy import POLICY_POINTS, POLICY_TITLE

    out = console()
    out.print(f"[bold]{POLICY_TITLE}[/]")
    for point in POLICY_POINTS:
        out.print(f"  • {point}")
    return Confirm.ask("Do you accept the policy?", default=False)


def start(
    user: UserOpt,
    accept_policy: Annotated[
        bool, typer.Option("--accept-policy", help="Accept the player policy without being asked.")
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", callback=utf8, help="Display name (default: the user id).")
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Register: accept the policy, get starting currencies and a starter Esprit."""
    from cli.output import show_registration

    async def register(app: FayeApp) -> Registration:
        await app.onboarding.ensure_new(user)  # no policy to read for someone who has already joined
        accepted = accept_policy or (not as_json and ask_policy())
        return await app.onboarding.register(user, name or user, policy_accepted=accepted)

    invoke(Target(db, config_dir, as_json), register, show_registration)


def show_profile(profile: Profile, view: View) -> None:
    """cli.output's view of a profile, imported only when it is drawn: `faye balance --json`, the call scripts
    make most, loads no Rich at all (issue 10, cold start)."""
    from cli import output

    output.show_profile(profile, view)


def balance(
    user: UserOpt,
    image: ImageOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Show your wallet, level, streak and collection (alias: profile)."""
    from faye.render import render_profile

    target = Target(db, config_dir, as_json)
    invoke(target, lambda app: app.economy.profile(user), show_profile, ImageOut.of(image, render_profile))


def daily(user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Claim your daily reward (every 24 h; a streak within 48 h grows the bonus)."""
    from cli.output import show_daily

    invoke(Target(db, config_dir, as_json), lambda app: app.economy.daily(user), show_daily)


def summon(
    user: UserOpt,
    amount: Annotated[int, typer.Option("--amount", "-n", help="Pulls: 1 or 10.")] = 1,
    banner: Annotated[
        str | None,
        typer.Option(
            "--banner", "-b", callback=utf8, help="The banner to pull on (`faye banners`). Default: standard."
        ),
    ] = None,
    image: ImageOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Summon 1 or 10 Esprits on a banner (costs from game_settings.json or the banner; pity applies pull by pull,
    per banner group)."""
    from cli.output import show_summon
    from faye.render import render_summon

    target = Target(db, config_dir, as_json)
    invoke(target, lambda app: app.summons.summon(user, amount, banner), show_summon, ImageOut.of(image, render_summon))


def inventory(
    user: UserOpt,
    rarity: Annotated[str | None, typer.Option("--rarity", "-r", help="Only this rarity tier.")] = None,
    search: SearchOpt = None,
    sort: Annotated[
        str, typer.Option("--sort", click_type=click.Choice(INVENTORY_SORTS), help="Order of the list.")
    ] = "rarity",
    page: PageOpt = 1,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """List your Esprits, with filters, sorting and pages."""
    from cli.output import show_inventory

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.collection.inventory(user, rarity=rarity, search=search, sort=sort, page=page),
        show_inventory,
    )


def leaderboard(
    by: Annotated[
        str, typer.Option("--by", click_type=click.Choice(LEADERBOARD_RANKINGS), help="What to rank by.")
    ] = "level",
    limit: Annotated[
        int,
        typer.Option(
            "--limit", click_type=Bounded(LEADERBOARD_LIMIT), help=f"How many places, {LEADERBOARD_LIMIT.rule}."
        ),
    ] = 10,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """The top players by level, XP, faylen or collection size."""
    from cli.output import show_leaderboard

    invoke(Target(db, config_dir, as_json), lambda app: app.leaderboard.top(by, limit), show_leaderboard)


esprit_app = typer.Typer(help="Look at, train, ascend, release and lock your Esprits.", no_args_is_help=True)
active_app = typer.Typer(help="Choose your active Esprit.", no_args_is_help=True)


@esprit_app.command("show")
def esprit_show(
    esprit_id: EspritIdArg,
    user: UserOpt,
    image: ImageOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Stats and lore of one of your Esprits."""
    from cli.output import show_esprit
    from faye.render import render_card

    card: ImageOut[EspritDetail] | None = ImageOut.of(image, render_card)
    invoke(Target(db, config_dir, as_json), lambda app: app.collection.esprit(user, esprit_id), show_esprit, card)


@active_app.command("set")
def active_set(
    esprit_id: EspritIdArg,
    user: UserOpt,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Make one of your Esprits your active partner."""
    from cli.output import show_active

    invoke(Target(db, config_dir, as_json), lambda app: app.collection.set_active(user, esprit_id), show_active)


def register(app: typer.Typer) -> None:
    progression.register(esprit_app)
    app.command(rich_help_panel="Play")(start)
    app.command(rich_help_panel="Play")(balance)
    app.command("profile", rich_help_panel="Play", help="Show your wallet, level, streak and collection.")(balance)
    app.command(rich_help_panel="Play")(daily)
    app.command(rich_help_panel="Play")(summon)
    app.command(rich_help_panel="Play")(inventory)
    app.add_typer(esprit_app, name="esprit", rich_help_panel="Play")
    app.add_typer(active_app, name="active", rich_help_panel="Play")
    app.command(rich_help_panel="Play")(leaderboard)
