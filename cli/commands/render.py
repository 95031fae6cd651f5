"""`faye render`: card images straight from the game data, no database (for designers, previews, CI).

Player images (`--image` on `profile`, `summon`, `esprit show`) go through `cli.runtime.invoke` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.options import AssetsDirOpt, Bounded, ConfigDirOpt, JsonOpt
from cli.runtime import Target, check_writable, console, emit_json, write_file
from faye.display import plural
from faye.inputs import LEVEL

if TYPE_CHECKING:
    from rich.text import Text

render_app = typer.Typer(help="Draw card images (PNG) from the game data; no database needed.", no_args_is_help=True)


def saved_to(what: str, output: Path) -> Text:
    """'Card saved to PATH', the path shown as typed (literal text, controls replaced)."""
    from rich.text import Text

    from cli.text import safe

    return Text.assemble(f"{what} saved to ", safe(str(output)))


@render_app.command("card")
def card(
    esprit_id: Annotated[str, typer.Argument(help="An esprit_id from esprits.json, e.g. ember_fox_kit.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PNG.")],
    level: Annotated[
        int, typer.Option("--level", click_type=Bounded(LEVEL), help=f"The level shown on the card, {LEVEL.rule}.")
    ] = 1,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
    assets_dir: AssetsDirOpt = None,
) -> None:
    """Draw one Esprit's card, as esprits.json defines it, to a PNG file."""
    from cli.design import offline
    from faye.config import GameConfig
    from faye.errors import NotFound
    from faye.render import render_card

    def draw(config: GameConfig) -> None:
        esprit = config.esprits_by_id.get(esprit_id)
        if esprit is None:
            raise NotFound(f"no Esprit with id {esprit_id!r} in esprits.json", esprit_id=esprit_id)
        check_writable(output, "--output")
        write_file(output, render_card(esprit, config, level=level), "--output")

    _, config = offline(Target(config_dir=config_dir, as_json=as_json, assets_dir=assets_dir), draw)
    esprit = config.esprits_by_id[esprit_id]
    if as_json:
        emit_json(
            {"esprit_id": esprit_id, "name": esprit.name, "rarity": esprit.rarity, "level": level, "image": str(output)}
        )
    else:
        console().print(saved_to("Card", output))


@render_app.command("sheet")
def sheet(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PNG.")],
    rarity: Annotated[str | None, typer.Option("--rarity", help="Only Esprits of this tier, e.g. Epic.")] = None,
    form: Annotated[str | None, typer.Option("--form", help="Only Esprits of this form, e.g. bird.")] = None,
    art: Annotated[bool, typer.Option("--art", help="Only the art, captioned, instead of whole cards.")] = False,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
    assets_dir: AssetsDirOpt = None,
) -> None:
    """Draw a contact sheet of every Esprit's card (or art) on one page, for reviewing the roster's art.

    Designers' own art in --assets-dir shows in place of the procedural art, exactly as the game will show it.
    """
    from cli.design import offline
    from faye.config import EspritDef, EspritForm, GameConfig
    from faye.errors import InvalidArgument
    from faye.render import render_sheet

    def chosen(config: GameConfig) -> list[EspritDef]:
        tier = None
        if rarity is not None:
            tier = config.resolve_tier(rarity)
            if tier is None:
                known = ", ".join(config.tier_names)
                raise InvalidArgument(f"--rarity: no tier {rarity!r}; expected one of {known}", field="rarity")
        forms = {f.value for f in EspritForm}
        if form is not None and form.casefold() not in forms:
            raise InvalidArgument(f"--form: no form {form!r}; expected one of {', '.join(forms)}", field="form")
        picked = [
            e
            for e in config.esprits
            if (tier is None or e.rarity == tier) and (form is None or e.form.value == form.casefold())
        ]
        if not picked:
            raise InvalidArgument("no Esprit matches --rarity and --form together; nothing to draw", field="form")
        return picked

    def draw(config: GameConfig) -> int:
        esprits = chosen(config)
        check_writable(output, "--output")
        write_file(output, render_sheet(esprits, config, art_only=art), "--output")
        return len(esprits)

    count, _ = offline(Target(config_dir=config_dir, as_json=as_json, assets_dir=assets_dir), draw)
    if as_json:
        emit_json({"path": str(output), "esprits": count})
    else:
        console().print(saved_to(f"Contact sheet of {plural(count, 'Esprit')}", output))


def register(app: typer.Typer) -> None:
    app.add_typer(render_app, name="render", rich_help_panel="Play")
