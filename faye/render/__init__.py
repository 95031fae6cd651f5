"""Card images shared by every front-end: Esprit cards, summon reveals and profile cards, as PNG bytes.

Front-ends pass plain game data (an EspritDef from the config, or a service result) and get bytes to attach
or save. Drawing is CPU work: the Discord bot calls these through `asyncio.to_thread`, and they are safe to
call from several threads at once (caches hold immutable values; fonts are loaded per thread).

Importing this package is cheap: Pillow and numpy load on the first render, so `faye --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faye.config import EspritDef, GameConfig
    from faye.results import BannerView, BattleReport, OwnedEsprit, Profile, SummonResult

__all__ = [
    "clear_caches",
    "render_banner",
    "render_battle",
    "render_card",
    "render_profile",
    "render_sheet",
    "render_summon",
]


def _assets(config: GameConfig, assets_dir: Path | None) -> Path:
    """Designers' art: the explicit directory, else the config's (FAYE_ASSETS_DIR), else data/assets/esprits.

    Any Esprit without a usable `<esprit_id>.png` there gets procedural art.
    """
    from faye.settings import DEFAULT_ASSETS_DIR

    return assets_dir or config.assets_dir or DEFAULT_ASSETS_DIR


def render_card(
    esprit: EspritDef | OwnedEsprit, config: GameConfig, *, level: int = 1, assets_dir: Path | None = None
) -> bytes:
    """A 400x560 Esprit card. From esprits.json at `level` with full HP, or a player's Esprit as it is now:
    level and cap, XP bar, ascension rank, lock, and stats at its level and rank."""
    from faye.config import EspritDef
    from faye.render.card import card_image
    from faye.render.data import card_from_def, card_from_owned
    from faye.render.png import encode

    data = (
        card_from_def(esprit, config, level=level) if isinstance(esprit, EspritDef) else card_from_owned(esprit, config)
    )
    return encode(card_image(data, _assets(config, assets_dir)))


def render_summon(result: SummonResult, config: GameConfig, *, assets_dir: Path | None = None) -> bytes:
    """A single pull's full card, or the 2x5 reveal board of a 10-pull with the rarest pulls highlighted."""
    from faye.render.data import summon_data
    from faye.render.png import encode
    from faye.render.summon import summon_image

    data = summon_data(result, config)
    return encode(summon_image(data, _assets(config, assets_dir)), paletted=len(data.pulls) > 1)


def render_banner(view: BannerView, config: GameConfig, *, assets_dir: Path | None = None) -> bytes:
    """A banner's poster: its name, kind and time left, and its featured Esprits' mini cards, rarest first."""
    from faye.render.banner import banner_data, banner_image
    from faye.render.png import encode

    return encode(banner_image(banner_data(view, config), _assets(config, assets_dir)), paletted=True)


def render_battle(report: BattleReport, config: GameConfig, *, assets_dir: Path | None = None) -> bytes:
    """A fought battle: the player's team and the enemy's as mini cards facing each other, each over the HP it
    ended with, the winning side haloed and badged, the fallen dimmed."""
    from faye.render.battle import battle_data, battle_image
    from faye.render.png import encode

    return encode(battle_image(battle_data(report, config), _assets(config, assets_dir)), paletted=True)


def render_profile(profile: Profile, config: GameConfig, *, assets_dir: Path | None = None) -> bytes:
    """An 820x340 profile card: name, level and XP, wallet, streak, best Esprit, collection per rarity, and
    active Esprit."""
    from faye.render.data import profile_data
    from faye.render.png import encode
    from faye.render.profile import profile_image

    return encode(profile_image(profile_data(profile, config), _assets(config, assets_dir)))


def render_sheet(
    esprits: Sequence[EspritDef], config: GameConfig, *, art_only: bool = False, assets_dir: Path | None = None
) -> bytes:
    """A contact sheet, one page: each Esprit's full card (or only its art, captioned) in a grid, in order."""
    from faye.render.data import face_of
    from faye.render.png import encode
    from faye.render.sheet import sheet_image

    faces = [face_of(e, config) for e in esprits]
    return encode(sheet_image(faces, _assets(config, assets_dir), art_only=art_only))


def clear_caches() -> None:
    """Forget every cached layer and image (benchmarks measure cold renders; tests swap art files)."""
    from faye.render import art, card, fonts, icons, layers, summon

    for module in (art, card, fonts, icons, layers, summon):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
