"""`faye banners`, `faye summon --banner`, `faye history`, `faye luck` and `faye admin prune-pulls`: JSON shapes,
exit codes of refusals and bad input, player text shown literally, and a refused summon that changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import Result

from cli.runtime import EXIT_BAD_INPUT, EXIT_REFUSED
from tests.cli.conftest import NOW, Faye
from tests.cli.test_player_text import CLOSER, MARKUP_ID, TERMINAL, assert_no_terminal_commands, shown

OPEN = "everwinter_2026_02"
"""The limited banner open at the CLI tests' NOW (2026-03-01), from 2026-02-26 to 2026-03-26."""
CLOSED = "solheart_2026_01"
PULL_KEYS = {"n", "at", "banner", "tier", "esprit_id", "featured", "pity_before"}


def later(days: int) -> str:
    return (datetime.fromisoformat(NOW) + timedelta(days=days)).isoformat()


def shown_at(faye: Faye, now: str, *args: str) -> Result:
    """`faye ARGS` on a colour terminal at the clock `now`; it must end normally."""
    result = faye(*args, **TERMINAL, FAYE_NOW=now)
    assert result.exit_code == 0, result.output
    return result


def summoned(faye: Faye, user: str, *args: str, **env: str) -> dict[str, object]:
    code, doc = faye.json("summon", "--user", user, *args, **env)
    assert code == 0, doc
    return doc  # type: ignore[no-any-return]


def test_banners_lists_what_is_open_now(faye: Faye) -> None:
    code, doc = faye.json("banners")
    assert code == 0, doc
    assert doc["at"] == NOW
    assert [b["banner_id"] for b in doc["banners"]] == ["standard", OPEN]
    standard, limited = doc["banners"]
    assert (standard["seconds_left"], standard["standing"]) == (None, None)
    assert (
        limited["seconds_left"]
        == (datetime.fromisoformat("2026-03-26T00:00:00+00:00") - datetime.fromisoformat(NOW)).total_seconds()
    )
    assert limited["featured"][0] == {"esprit_id": "everwinter_wyrm", "name": "Everwinter Wyrm", "tier": "Legendary"}
    assert limited["guarantee"] == {"Legendary": True, "Mythic": True}
    assert limited["ten_cost"] == {"currency": "gems", "amount": 1440}


def test_banners_with_a_player_shows_their_pity_per_group(faye: Faye, player: str) -> None:
    pulled = summoned(faye, player, "--amount", "10", "--banner", OPEN)
    assert pulled["banner"] == OPEN
    code, doc = faye.json("banners", "--user", player)
    assert code == 0, doc
    standard, limited = doc["banners"]
    assert standard["standing"] == {
        "pity": {"Epic": 0, "Legendary": 0},
        "hard_pity": {"Epic": 10, "Legendary": 90},
        "guaranteed": [],
    }
    assert limited["standing"]["pity"] == pulled["pity"]
    assert limited["standing"]["guaranteed"] == pulled["guaranteed"]
    result = shown(faye, "banners", "--user", player)
    assert "Long Night I" in result.stdout
    assert "Everwinter Wyrm" in result.stdout


def test_banners_for_an_unknown_player_is_refused(faye: Faye) -> None:
    code, doc = faye.json("banners", "--user", "ghost")
    assert (code, doc["error"]["code"]) == (EXIT_REFUSED, "not_registered")


@pytest.mark.parametrize(
    ("banner", "error", "said"), [(CLOSED, "banner_closed", "Ember Rising I"), ("nope", "not_found", "nope")]
)
def test_summon_on_a_closed_or_unknown_banner_is_refused_and_changes_nothing(
    faye: Faye, player: str, banner: str, error: str, said: str
) -> None:
    before = faye.json("balance", "--user", player)[1]
    code, doc = faye.json("summon", "--user", player, "--amount", "10", "--banner", banner)
    assert (code, doc["error"]["code"], doc["error"]["kind"]) == (EXIT_REFUSED, error, "refused")
    assert doc["error"]["banner"] == banner
    assert faye.json("balance", "--user", player)[1] == before
    assert faye.json("history", "--user", player)[1]["total"] == 0
    assert faye.json("inventory", "--user", player)[1]["total"] == 1
    result = faye("summon", "--user", player, "--banner", banner)
    assert result.exit_code == EXIT_REFUSED
    assert said in result.stderr
    assert "Traceback" not in result.output


def test_summon_on_a_banner_shows_it(faye: Faye, player: str) -> None:
    result = shown(faye, "summon", "--user", player, "--amount", "10", "--banner", OPEN)
    assert "Summon ×10 on Long Night I" in result.stdout
    default = shown(faye, "summon", "--user", player)
    assert "Wanderlight (standard)" in default.stdout


def test_history_json_has_the_documented_shape(faye: Faye, player: str) -> None:
    summoned(faye, player, "--amount", "10")
    single = summoned(faye, player, "--banner", OPEN)
    code, doc = faye.json("history", "--user", player)
    assert code == 0, doc
    assert {"pulls", "page", "pages", "total"} <= set(doc)
    assert (doc["page"], doc["pages"], doc["total"]) == (1, 2, 11)
    for pull in doc["pulls"]:
        assert set(pull) >= PULL_KEYS
        assert set(pull["pity_before"]) == {"Epic", "Legendary"}
        datetime.fromisoformat(pull["at"])
    newest = doc["pulls"][0]
    assert [p["n"] for p in doc["pulls"]] == list(range(11, 1, -1))
    assert (newest["banner"], newest["esprit_id"]) == (OPEN, single["esprits"][0]["esprit_id"])  # type: ignore[index]
    code, doc = faye.json("history", "--user", player, "--banner", OPEN)
    assert (code, doc["total"], doc["banner"]) == (0, 1, OPEN)
    code, doc = faye.json("history", "--user", player, "--page", "2")
    assert (code, [p["n"] for p in doc["pulls"]]) == (0, [1])
    result = shown(faye, "history", "--user", player)
    assert "Page 1 of 2" in result.stdout


