"""`faye trade offer|add|remove|show|confirm|cancel|list`: the `{"trade": ...}` JSON contract, a whole trade from
offer to execution, each refusal's exit code, bad input naming its option, and player names shown as text."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import Faye

#: A day after the players joined (tests/cli/conftest.NOW): old enough to trade currency.
LATER = "2026-03-02T10:00:00+00:00"
#: The confirm delay (5 s) after a change made at LATER.
AFTER = "2026-03-02T10:00:05+00:00"
TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "250"}
HOSTILE = "Ana[/][link=https://evil.example]Support[/link]"
HYPERLINK = "\x1b]8;"


def spares(faye: Faye, user: str) -> list[int]:
    """The player's Esprits that may be traded (every one but the active), by id."""
    code, doc = faye.json("inventory", "--user", user, "--page", "1")
    assert code == 0, doc
    return sorted(e["id"] for e in doc["items"] if not e["active"])


def wallet(faye: Faye, user: str) -> dict[str, int]:
    doc = faye.json("balance", "--user", user)[1]
    return {currency: doc[currency] for currency in ("faylen", "virelite", "gems")}


@pytest.fixture
def traders(faye: Faye) -> dict[str, list[int]]:
    """'ana' (a name of Rich markup) and 'ben', at level 3 (three 10-pulls), each with spare Esprits: id -> ids."""
    for user, name in (("ana", HOSTILE), ("ben", "ben")):
        code, doc = faye.json("start", "--user", user, "--name", name, "--accept-policy")
        assert code == 0, doc
        for pull in range(3):
            if pull:
                assert faye.json("admin", "grant", user, "--amount", "1440", "--currency", "gems")[0] == 0
            code, doc = faye.json("summon", "--user", user, "--amount", "10")
            assert code == 0, doc
        assert faye.json("balance", "--user", user)[1]["level"] >= 3
    return {user: spares(faye, user) for user in ("ana", "ben")}


def offer(faye: Faye, *args: str, at: str = LATER) -> dict[str, Any]:
    code, doc = faye.json("trade", "offer", "ben", "--user", "ana", *args, FAYE_NOW=at)
    assert code == 0, doc
    trade: dict[str, Any] = doc["trade"]
    return trade


def test_the_trade_group_lists_its_commands(faye: Faye) -> None:
    result = faye("trade", "--help")
    assert result.exit_code == 0
    for command in ("offer", "add", "remove", "show", "confirm", "cancel", "list"):
        assert command in result.stdout


def test_offer_then_both_confirm_executes_the_swap(faye: Faye, traders: dict[str, list[int]]) -> None:
    fox, owl = traders["ana"][0], traders["ben"][0]
    before = {user: wallet(faye, user) for user in ("ana", "ben")}

    trade = offer(faye, "--give", str(fox), "--give-faylen", "300", "--ask", str(owl), "--ask-virelite", "2")

    assert trade.keys() >= {"id", "version", "status", "sides", "expires_at", "confirmable_at"}
    assert (trade["version"], trade["status"], list(trade["sides"])) == (1, "open", ["ana", "ben"])
    ana, ben = trade["sides"]["ana"], trade["sides"]["ben"]
    assert ana.keys() >= {"esprits", "faylen", "virelite", "confirmed"}
    assert ([e["id"] for e in ana["esprits"]], ana["faylen"], ana["virelite"], ana["confirmed"]) == (
        [fox],
        300,
        0,
        False,
    )
    assert ([e["id"] for e in ben["esprits"]], ben["faylen"], ben["virelite"]) == ([owl], 0, 2)
    assert ana["esprits"][0].keys() >= {"id", "name", "rarity", "level"}
    trade_id = str(trade["id"])

    code, doc = faye.json("trade", "confirm", trade_id, "--user", "ben", "--version", "1", FAYE_NOW=AFTER)
    assert code == 0, doc
    assert (doc["trade"]["status"], doc["trade"]["sides"]["ben"]["confirmed"]) == ("open", True)
    code, doc = faye.json("trade", "confirm", trade_id, "--user", "ana", "--version", "1", FAYE_NOW=AFTER)
    assert code == 0, doc
    assert doc["trade"]["status"] == "executed"

    assert fox in spares(faye, "ben")
    assert fox not in spares(faye, "ana")
    assert owl in spares(faye, "ana")
    assert owl not in spares(faye, "ben")
    after = {user: wallet(faye, user) for user in ("ana", "ben")}
    assert after["ana"] == {
        **before["ana"],
        "faylen": before["ana"]["faylen"] - 300,
        "virelite": before["ana"]["virelite"] + 2,
    }
    assert after["ben"] == {
        **before["ben"],
        "faylen": before["ben"]["faylen"] + 300,
        "virelite": before["ben"]["virelite"] - 2,
    }
    code, doc = faye.json("trade", "show", trade_id, "--user", "ben", FAYE_NOW=AFTER)
    assert (code, doc["trade"]["status"]) == (0, "executed")
    assert faye.json("trade", "list", "--user", "ana", FAYE_NOW=AFTER)[1]["trades"] == []
    listed = faye.json("trade", "list", "--all", "--user", "ana", FAYE_NOW=AFTER)[1]["trades"]
    assert [(t["id"], t["status"]) for t in listed] == [(trade["id"], "executed")]
    code, doc = faye.json("admin", "audit")
    assert (code, doc["consistent"]) == (0, True), doc
    code, doc = faye.json("trade", "confirm", trade_id, "--user", "ana", FAYE_NOW=AFTER)
    assert (code, doc["error"]["code"]) == (1, "trade_unavailable")


