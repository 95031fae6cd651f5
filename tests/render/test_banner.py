"""The banner poster: its featured cards rarest first, its name and time left, the size budget, a golden image."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np

from faye.config import GameConfig
from faye.render import render_banner
from faye.render.banner import banner_data, banner_image, poster_size
from faye.render.card import MINI
from faye.results import BannerView, FeaturedEsprit
from faye.services.banners import banner_view
from faye.settings import DEFAULT_ASSETS_DIR
from tests.render.conftest import MAX_BYTES, assert_matches_golden, opened

AT = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def view_of(config: GameConfig, banner_id: str, at: datetime = AT) -> BannerView:
    """The banner as the service shows it at `at` (no player asked)."""
    return banner_view(config, config.banners_by_id[banner_id], at)


def test_a_limited_poster_shows_its_featured_cards_rarest_first(config: GameConfig) -> None:
    view = view_of(config, "solheart_2026_01")
    data = banner_data(view, config)
    assert [face.rarity.name for face in data.featured] == ["Legendary", "Mythic", "Mythic", "Mythic"]
    assert data.time_left == "27d 12h"
    image = opened(render_banner(view, config))
    assert image.size == poster_size(4)
    assert image.size[1] > MINI[1]


def test_the_standard_poster_has_no_cards_and_never_closes(config: GameConfig) -> None:
    data = banner_data(view_of(config, "standard"), config)
    assert (data.featured, data.time_left) == ((), None)
    assert opened(render_banner(view_of(config, "standard"), config)).size == poster_size(0)
    assert poster_size(0)[1] < poster_size(1)[1]


def test_many_featured_cards_wrap_five_to_a_row(config: GameConfig) -> None:
    assert poster_size(6)[1] - poster_size(5)[1] > MINI[1]
    assert poster_size(5)[0] == poster_size(9)[0] > poster_size(4)[0]


def test_an_esprit_gone_from_the_game_data_keeps_its_name_and_tier(config: GameConfig) -> None:
    gone = FeaturedEsprit(esprit_id="retired_one", name="Retired One", tier="Mythic")
    view = replace(view_of(config, "standard"), featured=[gone])
    (face,) = banner_data(view, config).featured
    assert (face.name, face.rarity.name) == ("Retired One", "Mythic")
    opened(render_banner(view, config))


def test_the_time_left_is_drawn(config: GameConfig) -> None:
    data = banner_data(view_of(config, "solheart_2026_01"), config)
    soon = replace(data, time_left="1h")
    first = np.asarray(banner_image(data, DEFAULT_ASSETS_DIR))
    second = np.asarray(banner_image(soon, DEFAULT_ASSETS_DIR))
    assert (first != second).any()


def test_same_banner_same_bytes_within_the_budget(config: GameConfig) -> None:
    view = view_of(config, "solheart_2026_01")
    png = render_banner(view, config)
    assert render_banner(view, config) == png
    assert len(png) <= MAX_BYTES


def test_golden_banner(config: GameConfig) -> None:
    png = render_banner(view_of(config, "solheart_2026_01"), config)
    assert_matches_golden("banner_solheart_2026_01", png, shrink=3)
