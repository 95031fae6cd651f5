"""The command tree, and the one place where errors become messages.

Every refusal of the game is a `FayeError` with a stable `code` and a `kind`; `report` turns it into a friendly
ephemeral embed (wording by code in embeds.REFUSALS, colour by kind), whether it came from a slash command
(`FayeTree.on_error`) or a button or select (`views.OwnedView.on_error`). The game being unavailable (database
down or busy, schema at another version) is also logged for the operator, since no player can fix it. Anything
else is a bug: it is logged with a short incident id, and the player sees only that id, to quote.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import discord
from discord import app_commands

from discord_frontend import embeds, replies
from faye.errors import ErrorKind, FayeError

log = logging.getLogger(__name__)


class Refused(app_commands.CheckFailure):
    """A FayeError raised by a check: discord.py lets checks fail only with an AppCommandError."""

    def __init__(self, error: FayeError) -> None:
        super().__init__(error.message)
        self.error = error


def describe(interaction: discord.Interaction[Any]) -> str:
    """'/auction buy' or 'button summon:next', for the log."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    return f"component {interaction.data.get('custom_id') if interaction.data else None}"


async def report(interaction: discord.Interaction[Any], error: Exception) -> None:
    """Answer a failed interaction with an ephemeral embed: the refusal, or an incident id for a bug."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, Refused):
        original = original.error
    if isinstance(original, FayeError):
        if original.kind is ErrorKind.UNAVAILABLE:
            log.warning("%s: the game is unavailable (%s): %s", describe(interaction), original.code, original.message)
        embed = embeds.refusal(original)
    elif isinstance(original, app_commands.TransformerError):
        embed = embeds.bad_input(f"{original.value!r} is not a valid {original.type.name}.")
    elif isinstance(original, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        embed = embeds.out_of_date()
    else:
        incident = uuid.uuid4().hex[:8]
        log.error(
            "incident %s: %s by user %s failed",
            incident,
            describe(interaction),
            interaction.user.id,
            exc_info=original,
        )
        embed = embeds.incident(incident)
    try:
        await replies.refuse(interaction, embed)
    except discord.HTTPException:  # the interaction expired or Discord is unreachable: nobody to tell
        log.warning("could not report an error for %s", describe(interaction), exc_info=True)


class FayeTree(app_commands.CommandTree[Any]):
    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        await report(interaction, error)
