"""`faye play`: an interactive session where the same commands are typed without the `faye` prefix."""

from __future__ import annotations

import asyncio
import os
import shlex
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import TYPE_CHECKING

import click
import typer

from cli.options import ConfigDirOpt, DbOpt, UserOpt
from cli.runtime import Session, Target, console, load_settings, set_session

if TYPE_CHECKING:
    from rich.console import Console

    from faye.app import FayeApp
    from faye.clock import ShiftedClock

NOT_IN_PLAY = {"play", "demo"}
HELP = """[bold]Commands[/] (as in the terminal, without `faye` and without --user):
  start --accept-policy     balance / profile      daily
  summon --amount 10        inventory [--rarity R] [--search TEXT] [--sort rarity|level|name|newest] [--page N]
  esprit show ID            active set ID          leaderboard [--by level|xp|faylen|collection]
  auction browse            auction list ID --price N       auction buy LISTING     auction cancel LISTING
  auction history
  wait HOURS                move this session's clock forward (for balancing: `wait 24` skips a day)
  help                      this list;  COMMAND --help for details
  exit                      leave (or Ctrl-D)"""


async def _open(stack: AsyncExitStack, target: Target) -> tuple[FayeApp, ShiftedClock]:
    from faye.app import FayeApp
    from faye.clock import FixedClock, ShiftedClock, SystemClock

    settings = load_settings(target)
    clock = ShiftedClock(FixedClock(settings.now) if settings.now is not None else SystemClock())
    app = await stack.enter_async_context(FayeApp.open(settings, clock=clock))
    return app, clock


def _wait(args: list[str], clock: ShiftedClock, out: Console) -> None:
    try:
        hours = float(args[0]) if args else 24.0
    except ValueError:
        out.print(f"[red]✗[/] wait takes a number of hours, not {args[0]!r}")
        return
    clock.advance(timedelta(hours=hours))
    out.print(f"[dim]The clock moves on {hours:g} h: it is now {clock.now():%Y-%m-%d %H:%M} UTC.[/]")


def _dispatch(command: click.Command, args: list[str], out: Console) -> None:
    try:
        command.main(args=args, prog_name="faye", standalone_mode=False)
    except click.ClickException as exc:
        out.print(f"[red]✗[/] {exc.format_message()}")
    except click.Abort:
        out.print("[dim]cancelled[/]")


def play(user: UserOpt, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Play interactively: type commands without the `faye` prefix; `help` lists them."""
    from rich.prompt import Prompt

    from cli.main import app as root
    from cli.runtime import run_call

    out = console()
    target = Target(db, config_dir)
    # Fail early (bad config, unreachable database) with the usual exit codes, before the prompt appears.
    run_call(target, lambda app: app.leaderboard.top("level", 1))
    command = typer.main.get_command(root)
    previous_user = os.environ.get("FAYE_USER")
    os.environ["FAYE_USER"] = user
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        app, clock = runner.run(_open(stack, target))
        set_session(Session(runner, app))
        try:
            out.print(f"[bold]Faye[/] · playing as [bold]{user}[/] · `help` for commands, `exit` to leave")
            while True:
                try:
                    line = Prompt.ask(f"[bold magenta]faye[/]:{user}", console=out).strip()
                except (EOFError, KeyboardInterrupt):
                    out.print()
                    break
                if not line:
                    continue
                try:
                    args = shlex.split(line)
                except ValueError as exc:
                    out.print(f"[red]✗[/] {exc}")
                    continue
                name = args[0].lower()
                if name in ("exit", "quit"):
                    break
                if name in ("help", "?"):
                    out.print(HELP)
                elif name == "wait":
                    _wait(args[1:], clock, out)
                elif name in NOT_IN_PLAY:
                    out.print(f"[red]✗[/] `{name}` is not available inside a play session")
                else:
                    _dispatch(command, args, out)
        finally:
            set_session(None)
            runner.run(stack.aclose())
            if previous_user is None:
                os.environ.pop("FAYE_USER", None)
            else:
                os.environ["FAYE_USER"] = previous_user
    out.print("[dim]See you soon, summoner.[/]")
