"""`faye battle trial|trials|duel|team set|standing` and `faye leaderboard --by rating`: the JSON contract, exit
codes, refusals that change nothing, bad input naming its option, the Rich view (banner, teams, a long log
summarised) and player ids shown as text."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import cli.battle_output
from cli.battle_output import LOG_ACTIONS, show_battle, shown_rounds
from cli.runtime import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_REFUSED, View
from faye.config import GameConfig
from faye.results import BattleFighter, BattleReport, RatingChange
from tests.cli.conftest import Faye

HOSTILE = "[red]ev[/][link=https://evil.example]x[/link]"
REPORT_FIELDS = {
    "kind",
    "winner",
    "rounds",
    "seed",
    "attackers",
    "defenders",
    "log",
    "stage",
    "opponent",
    "rewards",
    "rating",
    "attempts_left",
}


def join(faye: Faye, user: str, *, strong: bool = True) -> int:
    """Register `user`; with `strong`, train their active Esprit to its level cap. Its id."""
    code, doc = faye.json("start", "--user", user, "--accept-policy")
    assert code == 0, doc
    esprit = int(doc["starter"]["id"])
    if strong:
        assert faye.json("admin", "grant", user, "--amount", "100000")[0] == 0
        code, doc = faye.json("esprit", "train", str(esprit), "--faylen", "100000", "--user", user)
        assert code == 0, doc
    return esprit


def everything(faye: Faye, user: str) -> dict[str, Any]:
    """What a refusal must leave as it was: the wallet and the battle standing."""
    return {
        "balance": faye.json("balance", "--user", user)[1],
        "standing": faye.json("battle", "standing", "--user", user)[1],
    }


@pytest.fixture
def ana(faye: Faye) -> int:
    return join(faye, "ana")


def test_the_battle_group_lists_its_commands(faye: Faye) -> None:
    result = faye("battle", "--help")
    assert result.exit_code == 0
    for command in ("trial", "trials", "duel", "team", "standing"):
        assert command in result.stdout


def test_a_trial_answers_with_the_whole_report(faye: Faye, ana: int) -> None:
    code, doc = faye.json("battle", "trial", "1", "--user", "ana")

    assert code == 0, doc
    assert set(doc) == REPORT_FIELDS
    assert (doc["kind"], doc["stage"], doc["winner"], doc["rating"], doc["opponent"]) == (
        "trial",
        1,
        "attacker",
        None,
        None,
    )
    assert doc["rounds"] == max(action["round"] for action in doc["log"])
    assert {"round", "side", "slot", "esprit_id", "action", "crit", "hits"} <= set(doc["log"][0])
    assert doc["attackers"][0]["id"] == ana
    assert doc["defenders"][0]["id"] is None
    rewards = doc["rewards"]
    assert (rewards["first_clear"], rewards["faylen"]) == (True, 200)
    assert [g["id"] for g in rewards["growth"]] == [ana]
    assert set(rewards["balance"]) >= {"faylen", "virelite", "gems"}
    again = faye.json("battle", "trial", "1", "--user", "ana")[1]
    assert (again["rewards"]["first_clear"], again["attempts_left"]) == (False, doc["attempts_left"] - 1)


def test_the_same_seed_replays_the_same_battle(faye: Faye, ana: int) -> None:
    first = faye.json("battle", "trial", "1", "--user", "ana")[1]
    second = faye.json("battle", "trial", "1", "--user", "ana")[1]  # a fresh process-like app, FAYE_SEED=7 again
    assert (first["seed"], first["log"]) == (second["seed"], second["log"])


def test_a_duel_moves_both_ratings(faye: Faye, ana: int) -> None:
    bo = join(faye, "bo", strong=False)
    code, doc = faye.json("battle", "team", "set", str(bo), "--user", "bo")
    assert code == 0, doc
    assert [f["id"] for f in doc["defence"]] == [bo]

    code, doc = faye.json("battle", "duel", "bo", "--user", "ana")

    assert code == 0, doc
    assert set(doc) == REPORT_FIELDS
    assert (doc["kind"], doc["opponent"], doc["rewards"]) == ("duel", "bo", None)
    rating = doc["rating"]
    assert set(rating) == {"attacker_before", "attacker_after", "defender_before", "defender_after"}
    assert rating["attacker_after"] + rating["defender_after"] == rating["attacker_before"] + rating["defender_before"]
    board = faye.json("leaderboard", "--by", "rating")[1]
    assert [(e["user_id"], e["value"]) for e in board["entries"]] == sorted(
        [("ana", rating["attacker_after"]), ("bo", rating["defender_after"])], key=lambda e: -e[1]
    )
    standing = faye.json("battle", "standing", "--user", "bo")[1]
    assert standing["rating"] == rating["defender_after"]


def test_the_ladder(faye: Faye, ana: int) -> None:
    code, doc = faye.json("battle", "trials", "--user", "ana")
    assert code == 0, doc
    assert doc["standing"]["trial_cleared"] == 0
    assert [(s["stage"], s["open"], s["cleared"]) for s in doc["stages"][:2]] == [(1, True, False), (2, False, False)]
    result = faye("battle", "trials", "--user", "ana")
    assert result.exit_code == 0
    assert "Hearth Path" in result.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["battle", "trial", "2", "--user", "ana"], "stage_locked"),
        (["battle", "trial", "99", "--user", "ana"], "not_found"),
        (["battle", "trial", "0", "--user", "ana"], "not_found"),
        (["battle", "trial", "1", "--user", "ana", "--team", "1,1"], "team_invalid"),
        (["battle", "trial", "1", "--user", "ana", "--team", "1,2,3,4"], "team_invalid"),
        (["battle", "trial", "1", "--user", "ana", "--team", "2"], "team_invalid"),
        (["battle", "trial", "1", "--user", "ana", "--team", "999"], "team_invalid"),
        (["battle", "team", "set", "2", "--user", "ana"], "team_invalid"),
        (["battle", "duel", "ana", "--user", "ana"], "self_duel"),
        (["battle", "duel", "zed", "--user", "ana"], "not_registered"),
        (["battle", "duel", "bo", "--user", "ana"], "no_defence"),
        (["battle", "trial", "1", "--user", "zed"], "not_registered"),
    ],
)
def test_refusals_exit_1_and_change_nothing(faye: Faye, ana: int, args: list[str], code: str) -> None:
    join(faye, "bo", strong=False)  # Esprit 2, no defence team
    before = everything(faye, "ana"), everything(faye, "bo")

    exit_code, doc = faye.json(*args)

    assert exit_code == EXIT_REFUSED, doc
    assert doc["error"]["code"] == code
    assert (everything(faye, "ana"), everything(faye, "bo")) == before
    result = faye(*args)
    assert result.exit_code == EXIT_REFUSED
    assert "Traceback" not in result.stderr


def test_the_last_replay_of_the_day_says_when_to_come_back(faye: Faye, ana: int, config: GameConfig) -> None:
    replays = 0
    while True:
        code, doc = faye.json("battle", "trial", "1", "--user", "ana")
        if code != 0:
            break
        replays += 1
    assert replays == 1 + config.battle.trials.replays_per_day  # the first clear, then the replays
    assert code == EXIT_REFUSED
    assert doc["error"]["code"] == "attempts_exhausted"
    assert doc["error"]["retry_at"] == "2026-03-02T00:00:00+00:00"
    assert faye.json("battle", "trial", "1", "--user", "ana", FAYE_NOW="2026-03-02T00:00:00+00:00")[0] == 0


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["battle", "trial", "1", "--team", "1,x"], "--team"),
        (["battle", "trial", "1", "--team", "1,,2"], "--team"),
        (["battle", "trial", "1", "--team", "0"], "--team"),
        (["battle", "trial", "1", "--team", "9007199254740992"], "--team"),
        (["battle", "duel", "bo", "--team", "-3"], "--team"),
        (["battle", "team", "set", "1,y"], "ID,ID,ID"),
        (["battle", "trial", "one"], "STAGE"),
    ],
)
def test_bad_input_exits_2_naming_the_option(faye: Faye, ana: int, args: list[str], option: str) -> None:
    before = everything(faye, "ana")

    code, doc = faye.json(*args, "--user", "ana")

    assert code == EXIT_BAD_INPUT, doc
    assert option in doc["error"]["message"]
    result = faye(*args, "--user", "ana")
    assert result.exit_code == EXIT_BAD_INPUT
    assert option in result.stderr
    assert "Traceback" not in result.stderr
    assert everything(faye, "ana") == before


def test_the_rich_view_of_a_duel_shows_ids_as_text(faye: Faye, ana: int) -> None:
    code, doc = faye.json("start", "--user", HOSTILE, "--accept-policy")
    assert code == 0, doc
    assert faye.json("battle", "team", "set", str(doc["starter"]["id"]), "--user", HOSTILE)[0] == 0

    result = faye("battle", "duel", HOSTILE, "--user", "ana", COLUMNS="250")

    assert result.exit_code == 0, result.output
    assert "Victory" in result.stdout
    assert f"Duel against {HOSTILE}" in result.stdout
    assert "Battle log" in result.stdout
    assert "Rating 1200 → " in result.stdout
    assert "\x1b]8;" not in result.stdout


def test_a_presenter_that_raises_is_an_incident(
    faye: Faye, ana: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "incidents"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))

    def broken(*args: object) -> None:
        raise RuntimeError("the arena caught fire")

    monkeypatch.setattr(cli.battle_output, "show_battle", broken)
    result = faye("battle", "trial", "1", "--user", "ana")
    assert result.exit_code == EXIT_INTERNAL
    assert "the command itself was carried out" in result.stderr
    (report,) = folder.iterdir()
    assert "the arena caught fire" in report.read_text(encoding="utf-8")


# --- the log summary ---------------------------------------------------------------------------------------


def action(number: int, side: str = "attacker") -> dict[str, object]:
    hit = {"side": "defender", "slot": 0, "esprit_id": "x", "damage": 1, "healed": 0, "dodged": False, "hp_after": 9}
    return {"round": number, "side": side, "slot": 0, "esprit_id": "x", "action": "spark", "crit": False, "hits": [hit]}


def test_a_short_log_is_shown_whole_and_a_long_one_by_its_ends() -> None:
    short = [action(r, s) for r in range(1, 21) for s in ("attacker", "defender")]
    assert shown_rounds(short) == (list(range(1, 21)), [])
    long = [action(r, s) for r in range(1, 31) for s in ("attacker", "defender")]
    head, tail = shown_rounds(long)
    assert head == list(range(1, 11))
    assert tail == list(range(21, 31))
    assert 2 * (len(head) + len(tail)) <= LOG_ACTIONS


def test_a_long_log_says_how_many_actions_it_left_out(config: GameConfig) -> None:
    foe = BattleFighter(
        id=None,
        esprit_id="x",
        name="[b]Foe[/b]",
        tier="Common",
        element="Tide",
        role="Support",
        level=1,
        ascension=0,
        hp=9,
    )
    report = BattleReport(
        kind="duel",
        winner="draw",
        rounds=30,
        seed=1,
        attackers=[foe],
        defenders=[foe],
        log=[action(r, s) for r in range(1, 31) for s in ("attacker", "defender")],
        opponent=HOSTILE,
        rating=RatingChange(attacker_before=1200, attacker_after=1200, defender_before=1200, defender_after=1200),
    )
    console = Console(record=True, width=200)
    show_battle(report, View(console, config))
    text = console.export_text()
    assert "Draw" in text
    assert "20 actions in rounds 11–20 not shown" in text
    assert "[b]Foe[/b]" in text
    assert HOSTILE in text
