"""`faye render`: card images straight from the game data, no database (for designers, previews, CI).

Player images (`--image` on `profile`, `summon`, `esprit show`) go through `cli.runtime.invoke` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.options import ConfigDirOpt, JsonOpt
from cli.runtime import Target, check_writable, console, emit_json, write_file

render_app = typer.Typer(help="Draw card images (PNG) from the game data; no database needed.", no_args_is_help=True)


@render_app.command("card")
def card(
    esprit_id: Annotated[str, typer.Argument(help="An esprit_id from esprits.json, e.g. ember_fox_kit.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PNG.")],
    level: Annotated[int, typer.Option("--level", min=1, help="The level shown on the card.")] = 1,
    as_json: JsonOpt = False,
    config_dir: ConfigDirOpt = None,
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

    _, config = offline(Target(config_dir=config_dir, as_json=as_json), draw)
    esprit = config.esprits_by_id[esprit_id]
    if as_json:
        emit_json(
            {"esprit_id": esprit_id, "name": esprit.name, "rarity": esprit.rarity, "level": level, "image": str(output)}
        )
    else:
        console().print(f"Card saved to {output}")
