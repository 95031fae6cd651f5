"""`faye config validate`: check the game data the way the game loads it, and stricter (unknown keys)."""

from __future__ import annotations

from dataclasses import dataclass

import typer

from cli.options import AssetsDirOpt, ConfigDirOpt, JsonOpt
from cli.runtime import Target, View

config_app = typer.Typer(help="Check the game data in data/config (or --config-dir).", no_args_is_help=True)


@dataclass(frozen=True)
class Validation:
    valid: bool
    config_dir: str
    files: list[str]
    tiers: int
    esprits: int
    problems: list[str]


@config_app.command("validate")
def validate(as_json: JsonOpt = False, config_dir: ConfigDirOpt = None, assets_dir: AssetsDirOpt = None) -> None:
    """Check every data file: schema and types, weights > 0, soft_start <= hard, soft_step > 0, every tier has
    Esprits, starter-pool ids exist, costs positive, and keys the game does not know (typos it would ignore).

    Also checks each designer art file in --assets-dir: a readable PNG, RGB or RGBA, at least 128x128 pixels,
    named for an Esprit. Lists every problem with its file and field. Exit 0 when valid, 2 otherwise.
    """
    from cli.design import present
    from cli.runtime import load_settings
    from faye.config import FILE_MODELS, GameConfig, load_config, validate_config
    from faye.errors import ConfigError

    target = Target(config_dir=config_dir, as_json=as_json, assets_dir=assets_dir)

    def check() -> tuple[Validation, GameConfig]:
        settings = load_settings(target)
        directory = settings.config_dir
        problems = validate_config(directory, settings.assets_dir)
        if problems:
            raise ConfigError(problems)
        config = load_config(directory, settings.assets_dir)
        return Validation(True, str(directory), list(FILE_MODELS), len(config.tiers), len(config.esprits), []), config

    validation, config = check()
    present(target, validation, config, show_validation)


def show_validation(validation: Validation, view: View) -> None:
    view.console.print(
        f"[bold green]✓[/] {validation.config_dir} is valid: {len(validation.files)} files, "
        f"{validation.tiers} tiers, {validation.esprits} Esprits"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config", rich_help_panel="Design")
