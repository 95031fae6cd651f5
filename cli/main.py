"""The `faye` console script: the Typer app and the one place usage errors meet the exit-code contract.

Every command is a fresh process, so the command tree is built lazily (issue 10, cold start): `faye balance`
imports cli.commands.player and builds that one command, never the render, sim or admin modules, while
`faye --help` and `faye X --help` list every command, with the same help, by building all of them. Heavy
modules (SQLAlchemy, the services, Rich tables) are imported inside commands, so `faye --help` is fast too.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Sequence
from typing import Annotated, Any, Final

import click
import typer
from typer.core import TyperGroup
from typer.models import CommandInfo

#: Every top-level command, in the order `faye --help` lists them (Typer's: commands, then groups), and its
#: module under cli.commands, whose `register(app)` adds it with its help panel to a Typer app. A command is
#: listed here or not at all: tests/cli/test_cold_start_imports.py checks that the table and the modules agree.
COMMANDS: Final[dict[str, str]] = {
    "start": "player",
    "balance": "player",
    "profile": "player",
    "daily": "player",
    "summon": "player",
    "inventory": "player",
    "leaderboard": "player",
    "banners": "banners",
    "history": "banners",
    "luck": "banners",
    "play": "play",
    "demo": "demo",
    "script": "script",
    "serve-metrics": "serve_metrics",
    "server": "server",
    "rates": "sim",
    "esprit": "player",
    "active": "player",
    "auction": "auction",
    "trade": "trade",
    "battle": "battle",
    "data": "data",
    "render": "render",
    "admin": "admin",
    "db": "db",
    "sim": "sim",
    "config": "config_cmd",
}


@functools.cache
def registered(module: str) -> typer.Typer:
    """A Typer app holding what cli.commands.`module` registers: each module is imported and registers once."""
    app = typer.Typer()
    importlib.import_module(f"cli.commands.{module}").register(app)
    return app


@functools.cache
def command_of(name: str) -> click.Command:
    """The click command `name`, built by Typer as it would be on the root app, and alone: Typer reads the
    annotations of every parameter of every command it builds, so its module's other commands are left out.
    Built once a process (`faye play` and `faye script` run many commands)."""
    module = registered(COMMANDS[name])
    app = typer.Typer()
    app.registered_commands = [info for info in module.registered_commands if command_name(info) == name]
    app.registered_groups = [info for info in module.registered_groups if info.name == name]
    return typer.main.get_group(app).commands[name]


def command_name(info: CommandInfo) -> str | None:
    """The name Typer gives a registered command: its own, or its function's (`serve_metrics` → serve-metrics)."""
    if info.name is not None:
        return info.name
    return None if info.callback is None else typer.main.get_command_name(info.callback.__name__)


class FayeGroup(TyperGroup):
    """The one guard around every command (`cli.runtime.guard`), and usage errors that honour `--json` too:
    exactly one JSON document on stdout, exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from cli.runtime import guard

        with guard("--json" in ctx.args):  # ctx.args: the subcommand's own arguments, not yet parsed
            return super().invoke(ctx)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if "--json" not in argv:
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        from cli.runtime import emit_json, stdout_closed

        try:
            try:
                result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
                code = result if isinstance(result, int) else 0
            except click.ClickException as exc:  # a UsageError's exit code is 2
                emit_json({"error": {"code": "usage_error", "kind": "bad_input", "message": exc.format_message()}})
                code = exc.exit_code
            except click.Abort:
                emit_json({"error": {"code": "aborted", "message": "aborted"}})
                code = 1
        except BrokenPipeError:
            code = stdout_closed()
        if standalone_mode:
            sys.exit(code)
        return code


class FayeRoot(FayeGroup):
    """`faye` itself: each subcommand is imported and built only when it is asked for (`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return command_of(cmd_name) if cmd_name in COMMANDS else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS:  # no such command: click and Typer suggest names from self.commands
            self.commands = {name: command_of(name) for name in COMMANDS}
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="faye",
    cls=FayeRoot,
    help="Faye — collect Esprits, summon with pity, climb the leaderboard. Scriptable: every command takes "
    "--json; exit codes 0 ok, 1 refused by the game, 2 bad input or config or the game unavailable, 3 internal "
    "error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from faye import __version__

        typer.echo(f"faye {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Faye: the terminal client."""


def main() -> None:
    app()