def test_confirming_within_the_delay_is_too_soon(faye: Faye, traders: dict[str, list[int]]) -> None:
    trade = offer(faye, "--give", str(traders["ana"][0]))
    code, doc = faye.json("trade", "confirm", str(trade["id"]), "--user", "ben", FAYE_NOW=LATER)
    assert (code, doc["error"]["code"]) == (1, "too_soon")
    shown = faye.json("trade", "show", str(trade["id"]), "--user", "ben", FAYE_NOW=AFTER)[1]["trade"]
    assert shown["sides"]["ben"]["confirmed"] is False


def test_a_change_bumps_the_version_and_a_stale_confirm_is_trade_changed(
    faye: Faye, traders: dict[str, list[int]]
) -> None:
    first, second = traders["ana"][:2]
    trade_id = str(offer(faye, "--give", str(first))["id"])
    code, doc = faye.json("trade", "confirm", trade_id, "--user", "ben", FAYE_NOW=AFTER)
    assert (code, doc["trade"]["sides"]["ben"]["confirmed"]) == (0, True)

    code, doc = faye.json("trade", "add", trade_id, "--user", "ana", "--esprits", str(second), FAYE_NOW=AFTER)
    assert code == 0, doc
    assert doc["trade"]["version"] == 2
    assert [e["id"] for e in doc["trade"]["sides"]["ana"]["esprits"]] == [first, second]
    assert doc["trade"]["sides"]["ben"]["confirmed"] is False, "a change clears both confirmations"

    later = "2026-03-02T10:00:10+00:00"
    code, doc = faye.json("trade", "confirm", trade_id, "--user", "ben", "--version", "1", FAYE_NOW=later)
    assert (code, doc["error"]["code"]) == (1, "trade_changed")
    assert "faye trade show" in doc["error"]["hint"]

    code, doc = faye.json("trade", "remove", trade_id, "--user", "ana", "--esprits", str(first), FAYE_NOW=later)
    assert code == 0, doc
    assert (doc["trade"]["version"], [e["id"] for e in doc["trade"]["sides"]["ana"]["esprits"]]) == (3, [second])


def test_trading_with_yourself_is_refused(faye: Faye, traders: dict[str, list[int]]) -> None:
    code, doc = faye.json("trade", "offer", "ana", "--user", "ana", "--give", str(traders["ana"][0]), FAYE_NOW=LATER)
    assert (code, doc["error"]["code"]) == (1, "self_trade")


