"""The disk cache of painted layers: a hit skips painting, changed content misses, and a cache that cannot be
written or holds a broken entry never breaks a render."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from faye.config import GameConfig
from faye.render import clear_caches, render_card
from faye.render.disk import ENV, cached_layer, entry_path

SIZE = (8, 6)


class Painter:
    """Counts how often the layer had to be painted."""

    def __init__(self, color: tuple[int, int, int]) -> None:
        self.color = color
        self.calls = 0

    def __call__(self) -> Image.Image:
        self.calls += 1
        return Image.new("RGB", SIZE, self.color)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(ENV, str(directory))
    return directory


def test_a_second_process_reads_the_layer_instead_of_painting_it(cache: Path) -> None:
    first, second = Painter((10, 20, 30)), Painter((99, 99, 99))
    painted = cached_layer("k", "RGB", SIZE, first)
    loaded = cached_layer("k", "RGB", SIZE, second)
    assert (first.calls, second.calls) == (1, 0)
    assert np.array_equal(np.asarray(loaded), np.asarray(painted))


def test_changed_content_is_a_miss(cache: Path) -> None:
    cached_layer("spec v1", "RGB", SIZE, Painter((1, 2, 3)))
    changed = Painter((4, 5, 6))
    image = cached_layer("spec v2", "RGB", SIZE, changed)
    assert changed.calls == 1
    assert image.getpixel((0, 0)) == (4, 5, 6)


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv(ENV, str(blocker / "cache"))
    painter = Painter((7, 8, 9))
    assert cached_layer("k", "RGB", SIZE, painter).getpixel((0, 0)) == (7, 8, 9)
    assert cached_layer("k", "RGB", SIZE, painter).getpixel((0, 0)) == (7, 8, 9)
    assert painter.calls == 2


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\ntruncated", b"not a png at all"])
def test_a_corrupted_entry_is_repainted_and_replaced(cache: Path, content: bytes) -> None:
    cached_layer("k", "RGB", SIZE, Painter((1, 1, 1)))
    entry_path(cache, "k").write_bytes(content)
    painter = Painter((2, 2, 2))
    assert cached_layer("k", "RGB", SIZE, painter).getpixel((0, 0)) == (2, 2, 2)
    assert painter.calls == 1
    assert cached_layer("k", "RGB", SIZE, Painter((3, 3, 3))).getpixel((0, 0)) == (2, 2, 2)


def test_an_entry_of_the_wrong_size_is_ignored(cache: Path) -> None:
    cached_layer("k", "RGB", SIZE, Painter((1, 1, 1)))
    Image.new("RGB", (3, 3)).save(entry_path(cache, "k"))
    painter = Painter((5, 5, 5))
    cached_layer("k", "RGB", SIZE, painter)
    assert painter.calls == 1


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "")
    monkeypatch.chdir(tmp_path)
    painter = Painter((1, 1, 1))
    cached_layer("k", "RGB", SIZE, painter)
    cached_layer("k", "RGB", SIZE, painter)
    assert painter.calls == 2
    assert os.listdir(tmp_path) == []


def test_a_card_from_cached_art_has_the_same_bytes(cache: Path, config: GameConfig) -> None:
    esprit = config.esprits_by_id["glimmer_moth"]
    clear_caches()
    painted = render_card(esprit, config)
    assert list(cache.glob("*.png"))
    clear_caches()
    assert render_card(esprit, config) == painted