@pytest.mark.parametrize(
    ("args", "exit_code", "error"),
    [
        (["--page", "0"], EXIT_BAD_INPUT, "invalid_argument"),
        (["--page", "3"], EXIT_BAD_INPUT, "invalid_argument"),
        (["--page", "two"], EXIT_BAD_INPUT, "usage_error"),
        (["--tier", "Shiny"], EXIT_BAD_INPUT, "invalid_argument"),
        (["--banner", "nope"], EXIT_REFUSED, "not_found"),
    ],
)
def test_history_refusals_and_bad_input(faye: Faye, player: str, args: list[str], exit_code: int, error: str) -> None:
    summoned(faye, player, "--amount", "10")
    code, doc = faye.json("history", "--user", player, *args)
    assert (code, doc["error"]["code"]) == (exit_code, error)
    result = faye("history", "--user", player, *args)
    assert result.exit_code == exit_code
    assert "Traceback" not in result.output


def test_history_and_luck_of_an_unknown_player_are_refused(faye: Faye) -> None:
    for command in ("history", "luck"):
        code, doc = faye.json(command, "--user", "ghost")
        assert (code, doc["error"]["code"]) == (EXIT_REFUSED, "not_registered")


def test_luck_json_and_view(faye: Faye, player: str) -> None:
    code, doc = faye.json("admin", "grant", player, "--amount", "1440", "--currency", "gems")
    assert code == 0, doc
    summoned(faye, player, "--amount", "10")
    summoned(faye, player, "--amount", "10", "--banner", OPEN)
    code, doc = faye.json("luck", "--user", player)
    assert code == 0, doc
    assert (doc["user_id"], doc["banner"], doc["pulls"]) == (player, None, 20)
    assert [t["tier"] for t in doc["tiers"]] == ["Epic", "Legendary"]
    epic = doc["tiers"][0]
    assert epic["count"] >= 2  # Epic's hard pity is 10
    assert len(epic["hits"]) == epic["count"]
    for hit in epic["hits"]:
        assert 1 <= hit["pulls"] <= 10
        assert 0.0 <= hit["sooner"] < 1.0
    low, high = epic["interval"]
    assert low <= epic["rate"] <= high
    assert epic["consistent"] == (low <= epic["published_rate"] <= high)
    code, on_banner = faye.json("luck", "--user", player, "--banner", OPEN)
    assert (code, on_banner["pulls"], on_banner["banner"]) == (0, 10, OPEN)
    result = shown(faye, "luck", "--user", player)
    assert "Epic" in result.stdout
    assert "of players" in result.stdout
    code, doc = faye.json("luck", "--user", player, "--banner", "nope")
    assert (code, doc["error"]["code"]) == (EXIT_REFUSED, "not_found")


def test_prune_pulls_previews_then_applies(faye: Faye, player: str) -> None:
    summoned(faye, player, "--amount", "10")
    summoned(faye, player, FAYE_NOW=later(30))
    code, doc = faye.json("admin", "prune-pulls", FAYE_NOW=later(95))
    assert code == 0, doc
    assert doc == {"before": later(5), "rows": 10, "applied": False}
    assert faye.json("history", "--user", player)[1]["total"] == 11
    result = shown_at(faye, later(95), "admin", "prune-pulls")
    assert "Nothing was deleted" in result.stdout
    assert faye.json("history", "--user", player)[1]["total"] == 11
    code, doc = faye.json("admin", "prune-pulls", "--yes", FAYE_NOW=later(95))
    assert (code, doc["rows"], doc["applied"]) == (0, 10, True)
    assert [p["n"] for p in faye.json("history", "--user", player)[1]["pulls"]] == [11]
    result = shown_at(faye, later(95), "admin", "prune-pulls", "--yes")
    assert "Deleted 0 pull records" in result.stdout


def test_banner_views_show_player_text_literally(faye: Faye) -> None:
    code, doc = faye.json("start", "--user", MARKUP_ID, "--name", CLOSER, "--accept-policy")
    assert code == 0, doc
    summoned(faye, MARKUP_ID, "--amount", "10", "--banner", OPEN)
    for command in ("banners", "history", "luck"):
        result = shown(faye, command, "--user", MARKUP_ID)
        assert_no_terminal_commands(result.output)
    assert MARKUP_ID in shown(faye, "luck", "--user", MARKUP_ID).stdout


@pytest.mark.parametrize("command", [["summon"], ["history"], ["luck"]])
def test_a_refusal_echoing_a_markup_banner_id_is_shown_literally(faye: Faye, player: str, command: list[str]) -> None:
    result = faye(*command, "--user", player, "--banner", CLOSER, **TERMINAL)
    assert result.exit_code == EXIT_REFUSED, result.output
    assert CLOSER in result.stderr
    assert "Traceback" not in result.output
