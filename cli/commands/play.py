"""`faye play`: an interactive session where the same commands are typed without the `faye` prefix."""

from __future__ import annotations

import asyncio
import os
import shlex
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

import click
import typer

from cli.options import ConfigDirOpt, DbOpt, UserOpt
from cli.runtime import EXIT_BROKEN_PIPE, Session, Target, console, load_settings, set_session

if TYPE_CHECKING:
    from rich.console import Console

    from faye.app import FayeApp
    from faye.clock import ShiftedClock

NOT_IN_PLAY = {"play", "demo", "script", "server"}
HELP = """[bold]Commands[/] (as in the terminal, without `faye` and without --user):
  start --accept-policy     balance / profile      daily
  summon --amount 10 [--banner ID]   banners   history [--banner ID] [--tier T] [--page N]   luck [--banner ID]
  inventory [--rarity R] [--search TEXT] [--sort rarity|level|name|newest] [--page N]
  esprit show ID            active set ID          leaderboard [--by level|xp|faylen|collection]
  auction browse            auction list ID --price N       auction buy LISTING     auction cancel LISTING
  auction history
  esprit train ID --levels N   esprit ascend ID [--using ID,ID]   esprit release ... [--yes]
  esprit lock ID / unlock ID   esprit history ID
  trade offer USER --give ID   trade show ID   trade confirm ID   trade list
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


@contextmanager
def shared_session(target: Target) -> Iterator[ShiftedClock]:
    """One event loop and one FayeApp for every command run inside (`faye play`, `faye script`), so they share
    one RNG and one clock; yields the clock that `wait` / `advance` move."""
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        app, clock = runner.run(_open(stack, target))
        set_session(Session(runner, app))
        try:
            yield clock
        finally:
            set_session(None)
            runner.run(stack.aclose())


@contextmanager
def acting_as(user: str | None) -> Iterator[None]:
    """Commands run inside act as `user` (their --user default, FAYE_USER); the environment is put back after."""
    previous = os.environ.get("FAYE_USER")
    if user is not None:
        os.environ["FAYE_USER"] = user
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("FAYE_USER", None)
        else:
            os.environ["FAYE_USER"] = previous


def advance_clock(clock: ShiftedClock, hours: float) -> float:
    """Move a session's clock on by at most faye.inputs.WAIT_HOURS, and never past the instants the game runs at
    (faye.inputs.NOW); raises InvalidArgument, leaving the clock where it was. Returns the hours moved."""
    from faye.inputs import NOW, WAIT_HOURS

    hours = WAIT_HOURS.check(hours)
    NOW.check(clock.now() + timedelta(hours=hours))
    clock.advance(timedelta(hours=hours))
    return hours


def _wait(args: list[str], clock: ShiftedClock, out: Console) -> None:
    """`wait HOURS` (`advance_clock`); a refused wait says why."""
    from faye.errors import InvalidArgument

    try:
        hours = advance_clock(clock, float(args[0]) if args else 24.0)
    except ValueError:
        _refuse(out, f"wait takes a number of hours, not {args[0]!r}")
        return
    except InvalidArgument as error:
        _refuse(out, f"wait: {error.message}")
        return
    out.print(f"[dim]The clock moves on {hours:g} h: it is now {clock.now():%Y-%m-%d %H:%M} UTC.[/]")


def _refuse(out: Console, message: str) -> None:
    """A line saying why a typed line did nothing; `message` may echo what was typed, so it is shown as text."""
    from rich.text import Text

    from cli.text import safe

    out.print(Text.assemble(("✗ ", "red"), safe(message)))


def _dispatch(command: click.Command, args: list[str], out: Console) -> None:
    """Run one typed command through the root group, so through its guard: a refusal, a bug or Ctrl-C ends the
    command with its message and the session goes on; a closed stdout ends the session, quietly."""
    try:
        code = command.main(args=args, prog_name="faye", standalone_mode=False)
    except click.ClickException as exc:
        _refuse(out, exc.format_message())
        return
    except click.Abort:
        out.print("[dim]cancelled[/]")
        return
    if code == EXIT_BROKEN_PIPE:
        raise typer.Exit(EXIT_BROKEN_PIPE)


def play(user: UserOpt, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Play interactively: type commands without the `faye` prefix; `help` lists them."""
    from rich.prompt import Prompt
    from rich.text import Text

    from cli.main import app as root
    from cli.runtime import run_call
    from cli.text import safe

    out = console()
    target = Target(db, config_dir)
    # Fail early (bad config, unreachable database) with the usual exit codes, before the prompt appears.
    run_call(target, lambda app: app.leaderboard.top("level", 1))
    command = typer.main.get_command(root)
    with acting_as(user), shared_session(target) as clock:
        greeting = " · `help` for commands, `exit` to leave"
        out.print(Text.assemble(("Faye", "bold"), " · playing as ", safe(user, "bold"), greeting))
        while True:
            try:
                line = Prompt.ask(Text.assemble(("faye", "bold magenta"), ":", safe(user)), console=out).strip()
            except (EOFError, KeyboardInterrupt):
                out.print()
                break
            if not line:
                continue
            try:
                args = shlex.split(line)
            except ValueError as exc:
                _refuse(out, str(exc))
                continue
            name = args[0].lower()
            if name in ("exit", "quit"):
                break
            if name in ("help", "?"):
                out.print(HELP)
            elif name == "wait":
                _wait(args[1:], clock, out)
            elif name in NOT_IN_PLAY:
                _refuse(out, f"`{name}` is not available inside a play session")
            else:
                _dispatch(command, args, out)
    out.print("[dim]See you soon, summoner.[/]")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Play")(play)
