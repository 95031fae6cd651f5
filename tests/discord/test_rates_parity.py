"""`faye rates` and /rates show one disclosure: both go through faye.disclosure, so their numbers cannot drift."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from discord_frontend import embeds
from faye import disclosure
from faye.gacha.exact import Disclosure, PityChain, disclose
from tests.discord.conftest import ANA, Harness
from tests.discord.harness import Gateway


async def test_cli_and_discord_disclose_through_faye_with_identical_numbers(
    harness: Harness, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Disclosure] = []

    def spy(chain: PityChain) -> Disclosure:
        made.append(disclose(chain))
        return made[-1]

    monkeypatch.setattr(disclosure, "disclose", spy)
    config = harness.app.config

    (table,) = (await gateway.run("rates", ANA)).edits
    result = CliRunner().invoke(cli_app, ["rates", "--json"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert len(made) == 2, "each front-end computes its disclosure through faye.disclosure.disclose_rates"
    terminal, bot = made
    assert terminal == bot
    assert table.embed == embeds.rates(bot, config).to_dict()
    document = json.loads(result.stdout)
    assert [row["consolidated_rate"] for row in document["tiers"]] == [t.consolidated_rate for t in bot.tiers]
    assert [row["mean_pulls"] for row in document["tiers"]] == [t.mean_pulls for t in bot.tiers]
