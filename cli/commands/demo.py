"""`faye demo`: the scripted tour the README runs — start, daily, a 10-pull, inventory, leaderboard."""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.options import ConfigDirOpt, DbOpt, JsonOpt
from cli.runtime import Target, View, console, emit_json, run_call

if TYPE_CHECKING:
    from faye.app import FayeApp


async def tour(app: FayeApp, user: str) -> list[tuple[str, str, Any]]:
    """Each step's name, a caption, and its result or the FayeError that refused it (a tour goes on)."""
    from faye.errors import FayeError

    steps: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = [
        (
            "start",
            "Register and meet a starter Esprit",
            lambda: app.onboarding.register(user, "Demo Summoner", policy_accepted=True),
        ),
        ("daily", "Claim the daily reward", lambda: app.economy.daily(user)),
        ("summon", "A 10-pull", lambda: app.summons.summon(user, 10)),
        ("inventory", "The collection, rarest first", lambda: app.collection.inventory(user, sort="rarity")),
        ("leaderboard", "Where the demo stands", lambda: app.leaderboard.top("collection", 10)),
    ]
    results: list[tuple[str, str, Any]] = []
    for name, caption, step in steps:
        try:
            results.append((name, caption, await step()))
        except FayeError as refusal:
            results.append((name, caption, refusal))
    return results


def demo(
    user: Annotated[str, typer.Option("--user", "-u", help="The demo player's id.")] = "demo",
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """A scripted tour of the game against the database (default ./faye.db); safe to run again."""
    from rich.text import Text

    from cli import output
    from cli.runtime import cli_message
    from cli.text import safe
    from faye.errors import FayeError
    from faye.text import printable

    steps, config = run_call(Target(db, config_dir, as_json), lambda app: tour(app, user))
    if as_json:
        emit_json(
            {
                "steps": [
                    {"step": name, "error": r.to_dict()} if isinstance(r, FayeError) else {"step": name, "result": r}
                    for name, _, r in steps
                ]
            }
        )
        return
    view = View(console(), config)
    shows: dict[str, Callable[[Any, View], None]] = {
        "start": output.show_registration,
        "daily": output.show_daily,
        "summon": output.show_summon,
        "inventory": output.show_inventory,
        "leaderboard": output.show_leaderboard,
    }
    view.console.rule("[bold]Faye · a scripted tour")
    for number, (name, caption, result) in enumerate(steps, start=1):
        view.console.print()
        view.console.rule(f"[bold]{number}. {caption}[/]  [dim]faye {name}[/]", align="left")
        if isinstance(result, FayeError):
            view.console.print(Text.assemble(("• ", "yellow"), safe(cli_message(result))))
        else:
            shows[name](result, view)
    view.console.print()
    view.console.print(
        Text.assemble(
            ("Play on with ", "dim"),
            f"faye play --user {shlex.quote(printable(user))}",
            ("  or see ", "dim"),
            "faye --help",
        )
    )


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Play")(demo)
