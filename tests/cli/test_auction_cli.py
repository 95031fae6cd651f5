"""`faye auction`, `faye db` and `faye admin audit` through the real Typer app."""

from __future__ import annotations

import asyncio

from faye.schema import BASELINE
from tests.auction.legacy import baseline_with_players
from tests.cli.conftest import Faye


def test_list_browse_buy_history(faye: Faye, player: str) -> None:
    faye.json("start", "--user", "bea", "--accept-policy")
    code, profile = faye.json("profile", "--user", player)
    esprit = profile["active_esprit"]["id"]
    code, doc = faye.json("auction", "list", str(esprit), "--user", player, "--price", "250", "--hours", "12")
    assert code == 0
    listing = doc["listing"]
    assert {"id", "esprit", "price", "expires_at"} <= listing.keys()
    assert (listing["price"], listing["esprit"]["id"]) == (250, esprit)
    assert listing["expires_at"] == "2026-03-01T21:00:00+00:00"
    code, page = faye.json("auction", "browse", "--sort", "price", "--max-price", "300")
    assert [item["id"] for item in page["items"]] == [listing["id"]]
    code, bought = faye.json("auction", "buy", str(listing["id"]), "--user", "bea")
    assert (code, bought["paid"], bought["balance"]["faylen"]) == (0, 250, 750)
    code, history = faye.json("auction", "history", "--user", player)
    assert [sale["id"] for sale in history["sales"]] == [listing["id"]]
    result = faye("auction", "history", "--user", "bea")
    assert "Bought" in result.stdout
    code, audit = faye.json("admin", "audit")
    assert (code, audit["consistent"]) == (0, True)


def test_refusal_codes(faye: Faye, player: str) -> None:
    faye.json("start", "--user", "bea", "--accept-policy")
    code, profile = faye.json("profile", "--user", player)
    esprit = str(profile["active_esprit"]["id"])
    code, doc = faye.json("auction", "list", esprit, "--user", player, "--price", "1")
    assert (code, doc["error"]["code"]) == (1, "price_out_of_range")
    code, doc = faye.json("auction", "list", esprit, "--user", "bea", "--price", "100")
    assert (code, doc["error"]["code"]) == (1, "not_owner")
    code, doc = faye.json("auction", "list", esprit, "--user", player, "--price", "100")
    listing = str(doc["listing"]["id"])
    code, doc = faye.json("auction", "list", esprit, "--user", player, "--price", "100")
    assert (code, doc["error"]["code"]) == (1, "in_escrow")
    code, doc = faye.json("auction", "buy", listing, "--user", player)
    assert (code, doc["error"]["code"]) == (1, "own_listing")
    code, doc = faye.json("auction", "cancel", listing, "--user", "bea")
    assert (code, doc["error"]["code"]) == (1, "not_owner")
    faye.json("admin", "grant", "bea", "--amount", "1", "--currency", "gems")
    code, doc = faye.json("auction", "cancel", listing, "--user", player)
    assert code == 0
    code, doc = faye.json("auction", "buy", listing, "--user", "bea")
    assert (code, doc["error"]["code"]) == (1, "listing_unavailable")
    code, doc = faye.json("auction", "buy", "nope", "--user", "bea")
    assert (code, doc["error"]["code"]) == (2, "usage_error")
    code, doc = faye.json("auction", "browse", "--rarity", "Shiny")
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")


def test_too_many_listings_and_insufficient_funds(faye: Faye, player: str) -> None:
    faye.json("summon", "--user", player, "--amount", "10")
    code, inventory = faye.json("inventory", "--user", player, "--sort", "newest")
    ids = [str(item["id"]) for item in inventory["items"]]
    for esprit in ids[:5]:
        assert faye.json("auction", "list", esprit, "--user", player, "--price", "10")[0] == 0
    code, doc = faye.json("auction", "list", ids[5], "--user", player, "--price", "10")
    assert (code, doc["error"]["code"]) == (1, "too_many_listings")
    faye.json("start", "--user", "bea", "--accept-policy")
    bea_esprit = str(faye.json("profile", "--user", "bea")[1]["active_esprit"]["id"])
    code, doc = faye.json("auction", "list", bea_esprit, "--user", "bea", "--price", "999999")
    assert (code, doc["error"]["code"]) == (1, "insufficient_funds")  # the 2 % fee is more than bea has
    code, doc = faye.json("auction", "browse", "--seller", "bea")
    assert doc["total"] == 0


def test_audit_exit_code_on_discrepancy(faye: Faye, player: str, cli_env: dict[str, str]) -> None:
    import sqlite3

    with sqlite3.connect(cli_env["FAYE_DATABASE_URL"]) as conn:
        conn.execute("UPDATE user SET gems = gems + 1 WHERE user_id = ?", (player,))
    code, doc = faye.json("admin", "audit")
    assert (code, doc["consistent"]) == (1, False)
    assert doc["problems"] == [f"player {player}: gems balance 1,601 but the ledger sums to 1,600"]
    result = faye("admin", "audit")
    assert result.exit_code == 1
    assert "1 discrepancies" in result.stdout


def test_cli_db_commands(faye: Faye, cli_env: dict[str, str]) -> None:
    asyncio.run(baseline_with_players(cli_env["FAYE_DATABASE_URL"]))
    code, doc = faye.json("balance", "--user", "old1")
    assert (code, doc["error"]["code"]) == (2, "schema_outdated")
    assert "faye db upgrade" in doc["error"]["message"]
    code, doc = faye.json("db", "current")
    assert (code, doc["current"], doc["up_to_date"]) == (0, BASELINE, False)
    code, doc = faye.json("db", "upgrade")
    assert (code, doc["upgraded_from"], doc["up_to_date"]) == (0, BASELINE, True)
    code, doc = faye.json("balance", "--user", "old1")
    assert (code, doc["faylen"]) == (0, 1500)
    result = faye("db", "current")
    assert "up to date" in result.stdout
