"""Art: the file when it exists and is usable, procedural otherwise (deterministic, distinct, with a warning)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from faye.config import GameConfig
from faye.render import render_card
from faye.render.art import ART_SIZE, esprit_art, procedural_art
from faye.render.data import ArtSpec, face_of
from tests.render.conftest import opened


def spec(config: GameConfig, esprit_id: str) -> ArtSpec:
    return face_of(config.esprits_by_id[esprit_id], config).art


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_procedural_art_is_deterministic_and_attractive_not_flat(config: GameConfig) -> None:
    art = procedural_art(spec(config, "wraithmoon_fox"))
    assert art.size == ART_SIZE
    assert art.tobytes() == procedural_art(spec(config, "wraithmoon_fox")).tobytes()
    assert len(np.unique(pixels(art).reshape(-1, 3), axis=0)) > 2000  # gradients, glows, shapes: many colours
    assert pixels(art).std() > 15


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("mossback_tortoise", "acornpaw_squirrel"),
        ("ember_fox_kit", "ashmane_pony"),
        ("duskwing_bat", "gloamwhisker_cat"),
    ],
)
def test_esprits_of_one_element_still_look_different(config: GameConfig, first: str, second: str) -> None:
    assert config.esprits_by_id[first].element == config.esprits_by_id[second].element
    difference = np.abs(pixels(procedural_art(spec(config, first))) - pixels(procedural_art(spec(config, second))))
    assert difference.mean() > 8


def test_an_art_file_is_used_when_it_reads(config: GameConfig, tmp_path: Path) -> None:
    Image.new("RGB", (600, 400), (200, 30, 40)).save(tmp_path / "ember_fox_kit.png")
    art = esprit_art(spec(config, "ember_fox_kit"), ART_SIZE, tmp_path)
    assert art.getpixel((ART_SIZE[0] // 2, ART_SIZE[1] // 2)) == (200, 30, 40)


def test_a_missing_art_file_falls_back_with_a_warning(
    config: GameConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="faye.render.art"):
        art = esprit_art(spec(config, "glimmer_moth"), ART_SIZE, tmp_path)
    assert art.tobytes() == procedural_art(spec(config, "glimmer_moth")).tobytes()
    assert "no art file" in caplog.text
    assert "glimmer_moth" in caplog.text


def test_no_art_directory_at_all_is_quietly_procedural(
    config: GameConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="faye.render.art"):
        art = esprit_art(spec(config, "glimmer_moth"), ART_SIZE, tmp_path / "absent")
    assert art.tobytes() == procedural_art(spec(config, "glimmer_moth")).tobytes()
    assert caplog.text == ""


@pytest.mark.parametrize("content", [b"not a png at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_a_corrupt_art_file_falls_back_with_a_warning(
    config: GameConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    (tmp_path / "gale_sparrow.png").write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="faye.render.art"):
        png = render_card(config.esprits_by_id["gale_sparrow"], config, assets_dir=tmp_path)
    assert opened(png).size == (400, 560)
    assert "gale_sparrow.png" in caplog.text
    assert "cannot be read" in caplog.text
    art = esprit_art(spec(config, "gale_sparrow"), ART_SIZE, tmp_path)
    assert art.tobytes() == procedural_art(spec(config, "gale_sparrow")).tobytes()


def test_replaced_art_shows_without_a_restart(config: GameConfig, tmp_path: Path) -> None:
    """The same size and (coarse) modification time: only the content's digest tells the files apart."""
    path = tmp_path / "ember_fox_kit.png"
    Image.new("RGB", (360, 236), (10, 200, 10)).save(path)
    first = esprit_art(spec(config, "ember_fox_kit"), ART_SIZE, tmp_path)
    first_card = render_card(config.esprits_by_id["ember_fox_kit"], config, assets_dir=tmp_path)
    stat = path.stat()
    Image.new("RGB", (360, 236), (10, 10, 200)).save(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = esprit_art(spec(config, "ember_fox_kit"), ART_SIZE, tmp_path)
    assert first.getpixel((5, 5)) == (10, 200, 10)
    assert second.getpixel((5, 5)) == (10, 10, 200)
    assert render_card(config.esprits_by_id["ember_fox_kit"], config, assets_dir=tmp_path) != first_card
