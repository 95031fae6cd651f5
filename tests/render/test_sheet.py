"""`faye render sheet`: the roster on one page, filtered by rarity and form; bad filters are bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from faye.config import GameConfig
from faye.render.card import CARD
from tests.cli.conftest import Faye
from tests.render.conftest import opened


def test_the_whole_roster_as_art_on_one_page(faye: Faye, config: GameConfig, tmp_path: Path) -> None:
    code, doc = faye.json("render", "sheet", "-o", "sheet.png", "--art")
    assert (code, doc) == (0, {"path": "sheet.png", "esprits": len(config.esprits)})
    page = opened((tmp_path / "sheet.png").read_bytes())
    assert page.width > 7 * 360
    assert page.height > 6 * 236


@pytest.mark.parametrize(
    ("options", "rarity", "form"),
    [
        (["--rarity", "epic"], "Epic", None),
        (["--form", "bird"], None, "bird"),
        (["--rarity", "Legendary", "--form", "bird"], "Legendary", "bird"),
    ],
)
def test_filters_pick_the_esprits_drawn(
    faye: Faye, config: GameConfig, tmp_path: Path, options: list[str], rarity: str | None, form: str | None
) -> None:
    expected = [
        e for e in config.esprits if (rarity is None or e.rarity == rarity) and (form is None or e.form == form)
    ]
    code, doc = faye.json("render", "sheet", "-o", "cards.png", *options)
    assert (code, doc["esprits"]) == (0, len(expected))
    page = opened((tmp_path / "cards.png").read_bytes())
    assert page.width >= CARD[0]
    assert page.height >= CARD[1]
    result = faye("render", "sheet", "-o", "again.png", *options)
    assert result.exit_code == 0
    assert f"{len(expected)} Esprit" in result.stdout


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (["--rarity", "Ultra"], "no tier 'Ultra'"),
        (["--form", "dragonish"], "no form 'dragonish'"),
        (["--rarity", "Common", "--form", "golem"], "no Esprit matches"),
    ],
)
def test_a_bad_filter_is_bad_input_and_writes_nothing(
    faye: Faye, tmp_path: Path, options: list[str], needle: str
) -> None:
    code, doc = faye.json("render", "sheet", "-o", "sheet.png", *options)
    assert code == 2
    assert needle in doc["error"]["message"]
    assert not (tmp_path / "sheet.png").exists()


def test_an_unwritable_output_is_refused(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("render", "sheet", "-o", str(tmp_path / "missing" / "sheet.png"))
    assert code == 2
    assert "does not exist" in doc["error"]["message"]
