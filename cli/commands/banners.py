"""The player's banner commands: `banners` (open now, with your pity), `history` (every pull on record) and
`luck` (your pulls against the exact odds). Each is one BannerService call through `cli.runtime.invoke`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import ConfigDirOpt, DbOpt, JsonOpt, PageOpt, UserOpt, utf8
from cli.runtime import Target, invoke

BannerOpt = Annotated[
    str | None,
    typer.Option("--banner", "-b", callback=utf8, help="Only this banner's pulls (ids: `faye banners`)."),
]


def banners(
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            "-u",
            envvar="FAYE_USER",
            show_envvar=True,
            callback=utf8,
            help="Also show this player's pity and guarantees on each banner.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """The banners open now: time left, featured Esprits, costs, and (with --user) your pity on each."""
    from cli.banner_output import show_banners

    invoke(Target(db, config_dir, as_json), lambda app: app.banners.open_now(user), show_banners)


def history(
    user: UserOpt,
    banner: BannerOpt = None,
    tier: Annotated[
        str | None, typer.Option("--tier", "-t", callback=utf8, help="Only pulls of this rarity tier.")
    ] = None,
    page: PageOpt = 1,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Your pulls on record, newest first: what each gave, on which banner, and the pity before it."""
    from cli.banner_output import show_history

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.banners.history(user, banner_id=banner, tier=tier, page=page),
        show_history,
    )


def luck(
    user: UserOpt,
    banner: BannerOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """How many pulls each of your rare pulls took, where that sits among all players (exactly), and your rate
    against the published one with a 95 % interval."""
    from cli.banner_output import show_luck

    invoke(Target(db, config_dir, as_json), lambda app: app.banners.luck(user, banner_id=banner), show_luck)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Play")(banners)
    app.command(rich_help_panel="Play")(history)
    app.command(rich_help_panel="Play")(luck)
