"""banners.json: the shipped rotation always has a limited banner open, and every mistake names file and field."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from faye.config import BANNERS_FILE, GameConfig, load_config
from tests.unit.test_config import config_dir, edit_json, one_problem_matching, problems_of

__all__ = ["config_dir"]  # the fixture, shared with test_config


def test_a_limited_banner_is_open_at_every_instant_of_2026_and_2027(config: GameConfig) -> None:
    windows = sorted((b.start, b.end, b.banner_id) for b in config.banners if b.start is not None and b.end is not None)
    assert windows[0][0] <= datetime(2026, 1, 1, tzinfo=UTC)
    for (_, end, earlier), (start, _, later) in itertools.pairwise(windows):
        assert start <= end, f"a gap between {earlier} and {later}"
    assert max(end for _, end, _ in windows) >= datetime(2028, 1, 1, tzinfo=UTC)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 1, 1, tzinfo=UTC):
        assert len(config.open_banners(moment)) >= 2, moment
        moment += timedelta(hours=61)


def test_each_limited_banner_features_one_top_tier_and_three_of_the_tier_below(config: GameConfig) -> None:
    top, below = config.tier_names[-1], config.tier_names[-2]
    for banner in config.banners:
        if banner.kind == "limited":
            assert len(banner.featured[top].esprits) == 1
            assert len(banner.featured[below].esprits) == 3


def first_limited(data: Any) -> dict[str, Any]:
    return next(b for b in data["banners"] if b["kind"] == "limited")


def _set(**values: Any) -> Callable[[Any], None]:
    return lambda data: first_limited(data).update(values)


def _featured(tier: str, **values: Any) -> Callable[[Any], None]:
    return lambda data: first_limited(data)["featured"][tier].update(values)


def _two_standard(data: Any) -> None:
    data["banners"].append({"banner_id": "standard_two", "name": "Again", "kind": "standard"})


def _mixed_group(data: Any) -> None:
    limited = [b for b in data["banners"] if b["kind"] == "limited"]
    limited[1]["featured"]["Legendary"]["featured_share"] = 0.75


def _retention(data: Any) -> None:
    data["retention_days"] = 30


BAD = [
    (
        "featured not in its tier",
        _featured("Legendary", esprits=["ember_fox_kit"]),
        ("featured.Legendary.esprits[0]", "Common"),
    ),
    (
        "featured unknown",
        _featured("Mythic", esprits=["no_such_esprit"]),
        ("featured.Mythic.esprits[0]", "no_such_esprit"),
    ),
    (
        "unknown tier",
        lambda d: first_limited(d)["featured"].update({"Shiny": {"esprits": ["x"]}}),
        ("featured.Shiny", "unknown tier"),
    ),
    ("start after end", _set(start="2026-02-01T00:00:00Z", end="2026-01-01T00:00:00Z"), ("banners.1", "before end")),
    ("no end", _set(end=None), ("banners.1", "start and end")),
    ("no UTC offset", _set(start="2026-01-01T00:00:00"), ("banners.1", "UTC offset")),
    ("share 0", _featured("Legendary", featured_share=0), ("featured_share",)),
    ("share above 1", _featured("Legendary", featured_share=1.5), ("featured_share",)),
    ("two standard", _two_standard, ("banners", "exactly one", "standard")),
    ("group mixing rules", _mixed_group, ("pity group 'limited' mixes rules for Legendary",)),
    ("retention under 90 days", _retention, ("retention_days",)),
]


@pytest.mark.parametrize(("change", "needles"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_banners_file_is_refused_naming_file_and_field(
    config_dir: Path, change: Callable[[Any], None], needles: tuple[str, ...]
) -> None:
    edit_json(config_dir / BANNERS_FILE, change)
    problem = one_problem_matching(problems_of(config_dir), *needles)
    assert problem.startswith(BANNERS_FILE)


def test_the_shipped_banners_load(config_dir: Path) -> None:
    assert load_config(config_dir).standard_banner.banner_id == "standard"
