"""The operator's limit on every command of a player answers with an ephemeral "Slow down" and when to retry."""

from __future__ import annotations

from faye.limits import RateLimit
from tests.discord.conftest import ANA, Harness, start
from tests.discord.harness import Gateway


async def test_the_command_limit_refuses_with_the_time_to_retry(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    harness.monkeypatch.setattr(harness.bot.app.limits, "_limits", {"*": RateLimit(1, 60)})  # FAYE_RATE_LIMITS=*=1/60
    assert (await gateway.run("balance", ANA)).callback.embed["title"] != "Slow down"
    refused = await gateway.run("balance", ANA)
    assert refused.last.ephemeral
    assert refused.last.embed["title"] == "Slow down"
    assert [field["name"] for field in refused.last.embed["fields"]] == ["Try again"]
