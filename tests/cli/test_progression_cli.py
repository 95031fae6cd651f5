"""`faye esprit train|ascend|release|lock|unlock|history` and `faye admin esprit-history`: each JSON contract,
the release preview and its confirmation, refusals with their exit codes, and player text shown as text."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

import pytest

from cli.commands import progression
from cli.runtime import Target, load_settings
from faye.app import FayeApp
from tests.cli.conftest import Faye

TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "250"}
HYPERLINK = "\x1b]8;"


def collection(faye: Faye, user: str) -> list[dict[str, Any]]:
    """Every Esprit the player holds, from every page of the inventory."""
    items: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= pages:
        code, doc = faye.json("inventory", "--user", user, "--page", str(page))
        assert code == 0, doc
        items += doc["items"]
        pages = doc["pages"]
        page += 1
    return items


def state(faye: Faye, user: str) -> tuple[Any, Any]:
    """What a refused command must leave as it was: the wallet and the collection."""
    return faye.json("balance", "--user", user)[1], collection(faye, user)


@pytest.fixture
def ana(faye: Faye, player: str) -> dict[str, Any]:
    """'ana' after a 10-pull (seed 7): her starter (active), and a species she holds at least twice."""
    code, doc = faye.json("summon", "--user", player, "--amount", "10")
    assert code == 0, doc
    esprits = collection(faye, player)
    starter = next(e for e in esprits if e["active"])
    counts = Counter(e["esprit_id"] for e in esprits)
    twins = sorted((e for e in esprits if counts[e["esprit_id"]] >= 2), key=lambda e: e["id"])
    assert twins, "the seed gives a duplicate"
    return {"user": player, "starter": starter, "twin": twins[0], "esprits": esprits}


def test_the_esprit_group_lists_the_new_commands(faye: Faye) -> None:
    result = faye("esprit", "--help")
    assert result.exit_code == 0
    for command in ("show", "train", "ascend", "release", "lock", "unlock", "history"):
        assert command in result.stdout


def test_show_carries_ascension_cap_lock_and_stats(faye: Faye, ana: dict[str, Any]) -> None:
    code, doc = faye.json("esprit", "show", str(ana["starter"]["id"]), "--user", ana["user"])
    assert code == 0
    assert (doc["ascension"], doc["level_cap"], doc["locked"]) == (0, 20, False)
    assert doc["xp_to_next"] > doc["xp"]
    assert {"hp", "attack", "defense"} <= doc["stats"].keys()
    shown = faye("esprit", "show", str(ana["starter"]["id"]), "--user", ana["user"])
    assert "Ascension rank 0/5" in shown.stdout
    assert f"level {doc['level']}/20" in shown.stdout


def test_train_by_levels_json_contract(faye: Faye, ana: dict[str, Any]) -> None:
    esprit_id, user = str(ana["starter"]["id"]), ana["user"]
    before = faye.json("balance", "--user", user)[1]
    code, doc = faye.json("esprit", "train", esprit_id, "--levels", "2", "--user", user)
    assert code == 0, doc
    assert doc.keys() >= {"esprit", "levels_gained", "xp_gained", "cost", "balance"}
    assert doc["levels_gained"] == 2
    assert doc["esprit"]["level"] == ana["starter"]["level"] + 2
    assert doc["cost"]["currency"] == "faylen"
    assert doc["balance"]["faylen"] == before["faylen"] - doc["cost"]["amount"] > 0


def test_train_by_faylen_pays_no_more_than_given(faye: Faye, ana: dict[str, Any]) -> None:
    code, doc = faye.json("esprit", "train", str(ana["starter"]["id"]), "--faylen", "100", "--user", ana["user"])
    assert code == 0, doc
    assert 0 < doc["cost"]["amount"] <= 100
    assert doc["xp_gained"] > 0
    shown = faye("esprit", "train", str(ana["starter"]["id"]), "--faylen", "10", "--user", ana["user"])
    assert shown.exit_code == 0
    assert "Trained" in shown.stdout
    assert "Wallet" in shown.stdout


@pytest.mark.parametrize(("option", "value"), [("--levels", "0"), ("--levels", "-1"), ("--levels", str(10**30))])
def test_train_out_of_bounds_is_exit_2_naming_the_option(
    faye: Faye, ana: dict[str, Any], option: str, value: str
) -> None:
    before = state(faye, ana["user"])
    code, doc = faye.json("esprit", "train", str(ana["starter"]["id"]), option, value, "--user", ana["user"])
    assert (code, doc["error"]["code"], doc["error"]["option"]) == (2, "invalid_amount", option)
    assert doc["error"]["message"].startswith(f"{option}: ")
    assert state(faye, ana["user"]) == before


@pytest.mark.parametrize("how", [[], ["--levels", "1", "--faylen", "10"]])
def test_train_needs_levels_or_faylen_not_both(faye: Faye, ana: dict[str, Any], how: list[str]) -> None:
    code, doc = faye.json("esprit", "train", str(ana["starter"]["id"]), *how, "--user", ana["user"])
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")


def test_train_at_the_cap_is_refused_with_the_ascend_hint(faye: Faye, ana: dict[str, Any]) -> None:
    faye.json("admin", "grant", ana["user"], "--amount", "1000000")
    code, doc = faye.json("esprit", "train", str(ana["starter"]["id"]), "--levels", "100", "--user", ana["user"])
    assert (code, doc["esprit"]["level"]) == (0, 20)
    code, doc = faye.json("esprit", "train", str(ana["starter"]["id"]), "--levels", "1", "--user", ana["user"])
    assert (code, doc["error"]["code"]) == (1, "level_cap")
    assert "faye esprit ascend" in doc["error"]["hint"]


def test_ascend_json_contract_consumes_a_duplicate(faye: Faye, ana: dict[str, Any]) -> None:
    target, user = ana["twin"], ana["user"]
    before = faye.json("balance", "--user", user)[1]
    code, doc = faye.json("esprit", "ascend", str(target["id"]), "--user", user)
    assert code == 0, doc
    assert doc.keys() >= {"esprit", "consumed", "cost", "balance"}
    assert (doc["esprit"]["ascension"], doc["esprit"]["level_cap"]) == (1, 30)
    assert len(doc["consumed"]) == 1
    assert doc["cost"]["currency"] == "virelite"
    assert doc["balance"]["virelite"] == before["virelite"] - doc["cost"]["amount"]
    held = {e["id"] for e in collection(faye, user)}
    assert doc["consumed"][0] not in held
    assert target["id"] in held
    inventory = faye("inventory", "--user", user, "--sort", "newest")
    assert "✪1" in inventory.stdout


def test_ascend_using_names_the_fodder(faye: Faye, ana: dict[str, Any]) -> None:
    twin, user = ana["twin"], ana["user"]
    other = next(e for e in ana["esprits"] if e["esprit_id"] == twin["esprit_id"] and e["id"] != twin["id"])
    code, doc = faye.json("esprit", "ascend", str(twin["id"]), "--using", str(other["id"]), "--user", user)
    assert (code, doc["consumed"]) == (0, [other["id"]])


def test_ascend_with_another_species_is_refused(faye: Faye, ana: dict[str, Any]) -> None:
    twin, user = ana["twin"], ana["user"]
    stranger = next(e for e in ana["esprits"] if e["esprit_id"] != twin["esprit_id"] and not e["active"])
    before = state(faye, user)
    code, doc = faye.json("esprit", "ascend", str(twin["id"]), "--using", str(stranger["id"]), "--user", user)
    assert (code, doc["error"]["code"]) == (1, "wrong_species")
    assert state(faye, user) == before


@pytest.mark.parametrize("using", ["3,x", "3,,4", "0", str(2**53)])
def test_a_bad_id_list_is_exit_2_naming_the_option(faye: Faye, ana: dict[str, Any], using: str) -> None:
    code, doc = faye.json("esprit", "ascend", str(ana["twin"]["id"]), "--using", using, "--user", ana["user"])
    assert code == 2
    assert doc["error"]["kind"] == "bad_input"
    assert "--using" in doc["error"]["message"]


def test_release_without_yes_in_json_previews_only(faye: Faye, ana: dict[str, Any]) -> None:
    user = ana["user"]
    before = state(faye, user)
    code, doc = faye.json("esprit", "release", "--rarity", "Common", "--user", user)
    assert code == 0, doc
    assert doc["dry_run"] is True
    assert doc.keys() >= {"released", "reward", "balance", "dry_run"}
    assert doc["released"]
    assert all(e.keys() >= {"id", "name", "rarity", "level"} and e["rarity"] == "Common" for e in doc["released"])
    assert ana["starter"]["id"] not in {e["id"] for e in doc["released"]}  # the active one stays
    assert doc["reward"] == {
        "faylen": sum(e["faylen"] for e in doc["released"]),
        "virelite": sum(e["virelite"] for e in doc["released"]),
    }
    assert state(faye, user) == before


def test_release_yes_releases_exactly_the_preview(faye: Faye, ana: dict[str, Any]) -> None:
    user = ana["user"]
    preview = faye.json("esprit", "release", "--rarity", "Common", "--dry-run", "--yes", "--user", user)[1]
    assert preview["dry_run"] is True  # --dry-run wins over --yes
    code, doc = faye.json("esprit", "release", "--rarity", "Common", "--yes", "--user", user)
    assert code == 0, doc
    assert doc["dry_run"] is False
    assert doc["released"] == preview["released"]
    assert doc["balance"]["faylen"] == preview["balance"]["faylen"] + preview["reward"]["faylen"]
    held = {e["id"] for e in collection(faye, user)}
    assert not held & {e["id"] for e in doc["released"]}


def test_release_by_ids(faye: Faye, ana: dict[str, Any]) -> None:
    user = ana["user"]
    ids = [e["id"] for e in ana["esprits"] if not e["active"]][:2]
    code, doc = faye.json("esprit", "release", ",".join(map(str, ids)), "--yes", "--user", user)
    assert code == 0, doc
    assert [e["id"] for e in doc["released"]] == ids


def test_release_preview_in_rich_without_a_terminal_asks_nothing(faye: Faye, ana: dict[str, Any]) -> None:
    user = ana["user"]
    before = state(faye, user)
    result = faye("esprit", "release", "--rarity", "Common", "--user", user)
    assert result.exit_code == 0
    assert "Would release" in result.stdout
    assert "1 active" in result.stdout
    assert "add --yes" in result.stdout
    assert state(faye, user) == before


@pytest.mark.parametrize(("answer", "released"), [("y\n", True), ("n\n", False)])
def test_release_asks_at_a_terminal(
    faye: Faye, ana: dict[str, Any], monkeypatch: pytest.MonkeyPatch, answer: str, released: bool
) -> None:
    user = ana["user"]
    monkeypatch.setattr(progression, "_at_terminal", lambda: True)
    preview = faye.json("esprit", "release", "--rarity", "Common", "--user", user)[1]
    result = faye("esprit", "release", "--rarity", "Common", "--user", user, input=answer)
    assert result.exit_code == 0, result.output
    assert "Would release" in result.stdout
    assert f"Release {len(preview['released'])} Esprits?" in result.stdout
    held = {e["id"] for e in collection(faye, user)}
    gone = {e["id"] for e in preview["released"]}
    assert (not held & gone) if released else (gone <= held)
    assert ("Received" in result.stdout) is released


def test_confirming_releases_the_previewed_ids_or_nothing(
    faye: Faye, ana: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the player reads the preview, one of its Esprits is locked elsewhere: the release by the previewed
    ids is refused as a whole, rather than releasing a different set."""
    user = ana["user"]
    preview = faye.json("esprit", "release", "--rarity", "Common", "--user", user)[1]
    locked_meanwhile = preview["released"][0]["id"]

    def lock_then_say_yes(question: str) -> bool:
        async def lock() -> None:
            async with FayeApp.open(load_settings(Target())) as app:
                await app.progression.lock(user, locked_meanwhile)

        asyncio.run(lock())
        return True

    monkeypatch.setattr(progression, "_confirm", lock_then_say_yes)
    before = faye.json("balance", "--user", user)[1]
    result = faye("esprit", "release", "--rarity", "Common", "--user", user)
    assert result.exit_code == 1
    assert "locked" in result.stderr
    assert len(collection(faye, user)) == len(ana["esprits"])
    assert faye.json("balance", "--user", user)[1] == before