def test_trading_with_an_unregistered_player_is_refused(faye: Faye, traders: dict[str, list[int]]) -> None:
    code, doc = faye.json("trade", "offer", "ghost", "--user", "ana", "--give", str(traders["ana"][0]), FAYE_NOW=LATER)
    assert (code, doc["error"]["code"]) == (1, "not_registered")
    assert faye.json("trade", "list", "--user", "ana", FAYE_NOW=LATER)[1]["trades"] == []


def test_an_esprit_in_an_open_trade_is_reserved(faye: Faye, traders: dict[str, list[int]]) -> None:
    fox = str(traders["ana"][0])
    offer(faye, "--give", fox)
    code, doc = faye.json("trade", "offer", "ben", "--user", "ana", "--give", fox, FAYE_NOW=LATER)
    assert (code, doc["error"]["code"]) == (1, "reserved")
    assert "faye trade" in doc["error"]["hint"]


def test_cancel_closes_the_trade_and_frees_its_esprits(faye: Faye, traders: dict[str, list[int]]) -> None:
    fox = str(traders["ana"][0])
    trade_id = str(offer(faye, "--give", fox)["id"])
    code, doc = faye.json("trade", "cancel", trade_id, "--user", "ben", FAYE_NOW=LATER)
    assert (code, doc["trade"]["status"]) == (0, "cancelled")
    code, doc = faye.json("trade", "add", trade_id, "--user", "ana", "--faylen", "1", FAYE_NOW=LATER)
    assert (code, doc["error"]["code"]) == (1, "trade_unavailable")
    assert offer(faye, "--give", fox)["status"] == "open", "the cancelled trade's Esprit is free again"


def test_a_player_outside_the_trade_cannot_see_or_confirm_it(faye: Faye, traders: dict[str, list[int]]) -> None:
    assert faye.json("start", "--user", "cy", "--accept-policy")[0] == 0
    trade_id = str(offer(faye, "--give", str(traders["ana"][0]))["id"])
    for command in ("show", "confirm", "cancel"):
        code, doc = faye.json("trade", command, trade_id, "--user", "cy", FAYE_NOW=AFTER)
        assert (code, doc["error"]["code"]) == (1, "not_owner"), command


@pytest.mark.parametrize("amount", ["-1", str(10**30)])
@pytest.mark.parametrize(
    "command",
    [
        ["offer", "ben", "--give-faylen"],
        ["offer", "ben", "--ask-virelite"],
        ["add", "1", "--faylen"],
        ["remove", "1", "--virelite"],
    ],
)
def test_an_amount_out_of_bounds_is_exit_2_naming_the_option(
    faye: Faye, player: str, command: list[str], amount: str
) -> None:
    before = faye.json("trade", "list", "--user", "ana", FAYE_NOW=LATER)[1]
    code, doc = faye.json("trade", *command, amount, "--user", "ana", FAYE_NOW=LATER)
    assert (code, doc["error"]["code"], doc["error"]["option"]) == (2, "invalid_amount", command[-1])
    assert doc["error"]["message"].startswith(f"{command[-1]}: ")
    assert faye.json("trade", "list", "--user", "ana", FAYE_NOW=LATER)[1] == before


def test_a_refused_change_leaves_the_trade_as_it_was(faye: Faye, traders: dict[str, list[int]]) -> None:
    trade_id = str(offer(faye, "--give", str(traders["ana"][0]))["id"])
    code, doc = faye.json("trade", "add", trade_id, "--user", "ana", "--faylen", str(10**30), FAYE_NOW=LATER)
    assert (code, doc["error"]["option"]) == (2, "--faylen")
    code, doc = faye.json(
        "trade", "add", trade_id, "--user", "ana", "--esprits", str(traders["ben"][0]), FAYE_NOW=LATER
    )
    assert (code, doc["error"]["code"]) == (1, "not_owner")
    code, doc = faye.json("trade", "remove", trade_id, "--user", "ana", "--faylen", "5", FAYE_NOW=LATER)
    assert (code, doc["error"]["code"]) == (2, "invalid_amount")
    shown = faye.json("trade", "show", trade_id, "--user", "ana", FAYE_NOW=LATER)[1]["trade"]
    assert (shown["version"], shown["sides"]["ana"]["faylen"]) == (1, 0)


