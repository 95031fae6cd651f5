"""/admin reload-config and SIGHUP: the bot reloads its game data between interactions, or says what is wrong."""

from __future__ import annotations

import asyncio
import os

import pytest

import faye.app
from faye.errors import ConfigError
from faye.reload import PID_PREFIX, RELOAD_SIGNAL
from tests.discord.conftest import ADMINISTRATOR, ANA, OWNER, Harness
from tests.discord.harness import MESSAGE, Gateway


async def test_reload_config_by_an_admin_reloads_and_names_the_digest(harness: Harness, gateway: Gateway) -> None:
    before = harness.bot.app.context.rules.current
    done = await gateway.run("admin reload-config", OWNER, permissions=ADMINISTRATOR)
    assert done.callback.type == MESSAGE
    assert done.callback.ephemeral
    assert done.callback.embed["title"] == "Game data reloaded"
    assert before.digest is not None
    assert f"`{before.digest.whole}` → `{before.digest.whole}`" in done.callback.embed["description"]
    assert harness.bot.app.context.rules.current is not before
    refused = await gateway.run("admin reload-config", ANA, permissions=ADMINISTRATOR)
    assert refused.last.embed["title"] != "Game data reloaded"


async def test_a_broken_file_is_named_and_nothing_changes(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise ConfigError(["rarity_tiers.json: tiers.0.weight: Input should be a valid number"])

    monkeypatch.setattr(faye.app, "load_config", broken)
    before = harness.bot.app.context.rules.current
    refused = await gateway.run("admin reload-config", OWNER, permissions=ADMINISTRATOR)
    assert refused.callback.ephemeral
    assert refused.callback.embed["title"] == "Game data not reloaded: nothing changed"
    # Shown literally: Discord renders the escaped markdown as the validator wrote it.
    assert "rarity\\_tiers.json\\: tiers.0.weight" in refused.callback.embed["description"]
    assert harness.bot.app.context.rules.current is before


async def test_the_bot_announces_itself_and_reloads_on_sighup(harness: Harness) -> None:
    settings = harness.bot.app.settings
    assert (settings.run_dir / f"{PID_PREFIX}{os.getpid()}.pid").read_text() == harness.bot.database
    before = harness.bot.app.context.rules.current
    os.kill(os.getpid(), RELOAD_SIGNAL)
    for _ in range(10_000):  # the handler runs on the loop, then the reload's own task
        if harness.bot.app.context.rules.current is not before:
            break
        await asyncio.sleep(0)
    assert harness.bot.app.context.rules.current is not before
