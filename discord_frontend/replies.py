"""Answering an interaction: which of Discord's response routes to take, decided in one place.

An interaction is answered once (a message, a deferral, or a message update) and then only edited or followed
up; which of these is allowed depends on what happened before. Cogs and views say *what* to show (a `Reply`)
and these helpers choose *how*, so "respond or follow up?" is never decided twice.
"""

from __future__ import annotations

import io
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import discord
from discord.utils import MISSING

if TYPE_CHECKING:
    from discord_frontend.bot import FayeInteraction

#: Set in `interaction.extras` once a deferred "thinking…" message has been replaced by the answer.
ANSWERED: Final = "faye_answered"

Message = discord.InteractionMessage | discord.WebhookMessage


@dataclass(frozen=True)
class Reply:
    """What to show: an embed and, optionally, one PNG shown inside it."""

    embed: discord.Embed
    image: tuple[str, bytes] | None = None

    @classmethod
    def illustrated(cls, embed: discord.Embed, filename: str, png: bytes) -> Reply:
        """The embed with the image attached as `filename` and shown through attachment://."""
        embed.set_image(url=f"attachment://{filename}")
        return cls(embed, (filename, png))

    def files(self) -> list[discord.File]:
        """Fresh File objects: discord.py consumes a File's stream when it sends it."""
        if self.image is None:
            return []
        filename, png = self.image
        return [discord.File(io.BytesIO(png), filename=filename)]


def _view(view: discord.ui.View | None) -> Any:
    """discord.py's send methods take MISSING, not None, for "no view"."""
    return MISSING if view is None else view


async def defer(interaction: FayeInteraction) -> None:
    """Acknowledge a slash command now (Discord's 3-second rule) and answer later: a public "thinking…"."""
    await interaction.response.defer(thinking=True)


def is_thinking(interaction: FayeInteraction) -> bool:
    """Deferred with a "thinking…" message that has not been replaced yet."""
    return (
        interaction.response.type is discord.InteractionResponseType.deferred_channel_message
        and not interaction.extras.get(ANSWERED)
    )


async def send(
    interaction: FayeInteraction, reply: Reply, *, view: discord.ui.View | None = None, ephemeral: bool = False
) -> Message | None:
    """Show `reply` as the answer to the interaction, or as a new message after it; returns the message (for a
    view to edit on timeout) when Discord reports it."""
    if not interaction.response.is_done():
        callback = await interaction.response.send_message(
            embed=reply.embed, files=reply.files(), view=_view(view), ephemeral=ephemeral
        )
        return callback.resource if isinstance(callback.resource, discord.InteractionMessage) else None
    if is_thinking(interaction):
        interaction.extras[ANSWERED] = True
        return await interaction.edit_original_response(embed=reply.embed, attachments=reply.files(), view=view)
    return await interaction.followup.send(
        embed=reply.embed, files=reply.files(), view=_view(view), ephemeral=ephemeral, wait=True
    )


async def update(interaction: FayeInteraction, reply: Reply, *, view: discord.ui.View | None) -> None:
    """Replace the content of the message a component sits on (its image too; None removes the buttons)."""
    if not interaction.response.is_done():
        await interaction.response.edit_message(embed=reply.embed, attachments=reply.files(), view=view)
    else:
        await interaction.edit_original_response(embed=reply.embed, attachments=reply.files(), view=view)


async def refuse(interaction: FayeInteraction, embed: discord.Embed) -> None:
    """Tell only the player who acted: an ephemeral message, whatever state the interaction is in.

    After a public deferral the first follow-up takes the place of the "thinking…" message and keeps its
    visibility, so that message is deleted first and the refusal follows as a new, ephemeral message.
    """
    if not interaction.response.is_done():
        await interaction.response.send_message(embed=embed, ephemeral=True)
        return
    if is_thinking(interaction):
        interaction.extras[ANSWERED] = True
        with suppress(discord.HTTPException):
            await interaction.delete_original_response()
    await interaction.followup.send(embed=embed, ephemeral=True)
