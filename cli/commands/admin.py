"""Operator commands. The console operator holds the database file, so the service authorises it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.options import Bounded, ConfigDirOpt, DbOpt, JsonOpt
from cli.runtime import Target, View, fail, invoke
from faye.inputs import ESPRIT_ID, GRANT

if TYPE_CHECKING:
    from faye.results import ConfigChecked

admin_app = typer.Typer(
    help="Operator commands: reset the database, grant currency, audit, any Esprit's history, prune old pulls, "
    "reload the game data in running bots.",
    no_args_is_help=True,
)


@admin_app.command("reset-db")
def reset_db(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete every player's data.")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Delete all player data and reseed the Esprit definitions. Needs --yes."""
    from cli.output import show_reset
    from faye.errors import InvalidArgument
    from faye.services.admin import CONSOLE

    if not yes:
        fail(InvalidArgument("this deletes every player's data; add --yes to confirm", field="yes"), as_json)
    invoke(Target(db, config_dir, as_json), lambda app: app.admin.reset(CONSOLE), show_reset)


@admin_app.command("grant")
def grant(
    user_id: Annotated[str, typer.Argument(help="The player to credit.")],
    amount: Annotated[int, typer.Option("--amount", "-n", click_type=Bounded(GRANT), help=f"How much, {GRANT.rule}.")],
    currency: Annotated[str, typer.Option("--currency", "-c", help="faylen, virelite or gems.")] = "faylen",
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Give a player currency (recorded in the ledger as admin_grant)."""
    from cli.output import show_grant
    from faye.services.admin import CONSOLE

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.admin.grant(CONSOLE, user_id, currency, amount),
        show_grant,
    )


@admin_app.command("audit")
def audit(as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Check balances against the ledger and that every Esprit has one owner or one open listing.

    Exit 0 when consistent, 1 with every discrepancy listed."""
    from cli.output import show_audit
    from cli.runtime import EXIT_REFUSED
    from faye.services.admin import CONSOLE

    report = invoke(Target(db, config_dir, as_json), lambda app: app.admin.audit(CONSOLE), show_audit)
    if not report.consistent:
        raise typer.Exit(EXIT_REFUSED)


@admin_app.command("esprit-history")
def esprit_history(
    esprit_id: Annotated[int, typer.Argument(click_type=Bounded(ESPRIT_ID), help="Any Esprit's id, even one gone.")],
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Every event in the life of any Esprit, whoever held it (the console is the operator)."""
    from cli.output import show_history

    invoke(Target(db, config_dir, as_json), lambda app: app.progression.history(None, esprit_id), show_history)


@admin_app.command("prune-pulls")
def prune_pulls(
    yes: Annotated[bool, typer.Option("--yes", help="Delete them; without it, only count them.")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Pull records older than the retention (banners.json retention_days, at least 90): how many and the cut-off
    date; --yes deletes them (each player's latest pull stays)."""
    from cli.banner_output import show_prune
    from faye.services.admin import CONSOLE

    invoke(Target(db, config_dir, as_json), lambda app: app.banners.prune(CONSOLE, apply=yes), show_prune)


@admin_app.command("forget")
def forget(
    user_id: Annotated[str, typer.Argument(help="The player whose data to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete the player's data now.")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Delete a player's data now (their open trades and listings cancelled first); what other players hold
    stays theirs, and the ledger's totals stay, anonymised. Needs --yes."""
    from cli.commands.data import show_forgotten
    from faye.errors import InvalidArgument
    from faye.services.admin import CONSOLE

    if not yes:
        fail(InvalidArgument("this deletes the player's data for good; add --yes to confirm", field="yes"), as_json)
    invoke(Target(db, config_dir, as_json), lambda app: app.privacy.forget(CONSOLE, user_id), show_forgotten)


@admin_app.command("reload-config")
def reload_config(as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Validate the game data files, then tell every running bot of this database to reload them (SIGHUP, to the
    bots announced in FAYE_RUN_DIR). A bot validates again and swaps the data in between interactions: one in
    flight finishes on the old data. A broken file is reported with its file and field (exit 2) and no bot is
    told. Prints the files' digest, which each bot logs once it has reloaded."""
    from cli.design import present
    from cli.runtime import load_settings
    from faye.config import load_config
    from faye.db import normalize_url, safe_url
    from faye.reload import data_digest, signal_bots
    from faye.results import ConfigChecked

    target = Target(db, config_dir, as_json)
    settings = load_settings(target)
    digest = data_digest(settings.config_dir)
    config = load_config(settings.config_dir, settings.assets_dir)  # ConfigError: exit 2, nobody told
    told = signal_bots(settings.run_dir, safe_url(normalize_url(settings.database_url)))
    present(
        target, ConfigChecked(digest=digest.whole, bots_told=told.told, stale_removed=told.stale), config, show_reload
    )


def show_reload(checked: ConfigChecked, view: View) -> None:
    view.console.print(f"[bold green]✓[/] The game data is valid: digest [bold]{checked.digest}[/]")
    if checked.bots_told:
        bots = ", ".join(str(pid) for pid in checked.bots_told)
        view.console.print(
            f"Told {len(checked.bots_told)} running bot(s) to reload (pid {bots}); each logs the digest."
        )
    else:
        view.console.print("No running bot of this database was found: the next start uses these files.")
    if checked.stale_removed:
        view.console.print(f"[dim]Removed {len(checked.stale_removed)} pid file(s) of bots no longer running.[/]")


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin", rich_help_panel="Operate")
