"""`faye sim battles`: its JSON document, the Rich view, --what-if, --plot, and bad input naming the option."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from faye.battle import matrix
from tests.battle_sim.conftest import BOOSTED, PER_TIER, SmallData
from tests.cli.conftest import Faye

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYS = ["level", "ascension", "team_size", "battles_per_pair", "seed", "esprits", "matrix", "tiers", "elements"]
KEYS += ["roles", "outliers"]


def steady(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what depends on the machine."""
    return {k: v for k, v in document.items() if k not in ("seconds", "workers")}


def test_json_document(faye: Faye, small_data: SmallData) -> None:
    data = str(small_data())
    code, doc = faye.json("sim", "battles", "--battles", "4", "--seed", "3", "--config-dir", data)
    assert code == 0, doc
    assert list(doc)[: len(KEYS)] == KEYS
    assert (doc["level"], doc["ascension"], doc["team_size"], doc["battles_per_pair"], doc["seed"]) == (20, 0, 1, 4, 3)
    esprits = len(doc["esprits"])
    assert esprits == 6 * PER_TIER
    assert len(doc["matrix"]) == esprits
    assert all(len(row) == esprits for row in doc["matrix"])
    for esprit in doc["esprits"]:
        assert {"esprit_id", "name", "tier", "element", "role", "win_rate", "outlier"} <= set(esprit)
        assert 0 <= esprit["win_rate"] <= 1
        assert esprit["outlier"] in (None, "above", "below")
    assert doc["battles"] == esprits * esprits * 4
    again = faye.json("sim", "battles", "--battles", "4", "--seed", "3", "--config-dir", data)[1]
    assert steady(again) == steady(doc)


def test_one_worker_or_two_print_the_same(faye: Faye, small_data: SmallData, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix, "POOL_BATTLES", 1)
    data = str(small_data())
    one = faye.json("sim", "battles", "-n", "3", "--workers", "1", "--config-dir", data)[1]
    two = faye.json("sim", "battles", "-n", "3", "--workers", "2", "--config-dir", data)[1]
    assert (one["workers"], two["workers"]) == (1, 2)
    assert steady(one) == steady(two)


def test_for_people(faye: Faye, small_data: SmallData) -> None:
    result = faye("sim", "battles", "-n", "6", "--team-size", "2", "--config-dir", str(small_data(boost=6.0)))
    assert result.exit_code == 0, result.output
    for text in ("Esprits by win rate", "Tiers", "Elements", "Roles", "teams of 2", "▲ above", "Mossback Tortoise"):
        assert text in result.stdout


def test_what_if_shows_what_moved(faye: Faye, small_data: SmallData) -> None:
    base, boosted = small_data(), small_data("boosted", boost=6.0)
    args = ["sim", "battles", "-n", "6", "--config-dir", str(base), "--what-if", str(boosted)]
    code, doc = faye.json(*args)
    assert code == 0, doc
    assert {"what_if", "threshold", "before", "after", "moved"} <= set(doc)
    assert doc["what_if"] == str(boosted)
    assert doc["threshold"] == 0.05
    assert doc["moved"][0]["esprit_id"] == BOOSTED
    assert doc["moved"][0]["after"] > doc["moved"][0]["before"]
    result = faye(*args, "--threshold", "0.3")
    assert result.exit_code == 0, result.output
    assert "What moved" in result.stdout
    assert "Mossback Tortoise" in result.stdout
    same = faye.json("sim", "battles", "-n", "6", "--config-dir", str(base), "--what-if", str(small_data("copy")))[1]
    assert same["moved"] == []


def test_plot_writes_a_png(faye: Faye, small_data: SmallData, tmp_path: Path) -> None:
    target = tmp_path / "matrix.png"
    code, doc = faye.json("sim", "battles", "-n", "2", "--plot", str(target), "--config-dir", str(small_data()))
    assert code == 0, doc
    assert doc["plot"] == str(target)
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    assert target.stat().st_size > 10_000


def broken(directory: Path, name: str, text: str) -> Path:
    (directory / name).write_text(text)
    return directory


@pytest.mark.parametrize(
    ("args", "error", "option"),
    [
        (["--battles", "0"], "invalid_amount", "--battles"),
        (["--battles", str(10**12)], "invalid_amount", "--battles"),
        (["--team-size", "4"], "invalid_argument", "--team-size"),
        (["--team-size", "0"], "invalid_argument", "--team-size"),
        (["--level", "21"], "invalid_argument", "--level"),
        (["--level", "0"], "invalid_argument", "--level"),
        (["--ascension", "2", "--level", "41"], "invalid_argument", "--level"),
        (["--ascension", "6"], "invalid_argument", "--ascension"),
        (["--ascension", "-1"], "invalid_argument", "--ascension"),
        (["--threshold", "0"], "invalid_argument", "--threshold"),
        (["--band", "1.5"], "invalid_argument", "--band"),
        (["--workers", "0"], "invalid_argument", "--workers"),
        (["--plot", "out.jpg"], "invalid_argument", "--plot"),
        (["--what-if", "no/such/dir"], "invalid_config", "--what-if"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_bad_input_exits_2_naming_the_option(
    faye: Faye, small_data: SmallData, args: list[str], error: str, option: str
) -> None:
    data = str(small_data())
    code, doc = faye.json("sim", "battles", *args, "--config-dir", data)
    assert (code, doc["error"]["code"]) == (2, error), doc
    assert option in doc["error"]["message"]
    result = faye("sim", "battles", *args, "--config-dir", data)
    assert result.exit_code == 2
    assert option in result.output
    assert "Traceback" not in result.output


def test_a_matrix_too_large_for_minutes_is_refused(faye: Faye) -> None:
    code, doc = faye.json("sim", "battles", "--battles", "100000")  # 44 x 44 pairs: 193.6 million battles
    assert (code, doc["error"]["code"]) == (2, "invalid_amount")
    assert doc["error"]["message"].startswith("--battles: a matrix holds at most 50,000,000 battles")


@pytest.mark.parametrize(
    ("name", "text", "named"),
    [
        ("esprits.json", "{not json", "esprits.json"),
        ("battle.json", '{"max_rounds": 0}', "battle.json"),
        ("battle.json", None, "battle.json"),
    ],
    ids=["broken esprits.json", "invalid battle.json", "no battle.json"],
)
def test_a_broken_what_if_dir_exits_2_naming_it(
    faye: Faye, small_data: SmallData, name: str, text: str | None, named: str
) -> None:
    changed = small_data("changed")
    if text is None:
        (changed / name).unlink()
    else:
        broken(changed, name, text)
    args = ["sim", "battles", "-n", "2", "--config-dir", str(small_data()), "--what-if", str(changed)]
    code, doc = faye.json(*args)
    assert (code, doc["error"]["code"]) == (2, "invalid_config")
    assert "--what-if" in doc["error"]["message"]
    assert named in doc["error"]["message"]


def test_designers_names_are_shown_as_text(faye: Faye, small_data: SmallData) -> None:
    data = small_data()
    path = data / "esprits.json"
    path.write_text(path.read_text().replace('"Mossback Tortoise"', '"[bold red]Moss[/]\\u001b[2J"'))
    result = faye("sim", "battles", "-n", "2", "--config-dir", str(data), COLUMNS="200")  # no name cut short
    assert result.exit_code == 0, result.output
    assert "[bold red]Moss[/]\ufffd[2J" in result.stdout
