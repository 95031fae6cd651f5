"""`faye render card` and `--image` on profile, summon and esprit show, through the real Typer app."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Faye
from tests.render.conftest import opened


def test_render_card_writes_a_png(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("render", "card", "ember_fox_kit", "-o", "card.png", "--level", "7")
    assert code == 0
    assert doc == {
        "esprit_id": "ember_fox_kit",
        "name": "Ember Fox Kit",
        "rarity": "Common",
        "level": 7,
        "image": "card.png",
    }
    assert opened((tmp_path / "card.png").read_bytes()).size == (400, 560)
    result = faye("render", "card", "gale_sparrow", "-o", str(tmp_path / "sparrow.png"))
    assert result.exit_code == 0
    assert "Card saved to" in result.stdout


def test_render_card_of_an_unknown_esprit_is_refused(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("render", "card", "no_such_esprit", "-o", "card.png")
    assert code == 1
    assert doc["error"]["code"] == "not_found"
    assert "no_such_esprit" in doc["error"]["message"]
    assert not (tmp_path / "card.png").exists()
    result = faye("render", "card", "no_such_esprit", "-o", "card.png")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_render_card_to_an_unwritable_path_is_bad_input(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("render", "card", "ember_fox_kit", "-o", str(tmp_path / "missing" / "card.png"))
    assert code == 2
    assert doc["error"]["code"] == "invalid_argument"
    assert "does not exist" in doc["error"]["message"]
    code, doc = faye.json("render", "card", "ember_fox_kit", "-o", str(tmp_path))
    assert code == 2
    assert "directory" in doc["error"]["message"]


def test_render_card_rejects_level_zero(faye: Faye) -> None:
    code, doc = faye.json("render", "card", "ember_fox_kit", "-o", "card.png", "--level", "0")
    assert code == 2
    assert doc["error"]["code"] in {"usage_error", "invalid_argument"}  # the level's bound is cli.options.Bounded


def test_ten_pull_with_image_writes_the_board(faye: Faye, player: str, tmp_path: Path) -> None:
    code, doc = faye.json("summon", "--user", player, "--amount", "10", "--image", "pull.png")
    assert code == 0
    assert doc["image"] == "pull.png"
    assert len(doc["esprits"]) == 10
    board = opened((tmp_path / "pull.png").read_bytes())
    assert board.width > board.height > 500


def test_single_pull_with_image_writes_a_card(faye: Faye, player: str, tmp_path: Path) -> None:
    result = faye("summon", "--user", player, "--image", "one.png")
    assert result.exit_code == 0
    assert "Card saved to one.png" in result.stdout
    assert opened((tmp_path / "one.png").read_bytes()).size == (400, 560)


def test_an_unwritable_image_path_is_refused_before_anything_is_spent(faye: Faye, player: str, tmp_path: Path) -> None:
    _, before = faye.json("balance", "--user", player)
    code, doc = faye.json("summon", "--user", player, "--amount", "10", "--image", str(tmp_path / "no" / "p.png"))
    assert code == 2
    assert doc["error"]["code"] == "invalid_argument"
    _, after = faye.json("balance", "--user", player)
    assert after["gems"] == before["gems"]


def test_profile_with_image(faye: Faye, player: str, tmp_path: Path) -> None:
    code, doc = faye.json("profile", "--user", player, "--image", "me.png")
    assert code == 0
    assert doc["image"] == "me.png"
    assert doc["user_id"] == player
    assert opened((tmp_path / "me.png").read_bytes()).size == (820, 340)


def test_esprit_show_with_image(faye: Faye, player: str, tmp_path: Path) -> None:
    _, inventory = faye.json("inventory", "--user", player)
    esprit_id = str(inventory["items"][0]["id"])
    code, doc = faye.json("esprit", "show", esprit_id, "--user", player, "--image", "esprit.png")
    assert code == 0
    assert doc["image"] == "esprit.png"
    assert opened((tmp_path / "esprit.png").read_bytes()).size == (400, 560)
    result = faye("esprit", "show", esprit_id, "--user", player, "--image", "esprit2.png")
    assert "Card saved to esprit2.png" in result.stdout


def test_an_image_of_a_refused_command_is_not_written(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("profile", "--user", "nobody", "--image", "me.png")
    assert code == 1
    assert doc["error"]["code"] == "not_registered"
    assert not (tmp_path / "me.png").exists()