def test_release_refusals(faye: Faye, ana: dict[str, Any]) -> None:
    user, starter = ana["user"], str(ana["starter"]["id"])
    before = state(faye, user)
    cases = [
        (["--below-level", "1"], 1, "nothing_matched"),
        ([starter, "--yes"], 1, "active_esprit"),
        (["--keep", "2"], 2, "invalid_argument"),
        (["--duplicates", "--keep", "0"], 2, "invalid_argument"),
        ([starter, "--rarity", "Common"], 2, "invalid_argument"),
        ([], 2, "invalid_argument"),
        (["3,x"], 2, "usage_error"),
        (["3,0"], 2, "invalid_argument"),
    ]
    for args, exit_code, error in cases:
        code, doc = faye.json("esprit", "release", *args, "--user", user)
        assert (code, doc["error"]["code"]) == (exit_code, error), args
    assert state(faye, user) == before


def test_lock_blocks_release_until_unlocked(faye: Faye, ana: dict[str, Any]) -> None:
    user = ana["user"]
    target = next(e for e in ana["esprits"] if not e["active"])
    code, doc = faye.json("esprit", "lock", str(target["id"]), "--user", user)
    assert (code, doc["locked"]) == (0, True)
    assert (
        "🔒"
        in faye("inventory", "--user", user, "--sort", "newest", "--page", "1").stdout
        + faye("inventory", "--user", user, "--sort", "newest", "--page", "2").stdout
    )
    code, doc = faye.json("esprit", "release", str(target["id"]), "--yes", "--user", user)
    assert (code, doc["error"]["code"]) == (1, "locked")
    assert "faye esprit unlock" in doc["error"]["hint"]
    preview = faye.json("esprit", "release", "--rarity", target["rarity"], "--user", user)
    if preview[0] == 0:  # a filter skips the locked one and says so
        assert target["id"] not in {e["id"] for e in preview[1]["released"]}
        assert preview[1]["skipped"]["locked"] == 1
    code, doc = faye.json("esprit", "unlock", str(target["id"]), "--user", user)
    assert (code, doc["locked"]) == (0, False)
    code, doc = faye.json("esprit", "release", str(target["id"]), "--yes", "--user", user)
    assert code == 0, doc


