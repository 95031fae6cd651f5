"""/mydata export sends the player's JSON document to them alone; /mydata forget asks, then deletes at once."""

from __future__ import annotations

import gzip
import json

from discord_frontend.cogs.mydata import attachment, too_large
from faye.models import UserEsprit
from tests.conftest import count_rows, user_row
from tests.discord.conftest import ANA, BEN, Harness, start
from tests.discord.harness import MESSAGE, Gateway


async def test_export_is_an_ephemeral_json_file(gateway: Gateway) -> None:
    await start(gateway, ANA)
    sent = await gateway.run("mydata export", ANA)
    assert sent.callback.type == MESSAGE
    assert sent.callback.ephemeral
    assert sent.callback.filenames == [f"faye-data-{ANA.id}.json"]
    document = json.loads(sent.callback.files[0][1])
    assert document["player"]["user_id"] == str(ANA.id)
    assert len(document["esprits"]) == 1
    assert sent.callback.embed["title"] == "Your data"


def test_an_export_over_discords_limit_is_gzipped_or_refused_with_the_cli_command() -> None:
    document = json.dumps({"ledger": [{"amount": 5, "reason": "daily"}] * 2_000}).encode()
    assert attachment("7", document, len(document)) == ("faye-data-7.json", document)
    name, packed = attachment("7", document, len(document) - 1) or ("", b"")
    assert name == "faye-data-7.json.gz"
    assert gzip.decompress(packed) == document
    assert attachment("7", document, len(packed) - 1) is None
    refusal = too_large(len(packed), 10 * 2**20, "7")
    assert "faye data export --user 7 -o FILE" in (refusal.description or "")


async def test_a_stranger_is_refused_before_any_confirmation(gateway: Gateway) -> None:
    for command in ("mydata export", "mydata forget"):
        refused = await gateway.run(command, BEN)
        assert refused.last.ephemeral
        assert refused.last.embed["title"] == "You haven't started yet"
        assert refused.last.buttons == []


async def test_forget_asks_then_deletes_at_once(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, ANA)
    asked = await gateway.run("mydata forget", ANA)
    assert asked.callback.ephemeral
    assert asked.callback.embed["title"] == "Delete all your data?"
    assert await user_row(harness.app, str(ANA.id)) is not None, "nothing happens before the confirmation"
    not_theirs = await gateway.press(asked.message_id, "Delete my data", BEN)
    assert not_theirs.last.ephemeral
    assert await user_row(harness.app, str(ANA.id)) is not None
    done = await gateway.press(asked.message_id, "Delete my data", ANA)
    assert done.last.embed["title"] == "Your data is deleted"
    assert await user_row(harness.app, str(ANA.id)) is None
    assert await count_rows(harness.app, UserEsprit) == 0
    again = await gateway.run("start", ANA)
    accepted = await gateway.press(again.message_id, "Accept", ANA)
    assert accepted.last.embed["title"] == "Not yet", "no second starter within the cooldown"
