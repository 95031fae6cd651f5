"""`faye db ...`: the schema's revision and its upgrade. These open the database without the app, which would
refuse an outdated schema."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import typer

from cli.options import DbOpt, JsonOpt
from cli.runtime import Target, console, emit_json, load_settings

db_app = typer.Typer(
    help="The database schema: which revision it is at, and bringing it up to date.", no_args_is_help=True
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