def test_another_players_esprit_is_refused(faye: Faye, ana: dict[str, Any]) -> None:
    code, bob = faye.json("start", "--user", "bob", "--accept-policy")
    assert code == 0
    theirs = str(bob["starter"]["id"])
    before = state(faye, "bob")
    for args in (
        ["train", theirs, "--levels", "1"],
        ["ascend", theirs],
        ["release", theirs, "--yes"],
        ["lock", theirs],
        ["history", theirs],
    ):
        code, doc = faye.json("esprit", *args, "--user", ana["user"])
        assert code == 1, (args, doc)
        assert doc["error"]["kind"] == "refused"
    assert state(faye, "bob") == before


def test_history_json_contract_for_the_player_and_the_operator(faye: Faye, ana: dict[str, Any]) -> None:
    twin, user = ana["twin"], ana["user"]
    consumed = faye.json("esprit", "ascend", str(twin["id"]), "--user", user)[1]["consumed"][0]
    code, doc = faye.json("esprit", "history", str(twin["id"]), "--user", user)
    assert code == 0, doc
    assert doc["esprit_id"] == twin["id"]
    assert [e["kind"] for e in doc["events"]] == ["created", "ascended"]
    assert all(e.keys() >= {"at", "kind", "owner", "detail"} for e in doc["events"])
    code, doc = faye.json("esprit", "history", str(consumed), "--user", user)  # once hers, now gone
    assert (code, doc["events"][-1]["kind"], doc["events"][-1]["owner"]) == (0, "consumed", None)
    code, doc = faye.json("admin", "esprit-history", str(consumed))
    assert (code, [e["kind"] for e in doc["events"]]) == (0, ["created", "consumed"])
    code, doc = faye.json("admin", "esprit-history", "999999")
    assert (code, doc["error"]["code"]) == (1, "not_found")
    shown = faye("admin", "esprit-history", str(consumed))
    assert shown.exit_code == 0
    assert "consumed" in shown.stdout


