"""Designers' own art: a PNG replaces one Esprit's art on its card, the 10-pull board and the profile; the
renderer and `faye config validate` agree on which files are usable, and name the ones they refuse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from faye.config import GameConfig, load_config
from faye.render import render_card, render_profile, render_summon
from faye.render.card import ART_BOX, MINI, MINI_ART
from faye.render.summon import COLUMNS, GAP, HEADER, MARGIN
from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye
from tests.render.conftest import opened
from tests.render.samples import TEN_PULL, profile, summon_result

DESIGNED = "glacier_lynx"
"""In the 10-pull sample (4th) and the profile's active Esprit."""
COLOUR = (222, 40, 160)


def designer_png(directory: Path, esprit_id: str = DESIGNED, *, size: tuple[int, int] = (480, 320)) -> Path:
    """A generated stand-in for a designer's art: magenta with a yellow stripe, unlike any procedural art."""
    image = Image.new("RGB", size, COLOUR)
    image.paste((250, 230, 20), (0, 0, size[0], size[1] // 8))
    path = directory / f"{esprit_id}.png"
    image.save(path)
    return path


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(opened(png).convert("RGB"), dtype=np.int16)


def near(pixel: np.ndarray, colour: tuple[int, int, int], slack: int = 12) -> bool:
    return bool(np.abs(pixel - np.array(colour)).max() <= slack)


def test_a_designer_png_replaces_the_art_on_the_card_only(config: GameConfig, tmp_path: Path) -> None:
    designer_png(tmp_path)
    card = rgb(render_card(config.esprits_by_id[DESIGNED], config, assets_dir=tmp_path))
    default = rgb(render_card(config.esprits_by_id[DESIGNED], config))
    x, y = ART_BOX[0] + 180, ART_BOX[1] + 118
    assert near(card[y, x], COLOUR)
    assert not near(default[y, x], COLOUR)
    changed = np.nonzero(np.abs(card - default).sum(axis=2))
    assert changed[0].min() >= ART_BOX[1] - 2
    assert changed[0].max() <= ART_BOX[1] + 236 + 2
    other = config.esprits_by_id["ember_fox_kit"]
    assert render_card(other, config, assets_dir=tmp_path) == render_card(other, config)


def test_the_board_and_the_profile_show_it_too(config: GameConfig, tmp_path: Path) -> None:
    designer_png(tmp_path)
    board = rgb(render_summon(summon_result(config), config, assets_dir=tmp_path))
    plain = rgb(render_summon(summon_result(config), config))
    slot = TEN_PULL.index(DESIGNED)
    x = MARGIN + (slot % COLUMNS) * (MINI[0] + GAP) + MINI_ART[0] + MINI_ART[2] // 2
    y = HEADER + (slot // COLUMNS) * (MINI[1] + GAP) + MINI_ART[1] + MINI_ART[3] // 2
    assert near(board[y, x], COLOUR, 24)  # the board is paletted: a little slack
    assert not near(plain[y, x], COLOUR, 24)
    me = rgb(render_profile(profile(config, active=DESIGNED), config, assets_dir=tmp_path))
    card_x = 820 - 32 - MINI[0]
    assert near(me[52 + MINI_ART[1] + MINI_ART[3] // 2, card_x + MINI_ART[0] + MINI_ART[2] // 2], COLOUR)


def test_the_config_carries_the_assets_dir_to_every_picture(tmp_path: Path) -> None:
    """FAYE_ASSETS_DIR reaches the front-ends through the loaded config: they pass no directory themselves."""
    designer_png(tmp_path)
    config = load_config(DEFAULT_CONFIG_DIR, tmp_path)
    card = rgb(render_card(config.esprits_by_id[DESIGNED], config))
    assert near(card[ART_BOX[1] + 118, ART_BOX[0] + 180], COLOUR)


def test_transparent_art_stands_in_the_esprits_own_scene(config: GameConfig, tmp_path: Path) -> None:
    cutout = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    cutout.paste((*COLOUR, 255), (150, 100, 250, 200))
    cutout.save(tmp_path / f"{DESIGNED}.png")
    card = rgb(render_card(config.esprits_by_id[DESIGNED], config, assets_dir=tmp_path))
    assert near(card[ART_BOX[1] + 118, ART_BOX[0] + 180], COLOUR)
    corner = card[ART_BOX[1] + 30, ART_BOX[0] + 30]
    assert not near(corner, COLOUR)
    assert corner.sum() > 30


BROKEN: list[tuple[str, Callable[[Path], object], str]] = [
    ("not a png", lambda p: p.write_bytes(b"definitely not an image"), "cannot be read"),
    ("truncated", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), "cannot be read"),
    ("too small", lambda p: Image.new("RGB", (100, 200)).save(p), "too small"),
    ("wrong mode", lambda p: Image.new("L", (200, 200)).save(p), "mode L"),
    ("a jpeg", lambda p: Image.new("RGB", (200, 200)).save(p, "JPEG"), "not a PNG"),
]


@pytest.mark.parametrize(("make", "needle"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_validate_refuses_an_unusable_art_file_naming_it(
    faye: Faye, tmp_path: Path, make: Callable[[Path], object], needle: str
) -> None:
    art = tmp_path / "art"
    art.mkdir()
    designer_png(art, "ember_fox_kit")  # a good one, not reported
    bad = art / f"{DESIGNED}.png"
    make(bad)
    code, doc = faye.json("config", "validate", "--assets-dir", str(art))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")
    assert [p for p in doc["error"]["problems"] if "ember_fox_kit" in p] == []
    assert any(p.startswith(f"{bad}: ") and needle in p for p in doc["error"]["problems"]), doc
    result = faye("config", "validate", FAYE_ASSETS_DIR=str(art))
    assert result.exit_code == 2
    assert f"{DESIGNED}.png" in result.stderr
    assert "Traceback" not in result.output


def test_validate_names_art_for_no_esprit_and_accepts_good_art(faye: Faye, tmp_path: Path) -> None:
    designer_png(tmp_path, "ember_fox_kit")
    code, doc = faye.json("config", "validate", "--assets-dir", str(tmp_path))
    assert code == 0, doc
    designer_png(tmp_path, "ember_fox")
    code, doc = faye.json("config", "validate", "--assets-dir", str(tmp_path))
    assert code == 2
    assert any("ember_fox.png" in p and "no Esprit" in p for p in doc["error"]["problems"])


def test_render_card_takes_the_assets_dir(faye: Faye, tmp_path: Path) -> None:
    art = tmp_path / "art"
    art.mkdir()
    designer_png(art)
    assert faye.json("render", "card", DESIGNED, "-o", "a.png", "--assets-dir", str(art))[0] == 0
    assert faye.json("render", "card", DESIGNED, "-o", "b.png", FAYE_ASSETS_DIR=str(art))[0] == 0
    assert faye.json("render", "card", DESIGNED, "-o", "c.png")[0] == 0
    a, b, c = (rgb((tmp_path / f"{n}.png").read_bytes()) for n in "abc")
    assert near(a[ART_BOX[1] + 118, ART_BOX[0] + 180], COLOUR)
    assert (a == b).all()
    assert not near(c[ART_BOX[1] + 118, ART_BOX[0] + 180], COLOUR)