@pytest.mark.parametrize("ids", ["3,x", "3,,4", "0", str(2**53)])
@pytest.mark.parametrize("option", ["--give", "--ask"])
def test_a_bad_id_list_is_exit_2_naming_the_option(faye: Faye, option: str, ids: str) -> None:
    code, doc = faye.json("trade", "offer", "ben", "--user", "ana", option, ids)
    assert (code, doc["error"]["kind"]) == (2, "bad_input")
    assert option in doc["error"]["message"]


@pytest.mark.parametrize(("args", "option"), [(["confirm", "1", "--version", "0"], "--version"), (["show", "0"], "")])
def test_a_trade_id_or_version_out_of_bounds_is_exit_2(faye: Faye, args: list[str], option: str) -> None:
    code, doc = faye.json("trade", *args, "--user", "ana")
    assert (code, doc["error"]["kind"]) == (2, "bad_input")
    assert option in doc["error"]["message"]


def test_the_rich_view_shows_both_sides_and_markup_names_as_text(faye: Faye, traders: dict[str, list[int]]) -> None:
    fox = traders["ana"][0]
    trade_id = str(offer(faye, "--give", str(fox), "--ask-faylen", "50")["id"])
    assert faye.json("trade", "confirm", trade_id, "--user", "ben", FAYE_NOW=AFTER)[0] == 0

    result = faye("trade", "show", trade_id, "--user", "ben", FAYE_NOW=AFTER, **TERMINAL)

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert HOSTILE in out, "the name is shown as its characters, not parsed as markup"
    assert HYPERLINK not in result.output
    assert f"(#{fox})" in out
    assert "50 faylen" in out
    assert "✓ confirmed" in out
    assert "not confirmed" in out
    assert f"Trade {trade_id} · version 1 · open" in out
    assert "Confirming opens 2026-03-02 10:00:05 UTC" in out
    assert "expires 2026-03-02 10:15:00 UTC" in out
    assert f"faye trade confirm {trade_id} --version 1" in out
    listed = faye("trade", "list", "--user", "ben", FAYE_NOW=AFTER, **TERMINAL)
    assert listed.exit_code == 0, listed.output
    assert HOSTILE in listed.stdout
    assert HYPERLINK not in listed.output


def test_each_command_says_what_it_did(faye: Faye, traders: dict[str, list[int]]) -> None:
    first, second = traders["ana"][:2]
    opened = faye("trade", "offer", "ben", "--user", "ana", "--give", str(first), FAYE_NOW=LATER)
    assert opened.exit_code == 0, opened.output
    assert "✓ Trade 1 opened with ben." in opened.stdout
    changed = faye("trade", "add", "1", "--user", "ana", "--esprits", str(second), FAYE_NOW=LATER)
    assert "now version 2; both confirmations were cleared" in changed.stdout
    waiting = faye("trade", "confirm", "1", "--user", "ben", FAYE_NOW=AFTER, **TERMINAL)
    assert "You confirmed version 2 of trade 1; waiting for" in waiting.stdout
    assert HOSTILE in waiting.stdout
    done = faye("trade", "confirm", "1", "--user", "ana", FAYE_NOW=AFTER)
    assert "✓ Trade 1 executed" in done.stdout
    assert "Executed 2026-03-02 10:00:05 UTC" in done.stdout


def test_an_empty_list_says_how_to_open_a_trade(faye: Faye, player: str) -> None:
    result = faye("trade", "list", "--user", player)
    assert result.exit_code == 0
    assert "No open trades" in result.stdout
    assert faye.json("trade", "list", "--user", player)[1] == {"user_id": player, "trades": []}


def test_a_refusal_in_rich_goes_to_stderr_with_exit_1(faye: Faye, traders: dict[str, list[int]]) -> None:
    result = faye("trade", "offer", "ben", "--user", "ana", "--give-faylen", "10", FAYE_NOW="2026-03-01T10:00:00+00:00")
    assert result.exit_code == 1
    assert "currency trading opens for accounts at least 24 hours old" in result.stderr
