"""`faye db ...`: the schema's revision and its upgrade. These open the database without the app, which would
refuse an outdated schema."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from cli.options import DbOpt, JsonOpt
from cli.runtime import Target, console, emit_json, load_settings

if TYPE_CHECKING:
    from rich.console import Console

    from faye.db import Database
    from faye.restore import DatabaseSummary

T = TypeVar("T")

db_app = typer.Typer(
    help="The database: its schema revision, bringing it up to date, consistent backups and restoring them.",
    no_args_is_help=True,
)


@dataclass(frozen=True)
class SchemaReport:
    database: str
    current: str | None
    head: str
    up_to_date: bool
    upgraded_from: str | None = None


def _report(target: Target, *, upgrade: bool) -> SchemaReport:
    from faye.db import Database, safe_url

    async def work() -> SchemaReport:
        database = Database(load_settings(target).database_url)
        try:
            before = await database.upgrade() if upgrade else None
            state = await database.schema_state()
        finally:
            await database.dispose()
        return SchemaReport(
            database=safe_url(database.url),
            current=state.current,
            head=state.head,
            up_to_date=state.up_to_date,
            upgraded_from=(before.current or "empty") if before is not None else None,
        )

    return asyncio.run(work())


def _show(report: SchemaReport, as_json: bool) -> None:
    if as_json:
        emit_json(report)
        return
    out = console()
    if report.upgraded_from is not None:
        moved = (
            "already at head"
            if report.upgraded_from == report.current
            else f"{report.upgraded_from} → {report.current}"
        )
        from rich.text import Text

        from cli.text import safe

        out.print(Text.assemble(("✓", "bold green"), " Upgraded ", safe(report.database), f": {moved}"))
    state = "[green]up to date[/]" if report.up_to_date else "[yellow]outdated: run `faye db upgrade`[/]"
    out.print(f"Schema revision {report.current or '(empty database)'} · newest {report.head} · {state}")


@db_app.command("current")
def current(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show the database's schema revision and whether it is the newest."""
    _show(_report(Target(db, None, as_json), upgrade=False), as_json)


@db_app.command("upgrade")
def upgrade(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Migrate the database to the newest schema, keeping every player's data. Back it up first."""
    _show(_report(Target(db, None, as_json), upgrade=True), as_json)


@db_app.command("backup")
def backup(
    file: Annotated[Path, typer.Argument(help="The new file to write the copy to (SQLite).", show_default=False)],
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Copy a live SQLite database consistently (the online backup API, safe while the bot runs), then open the
    copy and audit it. On PostgreSQL, print the pg_dump command to use."""
    from faye.backup import backup as make_backup

    result = _on_database(db, as_json, lambda database: make_backup(database, file))
    if as_json:
        emit_json(result)
        return
    from rich.text import Text

    from cli.text import safe

    out = console()
    if _printed_command(out, result.command, "PostgreSQL takes its own consistent snapshot; run:"):
        return
    out.print(Text.assemble(("✓", "bold green"), " Backed up to ", safe(result.target), f" ({result.bytes:,} bytes)"))
    if result.audit is None:
        out.print(f"Schema revision {result.revision}: upgrade a copy of it (`faye db upgrade --db COPY`) to audit it")
    elif result.audit.consistent:
        out.print(f"The copy audits clean: {result.audit.players:,} players, {result.audit.esprits:,} Esprits")
    else:
        out.print(f"[yellow]The copy has {len(result.audit.problems)} audit problems (so has the database)[/]")


def _describe(summary: DatabaseSummary | None) -> str:
    if summary is None:
        return "no database yet"
    counts = ", ".join(f"{rows:,} {table}" for table, rows in summary.counts.items())
    return f"revision {summary.revision} ({counts})"


@db_app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="The backup to restore (a `faye db backup` file).", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the database; without it, only show what would.")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Replace the SQLite database with a backup (through the backup API, safe while the bot runs), upgrading an
    older one on the way in, then audit it. Without --yes, show what would be replaced. On PostgreSQL, print the
    pg_restore (or psql) command to use."""
    from faye.restore import restore as restore_file

    result = _on_database(db, as_json, lambda database: restore_file(database, file, apply=yes))
    if as_json:
        emit_json(result)
        return
    from rich.text import Text

    from cli.text import safe

    out = console()
    lead = "PostgreSQL restores its own dumps; run, then `faye db upgrade` and `faye admin audit`:"
    if _printed_command(out, result.command, lead):
        return
    upgrade = f", upgraded from {result.upgrade_from}" if result.upgrade_from else ""
    if not result.applied:
        out.print(Text.assemble("The database ", safe(result.target), f": {_describe(result.current)}"))
        incoming = f": {_describe(result.incoming)}{upgrade}"
        out.print(Text.assemble("would be replaced by ", safe(result.source), incoming))
        out.print("Add --yes to restore it.")
        return
    out.print(Text.assemble(("✓", "bold green"), " Restored ", safe(result.source), f"{upgrade}"))
    if result.audit is not None and result.audit.consistent:
        out.print(f"It audits clean: {result.audit.players:,} players, {result.audit.esprits:,} Esprits")
    elif result.audit is not None:
        out.print(f"[yellow]It has {len(result.audit.problems)} audit problems: run `faye admin audit`[/]")


def _on_database(db: str | None, as_json: bool, action: Callable[[Database], Awaitable[T]]) -> T:
    """Run `action` on the database the options name (without the app, which refuses an outdated schema)."""
    from faye.db import Database

    async def work() -> T:
        database = Database(load_settings(Target(db, None, as_json)).database_url)
        try:
            return await action(database)
        finally:
            await database.dispose()

    return asyncio.run(work())


def _printed_command(out: Console, command: str | None, lead: str) -> bool:
    """On PostgreSQL the operator runs a tool of its own: print `lead` and the command; False when there is none."""
    if command is None:
        return False
    from cli.text import safe

    out.print(lead)
    out.print(safe(command))
    return True


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db", rich_help_panel="Operate")
