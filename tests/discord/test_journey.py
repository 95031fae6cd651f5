"""One player's whole first session in Discord, and the same player seen from the terminal client."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from faye.policy import POLICY_TITLE
from tests.conftest import assert_conserved
from tests.discord.conftest import ANA, BEN, Harness
from tests.discord.harness import DEFERRED, DEFERRED_UPDATE, MESSAGE, UPDATE, Gateway


async def faye_cli(harness: Harness, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, Any]:
    """`faye ... --json` on the bot's database, in a thread (the CLI runs its own event loop)."""
    for key in ("FAYE_SEED", "FAYE_NOW", "FAYE_CONFIG_DIR", "FAYE_USER"):
        monkeypatch.delenv(key, raising=False)
    env = {"FAYE_DATABASE_URL": harness.db_url, "FAYE_NOW": harness.clock.now().isoformat()}
    result = await asyncio.to_thread(CliRunner().invoke, cli_app, [*args, "--json"], env=env)
    return result.exit_code, json.loads(result.stdout)


async def test_a_new_players_first_session(harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    # /start: the policy, then Accept: registered, with the starter's card.
    policy = await gateway.run("start", ANA)
    assert policy.callback.embed["title"] == POLICY_TITLE
    accepted = await gateway.press(policy.message_id, "Accept", ANA)
    assert accepted.callback.type == UPDATE
    assert accepted.last.filenames == ["starter.png"]

    # /daily: rewards, a one-day streak, the next claim a day later.
    claimed = await gateway.run("daily", ANA)
    assert claimed.callback.type == MESSAGE
    assert "1 day" in str(claimed.callback.embed["fields"])

    # /summon 10: the board, then each pull's card, forward and back.
    pulled = await gateway.run("summon", ANA, amount=10)
    assert pulled.callback.type == DEFERRED
    assert pulled.last.filenames == ["summon.png"]
    board_lines = pulled.last.embed["description"].splitlines()
    names = [line.split("**")[1] for line in board_lines]
    for pull in range(1, 4):
        turned = await gateway.press(pulled.message_id, "▶", ANA)
        assert turned.callback.type == DEFERRED_UPDATE
        assert turned.last.embed["title"] == names[pull - 1]
    back = await gateway.press(pulled.message_id, "◀", ANA)
    assert back.last.embed["title"] == names[1]

    # /inventory: the starter and the ten pulls.
    inventory = await gateway.run("inventory", ANA, sort="newest")
    assert "11 Esprits" in inventory.callback.embed["footer"]["text"]

    # /esprit: found by name through autocomplete, shown as a card.
    (choice, *_) = await gateway.complete("esprit show", ANA, "esprit", esprit=names[0][:4])
    card = await gateway.run("esprit show", ANA, esprit=choice["value"])
    assert card.last.filenames == [f"esprit-{choice['value']}.png"]
    assert card.last.embed["title"] == choice["name"].split(" · ")[0]

    await assert_conserved(harness.app)

    # The terminal client sees the same player: same wallet, same collection.
    code, profile = await faye_cli(harness, monkeypatch, "balance", "--user", str(ANA.id))
    assert code == 0
    assert profile["username"] == "Ana"
    assert profile["collection_size"] == 11
    shown = await gateway.run("balance", ANA)
    assert f"{profile['gems']:,} gems" in str(shown.callback.embed["fields"])


async def test_a_player_registered_in_the_terminal_plays_in_discord(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _ = await faye_cli(
        harness, monkeypatch, "start", "--user", str(BEN.id), "--accept-policy", "--name", "Benjamin"
    )
    assert code == 0
    shown = await gateway.run("balance", BEN)
    assert shown.callback.embed["title"] == "Benjamin"
    harness.clock.advance(timedelta(hours=1))
    claimed = await gateway.run("daily", BEN)
    assert claimed.callback.embed["title"] == "✓ Daily reward"
    code, refused = await faye_cli(harness, monkeypatch, "daily", "--user", str(BEN.id))
    assert (code, refused["error"]["code"]) == (1, "cooldown_active")
