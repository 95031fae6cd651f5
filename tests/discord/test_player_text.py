"""Player text is data on Discord too: names and ids are shown literally in embeds (no masked link, no bold, no
mention), display names are cleaned at registration, and no message the bot sends can ping anyone."""

from __future__ import annotations

import pytest

from discord_frontend.embeds import safe
from tests.conftest import user_row
from tests.discord.conftest import ANA, Harness, start
from tests.discord.harness import Gateway, Player

NITRO = Player(100_000_000_000_000_011, "[Free Nitro](https://x)")
EVERYONE = Player(100_000_000_000_000_012, "@everyone")
SNEAKY = Player(100_000_000_000_000_013, "**a** [b](https://y) [c](https://z)")
NO_PING: dict[str, list[str]] = {"parse": []}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Ana", "Ana"),
        ("[Free Nitro](https://x)", r"\[Free Nitro\]\(https\://x\)"),
        # discord.utils.escape_markdown leaves the second of two masked links intact
        ("[a](b) [Free Nitro](https://x)", r"\[a\]\(b\) \[Free Nitro\]\(https\://x\)"),
        ("**bold** __u__ ~~s~~ ||spoiler|| `code`", r"\*\*bold\*\* \_\_u\_\_ \~\~s\~\~ \|\|spoiler\|\| \`code\`"),
        ("back\\", "back\\\\"),  # would escape the closing ** around a name
        ("# heading", r"\# heading"),
        ("@everyone @here", "@\u200beveryone @\u200bhere"),
        ("<@100000000000000001> <t:0:R>", "\\<@\u200b100000000000000001\\> \\<t\\:0\\:R\\>"),
        ("\x1b]0;HACKED\x07", "\ufffd\\]0;HACKED\ufffd"),
    ],
)
def test_safe_makes_every_markdown_character_literal(text: str, shown: str) -> None:
    assert safe(text) == shown


async def test_leaderboard_shows_names_literally(harness: Harness, gateway: Gateway) -> None:
    for player in (NITRO, EVERYONE, SNEAKY):
        await start(gateway, player)
    board = (await gateway.run("leaderboard", ANA)).callback.embed["description"]
    assert "**\\[Free Nitro\\]\\(https\\://x\\)**" in board
    assert "**@\u200beveryone**" in board
    assert "**\\*\\*a\\*\\* \\[b\\]\\(https\\://y\\) \\[c\\]\\(https\\://z\\)**" in board
    assert "](" not in board
    assert "@everyone" not in board


async def test_profile_title_shows_the_name_literally(gateway: Gateway) -> None:
    await start(gateway, NITRO)
    profile = (await gateway.run("balance", NITRO)).callback.embed
    assert profile["title"] == r"\[Free Nitro\]\(https\://x\)"


async def test_terminal_seller_id_is_shown_literally_in_the_auction_house(harness: Harness, gateway: Gateway) -> None:
    """A terminal player's id is free text, unlike a Discord snowflake (which becomes a mention)."""
    seller = "[evil](https://x)"
    registration = await harness.app.onboarding.register(seller, "Eve", policy_accepted=True)
    await harness.app.auction.create_listing(seller, registration.starter.id, 100, None)
    await start(gateway, ANA)
    browsed = (await gateway.run("auction browse", ANA)).callback.embed["description"]
    assert r"\[evil\]\(https\://x\)" in browsed
    assert "](" not in browsed
    confirm = (await gateway.run("auction buy", ANA, listing=1)).callback.embed["description"]
    assert r"from \[evil\]\(https\://x\) for" in confirm


async def test_no_message_the_bot_sends_can_ping(harness: Harness, gateway: Gateway) -> None:
    await start(gateway, EVERYONE)
    await gateway.run("leaderboard", EVERYONE)
    await gateway.run("balance", EVERYONE)
    await gateway.run("profile", EVERYONE)
    await gateway.run("auction list", EVERYONE, esprit=1, price=100)
    await gateway.run("auction browse", EVERYONE)
    await gateway.run("auction buy", EVERYONE, listing=1)  # refused: the player's own listing
    message_keys = {"content", "embeds", "components", "attachments"}
    sent = [call for call in harness.fake.calls if message_keys & set(call.data)]
    assert len(sent) >= 9  # the policy, the button press and the welcome, then one answer per command
    assert [call.data.get("allowed_mentions") for call in sent] == [NO_PING] * len(sent)


@pytest.mark.parametrize(
    ("display_name", "kept"),
    [
        ("  Zoe\u0301   Ray ", "Zoé Ray"),  # NFC, white space folded
        ("Eve\x1b[2J\u202e", "Eve[2J"),  # controls and bidi overrides stripped
        ("\u202e\u200b", str(ANA.id)),  # nothing printable left: the id
        ("👩\u200d💻 Dev", "👩\u200d💻 Dev"),  # an emoji's zero-width joiner stays
    ],
)
async def test_display_name_is_cleaned_at_registration(
    harness: Harness, gateway: Gateway, display_name: str, kept: str
) -> None:
    await start(gateway, Player(ANA.id, display_name))
    user = await user_row(harness.app, str(ANA.id))
    assert user is not None
    assert user.username == kept
