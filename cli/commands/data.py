"""`faye data ...`: a player's own data. The export's sections are documented in faye.services.privacy; the file
is the whole result, and the command says where it went and how much is in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.options import ConfigDirOpt, DbOpt, JsonOpt, UserOpt
from cli.runtime import Target, View, check_writable, invoke, write_file

if TYPE_CHECKING:
    from faye.app import FayeApp
    from faye.services.privacy import Forgotten

data_app = typer.Typer(help="Your data: everything Faye holds about a player, as one JSON file.", no_args_is_help=True)


@dataclass(frozen=True, kw_only=True)
class Exported:
    user_id: str
    file: str
    bytes: int
    counts: dict[str, int]
    """Rows per list section of the document (ledger, esprits, pulls, listings, trades, pity)."""


def _show(result: Exported, view: View) -> None:
    from rich.text import Text

    from cli.text import safe

    counts = ", ".join(f"{rows:,} {section}" for section, rows in result.counts.items())
    view.console.print(
        Text.assemble(("✓", "bold green"), " Exported ", safe(result.user_id), "'s data to ", safe(result.file))
    )
    view.console.print(f"{result.bytes:,} bytes: {counts}")


def show_forgotten(result: Forgotten, view: View) -> None:
    """`faye admin forget`: what went, and what was closed first."""
    from rich.text import Text

    from cli.text import safe

    closed = ", ".join(f"{amount:,} {currency}" for currency, amount in result.balances_closed.items()) or "nothing"
    view.console.print(Text.assemble(("✓", "bold green"), " Deleted ", safe(result.user_id), "'s data"))
    view.console.print(
        f"{result.esprits_deleted:,} Esprits deleted, {len(result.trades_cancelled):,} open trades and "
        f"{len(result.listings_cancelled):,} open listings cancelled first, balances closed ({closed}), "
        f"{result.ledger_rows_anonymised:,} ledger rows kept anonymised"
    )


@data_app.command("export")
def export(
    user: UserOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="The JSON file to write.", show_default=False)],
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Write everything Faye holds about the player to a JSON file: profile, balances, ledger, Esprits with their
    history, pity, pulls, listings, trades and battle standing, read at one instant."""
    check_writable(output, "--output")

    async def work(app: FayeApp) -> Exported:
        data = await app.privacy.export(user)
        document = data.to_json()
        write_file(output, document, "--output")
        sections = {"ledger": data.ledger, "esprits": data.esprits, "pity": data.pity, "pulls": data.pulls}
        sections |= {"listings": data.listings, "trades": data.trades}
        return Exported(
            user_id=user,
            file=str(output),
            bytes=len(document),
            counts={name: len(rows) for name, rows in sections.items()},
        )

    invoke(Target(db, config_dir, as_json), work, _show)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data", rich_help_panel="Play")
