"""Options every command shares, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import click
import typer

from faye.errors import InvalidAmount, InvalidArgument
from faye.inputs import ESPRIT_ID, LISTING_ID, PAGE, SEED, Bound


def utf8(value: str | None) -> str | None:
    """Refuse text that was not valid UTF-8 (Python hands it over as lone surrogates), naming the option, before
    it reaches a database driver or a terminal that cannot encode it."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise typer.BadParameter("is not valid UTF-8 text; check the terminal's or the script's encoding") from None
    return value


SearchOpt = Annotated[
    str | None, typer.Option("--search", "-s", callback=utf8, help="Only names containing this text.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print exactly one JSON document on stdout (for scripts and CI).")
]
UserOpt = Annotated[
    str,
    typer.Option("--user", "-u", envvar="FAYE_USER", show_envvar=True, callback=utf8, help="The acting player's id."),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="FAYE_DATABASE_URL",
        show_envvar=True,
        help="SQLite file path or database URL (sqlite+aiosqlite://..., postgresql+asyncpg://...). Default: ./faye.db",
    ),
]
ConfigDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--config-dir",
        envvar="FAYE_CONFIG_DIR",
        show_envvar=True,
        help="Directory with the game data JSON files. Default: the repository's data/config.",
    ),
]
AssetsDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--assets-dir",
        envvar="FAYE_ASSETS_DIR",
        show_envvar=True,
        help="Directory with designers' Esprit art (<esprit_id>.png). Default: the repository's data/assets/esprits.",
    ),
]
ImageOpt = Annotated[
    Path | None,
    typer.Option("--image", help="Also save the result as a PNG card image to this path."),
]


class Bounded(click.ParamType[Any, Any]):
    """A number of one faye.inputs kind: parsed as click parses an int or a float (a word is a usage error), then
    checked against the kind's bounds, so a value out of range is refused — InvalidArgument or InvalidAmount
    naming the option, exit 2 through the command's guard — before the command does anything."""

    def __init__(self, bound: Bound[Any]) -> None:
        self.bound = bound
        self.parse: click.ParamType[Any, Any] = click.INT if bound.kind is int else click.FLOAT
        self.name = self.parse.name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = self.parse.convert(value, param, ctx)
        try:
            return self.bound.check(number, field=param.name if param is not None else None)
        except (InvalidArgument, InvalidAmount) as error:
            option = param.opts[0] if param is not None and param.param_type_name == "option" else None
            label = option or (param.human_readable_name if param is not None else self.bound.name)
            raise type(error)(f"{label}: {error.message}", **error.details, option=label) from None


EspritIdArg = Annotated[
    int,
    typer.Argument(
        click_type=Bounded(ESPRIT_ID), help="The id of one of your Esprits (see `faye inventory`).", show_default=False
    ),
]
ListingIdArg = Annotated[
    int, typer.Argument(click_type=Bounded(LISTING_ID), help="The listing's id (see `faye auction browse`).")
]
PageOpt = Annotated[int, typer.Option("--page", "-p", click_type=Bounded(PAGE), help=f"Page number, {PAGE.rule}.")]
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed",
        click_type=Bounded(SEED),
        help=f"Random seed, {SEED.rule}: the same seed gives the same result.",
        show_default=True,
    ),
]


class IdList(click.ParamType[Any, Any]):
    """Ids of one faye.inputs kind separated by commas (`12,13`): each parsed and checked as `Bounded` checks one
    number, so a word, an empty item or an id out of range is bad input (exit 2) naming the option. Whether the
    list may repeat an id or how long it may be is the service's rule."""

    name = "ID,ID"

    def __init__(self, bound: Bound[int]) -> None:
        self.item = Bounded(bound)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):  # a default, already parsed
            return value
        return tuple(self.item.convert(item.strip(), param, ctx) for item in str(value).split(","))
