"""Progression on the images: level and cap, the XP bar, ascension slots, the lock, stats at level, the best
Esprit on the profile, and player-supplied names that must still render."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest
from numpy.typing import NDArray

from faye import progression
from faye.config import GameConfig
from faye.render import render_card, render_profile
from faye.render.card import ART_BOX, BAR_W, BAR_X, CARD, XP_COLOUR, XP_TOP, card_image
from faye.render.data import CardData, card_from_def, card_from_owned, profile_data
from faye.render.paint import ART_SIZE
from faye.render.profile import BEST_BOX, PROFILE, profile_image
from faye.results import OwnedEsprit
from faye.settings import DEFAULT_ASSETS_DIR
from tests.render.conftest import MAX_BYTES, assert_matches_golden, opened
from tests.render.samples import detail, profile

HOSTILE = "\u202e@everyone **Grim** `x` <@&1>\x00\x1b[31m\u200d\u0301\u0301 Z\u0336a\u0336 🔥" * 3
Box = tuple[int, int, int, int]
"""left, top, right, bottom (exclusive)."""

ASCENSION_PLATE: Box = (ART_BOX[0], ART_BOX[1], ART_BOX[0] + 110, ART_BOX[1] + 40)
LOCK_DISC: Box = (ART_BOX[0] + ART_SIZE[0] - 40, ART_BOX[1], ART_BOX[0] + ART_SIZE[0], ART_BOX[1] + 40)
LOCKED_LABEL: Box = (CARD[0] // 2 + 40, CARD[1] - 32, CARD[0], CARD[1])


def pixels(card: CardData) -> NDArray[np.int16]:
    return np.asarray(card_image(card, DEFAULT_ASSETS_DIR), dtype=np.int16)


def changed(a: NDArray[np.int16], b: NDArray[np.int16]) -> NDArray[np.bool_]:
    """Which pixels differ, as a (height, width) mask."""
    mask: NDArray[np.bool_] = np.abs(a - b).sum(axis=2) > 0
    return mask


def inside(mask: NDArray[np.bool_], box: Box) -> NDArray[np.bool_]:
    left, top, right, bottom = box
    region = np.zeros_like(mask)
    region[top:bottom, left:right] = True
    return mask & region


def test_rank_three_and_locked_change_only_the_slots_and_the_lock(config: GameConfig) -> None:
    """Same Esprit, same level and stats: only the ascension plate, the lock disc and 'LOCKED' differ."""
    plain = card_from_owned(detail(config, "nyxveil_empress", level=25, ascension=3), config)
    rank_zero = replace(plain, state=replace(plain.state, ascension=0, locked=False))
    ranked = replace(plain, state=replace(plain.state, ascension=3, locked=True))
    diff = changed(pixels(rank_zero), pixels(ranked))
    for box in (ASCENSION_PLATE, LOCK_DISC, LOCKED_LABEL):
        assert inside(diff, box).any(), box
    outside = diff & ~inside(diff, ASCENSION_PLATE) & ~inside(diff, LOCK_DISC) & ~inside(diff, LOCKED_LABEL)
    assert not outside.any(), np.argwhere(outside)[:5]


def test_twenty_ranks_still_fit_beside_the_lock(config: GameConfig) -> None:
    """progression.json allows up to 20 ranks: the slots shrink to stay clear of the lock's disc."""
    plain = card_from_owned(detail(config, "nyxveil_empress"), config)
    none = replace(plain, state=replace(plain.state, max_rank=0))
    many = replace(plain, state=replace(plain.state, max_rank=20, ascension=7))
    diff = changed(pixels(none), pixels(many))
    assert inside(diff, ASCENSION_PLATE).any()
    columns = np.nonzero(diff.any(axis=0))[0]
    assert columns.max() < LOCK_DISC[0], "the slots end before the lock's disc begins"
    best = card_from_owned(replace(detail(config, "solheart_phoenix", level=43, ascension=7), level_cap=200), config)
    crowded = replace(profile_data(profile(config), config), best=replace(best, state=replace(best.state, max_rank=20)))
    assert profile_image(crowded, DEFAULT_ASSETS_DIR).size == PROFILE


def test_a_rank_three_card_shows_more_than_a_rank_zero_one(config: GameConfig) -> None:
    """From the service's results: rank 3 also lifts the stats and the cap, so those rows change too."""
    low = opened(render_card(detail(config, "nyxveil_empress", level=18), config))
    high = opened(render_card(detail(config, "nyxveil_empress", level=18, ascension=3, locked=True), config))
    diff = changed(np.asarray(low, dtype=np.int16), np.asarray(high, dtype=np.int16))
    assert inside(diff, ASCENSION_PLATE).any()
    assert inside(diff, LOCK_DISC).any()
    assert inside(diff, (0, XP_TOP, CARD[0], XP_TOP + 18)).any(), "LV 18/20 became LV 18/50"
    art_middle = (ART_BOX[0] + 120, ART_BOX[1] + 60, ART_BOX[0] + 240, ART_BOX[1] + 200)
    assert not inside(diff, art_middle).any(), "the art is the species', whatever the rank"


def test_the_art_stays_the_same_as_an_esprit_levels_and_ascends(config: GameConfig) -> None:
    young = card_from_owned(detail(config, "glacier_lynx", level=1), config)
    grown = card_from_owned(detail(config, "glacier_lynx", level=45, ascension=3), config)
    assert young.face.stats != grown.face.stats
    assert young.face.art == grown.face.art == card_from_def(config.esprits_by_id["glacier_lynx"], config).face.art


