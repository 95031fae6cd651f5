"""The three images: size and mode, determinism, rarity colours, the size budget, golden references."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pytest

from faye.config import GameConfig
from faye.render import clear_caches, render_card, render_profile, render_summon
from faye.render.card import BADGE_CENTER, BADGE_RADIUS, CARD, NAME_BOX, NAME_FIT, card_image
from faye.render.colors import hex_rgb
from faye.render.data import card_from_def
from faye.render.fonts import Face, fit_text
from faye.render.summon import board_size
from faye.settings import DEFAULT_ASSETS_DIR
from tests.render.conftest import MAX_BYTES, assert_matches_golden, opened
from tests.render.samples import TEN_PULL, detail, profile, summon_result

LONG_NAME = "Aurelion Starforged Warden of the Skyway"  # 40 characters, the longest esprits.json allows


def one_per_tier(config: GameConfig) -> list[str]:
    return [tier[0].esprit_id for tier in config.esprits_by_tier]


def test_card_is_400_by_560_with_transparent_corners(config: GameConfig) -> None:
    image = opened(render_card(config.esprits_by_id["ember_fox_kit"], config))
    assert (image.size, image.mode) == (CARD, "RGBA")
    alpha = np.asarray(image)[..., 3]
    assert alpha[0, 0] == 0
    assert alpha[CARD[1] // 2, CARD[0] // 2] == 255


def test_ten_pull_is_one_board_and_a_single_pull_one_card(config: GameConfig) -> None:
    board = opened(render_summon(summon_result(config), config))
    assert board.size == board_size(10)
    assert board.mode == "P"  # paletted to stay within the size budget
    single = opened(render_summon(summon_result(config, ("tempest_kirin",)), config))
    assert (single.size, single.mode) == (CARD, "RGBA")


@pytest.mark.parametrize("active", ["glacier_lynx", None])
def test_profile_card_with_and_without_an_active_esprit(config: GameConfig, active: str | None) -> None:
    image = opened(render_profile(profile(config, active=active), config))
    assert (image.size, image.mode) == ((820, 340), "RGBA")


def test_same_input_same_bytes_cold_or_warm(config: GameConfig) -> None:
    owned = detail(config, "nyxveil_empress")
    first = render_card(owned, config)
    assert render_card(owned, config) == first
    clear_caches()
    assert render_card(owned, config) == first
    result = summon_result(config)
    assert render_summon(result, config) == render_summon(result, config)


def test_same_bytes_in_another_process(config: GameConfig) -> None:
    """Art is seeded from a CRC of the id, never from `hash()`, which changes with every process."""
    script = (
        "import hashlib\n"
        "from faye.render import render_card\n"
        "from tests.render.samples import game_config\n"
        "c = game_config()\n"
        "print(hashlib.sha256(render_card(c.esprits_by_id['glimmer_moth'], c, level=3)).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    here = hashlib.sha256(render_card(config.esprits_by_id["glimmer_moth"], config, level=3)).hexdigest()
    assert out.stdout.strip() == here


def test_threads_render_the_same_card(config: GameConfig) -> None:
    clear_caches()
    esprits = [config.esprits_by_id[i] for i in TEN_PULL[:4]] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda e: render_card(e, config), esprits))
    for esprit, png in zip(esprits, results, strict=True):
        assert png == render_card(esprit, config)


def test_the_frame_wears_the_rarity_colour(config: GameConfig) -> None:
    for esprit_id in one_per_tier(config):
        esprit = config.esprits_by_id[esprit_id]
        pixels = np.asarray(opened(render_card(esprit, config)).convert("RGB"), dtype=np.int16)
        frame = pixels[CARD[1] // 2, 2]  # the left edge of the frame, half-way down (its true colour)
        expected = np.array(hex_rgb(config.visuals[esprit.rarity].color))
        assert np.abs(frame - expected).max() <= 12, (esprit.rarity, frame, expected)


def test_a_forty_character_name_fits_its_box() -> None:
    assert len(LONG_NAME) == 40
    x, _, width, height = NAME_BOX
    block = fit_text(LONG_NAME, Face.TITLE, width, NAME_FIT)
    assert len(block.lines) == 2
    assert block.height <= height
    badge_left = BADGE_CENTER[0] - BADGE_RADIUS  # the level badge to the name's right
    for line in block.lines:
        left, _, right, _ = block.font.getbbox(line)
        assert left >= -2, "a serif may overhang its origin by a pixel, no more"
        assert right <= width
        assert x + right < badge_left


def test_a_long_name_renders_and_changes_only_the_header(config: GameConfig) -> None:
    base = card_from_def(config.esprits_by_id["ember_fox_kit"], config)
    long = replace(base, face=replace(base.face, name=LONG_NAME))
    short_img = np.asarray(card_image(base, DEFAULT_ASSETS_DIR), dtype=np.int16)
    long_img = np.asarray(card_image(long, DEFAULT_ASSETS_DIR), dtype=np.int16)
    changed_rows = np.nonzero(np.abs(short_img - long_img).sum(axis=(1, 2)))[0]
    assert changed_rows.min() >= NAME_BOX[1] - 4
    assert changed_rows.max() <= NAME_BOX[1] + NAME_BOX[3] + 4


def test_emoji_in_a_name_are_left_out_not_drawn_as_boxes(config: GameConfig) -> None:
    base = card_from_def(config.esprits_by_id["ember_fox_kit"], config)
    with_emoji = replace(base, face=replace(base.face, name="Ember 🔥 Fox ✨"))
    plain = replace(base, face=replace(base.face, name="Ember Fox"))
    assert card_image(with_emoji, DEFAULT_ASSETS_DIR).tobytes() == card_image(plain, DEFAULT_ASSETS_DIR).tobytes()


def test_every_image_stays_under_300_kb(config: GameConfig) -> None:
    richest = tuple(e.esprit_id for e in sorted(config.esprits, key=lambda e: -config.tier_rank[e.rarity])[:10])
    images = [render_card(config.esprits_by_id[i], config, level=99) for i in one_per_tier(config)]
    images += [render_card(detail(config, "solheart_phoenix"), config)]
    images += [render_summon(summon_result(config, ids), config) for ids in (TEN_PULL, richest)]
    images += [render_profile(profile(config), config), render_profile(profile(config, active=None), config)]
    assert max(len(png) for png in images) <= MAX_BYTES


def test_golden_static_card(config: GameConfig) -> None:
    assert_matches_golden("card_ember_fox_kit_lv5", render_card(config.esprits_by_id["ember_fox_kit"], config, level=5))


def test_golden_owned_card(config: GameConfig) -> None:
    assert_matches_golden("card_owned_nyxveil_empress", render_card(detail(config, "nyxveil_empress"), config))


def test_golden_ten_pull(config: GameConfig) -> None:
    assert_matches_golden("summon_ten_pull", render_summon(summon_result(config), config), shrink=4)


def test_golden_profile(config: GameConfig) -> None:
    assert_matches_golden("profile_ana", render_profile(profile(config), config))