def test_summon_and_daily_mention_the_active_esprits_xp(faye: Faye, player: str) -> None:
    starter = faye.json("inventory", "--user", player)[1]["items"][0]
    for command in (["summon"], ["daily"]):
        result = faye(*command, "--user", player)
        assert result.exit_code == 0, result.output
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith("◆"))
        assert f"{starter['name']} (#{starter['id']}) +" in line
        assert "XP" in line


def test_hostile_player_text_is_shown_as_text(faye: Faye) -> None:
    user = "[link=https://evil.example]m[/]ark[bold]"
    code, doc = faye.json("start", "--user", user, "--name", "x[/]", "--accept-policy")
    assert code == 0, doc
    starter = str(doc["starter"]["id"])
    for args in (
        ["esprit", "train", starter, "--levels", "1", "--user", user],
        ["esprit", "lock", starter, "--user", user],
        ["esprit", "show", starter, "--user", user],
        ["inventory", "--user", user],
        ["esprit", "history", starter, "--user", user],
        ["admin", "esprit-history", starter],
    ):
        result = faye(*args, **TERMINAL)
        assert result.exit_code == 0, (args, result.output)
        assert HYPERLINK not in result.output
        assert "Traceback" not in result.output
    history = faye("esprit", "history", starter, "--user", user, COLUMNS="250")
    assert user in history.stdout


def test_a_script_session_trains_and_releases(faye: Faye) -> None:
    session = "\n".join(
        [
            "start --accept-policy",
            "summon --amount 10",
            "esprit train 1 --levels 2",
            "expect .levels_gained == 2",
            'expect .cost.currency == "faylen"',
            "esprit release --rarity Common",
            "expect .dry_run == true",
            "esprit release --rarity Common --yes",
            "expect .dry_run == false",
            "expect .released | length >= 1",
            "esprit release --below-level 1",
            "expect exit 1",
            "expect error nothing_matched",
            "esprit train 1 --levels 0",
            "expect exit 2",
            "esprit history 1",
            'expect .events[0].kind == "created"',
        ]
    )
    result = faye("script", "-", "--user", "alice", input=session + "\n")
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    preview, done = docs[3]["result"], docs[4]["result"]
    assert preview["released"] == done["released"]
