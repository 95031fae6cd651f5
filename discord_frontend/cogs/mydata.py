"""/mydata export (a JSON file of everything Faye holds about the player, sent only to them) and /mydata forget
(everything deleted, after a confirmation, at once). The document's sections and what deleting keeps are
faye.services.privacy's; the embeds here say it in the player's words."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, player_id
from discord_frontend.replies import Reply
from discord_frontend.views import ConfirmView

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.services.privacy import Forgotten, PlayerData


def exported(data: PlayerData) -> discord.Embed:
    counts = {
        "ledger entries": len(data.ledger),
        "Esprits": len(data.esprits),
        "pulls": len(data.pulls),
        "listings": len(data.listings),
        "trades": len(data.trades),
    }
    listed = ", ".join(f"{rows:,} {name}" for name, rows in counts.items())
    return discord.Embed(
        title="Your data",
        colour=embeds.BRAND,
        description=(
            "Everything Faye holds about you, in the attached JSON file: your profile, balances, ledger, Esprits "
            f"with their history, pity, pulls, listings, trades and battle standing ({listed})."
        ),
    )


def too_large(size: int, limit: int, user: str) -> discord.Embed:
    return discord.Embed(
        title="Your data is too large to send here",
        colour=embeds.REFUSED,
        description=(
            f"Even compressed it is {size / 2**20:.1f} MiB, over the {limit / 2**20:.0f} MiB Discord lets this "
            "server receive. Ask the bot's operator for a copy: they run "
            f"`faye data export --user {user} -o FILE`, which has no size limit."
        ),
    )


def attachment(user: str, document: bytes, limit: int) -> tuple[str, bytes] | None:
    """The export as Discord can take it: the JSON, gzipped when it is over `limit` bytes, or None when even
    that is too large."""
    name = f"faye-data-{user}.json"
    if len(document) > limit:
        name, document = f"{name}.gz", gzip.compress(document)
    return (name, document) if len(document) <= limit else None


def forget_confirm() -> discord.Embed:
    return discord.Embed(
        title="Delete all your data?",
        colour=embeds.REFUSED,
        description=(
            "Your open trades and listings are cancelled, then your account, balances, Esprits, pulls and battle "
            "standing are deleted, now and for good. Esprits you sold or traded stay with their new owners, and "
            "their history shows a deleted player. If you start again later, it is as a new player, and not "
            "before the cooldown: no second starter or daily reward sooner. /mydata export first keeps a copy."
        ),
    )


def forgotten(result: Forgotten) -> discord.Embed:
    return discord.Embed(
        title="Your data is deleted",
        colour=embeds.SUCCESS,
        description=(
            f"{result.esprits_deleted:,} Esprits deleted; {len(result.trades_cancelled):,} open trades and "
            f"{len(result.listings_cancelled):,} open listings were cancelled first. Faye keeps nothing that "
            "names you."
        ),
    )


class MyData(
    FayeCog,
    commands.GroupCog,
    group_name="mydata",
    group_description="Your data: a copy of everything Faye holds about you, or all of it deleted.",
):
    @app_commands.command(description="A JSON file of everything Faye holds about you, sent only to you.")
    async def export(self, interaction: FayeInteraction) -> None:
        user = player_id(interaction)
        data = await self.app.privacy.export(user)
        document = data.to_json()
        guild = interaction.guild
        limit = guild.filesize_limit if guild is not None else discord.utils.DEFAULT_FILE_SIZE_LIMIT_BYTES
        file = attachment(user, document, limit)
        if file is None:
            reply = Reply(too_large(len(gzip.compress(document)), limit, user))
        else:
            reply = Reply(exported(data), file)
        await replies.send(interaction, reply, ephemeral=True)

    @app_commands.command(description="Delete everything Faye holds about you, now (you confirm first).")
    async def forget(self, interaction: FayeInteraction) -> None:
        user = player_id(interaction)
        await self.app.economy.profile(user)  # a stranger is told so before being asked to confirm

        async def forget() -> Reply:
            return Reply(forgotten(await self.app.privacy.forget(user, user)))

        view = ConfirmView(interaction.user.id, forget, confirm_label="Delete my data", danger=True)
        view.message = await replies.send(interaction, Reply(forget_confirm()), view=view, ephemeral=True)


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(MyData(bot))