def bar_end(card: CardData) -> NDArray[np.int16]:
    """The colour just inside the XP bar's right end."""
    return pixels(card)[XP_TOP + 8, BAR_X + BAR_W - 4, :3]


def test_the_xp_bar_is_full_at_the_cap_and_empty_at_no_xp(config: GameConfig) -> None:
    at_cap = card_from_owned(detail(config, "ember_fox_kit", level=20), config)
    assert at_cap.state.xp_to_next is None
    fresh = card_from_owned(detail(config, "ember_fox_kit", level=19, xp=0), config)
    blue = np.array(XP_COLOUR)
    assert np.abs(bar_end(at_cap) - blue).max() < np.abs(bar_end(fresh) - blue).max()
    assert bar_end(fresh).max() < 60, "an empty bar shows its dark track"


def test_stats_on_a_bare_owned_esprit_are_at_its_level_and_rank(config: GameConfig) -> None:
    """Registration and summon pages pass an OwnedEsprit (no stats): the card grows them as the service does."""
    full = detail(config, "tidecaller_otter", level=30, ascension=2)
    bare = OwnedEsprit(**{f.name: getattr(full, f.name) for f in fields(OwnedEsprit)})
    shown = {s.name: s.value for s in card_from_owned(bare, config).face.stats}
    base = progression.base_stats(config.esprits_by_id["tidecaller_otter"])
    expected = progression.stats_at(config.progression, full.rarity, base, 30, 2)
    assert shown == pytest.approx(expected)
    assert card_image(card_from_owned(bare, config), DEFAULT_ASSETS_DIR).tobytes() == (
        card_image(card_from_owned(full, config), DEFAULT_ASSETS_DIR).tobytes()
    )


def test_a_hostile_name_still_renders(config: GameConfig) -> None:
    """An Esprit whose species left esprits.json shows the name it was stored with, whatever it holds."""
    gone = replace(detail(config, "ember_fox_kit", ascension=5, level=70, locked=True), esprit_id="gone", name=HOSTILE)
    image = opened(render_card(gone, config))
    assert (image.size, image.mode) == (CARD, "RGBA")
    quiet = replace(gone, name="Grim")
    diff = changed(np.asarray(image, dtype=np.int16), np.asarray(opened(render_card(quiet, config)), dtype=np.int16))
    rows = np.nonzero(diff.any(axis=1))[0]
    assert rows.size, "the name is drawn"
    assert rows.max() < ART_BOX[1], "only the name's header changes"


def test_a_hostile_player_and_best_esprit_name_still_render(config: GameConfig) -> None:
    best = replace(detail(config, "solheart_phoenix", ascension=4, level=55), esprit_id="gone", name=HOSTILE)
    png = render_profile(profile(config, username=HOSTILE, best=best), config)
    assert opened(png).size == PROFILE
    assert len(png) <= MAX_BYTES


def test_the_profile_shows_the_best_esprit_in_its_panel_only(config: GameConfig) -> None:
    without = np.asarray(profile_image(profile_data(profile(config), config), DEFAULT_ASSETS_DIR), dtype=np.int16)
    best = detail(config, "solheart_phoenix", level=43, ascension=4, locked=True)
    with_best = profile_image(profile_data(profile(config, best=best), config), DEFAULT_ASSETS_DIR)
    diff = changed(without, np.asarray(with_best, dtype=np.int16))
    x, y, width, height = BEST_BOX
    panel = (x - 2, y - 2, x + width + 2, y + height + 2)
    assert inside(diff, panel).any()
    assert not (diff & ~inside(diff, panel)).any(), "the rest of the profile, the active Esprit too, is unchanged"


def test_a_long_collection_label_makes_room_for_the_best_esprit(config: GameConfig) -> None:
    """A long streak and a big collection shorten 'Esprits collected' rather than run under the panel."""
    best = detail(config, "solheart_phoenix", level=43, ascension=4)
    crowded = replace(profile(config, best=best), daily_streak=12_345, collection_size=123_456)
    shown = np.asarray(profile_image(profile_data(crowded, config), DEFAULT_ASSETS_DIR), dtype=np.int16)
    usual = np.asarray(profile_image(profile_data(profile(config, best=best), config), DEFAULT_ASSETS_DIR))
    x, y, width, height = BEST_BOX
    panel = (slice(y - 2, y + height + 2), slice(x - 2, x + width + 2))
    assert not changed(shown[panel], usual[panel].astype(np.int16)).any()


def test_progression_images_stay_under_300_kb(config: GameConfig) -> None:
    best = detail(config, "solheart_phoenix", level=70, ascension=5, locked=True)
    images = [render_card(best, config), render_profile(profile(config, best=best), config)]
    assert max(len(png) for png in images) <= MAX_BYTES


def test_golden_ascended_locked_card(config: GameConfig) -> None:
    card = detail(config, "solheart_phoenix", level=43, xp=1_900, ascension=3, locked=True)
    assert_matches_golden("card_owned_solheart_phoenix_rank3_locked", render_card(card, config))


def test_golden_profile_with_best_esprit(config: GameConfig) -> None:
    best = detail(config, "solheart_phoenix", level=43, ascension=4, locked=True)
    assert_matches_golden("profile_ana_best", render_profile(profile(config, best=best), config))
