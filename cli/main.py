"""The `faye` console script: the Typer app and the one place usage errors meet the exit-code contract.

Heavy modules (SQLAlchemy, the services, Rich tables) are imported inside commands, so `faye --help` is fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from cli.commands import (
    admin,
    auction,
    banners,
    battle,
    config_cmd,
    data,
    db,
    demo,
    play,
    player,
    render,
    script,
    serve_metrics,
    sim,
    trade,
)


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


app = typer.Typer(
    name="faye",
    cls=FayeGroup,
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


player.register(app)
banners.register(app)
app.command(rich_help_panel="Play")(play.play)
app.command(rich_help_panel="Play")(demo.demo)
app.command(rich_help_panel="Play")(script.script)
app.add_typer(auction.auction_app, name="auction", rich_help_panel="Play")
app.add_typer(trade.trade_app, name="trade", rich_help_panel="Play")
app.add_typer(battle.battle_app, name="battle", rich_help_panel="Play")
app.add_typer(data.data_app, name="data", rich_help_panel="Play")
app.add_typer(render.render_app, name="render", rich_help_panel="Play")
app.add_typer(admin.admin_app, name="admin", rich_help_panel="Operate")
app.add_typer(db.db_app, name="db", rich_help_panel="Operate")
app.command("serve-metrics", rich_help_panel="Operate")(serve_metrics.serve_metrics)
app.command(rich_help_panel="Design")(sim.rates)
app.add_typer(sim.sim_app, name="sim", rich_help_panel="Design")
app.add_typer(config_cmd.config_app, name="config", rich_help_panel="Design")


def main() -> None:
    app()
