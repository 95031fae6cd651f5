"""Each command's JSON contract and its human output, through the real Typer app."""

from __future__ import annotations

from tests.cli.conftest import Faye


def test_help_lists_every_command(faye: Faye) -> None:
    result = faye("--help")
    assert result.exit_code == 0
    for command in (
        "start",
        "balance",
        "profile",
        "daily",
        "summon",
        "inventory",
        "esprit",
        "active",
        "leaderboard",
        "play",
        "demo",
        "admin",
    ):
        assert command in result.stdout


def test_version(faye: Faye) -> None:
    result = faye("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("faye ")


def test_start_registers_with_starter_and_wallet(faye: Faye) -> None:
    code, doc = faye.json("start", "--user", "ana", "--accept-policy", "--name", "Ana")
    assert code == 0
    assert doc["profile"]["user_id"] == "ana"
    assert doc["profile"]["username"] == "Ana"
    assert (doc["profile"]["faylen"], doc["profile"]["virelite"], doc["profile"]["gems"]) == (1000, 5, 1600)
    assert doc["starter"]["esprit_id"] in {"ember_fox_kit", "tidecaller_otter", "mossback_tortoise", "gale_sparrow"}
    assert doc["starter"]["active"] is True


def test_start_without_policy_is_refused_and_writes_nothing(faye: Faye) -> None:
    code, doc = faye.json("start", "--user", "ana")
    assert code == 1
    assert doc["error"]["code"] == "policy_not_accepted"
    code, doc = faye.json("balance", "--user", "ana")
    assert doc["error"]["code"] == "not_registered"


def test_start_asks_for_the_policy_when_not_given(faye: Faye) -> None:
    # CliRunner's stdin is not a terminal: nobody to ask, so the answer is no.
    result = faye("start", "--user", "ana")
    assert result.exit_code == 1
    assert "policy" in result.stderr


def test_second_start_is_refused(faye: Faye, player: str) -> None:
    code, doc = faye.json("start", "--user", player, "--accept-policy")
    assert (code, doc["error"]["code"]) == (1, "already_registered")


def test_balance_json_shape(faye: Faye, player: str) -> None:
    code, doc = faye.json("balance", "--user", player)
    assert code == 0
    assert {"user_id", "faylen", "virelite", "gems", "level", "xp"} <= doc.keys()
    code, profile = faye.json("profile", "--user", player)
    assert profile == doc


def test_balance_human_output(faye: Faye, player: str) -> None:
    result = faye("balance", "--user", player)
    assert result.exit_code == 0
    assert "1,000 faylen" in result.stdout
    assert "Level" in result.stdout


def test_user_from_environment(faye: Faye, player: str) -> None:
    code, doc = faye.json("balance", FAYE_USER=player)
    assert (code, doc["user_id"]) == (0, player)


def test_daily_then_cooldown_then_streak(faye: Faye, player: str) -> None:
    code, doc = faye.json("daily", "--user", player)
    assert code == 0
    assert doc["rewards"] == {"faylen": 500, "virelite": 1, "gems": 160}
    assert doc["streak"] == 1
    code, doc = faye.json("daily", "--user", player, FAYE_NOW="2026-03-01T20:00:00+00:00")
    assert (code, doc["error"]["code"]) == (1, "cooldown_active")
    assert doc["error"]["next_claim_at"] == "2026-03-02T09:00:00+00:00"
    code, doc = faye.json("daily", "--user", player, FAYE_NOW="2026-03-02T10:00:00+00:00")
    assert (code, doc["streak"]) == (0, 2)
    assert doc["rewards"]["faylen"] == 550  # +10 % for the second day in a row


def test_summon_ten_json_shape(faye: Faye, player: str) -> None:
    code, doc = faye.json("summon", "--user", player, "--amount", "10")
    assert code == 0
    assert doc["cost"] == {"currency": "gems", "amount": 1440}
    assert len(doc["esprits"]) == 10
    assert all({"id", "esprit_id", "name", "rarity"} <= e.keys() for e in doc["esprits"])
    assert doc["balance"]["gems"] == 1600 - 1440 + 40  # the level-up to 2 pays 40 gems
    code, inv = faye.json("inventory", "--user", player)
    assert inv["total"] == 11


def test_summon_human_output_shows_each_pull(faye: Faye, player: str) -> None:
    result = faye("summon", "--user", player, "-n", "10")
    assert result.exit_code == 0
    assert "Summon ×10" in result.stdout
    assert "Spent 1,440 gems" in result.stdout


def test_inventory_filters_sort_and_pages(faye: Faye, player: str) -> None:
    faye.json("summon", "--user", player, "--amount", "10")
    code, page1 = faye.json("inventory", "--user", player, "--sort", "newest")
    assert code == 0
    assert {"items", "page", "pages", "total"} <= page1.keys()
    assert (page1["page"], page1["pages"], page1["total"]) == (1, 2, 11)
    assert [i["id"] for i in page1["items"]] == sorted((i["id"] for i in page1["items"]), reverse=True)
    assert all({"id", "esprit_id", "name", "rarity", "level"} <= i.keys() for i in page1["items"])
    code, page2 = faye.json("inventory", "--user", player, "--sort", "newest", "--page", "2")
    assert len(page2["items"]) == 1
    rarity = page1["items"][0]["rarity"]
    code, filtered = faye.json("inventory", "--user", player, "--rarity", rarity.lower())
    assert filtered["total"] >= 1
    assert all(i["rarity"] == rarity for i in filtered["items"])
    name = page1["items"][0]["name"]
    code, searched = faye.json("inventory", "--user", player, "--search", name[2:6].upper())
    assert name in {i["name"] for i in searched["items"]}


def test_esprit_show_and_active_set(faye: Faye, player: str) -> None:
    code, doc = faye.json("summon", "--user", player)
    esprit_id = doc["esprits"][0]["id"]
    code, detail = faye.json("esprit", "show", str(esprit_id), "--user", player)
    assert code == 0
    assert detail["id"] == esprit_id
    assert {"hp", "attack", "defense", "speed"} <= detail["stats"].keys()
    assert detail["active"] is False
    code, active = faye.json("active", "set", str(esprit_id), "--user", player)
    assert (code, active["id"], active["active"]) == (0, esprit_id, True)
    code, profile = faye.json("profile", "--user", player)
    assert profile["active_esprit"]["id"] == esprit_id
    result = faye("esprit", "show", str(esprit_id), "--user", player)
    assert detail["name"] in result.stdout


def test_leaderboard_rankings(faye: Faye, player: str) -> None:
    faye.json("start", "--user", "ben", "--accept-policy")
    faye.json("summon", "--user", "ben", "--amount", "10")
    code, doc = faye.json("leaderboard", "--by", "collection")
    assert code == 0
    assert [e["user_id"] for e in doc["entries"]] == ["ben", "ana"]
    assert [e["value"] for e in doc["entries"]] == [11, 1]
    code, doc = faye.json("leaderboard", "--by", "faylen", "--limit", "1")
    assert len(doc["entries"]) == 1
    result = faye("leaderboard", "--by", "level")
    assert result.exit_code == 0
    assert "ben" in result.stdout
    assert result.stdout.count("Level") == 1  # ranked by level: one Level column, not the value and a copy
    by_xp = faye("leaderboard", "--by", "xp").stdout
    assert "Xp" in by_xp
    assert "Level" in by_xp


def test_admin_reset_needs_yes(faye: Faye, player: str) -> None:
    code, doc = faye.json("admin", "reset-db")
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
    code, doc = faye.json("balance", "--user", player)
    assert code == 0


def test_admin_reset_deletes_players(faye: Faye, player: str) -> None:
    code, doc = faye.json("admin", "reset-db", "--yes")
    assert code == 0
    assert doc["players_deleted"] == 1
    assert doc["esprit_definitions"] >= 40
    code, doc = faye.json("balance", "--user", player)
    assert doc["error"]["code"] == "not_registered"


def test_admin_grant(faye: Faye, player: str) -> None:
    code, doc = faye.json("admin", "grant", player, "--amount", "500", "--currency", "gems")
    assert (code, doc["balance_after"]) == (0, 2100)
    code, doc = faye.json("admin", "grant", player, "--amount", "5", "--currency", "rubies")
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
